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

    /// The columns a page is ordered by (each ending in the id, so every row has its own place),
    /// which a cursor carries the last row's values of.
    pub fn key_len(self) -> usize {
        match self {
            DeploymentSort::Status => 3,
            _ => 2,
        }
    }

    /// Whether the order is by creation time (its cursor's first key is a time).
    pub fn by_time(self) -> bool {
        matches!(self, DeploymentSort::Newest | DeploymentSort::Oldest)
    }

    /// Whether the order runs from high to low.
    pub fn descending(self) -> bool {
        matches!(
            self,
            DeploymentSort::Newest | DeploymentSort::NameDescending
        )
    }
}

/// Where the next page of deployments starts: after the row whose sort key (the sort's columns,
/// id last) is `after`. A keyset cursor, so a page 40 pages deep costs what the first one does,
/// and rows added or removed meanwhile never shift a page. Opaque to clients: a version prefix
/// and base64url JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeploymentCursor {
    pub sort: DeploymentSort,
    pub after: Vec<String>,
}

const CURSOR_PREFIX: &str = "k1.";

impl DeploymentCursor {
    pub fn encode(&self) -> String {
        use base64ct::{Base64UrlUnpadded, Encoding};
        let json = serde_json::json!([self.sort.code(), self.after]).to_string();
        format!(
            "{CURSOR_PREFIX}{}",
            Base64UrlUnpadded::encode_string(json.as_bytes())
        )
    }

    /// The cursor, if `text` is one this server gave out for `sort`: a cursor from another order
    /// (the user changed the sort between pages) would skip or repeat rows, so it is refused.
    pub fn decode(text: &str, sort: DeploymentSort) -> Option<DeploymentCursor> {
        use base64ct::{Base64UrlUnpadded, Encoding};
        let body = text.strip_prefix(CURSOR_PREFIX)?;
        let bytes = Base64UrlUnpadded::decode_vec(body).ok()?;
        let (code, after): (String, Vec<String>) = serde_json::from_slice(&bytes).ok()?;
        (DeploymentSort::parse(&code) == Some(sort) && after.len() == sort.key_len())
            .then_some(DeploymentCursor { sort, after })
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
        let by_time: Vec<_> = DeploymentSort::ALL
            .into_iter()
            .filter(|s| s.by_time())
            .collect();
        assert_eq!(by_time, [DeploymentSort::Newest, DeploymentSort::Oldest]);
        assert!(DEPLOYMENTS_PAGE.allows(500) && !DEPLOYMENTS_PAGE.allows(501));
        assert!(NETWORK_PAGE.allows(1) && !NETWORK_PAGE.allows(0) && !NETWORK_PAGE.allows(201));
    }

    #[test]
    fn cursors_read_back_only_for_their_own_order() {
        let c = DeploymentCursor {
            sort: DeploymentSort::Status,
            after: vec!["running".into(), "mqtt \"edge\" 东".into(), "id-1".into()],
        };
        let text = c.encode();
        assert!(text.starts_with("k1."), "{text}");
        assert!(text[3..]
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_'));
        assert_eq!(
            DeploymentCursor::decode(&text, DeploymentSort::Status),
            Some(c)
        );
        assert_eq!(DeploymentCursor::decode(&text, DeploymentSort::Name), None);
    }

    #[test]
    fn anything_else_is_not_a_cursor() {
        let two = DeploymentCursor {
            sort: DeploymentSort::Name,
            after: vec!["a".into(), "b".into()],
        };
        // The right order with the wrong number of columns.
        let wrong_len = DeploymentCursor {
            sort: DeploymentSort::Status,
            after: two.after.clone(),
        }
        .encode();
        for text in ["", "o50", "k1.", "k1.!!!", "k2.W10", &wrong_len, "k1.W10"] {
            assert_eq!(
                DeploymentCursor::decode(text, DeploymentSort::Status),
                None,
                "{text}"
            );
        }
    }
}
