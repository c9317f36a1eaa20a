//! Every sentence the server writes itself into a problem (titles, details, field messages), in
//! English and 简体中文. Placeholders are `{name}`, filled by [`Say::with`], so each language
//! keeps its own word order. Sentences the console also shows live in core
//! ([`byoc_core::api::Refusal`]); rule errors come from core's own `message(lang)`.

use super::{current, Lang};

/// Declares the catalog: each line is `Variant => "English", "中文";`.
macro_rules! says {
    ($($name:ident => $en:literal, $zh:literal;)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Say { $($name,)* }

        impl Say {
            pub const ALL: &'static [Say] = &[$(Say::$name,)*];

            pub fn get(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(
                        (Say::$name, Lang::En) => $en,
                        (Say::$name, Lang::ZhCn) => $zh,
                    )*
                }
            }
        }
    };
}

says! {
    // Titles, one per kind of problem.
    TitleInvalid => "Invalid request", "请求无效";
    TitleMalformed => "Malformed request body", "请求体格式错误";
    TitleNotFound => "Not found", "未找到";
    TitleMethodNotAllowed => "Method not allowed", "不支持该请求方法";
    TitleUnavailable => "Service unavailable", "服务暂不可用";
    TitleUnauthenticated => "Not signed in", "未登录";
    TitleInvalidCredentials => "Wrong username or password", "用户名或密码错误";
    TitleTooManyAttempts => "Too many attempts", "尝试次数过多";
    TitleForbidden => "Forbidden", "无权操作";
    TitleConflict => "Conflict", "冲突";
    TitleActionNotAllowed => "Not possible in this state", "当前状态下无法执行该操作";
    TitleIfMatchRequired => "If-Match required", "缺少 If-Match";
    TitleVersionMismatch => "Changed by someone else", "已被他人修改";
    TitlePayloadTooLarge => "Request body too large", "请求体过大";
    TitleInternal => "Internal server error", "服务器内部错误";

    // The request itself.
    WrongPassword => "The username or password is wrong.", "用户名或密码错误。";
    TooManySignIns => "Too many sign-in attempts from here. Try again in {seconds} second(s).", "此处的登录尝试次数过多，请在 {seconds} 秒后重试。";
    IfMatchMissing => "Send the version you last saw in the If-Match header, so no one else's change is overwritten.", "请在 If-Match 请求头中发送您最后看到的版本，以免覆盖他人的修改。";
    IfMatchInvalid => "If-Match must be the resource's version, e.g. \"3\".", "If-Match 必须是资源的版本号，例如 \"3\"。";
    BodyTooLarge => "The request body is larger than {kib} KiB.", "请求体超过 {kib} KiB。";
    VersionMoved => "Someone changed this in the meantime (it is now version {version}); reload and try again.", "此内容已被他人修改（当前为版本 {version}），请刷新后重试。";
    InternalError => "Something went wrong on our side; the request id identifies it in the logs.", "服务器端出现问题；可凭请求 ID 在日志中查到。";
    FieldsInvalid => "{count} fields are invalid.", "有 {count} 个字段无效。";
    BodyNotJson => "The request body must be JSON, sent with `Content-Type: application/json`.", "请求体必须是 JSON，并以 `Content-Type: application/json` 发送。";
    BodyBadJson => "The request body is not valid JSON: {why}", "请求体不是有效的 JSON：{why}";
    BodyWrongShape => "The request body has the wrong shape: {why}", "请求体的结构不正确：{why}";
    BodyUnreadable => "The request body could not be read: {why}", "无法读取请求体：{why}";
    QueryInvalid => "The query string is invalid: {why}", "查询字符串无效：{why}";
    NoApiResource => "There is no API resource at {path}.", "{path} 处没有 API 资源。";
    NulCharacter => "The request holds the NUL character (U+0000), which no field accepts. Remove it and send the request again.", "请求中包含 NUL 字符（U+0000），任何字段都不接受该字符。请删除后重新发送请求。";
    PrivateKeyRefused => "The request contains a private key. Private keys stay on your machine: the console checks them in your browser and the toolkit reads them in the bootstrap environment. Send only the certificate chain.", "请求中包含私钥。私钥应留在您自己的机器上：控制台在您的浏览器中检查私钥，引导工具在引导环境中读取私钥。请只发送证书链。";
    IdempotencyKeyInvalid => "Idempotency-Key must be 1 to 255 visible ASCII characters.", "Idempotency-Key 必须是 1 到 255 个可见 ASCII 字符。";
    IdempotencyKeyReused => "This Idempotency-Key was already used for a different request.", "此 Idempotency-Key 已用于另一个请求。";
    QueryParamRequired => "The query parameter `{field}` is required.", "缺少查询参数 `{field}`。";
    NotAWholeNumber => "`{field}` must be a whole number, not \"{value}\".", "`{field}` 必须是整数，而不是 \"{value}\"。";
    InvalidTime => "`{field}` must be an RFC 3339 time, e.g. 2026-11-24T08:00:00Z.", "`{field}` 必须是 RFC 3339 格式的时间，例如 2026-11-24T08:00:00Z。";
    LimitRange => "limit is 1 to {max}.", "limit 的取值范围是 1 到 {max}。";
    AuditLimit => "`limit` must be 1 to {max}.", "`limit` 必须在 1 到 {max} 之间。";
    CursorUnknown => "The cursor is not one this server gave out.", "此游标不是本服务器给出的。";
    ListCursor => "The cursor is not one this server gave out for this order: start again from the first page.", "此游标不是本服务器为当前排序给出的，请从第一页重新开始。";
    AuditCursor => "`cursor` must be a next_cursor from an earlier page.", "`cursor` 必须是前一页给出的 next_cursor。";
    UnknownStatus => "\"{value}\" is not a status; use one of {all}.", "\"{value}\" 不是有效的状态；请使用以下之一：{all}。";
    UnknownSort => "\"{value}\" is not a sort order; use -created_at, created_at, name, -name or status.", "\"{value}\" 不是有效的排序方式；请使用 -created_at、created_at、name、-name 或 status。";

    // Who is asking.
    TokenUnknown => "The API token is unknown, revoked or expired.", "API 令牌不存在、已吊销或已过期。";
    SignInFirst => "Sign in first.", "请先登录。";
    SessionEnded => "Your session has ended; sign in again.", "会话已结束，请重新登录。";
    UserGone => "This user no longer exists.", "此用户已不存在。";
    CsrfHeaderMissing => "Requests that change something must carry the X-Requested-With header.", "修改类请求必须带有 X-Requested-With 请求头。";
    MetricsTokenMissing => "Send the metrics token as Authorization: Bearer <BYOC_METRICS_TOKEN>.", "请以 Authorization: Bearer <BYOC_METRICS_TOKEN> 发送指标令牌。";
    MetricsForbidden => "The metrics are readable with the configured BYOC_METRICS_TOKEN, or from this machine when none is configured.", "指标须凭配置的 BYOC_METRICS_TOKEN 读取；未配置时只能从本机读取。";
    OwnersInstallLicences => "Only organisation owners install licences.", "只有组织所有者可以安装许可证。";
    OwnersManageUsers => "Only organisation owners manage users.", "只有组织所有者可以管理用户。";
    OwnersCreateProjects => "Only organisation owners create projects.", "只有组织所有者可以创建项目。";
    AuditForbidden => "The audit log is for organisation owners and project admins.", "只有组织所有者和项目管理员可以查看审计日志。";
    RoleForbidsThis => "Your role in this project does not allow this.", "您在此项目中的角色不允许此操作。";
    RoleForbidsNetworks => "Your role in this project does not allow managing networks.", "您在此项目中的角色不允许管理网络。";
    RoleForbidsOperating => "Your role in this project does not allow operating deployments.", "您在此项目中的角色不允许操作部署。";

    // What is asked for.
    NoSuchProject => "There is no such project, or you are not a member of it.", "没有这个项目，或您不是它的成员。";
    NoSuchDeployment => "There is no such deployment, or you are not a member of its project.", "没有这个部署，或您不是其所属项目的成员。";
    NoSuchUser => "There is no such user.", "没有这个用户。";
    NoUserWithId => "There is no user with this id.", "没有此 ID 的用户。";
    NotAMember => "That user is not a member of this project.", "该用户不是此项目的成员。";
    NoSuchToken => "There is no such token.", "没有这个令牌。";
    NoSuchPeering => "There is no such peering on this deployment.", "此部署上没有这个对等连接。";
    NoSuchLink => "There is no such PrivateLink on this deployment.", "此部署上没有这个私网连接。";
    NoSuchAction => "There is no action \"{action}\"; the actions are stop, start, delete, cancel and retry.", "没有 \"{action}\" 这个操作；可用的操作有 stop、start、delete、cancel 和 retry。";
    NoOperationWaiting => "No operation of this deployment is waiting for the toolkit.", "此部署没有等待引导工具执行的操作。";
    NoPublicKey => "No vendor public key is configured.", "未配置厂商公钥。";
    NoToolkitBinary => "This control plane has no toolkit binary to serve ({path} is missing): put `byoc` beside `byoc-server` or start it with --toolkit-binary.", "此控制平面没有可提供下载的引导工具程序（缺少 {path}）：请将 `byoc` 放在 `byoc-server` 旁边，或以 --toolkit-binary 启动。";
    DatabaseDown => "The database is not answering.", "数据库没有响应。";
    TlsChecksBusy => "Other certificate checks are running; try again in {seconds} seconds.", "其他证书检查正在进行，请在 {seconds} 秒后重试。";

    // The state of things.
    UsernameTaken => "The username {name} is taken.", "用户名 {name} 已被占用。";
    ProjectNameTaken => "A project named \"{name}\" already exists.", "名为 \"{name}\" 的项目已存在。";
    ProjectNotEmpty => "The project still has {count} deployment(s); delete them first.", "该项目仍有 {count} 个部署，请先删除它们。";
    CannotRemoveSelf => "You cannot remove yourself.", "您不能删除自己。";
    LastOwnerRemoved => "The last owner cannot be removed.", "不能删除最后一名所有者。";
    StatusIs => " Its status is {status}.", "当前状态为 {status}。";
    PeeringExists => "This deployment already has a peering with {peer} (it is {status}).", "该部署已与 {peer} 建立对等连接（状态为 {status}）。";
    PeeringExistsDismiss => "This deployment already has a peering with {peer} (it is {status}). Dismiss the earlier one first.", "该部署已与 {peer} 建立对等连接（状态为 {status}）。请先移除之前那个。";
    LinkExists => "This deployment already has a PrivateLink to {service} (it is {status}).", "该部署已有连接到 {service} 的私网连接（状态为 {status}）。";
    LinkExistsDismiss => "This deployment already has a PrivateLink to {service} (it is {status}). Dismiss the failed one first.", "该部署已有连接到 {service} 的私网连接（状态为 {status}）。请先移除失败的那个。";
    LicenceJsonExpected => "Expected {\"licence\": \"byoc-lic-v1.…\"}: {why}", "应为 {\"licence\": \"byoc-lic-v1.…\"}：{why}";
    LicenceNotText => "A licence file is text; this is not.", "许可证文件是文本，而这不是文本。";
    NoLicenceKey => "The control plane has no vendor public key (BYOC_LICENCE_PUBLIC_KEY), so it cannot verify licences.", "控制平面未配置厂商公钥（BYOC_LICENCE_PUBLIC_KEY），因此无法验证许可证。";

    // The toolkit's protocol.
    KeyUnknown => "This bootstrap key is unknown or was regenerated; copy the current command from the console.", "此引导密钥不存在或已重新生成；请从控制台复制当前的命令。";
    KeyRaced => "This bootstrap key was used by another run at the same moment.", "此引导密钥在同一时刻被另一次运行使用了。";
    KeyUsed => "This bootstrap key was already used; regenerate it in the console to run the toolkit again.", "此引导密钥已被使用；请在控制台重新生成后再运行引导工具。";
    KeyExpired => "This bootstrap key expired (keys are valid for one hour); regenerate it in the console.", "此引导密钥已过期（密钥有效期为一小时）；请在控制台重新生成。";
    OperationMismatch => "This key is for `byoc {key}`, not `byoc {asked}`.", "此密钥用于 `byoc {key}`，而不是 `byoc {asked}`。";
    PlatformMismatch => "This deployment runs on {cloud}, not \"{platform}\"; pass --platform {cloud}.", "此部署运行在 {cloud} 上，而不是 \"{platform}\"；请传入 --platform {cloud}。";
    AgentTokenMissing => "Send the agent token from registration as `Authorization: Bearer …`.", "请以 `Authorization: Bearer …` 发送注册时获得的代理令牌。";
    AgentTokenUnknown => "This agent token is unknown, or lapsed long ago; run the toolkit again with the command the console shows.", "此代理令牌不存在或早已失效；请用控制台显示的命令重新运行引导工具。";
    WrongDeployment => "This agent token belongs to another deployment.", "此代理令牌属于另一个部署。";
    TokenSuperseded => "The deployment started another operation while this message was handled; this agent token no longer speaks for it.", "处理此消息期间部署开始了另一项操作；此代理令牌已不再代表该部署。";
    MessageRaced => "A message with this or a later number arrived first.", "序号相同或更大的消息已先到达。";
    DeploymentChangedResend => "The deployment changed while this message was handled; send it again.", "处理此消息期间部署发生了变化，请重新发送。";
    PeeringChangedResend => "The peering changed while this message was handled; send it again.", "处理此消息期间对等连接发生了变化，请重新发送。";
    LinkChangedResend => "The PrivateLink changed while this message was handled; send it again.", "处理此消息期间私网连接发生了变化，请重新发送。";
    AgentNoSuchPeering => "This deployment has no peering {id}.", "此部署没有对等连接 {id}。";
    AgentNoSuchLink => "This deployment has no PrivateLink {id}.", "此部署没有私网连接 {id}。";
    StopHeartbeats => "The deployment is {status}, not running; stop sending heartbeats.", "部署状态为 {status}，并未运行；请停止发送心跳。";
}

