//! Rule 4 and 5: find the server certificate, follow issuers up to a root (or a well-known
//! public root), verifying every signature on the way, and say whether the file had them in
//! that order. Bundles are tiny (at most `MAX_PEM_BLOCKS`), so plain scans are fine.

use super::cert::ParsedCert;
use super::roots::{public_root_issuing, PublicRoot};
use super::verify::{verify_cert, VerifyError};

/// How the chain from the server certificate ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ChainEnd {
    /// A self-signed CA certificate included in the file.
    IncludedRoot { subject: String },
    /// Not included, but the last issuer is a well-known public root that signed it.
    PublicRoot { root: String },
    /// The server certificate signs itself: there is no CA.
    SelfSignedLeaf,
    /// No certificate in the file (and no public root) issued `subject`.
    MissingIssuer { subject: String, issuer: String },
    /// A certificate named as the issuer is there, but its key did not make the signature.
    BadSignature { subject: String, issuer: String },
    /// `subject` is signed with an algorithm BYOC does not verify.
    Unsupported { subject: String, algorithm: String },
    /// `subject` issued a certificate but is not a CA certificate.
    NotCa { subject: String },
}

impl ChainEnd {
    pub(crate) fn is_complete(&self) -> bool {
        matches!(
            self,
            ChainEnd::IncludedRoot { .. } | ChainEnd::PublicRoot { .. }
        )
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Chain {
    /// Indices into the certificates, server certificate first, then each issuer.
    pub path: Vec<usize>,
    pub end: ChainEnd,
    /// Certificates of the file that are not on the path (duplicates, strays), in file order.
    pub unused: Vec<usize>,
}

impl Chain {
    /// The path is exactly the file's certificates in file order.
    pub(crate) fn in_file_order(&self) -> bool {
        self.unused.is_empty() && self.path.iter().enumerate().all(|(i, p)| i == *p)
    }
}

/// Builds the chain of `certs` (non-empty, in file order). `None` only for no certificates.
pub(crate) fn build(certs: &[ParsedCert]) -> Option<Chain> {
    let leaf = find_leaf(certs)?;
    let mut used = vec![false; certs.len()];
    let mut path = vec![leaf];
    set(&mut used, leaf);
    // A public root may already vouch for a certificate below the top of what the file holds
    // (cross-signed roots ship in many bundles); it counts only if the file's own path breaks.
    let mut public_root = PublicRoot::NotPublic;
    let end = loop {
        let Some(current) = path.last().and_then(|i| certs.get(*i)) else {
            break ChainEnd::MissingIssuer {
                subject: String::new(),
                issuer: String::new(),
            };
        };
        if current.is_self_issued() {
            match verify_cert(current, &current.key) {
                // An old root self-signed with SHA-1 is still a root: its self-signature
                // proves nothing either way, trust comes from holding it.
                Ok(()) | Err(VerifyError::Unsupported(_)) if path.len() == 1 => {
                    break ChainEnd::SelfSignedLeaf
                }
                Ok(()) | Err(VerifyError::Unsupported(_)) => {
                    break ChainEnd::IncludedRoot {
                        subject: current.subject(),
                    }
                }
                Err(VerifyError::Invalid) => {}
            }
        }
        if !matches!(public_root, PublicRoot::Signed { .. }) {
            let verdict = public_root_issuing(current);
            if verdict != PublicRoot::NotPublic {
                public_root = verdict;
            }
        }
        match find_issuer(certs, &used, current) {
            Ok(next) => {
                let Some(issuer) = certs.get(next) else {
                    break ChainEnd::MissingIssuer {
                        subject: current.subject(),
                        issuer: current.issuer(),
                    };
                };
                if !issuer.may_issue() {
                    break ChainEnd::NotCa {
                        subject: issuer.subject(),
                    };
                }
                set(&mut used, next);
                path.push(next);
            }
            Err(broken) => {
                break match public_root {
                    PublicRoot::Signed { root } => ChainEnd::PublicRoot { root },
                    PublicRoot::Unsupported { algorithm } if is_missing(&broken) => {
                        ChainEnd::Unsupported {
                            subject: current.subject(),
                            algorithm,
                        }
                    }
                    _ => broken,
                }
            }
        }
    };
    let unused = (0..certs.len())
        .filter(|i| !used.get(*i).copied().unwrap_or(true))
        .collect();
    Some(Chain { path, end, unused })
}

fn is_missing(end: &ChainEnd) -> bool {
    matches!(end, ChainEnd::MissingIssuer { .. })
}

fn set(used: &mut [bool], i: usize) {
    if let Some(slot) = used.get_mut(i) {
        *slot = true;
    }
}

/// The certificate of the file that issued `child`, verified; or why there is none.
fn find_issuer(certs: &[ParsedCert], used: &[bool], child: &ParsedCert) -> Result<usize, ChainEnd> {
    let mut failure = None;
    for (i, candidate) in certs.iter().enumerate() {
        if used.get(i).copied().unwrap_or(true) || candidate.subject_value != child.issuer_value {
            continue;
        }
        match verify_cert(child, &candidate.key) {
            Ok(()) => return Ok(i),
            Err(e) => {
                failure.get_or_insert(e);
            }
        }
    }
    Err(match failure {
        Some(VerifyError::Unsupported(algorithm)) => ChainEnd::Unsupported {
            subject: child.subject(),
            algorithm,
        },
        Some(VerifyError::Invalid) => ChainEnd::BadSignature {
            subject: child.subject(),
            issuer: child.issuer(),
        },
        None if child.is_self_issued() => ChainEnd::BadSignature {
            subject: child.subject(),
            issuer: child.issuer(),
        },
        None => ChainEnd::MissingIssuer {
            subject: child.subject(),
            issuer: child.issuer(),
        },
    })
}

/// The server certificate: one that issued no other certificate of the file, preferring an
/// end-entity (non-CA) certificate, and the earliest in the file. A file of only roots still
/// gets a "leaf" (its lowest certificate) so the report can say what is wrong with it.
fn find_leaf(certs: &[ParsedCert]) -> Option<usize> {
    let issues_another = |i: usize, c: &ParsedCert| {
        certs.iter().enumerate().any(|(j, other)| {
            j != i && !other.is_self_issued() && other.issuer_value == c.subject_value
        })
    };
    let bottom: Vec<usize> = certs
        .iter()
        .enumerate()
        .filter(|(i, c)| !issues_another(*i, c))
        .map(|(i, _)| i)
        .collect();
    let end_entity = bottom.iter().copied().find(|i| {
        certs
            .get(*i)
            .is_some_and(|c| !c.may_issue() || c.version() < 3)
    });
    end_entity
        .or_else(|| bottom.first().copied())
        .or_else(|| (!certs.is_empty()).then_some(0))
}
