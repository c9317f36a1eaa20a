//! Alibaba Cloud credentials, read on the bootstrap machine only: the environment
//! (`ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`,
//! `ALIBABA_CLOUD_SECURITY_TOKEN`), then the Alibaba Cloud CLI's profile file
//! (`~/.aliyun/config.json`, profile `ALIBABA_CLOUD_PROFILE` or the file's current one) in its
//! `AK` and `StsToken` modes. They sign requests to Alibaba Cloud and are never sent anywhere
//! else, logged or written to the state file.

use std::fmt;
use std::path::PathBuf;

use serde::Deserialize;

#[derive(Clone)]
pub struct Credentials {
    pub access_key_id: String,
    pub access_key_secret: String,
    pub security_token: Option<String>,
    /// Where they came from, for messages.
    pub source: String,
}

impl fmt::Debug for Credentials {
    // The secret and the token never reach a log, even a debug one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

/// The CLI's `config.json`, the parts read here.
#[derive(Deserialize)]
struct CliConfig {
    #[serde(default)]
    current: String,
    #[serde(default)]
    profiles: Vec<CliProfile>,
}

#[derive(Deserialize)]
struct CliProfile {
    name: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    access_key_id: String,
    #[serde(default)]
    access_key_secret: String,
    #[serde(default)]
    sts_token: String,
}

/// Reads the chain from a given environment (a function, so tests need not change the process's).
pub fn from_chain(env: &dyn Fn(&str) -> Option<String>) -> Result<Credentials, String> {
    let get = |k: &str| {
        env(k)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    match (
        get("ALIBABA_CLOUD_ACCESS_KEY_ID"),
        get("ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
    ) {
        (Some(id), Some(secret)) => {
            return Ok(Credentials {
                access_key_id: id,
                access_key_secret: secret,
                security_token: get("ALIBABA_CLOUD_SECURITY_TOKEN"),
                source: "the environment (ALIBABA_CLOUD_ACCESS_KEY_ID)".into(),
            })
        }
        (Some(_), None) => {
            return Err(
                "ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not"
                    .into(),
            )
        }
        (None, Some(_)) => {
            return Err(
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET is set but ALIBABA_CLOUD_ACCESS_KEY_ID is not"
                    .into(),
            )
        }
        (None, None) => {}
    }
    let Some(home) = get("HOME") else {
        return Err(none_found());
    };
    let path = PathBuf::from(home).join(".aliyun").join("config.json");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(none_found()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let config: CliConfig = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{} is not the Alibaba Cloud CLI's configuration: {e}",
            path.display()
        )
    })?;
    let wanted = get("ALIBABA_CLOUD_PROFILE").unwrap_or_else(|| match config.current.as_str() {
        "" => "default".to_owned(),
        current => current.to_owned(),
    });
    let profile = config
        .profiles
        .iter()
        .find(|p| p.name == wanted)
        .ok_or_else(|| format!("{} has no profile named {wanted}", path.display()))?;
    let token = match profile.mode.as_str() {
        "AK" | "" => None,
        "StsToken" => Some(profile.sts_token.clone()).filter(|t| !t.is_empty()),
        other => {
            return Err(format!(
                "the profile {wanted} in {} uses the {other} mode; this toolkit reads AK and StsToken profiles, or set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                path.display()
            ))
        }
    };
    if profile.access_key_id.is_empty() || profile.access_key_secret.is_empty() {
        return Err(format!(
            "the profile {wanted} in {} has no access_key_id or access_key_secret",
            path.display()
        ));
    }
    Ok(Credentials {
        access_key_id: profile.access_key_id.clone(),
        access_key_secret: profile.access_key_secret.clone(),
        security_token: token,
        source: format!("profile {wanted} in {}", path.display()),
    })
}

fn none_found() -> String {
    "no Alibaba Cloud credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN for an STS token) to the RAM user's AccessKey, or configure the Alibaba Cloud CLI (`aliyun configure`)".into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn the_environment_comes_first_and_half_a_pair_is_named() {
        let c = from_chain(&env_of(&[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5t"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s3cret"),
            ("ALIBABA_CLOUD_SECURITY_TOKEN", "tok"),
        ]))
        .unwrap();
        assert_eq!(c.access_key_id, "LTAI5t");
        assert_eq!(c.security_token.as_deref(), Some("tok"));
        assert!(!format!("{c:?}").contains("s3cret"));
        let e = from_chain(&env_of(&[("ALIBABA_CLOUD_ACCESS_KEY_ID", "x")])).unwrap_err();
        assert!(e.contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET is not"), "{e}");
        let e = from_chain(&env_of(&[])).unwrap_err();
        assert!(e.contains("no Alibaba Cloud credentials"), "{e}");
    }

    #[test]
    fn the_cli_profile_file_is_read_in_ak_and_sts_modes_only() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().to_str().unwrap().to_owned();
        std::fs::create_dir_all(dir.path().join(".aliyun")).unwrap();
        std::fs::write(
            dir.path().join(".aliyun/config.json"),
            r#"{"current":"work","profiles":[
                {"name":"work","mode":"StsToken","access_key_id":"STS.a","access_key_secret":"b","sts_token":"t"},
                {"name":"plain","mode":"AK","access_key_id":"LTAI","access_key_secret":"c"},
                {"name":"sso","mode":"CloudSSO"}]}"#,
        )
        .unwrap();
        let c = from_chain(&env_of(&[("HOME", &home)])).unwrap();
        assert_eq!(
            (c.access_key_id.as_str(), c.security_token.as_deref()),
            ("STS.a", Some("t"))
        );
        let c = from_chain(&env_of(&[
            ("HOME", &home),
            ("ALIBABA_CLOUD_PROFILE", "plain"),
        ]))
        .unwrap();
        assert_eq!((c.access_key_id.as_str(), c.security_token), ("LTAI", None));
        let e = from_chain(&env_of(&[
            ("HOME", &home),
            ("ALIBABA_CLOUD_PROFILE", "sso"),
        ]))
        .unwrap_err();
        assert!(e.contains("CloudSSO mode"), "{e}");
        let e = from_chain(&env_of(&[
            ("HOME", &home),
            ("ALIBABA_CLOUD_PROFILE", "nope"),
        ]))
        .unwrap_err();
        assert!(e.contains("no profile named nope"), "{e}");
    }
}