impl Say {
    /// The sentence in the language of the request being answered.
    pub fn text(self) -> String {
        self.get(current()).to_owned()
    }

    /// The sentence in the request's language with its `{name}` placeholders filled. A value is
    /// never read for placeholders itself, so user input cannot pull in another argument.
    pub fn with(self, args: &[(&str, &dyn std::fmt::Display)]) -> String {
        fill(self.get(current()), args)
    }
}

fn fill(template: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let value = (after[name_len..].starts_with('}'))
            .then(|| args.iter().find(|(n, _)| *n == &after[..name_len]))
            .flatten();
        match value {
            Some((_, v)) => {
                out.push_str(&v.to_string());
                rest = &after[name_len + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `{name}` placeholders of a template, sorted.
#[cfg(test)]
fn placeholders(template: &str) -> Vec<&str> {
    let mut names: Vec<&str> = template
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(n, _)| n))
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sentence_is_written_in_both_languages() {
        for say in Say::ALL {
            let (en, zh) = (say.get(Lang::En), say.get(Lang::ZhCn));
            assert!(!en.trim().is_empty(), "{say:?} has no English");
            assert!(!zh.trim().is_empty(), "{say:?} has no Chinese");
            assert_ne!(en, zh, "{say:?} is not translated");
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{say:?}: the Chinese has no Chinese characters"
            );
        }
    }

    #[test]
    fn both_languages_take_the_same_placeholders() {
        for say in Say::ALL {
            assert_eq!(
                placeholders(say.get(Lang::En)),
                placeholders(say.get(Lang::ZhCn)),
                "{say:?}"
            );
        }
    }

    #[test]
    fn fill_replaces_named_placeholders_only() {
        let name: &dyn std::fmt::Display = &"{count}";
        let count: &dyn std::fmt::Display = &3;
        assert_eq!(
            fill(
                "{name} has {count} {\"x\"} {missing}",
                &[("name", name), ("count", count)]
            ),
            "{count} has 3 {\"x\"} {missing}"
        );
    }

    #[tokio::test]
    async fn text_follows_the_request_language() {
        assert_eq!(Say::SignInFirst.text(), "Sign in first.");
        let zh = super::super::scope(Lang::ZhCn, async { Say::SignInFirst.text() }).await;
        assert_eq!(zh, "请先登录。");
    }
}
