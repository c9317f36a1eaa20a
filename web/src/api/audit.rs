//! The audit log: filtered, paged with a cursor, and exported as CSV with the same filters.

use byoc_core::api::{AuditEntry, Page, AUDIT_PAGE};

use super::client::{get_json, query, url};
use super::ApiError;

const PATH: &str = "/api/v1/audit";

/// How many entries a page asks for.
pub const PAGE_SIZE: u32 = AUDIT_PAGE.default;

/// The filters of the audit log; empty strings mean "any". `from` and `to` are RFC 3339.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub actor: String,
    pub action: String,
    pub target: String,
    pub from: String,
    pub to: String,
}

impl AuditFilter {
    fn pairs(&self) -> [(&'static str, &str); 5] {
        [
            ("actor", self.actor.trim()),
            ("action", self.action.trim()),
            ("target", self.target.trim()),
            ("from", self.from.as_str()),
            ("to", self.to.as_str()),
        ]
    }
}

/// One page of entries matching `filter`, starting at `cursor` (the previous page's
/// `next_cursor`; `None` for the first page).
pub async fn page(
    filter: &AuditFilter,
    cursor: Option<&str>,
) -> Result<Page<AuditEntry>, ApiError> {
    let limit = PAGE_SIZE.to_string();
    let mut pairs = filter.pairs().to_vec();
    pairs.push(("cursor", cursor.unwrap_or("")));
    pairs.push(("limit", &limit));
    get_json(&format!("{PATH}{}", query(&pairs))).await
}

/// Where the CSV export of the entries matching `filter` downloads from (a plain link: the
/// browser sends the session cookie itself).
pub fn export_url(filter: &AuditFilter) -> String {
    url(&format!("{PATH}/export.csv{}", query(&filter.pairs())))
}
