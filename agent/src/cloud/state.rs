//! The local state file of one deployment: the IDs of the resources made so far, keyed as the plan
//! keys them, so a person can see what exists and a retry continues where the last run stopped.
//! It holds no credentials. It is rewritten whole (to a temporary file, then renamed) after every
//! resource, so a `kill -9` leaves either the old or the new version, never half of one.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub deployment_id: String,
    pub cloud: String,
    pub region: String,
    /// Plan key → the provider's ID (or ARN).
    pub ids: BTreeMap<String, String>,
    /// Facts learnt on the way: the account, the load balancer's address, the key pair's file.
    pub facts: BTreeMap<String, String>,
}

pub struct Store {
    path: PathBuf,
}

impl Store {
    pub fn new(dir: &Path, deployment_id: &str) -> Store {
        Store {
            path: dir.join(format!("deployment-{deployment_id}.json")),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The state so far, or an empty one for a first run.
    pub fn load(&self, deployment_id: &str, cloud: &str, region: &str) -> Result<State, String> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => {
                let state: State = serde_json::from_str(&text).map_err(|e| {
                    format!(
                        "{} is not a state file this toolkit can read ({e}); move it away to start over",
                        self.path.display()
                    )
                })?;
                if state.deployment_id != deployment_id {
                    return Err(format!(
                        "{} belongs to deployment {}, not {deployment_id}",
                        self.path.display(),
                        state.deployment_id
                    ));
                }
                Ok(state)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State {
                deployment_id: deployment_id.to_owned(),
                cloud: cloud.to_owned(),
                region: region.to_owned(),
                ..State::default()
            }),
            Err(e) => Err(format!("cannot read {}: {e}", self.path.display())),
        }
    }

    pub fn save(&self, state: &State) -> Result<(), String> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let tmp = self.path.with_extension("json.tmp");
        let text = serde_json::to_string_pretty(state).map_err(|e| e.to_string())?;
        let write = || -> std::io::Result<()> {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
            std::fs::rename(&tmp, &self.path)
        };
        write().map_err(|e| format!("cannot write {}: {e}", self.path.display()))
    }

    /// Writes a secret only this user may read (the key pair's private key).
    pub fn save_private(&self, name: &str, contents: &str) -> Result<PathBuf, String> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let path = dir.join(name);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut f = options
            .open(&path)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        f.write_all(contents.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_survives_a_round_trip_and_refuses_another_deployments_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path(), "d1");
        let mut state = store.load("d1", "aws", "us-east-1").unwrap();
        assert!(state.ids.is_empty());
        state.ids.insert("vpc".into(), "vpc-1".into());
        store.save(&state).unwrap();
        assert_eq!(store.load("d1", "aws", "us-east-1").unwrap(), state);
        std::fs::copy(store.path(), dir.path().join("deployment-d2.json")).unwrap();
        let other = Store::new(dir.path(), "d2");
        assert!(other
            .load("d2", "aws", "us-east-1")
            .unwrap_err()
            .contains("belongs to deployment d1"));
        std::fs::write(store.path(), "{").unwrap();
        assert!(store
            .load("d1", "aws", "us-east-1")
            .unwrap_err()
            .contains("move it away"));
    }

    #[cfg(unix)]
    #[test]
    fn private_files_are_readable_by_their_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = Store::new(dir.path(), "d1")
            .save_private("k.pem", "secret")
            .unwrap();
        let mode = std::fs::metadata(path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
