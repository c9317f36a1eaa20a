//! Harness for end-to-end tests: the real control plane on a free port serving the built console,
//! ChromeDriver on another, and a headless Chromium session driven through WebDriver.

use std::net::TcpListener as StdListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

pub struct Harness {
    pub base: String,
    pub browser: Client,
    driver: Child,
    _data: tempfile::TempDir,
    server: tokio::task::JoinHandle<()>,
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn console_dir() -> PathBuf {
    let dir = std::env::var_os("BYOC_E2E_CONSOLE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist"));
    assert!(
        dir.join("index.html").is_file(),
        "no built console at {}: run `cargo xtask test` (it builds it with trunk)",
        dir.display()
    );
    dir
}

impl Harness {
    pub async fn start() -> Harness {
        let data = tempfile::tempdir().unwrap();
        let mut config = byoc_server::config::Config::for_tests(data.path());
        config.console_dir = console_dir();
        let state = byoc_server::prepare(config).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let app = byoc_server::app(state);
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });

        let chromedriver =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let port = free_port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {chromedriver}: {e}"));

        let mut caps = Capabilities::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--no-first-run", "--window-size=1280,900", "--lang=en-US"]
            }),
        );
        let webdriver = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        let browser = loop {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&webdriver)
                .await
            {
                Ok(client) => break client,
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("cannot open a browser session through {chromedriver}: {e}"),
            }
        };
        Harness {
            base,
            browser,
            driver,
            _data: data,
            server,
        }
    }

    pub async fn open(&self, path: &str) {
        self.browser
            .goto(&format!("{}{}", self.base, path))
            .await
            .unwrap();
    }

    /// Waits (up to 20 s) until the element's text contains `needle`, and returns that text.
    pub async fn wait_for_text(&self, css: &str, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Ok(el) = self.browser.find(Locator::Css(css)).await {
                last = el.text().await.unwrap_or_default();
                if last.contains(needle) {
                    return last;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("`{css}` never contained {needle:?}; last text: {last:?}");
    }

    pub async fn stop(mut self) {
        let _ = self.browser.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        self.server.abort();
    }
}
