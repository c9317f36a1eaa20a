//! A throwaway PostgreSQL server for the test suite: Debian's package (installed when missing),
//! a fresh cluster under the target directory on a free local port, stopped and removed when the
//! handle is dropped. `BYOC_TEST_POSTGRES` naming a server already running skips all of it.
//!
//! The cluster takes only TLS connections, with a certificate of a certificate authority made
//! for it (openssl), and the URL asks for `sslmode=verify-full` against that authority: every
//! test on PostgreSQL reaches it the way a managed database in a cloud is reached. The role
//! `byoc_cert` must also present a client certificate of that authority.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools;

/// The environment variable the server's tests read (`server/tests/common`).
pub const ENV: &str = "BYOC_TEST_POSTGRES";

pub struct Postgres {
    /// A URL the tests connect to as the cluster's superuser `byoc`.
    pub url: String,
    /// The cluster this handle started (none when `BYOC_TEST_POSTGRES` was given).
    cluster: Option<Cluster>,
}

struct Cluster {
    bin: PathBuf,
    data: PathBuf,
    /// PostgreSQL refuses to run as root: the cluster then belongs to the `postgres` user.
    run_as: Option<&'static str>,
}

impl Cluster {
    fn command(&self, program: &str) -> Command {
        let exe = self.bin.join(program);
        match self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(exe);
                c
            }
            None => Command::new(exe),
        }
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if let Some(c) = &self.cluster {
            let _ = c
                .command("pg_ctl")
                .arg("-D")
                .arg(&c.data)
                .args(["-m", "immediate", "-w", "stop"])
                .output();
            let _ = std::fs::remove_dir_all(&c.data);
        }
    }
}

/// A running server: the one `BYOC_TEST_POSTGRES` names, or a fresh local cluster.
pub fn start() -> Result<Postgres, String> {
    if let Some(url) = std::env::var(ENV).ok().filter(|v| !v.is_empty()) {
        println!("PostgreSQL: using {ENV}");
        return Ok(Postgres { url, cluster: None });
    }
    let bin = match bin_dir() {
        Some(bin) => bin,
        None => {
            install()?;
            bin_dir().ok_or("PostgreSQL was installed but its programs were not found")?
        }
    };
    let run_as = is_root().then_some("postgres");
    let data = tools::target_dir().join("postgres-test");
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).map_err(|e| format!("{}: {e}", data.display()))?;
    let cluster = Cluster { bin, data, run_as };
    if let Some(user) = run_as {
        chown(&cluster.data, user)?;
    }
    run(cluster
        .command("initdb")
        .arg("-D")
        .arg(&cluster.data)
        .args(["-U", "byoc", "-A", "trust", "--no-sync", "-E", "UTF8"]))?;
    let ca = certificates(&cluster.data, run_as)?;
    // TCP connections must be TLS (hostssl); the socket directory stays for pg_ctl itself.
    std::fs::write(
        cluster.data.join("pg_hba.conf"),
        // The role `byoc_cert` must also present a client certificate of the authority (`cert`).
        "local all all trust\nhostssl all byoc_cert 127.0.0.1/32 cert\n\
         hostssl all all 127.0.0.1/32 trust\n",
    )
    .map_err(|e| format!("pg_hba.conf: {e}"))?;
    let port = free_port()?;
    let options = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
         -c full_page_writes=off -c max_connections=400 -c ssl=on -c ssl_cert_file=server.crt \
         -c ssl_key_file=server.key -c ssl_ca_file=ca.crt",
        cluster.data.display()
    );
    let log = cluster.data.join("server.log");
    let started = run(cluster
        .command("pg_ctl")
        .arg("-D")
        .arg(&cluster.data)
        .arg("-l")
        .arg(&log)
        .args(["-w", "-o", &options, "start"]));
    if let Err(e) = started {
        let tail = std::fs::read_to_string(&log).unwrap_or_default();
        return Err(format!("{e}\n{tail}"));
    }
    println!("PostgreSQL: a fresh cluster on 127.0.0.1:{port}, TLS only");
    let url = format!(
        "postgres://byoc@127.0.0.1:{port}/postgres?sslmode=verify-full&sslrootcert={}",
        ca.display()
    );
    // The role that signs in with its certificate (`client.crt` beside the authority's).
    run(Command::new(cluster.bin.join("psql")).args([
        &url,
        "-q",
        "-c",
        "CREATE ROLE byoc_cert LOGIN SUPERUSER",
    ]))?;
    Ok(Postgres {
        url,
        cluster: Some(cluster),
    })
}

