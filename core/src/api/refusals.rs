//! Refusals the console and the server word alike: the console shows these in place of the
//! server's detail, and the server answers with them, so a person reads the same sentence
//! whichever one speaks.

use crate::lang::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Refusal {
    /// `last_owner`: the only owner would stop being one.
    LastOwner,
    /// `deployment_not_running`: peerings and PrivateLinks are added to running deployments.
    DeploymentNotRunning,
}

impl Refusal {
    pub const ALL: [Refusal; 2] = [Refusal::LastOwner, Refusal::DeploymentNotRunning];

    pub fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Refusal::LastOwner, Lang::En) => {
                "The organisation needs at least one owner: make someone else an owner first."
            }
            (Refusal::LastOwner, Lang::ZhCn) => "组织至少需要一名所有者：请先将其他人设为所有者。",
            (Refusal::DeploymentNotRunning, Lang::En) => {
                "The deployment is not running: peerings and PrivateLinks can be added only while it runs."
            }
            (Refusal::DeploymentNotRunning, Lang::ZhCn) => {
                "部署未在运行：只有运行中的部署才能添加对等连接和私网连接。"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_is_worded_in_both_languages() {
        for r in Refusal::ALL {
            let (en, zh) = (r.text(Lang::En), r.text(Lang::ZhCn));
            assert!(!en.is_empty() && !zh.is_empty() && en != zh, "{r:?}");
        }
    }
}
