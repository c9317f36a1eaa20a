//! AWS credentials from the standard chain, read on the bootstrap machine only: the environment
//! (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), then the shared credentials
//! file (`AWS_SHARED_CREDENTIALS_FILE` or `~/.aws/credentials`, profile `AWS_PROFILE` or
//! `default`). They are used to sign requests to AWS and never sent anywhere else, logged or
//! written to the state file.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;

#[derive(Clone)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
    /// Where they came from, for messages ("environment", "profile default in …").
    pub source: String,
}

impl fmt::Debug for Credentials {
    // The secret and the session token never reach a log, even a debug one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

/// Reads the chain from a given environment (a function, so tests need not change the process's).
pub fn from_chain(env: &dyn Fn(&str) -> Option<String>) -> Result<Credentials, String> {
    let get = |k: &str| {
        env(k)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    match (get("AWS_ACCESS_KEY_ID"), get("AWS_SECRET_ACCESS_KEY")) {
        (Some(id), Some(secret)) => {
            return Ok(Credentials {
                access_key_id: id,
                secret_access_key: secret,
                session_token: get("AWS_SESSION_TOKEN"),
                source: "the environment (AWS_ACCESS_KEY_ID)".into(),
            })
        }
        (Some(_), None) => {
            return Err("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not".into())
        }
        (None, Some(_)) => {
            return Err("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not".into())
        }
        (None, None) => {}
    }
    let profile = get("AWS_PROFILE").unwrap_or_else(|| "default".into());
    let path = match get("AWS_SHARED_CREDENTIALS_FILE") {
        Some(p) => PathBuf::from(p),
        None => match get("HOME") {
            Some(home) => PathBuf::from(home).join(".aws").join("credentials"),
            None => return Err(none_found()),
        },
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(none_found()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let sections = parse_ini(&text);
    let Some(section) = sections.get(&profile) else {
        return Err(format!(
            "{} has no profile [{profile}] (AWS_PROFILE)",
            path.display()
        ));
    };
    let field = |k: &str| section.get(k).cloned().filter(|v| !v.is_empty());
    match (field("aws_access_key_id"), field("aws_secret_access_key")) {
        (Some(id), Some(secret)) => Ok(Credentials {
            access_key_id: id,
            secret_access_key: secret,
            session_token: field("aws_session_token"),
            source: format!("profile {profile} in {}", path.display()),
        }),
        _ => Err(format!(
            "profile [{profile}] in {} needs aws_access_key_id and aws_secret_access_key",
            path.display()
        )),
    }
}

fn none_found() -> String {
    "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials), or AWS_PROFILE with ~/.aws/credentials".into()
}

/// The shared credentials file: `[profile]` sections of `key = value` lines; `#` and `;` start
/// comments.
fn parse_ini(text: &str) -> HashMap<String, HashMap<String, String>> {
    let mut out: HashMap<String, HashMap<String, String>> = HashMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = name.trim();
            let name = name
                .strip_prefix("profile ")
                .unwrap_or(name)
                .trim()
                .to_owned();
            out.entry(name.clone()).or_default();
            current = Some(name);
        } else if let (Some(section), Some((k, v))) = (&current, line.split_once('=')) {
            out.entry(section.clone())
                .or_default()
                .insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn the_environment_comes_first_and_debug_output_hides_the_secret() {
        let c = from_chain(&env(&[
            ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
            ("AWS_SECRET_ACCESS_KEY", "very-secret"),
            ("AWS_SESSION_TOKEN", "tok-secret"),
        ]))
        .unwrap();
        assert_eq!(c.session_token.as_deref(), Some("tok-secret"));
        let shown = format!("{c:?}");
        assert!(
            shown.contains("AKIDEXAMPLE") && !shown.contains("secret"),
            "{shown}"
        );
    }

    #[test]
    fn half_a_pair_in_the_environment_is_named() {
        let e = from_chain(&env(&[("AWS_ACCESS_KEY_ID", "AKID")])).unwrap_err();
        assert!(e.contains("AWS_SECRET_ACCESS_KEY is not"), "{e}");
    }

    #[test]
    fn profiles_come_from_the_shared_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("credentials");
        std::fs::write(
            &file,
            "# comment\n[default]\naws_access_key_id = A1\naws_secret_access_key = S1\n\n[profile team]\naws_access_key_id=A2\naws_secret_access_key=S2\naws_session_token=T2\n",
        )
        .unwrap();
        let path = file.to_str().unwrap();
        let c = from_chain(&env(&[("AWS_SHARED_CREDENTIALS_FILE", path)])).unwrap();
        assert_eq!(c.access_key_id, "A1");
        let c = from_chain(&env(&[
            ("AWS_SHARED_CREDENTIALS_FILE", path),
            ("AWS_PROFILE", "team"),
        ]))
        .unwrap();
        assert_eq!(
            (c.access_key_id.as_str(), c.session_token.as_deref()),
            ("A2", Some("T2"))
        );
        let e = from_chain(&env(&[
            ("AWS_SHARED_CREDENTIALS_FILE", path),
            ("AWS_PROFILE", "nope"),
        ]))
        .unwrap_err();
        assert!(e.contains("no profile [nope]"), "{e}");
        let e = from_chain(&env(&[("HOME", dir.path().join("x").to_str().unwrap())])).unwrap_err();
        assert!(e.contains("set AWS_ACCESS_KEY_ID"), "{e}");
    }
}