/// A certificate authority and the server's certificate for 127.0.0.1 signed by it, in `data`
/// (the key readable by the cluster's owner alone, as PostgreSQL demands): the authority's
/// certificate, which clients verify the server against. Beside it, `client.crt` and `client.key`
/// for the role `byoc_cert`, which may sign in only with them.
fn certificates(data: &Path, owner: Option<&str>) -> Result<PathBuf, String> {
    // Arguments split at spaces: none of them holds one.
    let openssl = |args: &str| {
        run(Command::new("openssl")
            .current_dir(data)
            .args(args.split_whitespace()))
    };
    let p256 = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";
    let ca = data.join("ca.crt");
    openssl(&format!(
        "req -x509 {p256} -keyout ca.key -out ca.crt -days 2 -subj /CN=byoc-test-CA \
         -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign"
    ))?;
    // A certificate of the authority: `<name>.key`, `<name>.crt`.
    let issue = |name: &str, subject: &str, extensions: &str| {
        openssl(&format!(
            "req {p256} -keyout {name}.key -out {name}.csr -subj /CN={subject}"
        ))?;
        std::fs::write(data.join(format!("{name}.ext")), extensions)
            .map_err(|e| format!("{name}.ext: {e}"))?;
        openssl(&format!(
            "x509 -req -in {name}.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out {name}.crt \
             -days 2 -extfile {name}.ext"
        ))
    };
    issue(
        "server",
        "127.0.0.1",
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )?;
    // The role `byoc_cert`'s, which pg_hba.conf lets in only with it.
    issue(
        "client",
        "byoc_cert",
        "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n",
    )?;
    for key in ["server.key", "client.key"] {
        run(Command::new("chmod").arg("600").arg(data.join(key)))?;
    }
    if let Some(user) = owner {
        for file in ["server.key", "server.crt", "ca.crt"] {
            run(Command::new("chown")
                .arg(format!("{user}:"))
                .arg(data.join(file)))?;
        }
    }
    Ok(ca)
}

impl Postgres {
    /// A URL of database `name` on this server, made empty (dropped if there, then created) by
    /// psql, which connects as the tests do.
    pub fn fresh_database(&self, name: &str) -> Result<String, String> {
        let url = with_database(&self.url, name)?;
        let psql = self
            .cluster
            .as_ref()
            .map_or_else(|| PathBuf::from("psql"), |c| c.bin.join("psql"));
        run(Command::new(psql).args([
            &self.url,
            "-q",
            "-c",
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            "-c",
            &format!("CREATE DATABASE {name}"),
        ]))?;
        Ok(url)
    }
}

/// `url` naming database `name` instead of its own (`scheme://authority/NAME?params`).
fn with_database(url: &str, name: &str) -> Result<String, String> {
    let (scheme, rest) = url.split_once("://").ok_or("not a URL")?;
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, after) = rest.split_at(authority_end);
    let params = after.find('?').map_or("", |i| &after[i..]);
    Ok(format!("{scheme}://{authority}/{name}{params}"))
}

/// The newest installed server's programs (Debian keeps them in /usr/lib/postgresql/N/bin).
fn bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("pg_ctl").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn install() -> Result<(), String> {
    if !is_root() {
        return Err(format!(
            "PostgreSQL is not installed: install Debian's `postgresql` package, or set {ENV} to a \
             server's URL"
        ));
    }
    println!("PostgreSQL: installing Debian's package");
    run(Command::new("apt-get")
        .args(["install", "-y", "--no-install-recommends", "postgresql"])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn chown(dir: &Path, user: &str) -> Result<(), String> {
    run(Command::new("chown").arg(format!("{user}:")).arg(dir))?;
    // The cluster's owner must reach it through every parent directory.
    let mut parent = dir.parent();
    while let Some(p) = parent {
        let _ = Command::new("chmod").arg("o+x").arg(p).output();
        parent = p.parent();
    }
    Ok(())
}

fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{:?} failed: {}{}",
            cmd.get_program(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn a_url_names_another_database_keeping_its_parameters() {
        let url = "postgres://byoc:pw@127.0.0.1:5432/postgres?sslmode=verify-full&sslrootcert=/x";
        assert_eq!(
            with_database(url, "other").unwrap(),
            "postgres://byoc:pw@127.0.0.1:5432/other?sslmode=verify-full&sslrootcert=/x"
        );
        assert_eq!(
            with_database("postgres://h", "other").unwrap(),
            "postgres://h/other"
        );
        assert_eq!(
            with_database("postgres://h?sslmode=require", "d").unwrap(),
            "postgres://h/d?sslmode=require"
        );
    }
}
