//! Configuration by flag or environment variable (SPEC §11). Flags win over the environment.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

#[derive(Clone, Debug, Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "BYOC_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Directory for the database and generated files.
    #[arg(long, env = "BYOC_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// Database URL; defaults to the SQLite file `byoc.db` in the data directory.
    #[arg(long, env = "BYOC_DATABASE_URL")]
    pub database_url: Option<String>,

    /// Password of the first owner, `admin`; random and printed once when unset.
    #[arg(long, env = "BYOC_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<String>,

    /// Path of the vendor's Ed25519 public key file used to verify licences.
    #[arg(long, env = "BYOC_LICENCE_PUBLIC_KEY")]
    pub licence_public_key: Option<PathBuf>,

    /// The address the toolkit and browsers use to reach this control plane.
    #[arg(long, env = "BYOC_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Console origins allowed to call the API when the console is served from a CDN,
    /// comma-separated (e.g. `https://console.example.com`).
    #[arg(long, env = "BYOC_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,

    /// Directory holding the built console (trunk's `dist/`); non-API paths are served from it.
    #[arg(long, env = "BYOC_CONSOLE_DIR", default_value = "dist")]
    pub console_dir: PathBuf,

    /// Create a demo project with deployments and write their toolkit commands to
    /// `demo-agents.txt` in the data directory (`cargo xtask run --demo` runs them simulated).
    #[arg(long, env = "BYOC_DEMO")]
    pub demo: bool,

    /// Log line format.
    #[arg(long, env = "BYOC_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed,
    /// comma-separated addresses or CIDR ranges (e.g. `127.0.0.1,10.0.0.0/8`). Without it the
    /// socket's address is the client and those headers are ignored.
    #[arg(long, env = "BYOC_TRUSTED_PROXIES")]
    pub trusted_proxies: Option<byoc_core::forwarded::TrustedProxies>,

    /// The bearer token that reads `/metrics`; without it only clients on this machine may.
    #[arg(long, env = "BYOC_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,

    /// The toolkit binary served at `/downloads/byoc-linux-amd64`; by default `byoc` beside this
    /// server's own executable.
    #[arg(long, env = "BYOC_TOOLKIT_BINARY")]
    pub toolkit_binary: Option<PathBuf>,

    /// The sign-in throttle's unit in milliseconds: the first wait after the free attempts
    /// (waits double up to 30 units). Only tests change it, so they need not wait for seconds.
    #[arg(long, env = "BYOC_SIGN_IN_DELAY_UNIT_MS", hide = true,
          default_value_t = byoc_core::access::throttle::REAL_UNIT_MS)]
    pub sign_in_delay_unit_ms: u64,

    /// Memory in MiB for deployments list pages kept between requests (each under the
    /// project's change count, so never stale); 0 keeps none.
    #[arg(long, env = "BYOC_PAGE_CACHE_MIB", default_value_t = 32)]
    pub page_cache_mib: usize,
}

/// The first owner's password in [`Config::for_tests`].
pub const TEST_ADMIN_PASSWORD: &str = "test-owner-passphrase-1";

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines with key=value fields.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

impl Config {
    /// The database URL in force: the explicit one, or SQLite in the data directory.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join("byoc.db").display()),
        }
    }

    /// The URL people and the toolkit use, for messages and generated commands.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.addr),
        }
    }

    /// The proxies whose `X-Forwarded-*` headers are believed; none unless configured.
    pub fn trusted_proxies(&self) -> &[byoc_core::forwarded::TrustedProxy] {
        self.trusted_proxies
            .as_ref()
            .map_or(&[], byoc_core::forwarded::TrustedProxies::as_slice)
    }

    /// The toolkit binary to serve.
    pub fn toolkit_binary(&self) -> PathBuf {
        self.toolkit_binary.clone().unwrap_or_else(|| {
            std::env::current_exe()
                .ok()
                .and_then(|exe| exe.parent().map(|dir| dir.join("byoc")))
                .unwrap_or_else(|| PathBuf::from("byoc"))
        })
    }

    /// The sign-in throttle in force.
    pub fn sign_in_throttle(&self) -> byoc_core::access::throttle::Throttle {
        byoc_core::access::throttle::Throttle::with_unit_ms(self.sign_in_delay_unit_ms)
    }

    /// A configuration for tests: defaults everywhere, data in `dir`, the owner `admin` with
    /// [`TEST_ADMIN_PASSWORD`].
    pub fn for_tests(dir: &std::path::Path) -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: dir.to_path_buf(),
            database_url: None,
            admin_password: Some(TEST_ADMIN_PASSWORD.to_owned()),
            licence_public_key: None,
            public_url: None,
            cors_origins: Vec::new(),
            console_dir: dir.join("dist"),
            log_format: LogFormat::Text,
            demo: false,
            trusted_proxies: None,
            toolkit_binary: None,
            metrics_token: None,
            // A millisecond: the same rule, without tests waiting seconds for it.
            sign_in_delay_unit_ms: 1,
            page_cache_mib: 32,
        }
    }
}
