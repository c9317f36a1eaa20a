//! The deployments list's answers kept in memory, each under the project's change count it was
//! read at (the list's ETag, `routes::deployments::list`).
//!
//! Why: a page of 50 costs about 2.4 times a single get even with keyset paging and no count
//! (50 rows read, parsed and serialised), and the same pages are asked again and again: every
//! open console refreshes its list, and many people watch the same project. The count moves in
//! the transaction of every change to a project's deployments (migration 0014's triggers), so an
//! answer kept under the count read before it is never older than a fresh read would be: a
//! request that reads the same count may be sent the kept page, one that reads a later count
//! misses and reads the rows. Nothing here decides what a caller may see: the handler checks
//! access before it asks, and a page is the same for everyone who may read the project.
//!
//! Each replica keeps its own; they agree because the key is read from the shared database.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use axum::body::Bytes;

/// The kept pages, bounded in bytes. Per project only the pages of one change count are kept:
/// a page of an older count can never be asked for again.
#[derive(Debug)]
pub struct PageCache {
    budget: usize,
    inner: Mutex<Inner>,
    /// Questions answered from memory and read from the database, for `/metrics`: whether the
    /// budget is large enough shows in their ratio.
    hits: AtomicU64,
    misses: AtomicU64,
}

#[derive(Debug, Default)]
struct Inner {
    bytes: usize,
    projects: HashMap<String, Kept>,
}

#[derive(Debug)]
struct Kept {
    tag: String,
    pages: HashMap<String, Bytes>,
}

impl PageCache {
    /// A cache holding at most `budget` bytes of answers; 0 keeps nothing.
    pub fn new(budget: usize) -> Self {
        PageCache {
            budget,
            inner: Mutex::new(Inner::default()),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// The answer kept for `query` of `project` at `tag`, if any (counted as a hit or a miss).
    pub fn get(&self, project: &str, tag: &str, query: &str) -> Option<Bytes> {
        let found = self.inner.lock().ok().and_then(|inner| {
            let kept = inner.projects.get(project)?;
            (kept.tag == tag).then(|| kept.pages.get(query).cloned())?
        });
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Keeps `body` as the answer to `query` of `project` at `tag`. A different tag replaces
    /// the project's pages; past the budget everything is dropped (simple, and a page costs only
    /// a read to make again).
    pub fn put(&self, project: &str, tag: &str, query: &str, body: Bytes) {
        if body.len() + query.len() > self.budget {
            return;
        }
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        let inner = &mut *inner;
        let stale = inner.projects.get(project).is_some_and(|k| k.tag != tag);
        if stale {
            if let Some(old) = inner.projects.remove(project) {
                inner.bytes -= size(&old);
            }
        }
        if inner.bytes + body.len() + query.len() > self.budget {
            inner.projects.clear();
            inner.bytes = 0;
        }
        let kept = inner
            .projects
            .entry(project.to_owned())
            .or_insert_with(|| Kept {
                tag: tag.to_owned(),
                pages: HashMap::new(),
            });
        inner.bytes += body.len() + query.len();
        if let Some(replaced) = kept.pages.insert(query.to_owned(), body) {
            inner.bytes -= replaced.len() + query.len();
        }
    }

    /// Bytes of answers kept now.
    pub fn bytes(&self) -> usize {
        self.inner.lock().map(|i| i.bytes).unwrap_or(0)
    }

    /// Questions answered from memory and questions that were not, since the start.
    pub fn hits_and_misses(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }
}

fn size(kept: &Kept) -> usize {
    kept.pages.iter().map(|(q, b)| q.len() + b.len()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(n: usize) -> Bytes {
        Bytes::from(vec![b'x'; n])
    }

    #[test]
    fn a_page_is_kept_for_its_project_tag_and_query_only() {
        let cache = PageCache::new(1_000);
        cache.put("p1", "t1", "limit=50", page(10));
        assert_eq!(cache.get("p1", "t1", "limit=50"), Some(page(10)));
        assert_eq!(cache.get("p1", "t2", "limit=50"), None);
        assert_eq!(cache.get("p1", "t1", "limit=20"), None);
        assert_eq!(cache.get("p2", "t1", "limit=50"), None);
        assert_eq!(cache.hits_and_misses(), (1, 3));
    }

    #[test]
    fn a_new_tag_drops_the_projects_older_pages() {
        let cache = PageCache::new(1_000);
        cache.put("p1", "t1", "a", page(10));
        cache.put("p1", "t1", "b", page(10));
        cache.put("p2", "t1", "a", page(10));
        cache.put("p1", "t2", "a", page(20));
        assert_eq!(cache.get("p1", "t1", "b"), None);
        assert_eq!(cache.get("p1", "t2", "a"), Some(page(20)));
        assert_eq!(cache.get("p2", "t1", "a"), Some(page(10)));
        assert_eq!(cache.bytes(), 21 + 11);
    }

    #[test]
    fn it_never_holds_more_than_its_budget() {
        let cache = PageCache::new(100);
        for i in 0..50 {
            cache.put(
                &format!("p{}", i % 7),
                "t",
                &format!("q{i}"),
                page(9 + i % 13),
            );
            assert!(cache.bytes() <= 100, "{} bytes after {i}", cache.bytes());
        }
        cache.put("p", "t", "q", page(101));
        assert_eq!(cache.get("p", "t", "q"), None);
        cache.put("p", "t", "q", page(10));
        cache.put("p", "t", "q", page(20));
        assert_eq!(cache.get("p", "t", "q"), Some(page(20)));
        let nothing = PageCache::new(0);
        nothing.put("p", "t", "q", page(1));
        assert_eq!(nothing.get("p", "t", "q"), None);
    }
}
