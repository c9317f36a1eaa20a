//! How the API's lists are read: their page sizes and the deployments list's orders, the same
//! constants for the server that enforces them and the console that asks.

/// A list's page size: what is used when `limit` is not given, and the most one page may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageLimit {
    pub default: u32,
    pub max: u32,
}

impl PageLimit {
    /// Whether `limit` may be asked for.
    pub fn allows(self, limit: i64) -> bool {
        (1..=i64::from(self.max)).contains(&limit)
    }
}

/// `GET /api/v1/projects/{id}/deployments`.
pub const DEPLOYMENTS_PAGE: PageLimit = PageLimit {
    default: 50,
    max: 500,
};
/// The peerings and PrivateLinks of a deployment.
pub const NETWORK_PAGE: PageLimit = PageLimit {
    default: 50,
    max: 200,
};
/// `GET /api/v1/audit`.
pub const AUDIT_PAGE: PageLimit = PageLimit {
    default: 50,
    max: 200,
};

/// The deployments list's orders, as `sort` names them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DeploymentSort {
    #[default]
    Newest,
    Oldest,
    Name,
    NameDescending,
    Status,
}

impl DeploymentSort {
    pub const ALL: [DeploymentSort; 5] = [
        DeploymentSort::Newest,
        DeploymentSort::Oldest,
        DeploymentSort::Name,
        DeploymentSort::NameDescending,
        DeploymentSort::Status,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DeploymentSort::Newest => "-created_at",
            DeploymentSort::Oldest => "created_at",
            DeploymentSort::Name => "name",
            DeploymentSort::NameDescending => "-name",
            DeploymentSort::Status => "status",
        }
    }

    pub fn parse(code: &str) -> Option<DeploymentSort> {
        DeploymentSort::ALL.into_iter().find(|s| s.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_read_back_and_limits_bound_pages() {
        for s in DeploymentSort::ALL {
            assert_eq!(DeploymentSort::parse(s.code()), Some(s));
        }
        assert_eq!(DeploymentSort::parse("-status"), None);
        assert!(DEPLOYMENTS_PAGE.allows(500) && !DEPLOYMENTS_PAGE.allows(501));
        assert!(NETWORK_PAGE.allows(1) && !NETWORK_PAGE.allows(0) && !NETWORK_PAGE.allows(201));
    }
}
