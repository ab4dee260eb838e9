//! Test fixture: a private MariaDB server shared by every test of a run (started on first use),
//! one fresh database per test, and helpers that run the real `crmit` binary — as a command and as
//! a CGI program with the environment Apache would give it.
// Every test binary compiles this whole module and each uses a different part of it.
#![allow(dead_code)]

pub mod apache;
pub mod api;
pub mod browser;
pub mod db;
pub mod fixture;
pub mod form;
pub mod mail;
pub mod mariadb;
pub mod smtp;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub use mariadb::{ADMIN_PASSWORD, ADMIN_USER};

/// Path of the binary under test (built by cargo for the integration tests).
/// The site's "today" in the tests' `site.time_zone` (Asia/Barnaul, UTC+7), as the pages compute
/// it: from 17:00 UTC on it is a day ahead of UTC's.
pub fn site_today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Barnaul)
        .date_naive()
}

pub fn crmit_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_crmit"))
}

/// One test's database and config directory. The database is dropped when it goes out of scope.
pub struct TestDb {
    pub name: String,
    pub dir: tempfile::TempDir,
    pub config_path: PathBuf,
}

impl TestDb {
    /// An empty database and a `crmit.toml` pointing at it.
    pub fn empty() -> TestDb {
        let server = mariadb::server();
        let name = mariadb::fresh_database_name();
        let mut root = server.admin_conn();
        mysql::prelude::Queryable::query_drop(
            &mut root,
            format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"),
        )
        .expect("create test database");
        let dir = tempfile::Builder::new()
            .prefix("crmit-test-")
            .tempdir()
            .expect("tempdir");
        let config_path = dir.path().join("crmit.toml");
        std::fs::write(&config_path, config_text(&server.socket, &name, "")).expect("write config");
        TestDb {
            name,
            dir,
            config_path,
        }
    }

    /// A database after `crmit migrate`.
    pub fn migrated() -> TestDb {
        let db = TestDb::empty();
        db.crmit_ok(&["migrate"]);
        db
    }

    /// A migrated database with the stub models and the demo passwords (`12`, student `31082002`).
    pub fn seeded() -> TestDb {
        let db = TestDb::migrated();
        db.crmit_ok(&["seed-stub-models", "--demo-passwords"]);
        db
    }

    pub fn conn(&self) -> mysql::Conn {
        mariadb::server().conn(&self.name)
    }

    /// Rewrites one line of the config (`key = value` under its section is appended to the file end
    /// when `section` is new). Used by tests that need a setting other than the default.
    pub fn append_config(&self, text: &str) {
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&self.config_path)
            .unwrap();
        writeln!(f, "{text}").unwrap();
    }

    /// Writes the config again as the harness does, with `extra` (whole sections) at its end: for
    /// tests that switch a section between runs, which appending cannot do.
    pub fn rewrite_config(&self, extra: &str) {
        let text = config_text(&mariadb::server().socket, &self.name, extra);
        std::fs::write(&self.config_path, text).expect("write config");
    }

    /// Runs `crmit --config <this db's config> ARGS`.
    pub fn crmit(&self, args: &[&str]) -> Output {
        self.crmit_with_stdin(args, "")
    }

    pub fn crmit_with_stdin(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = Command::new(crmit_bin())
            .arg("--config")
            .arg(&self.config_path)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn crmit");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().expect("wait crmit")
    }

    /// Like `crmit`, panicking with the output when the command fails.
    pub fn crmit_ok(&self, args: &[&str]) -> String {
        let out = self.crmit(args);
        assert!(
            out.status.success(),
            "crmit {args:?} failed: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs the binary once as a CGI program, the way Apache does after the htaccess rewrite.
    pub fn cgi(&self, req: &CgiRequest) -> CgiResponse {
        run_cgi(&self.config_path, req)
    }

    /// Loads the original's schema (`tests/fixtures/original_schema.sql`, its Alembic head
    /// 2c04d7e752c7 with the `alembic_version` row) the way `mariadb < file` would.
    pub fn load_original_schema(&self) {
        let sql = include_str!("../fixtures/original_schema.sql");
        // The file has no `--` or `;` inside string literals, so dropping comments and splitting
        // is exact.
        let without_comments: String = sql
            .lines()
            .map(|l| l.split("--").next().unwrap())
            .collect::<Vec<_>>()
            .join("\n");
        let mut conn = self.conn();
        for statement in without_comments
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            mysql::prelude::Queryable::query_drop(&mut conn, statement)
                .unwrap_or_else(|e| panic!("loading original_schema.sql: {e}\n{statement}"));
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return; // keep the database for a look after a failure
        }
        let mut root = mariadb::server().admin_conn();
        let _ = mysql::prelude::Queryable::query_drop(
            &mut root,
            format!("DROP DATABASE `{}`", self.name),
        );
    }
}

/// The config file the tests use: fixed secrets so cookies can be reasoned about, read-only
/// developer mode on (the default), plus `extra` lines.
pub fn config_text(socket: &Path, database: &str, extra: &str) -> String {
    format!(
        r#"[database]
url = "mysql://{ADMIN_USER}:{ADMIN_PASSWORD}@localhost/{database}"
socket = "{socket}"

[security]
secret_key = "test-secret-key-0123456789abcdef0123456789abcdef"
access_token_salt = "test-access-token-salt"
developer_read_only = true

[site]
url_prefix = ""
time_zone = "Asia/Barnaul"
max_body_bytes = 65536
{extra}"#,
        socket = socket.display()
    )
}

/// One CGI request. `path` may carry a query string after `?`.
#[derive(Debug, Clone, Default)]
pub struct CgiRequest {
    pub method: String,
    pub path: String,
    pub cookies: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub content_type: Option<String>,
    pub headers: Vec<(String, String)>,
    /// Extra environment variables of the CGI process (the fixed clock, say).
    pub env: Vec<(String, String)>,
}

impl CgiRequest {
    pub fn get(path: &str) -> CgiRequest {
        CgiRequest {
            method: "GET".into(),
            path: path.into(),
            ..Default::default()
        }
    }

    /// A form POST; `fields` are url-encoded here.
    pub fn post_form(path: &str, fields: &[(&str, &str)]) -> CgiRequest {
        CgiRequest {
            method: "POST".into(),
            path: path.into(),
            body: serde_urlencoded::to_string(fields).unwrap().into_bytes(),
            content_type: Some("application/x-www-form-urlencoded".into()),
            ..Default::default()
        }
    }

    pub fn post_raw(path: &str, content_type: &str, body: &[u8]) -> CgiRequest {
        CgiRequest {
            method: "POST".into(),
            path: path.into(),
            body: body.to_vec(),
            content_type: Some(content_type.into()),
            ..Default::default()
        }
    }

    pub fn with_cookies(mut self, jar: &CookieJar) -> CgiRequest {
        self.cookies = jar.0.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> CgiRequest {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The request as it comes from `address` (REMOTE_ADDR; 127.0.0.1 otherwise).
    pub fn coming_from(mut self, address: &str) -> CgiRequest {
        self.env.push(("REMOTE_ADDR".into(), address.into()));
        self
    }

    /// The request as the binary answers it at `utc` (`YYYY-MM-DD HH:MM:SS`), its fixed clock.
    pub fn at(mut self, utc: &str) -> CgiRequest {
        self.env.push(("CRMIT_NOW".into(), utc.into()));
        self
    }
}

#[derive(Debug, Clone)]
pub struct CgiResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub stderr: String,
}

impl CgiResponse {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn set_cookies(&self) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn location(&self) -> Option<&str> {
        self.header("location")
    }
}

/// A browser's cookie jar, reduced to what the tests need: name → value, updated from Set-Cookie.
#[derive(Debug, Clone, Default)]
pub struct CookieJar(pub BTreeMap<String, String>);

impl CookieJar {
    pub fn update(&mut self, resp: &CgiResponse) {
        for sc in resp.set_cookies() {
            let first = sc.split(';').next().unwrap_or("");
            if let Some((name, value)) = first.split_once('=') {
                let expired = sc.to_ascii_lowercase().contains("max-age=0");
                if expired || value.is_empty() {
                    self.0.remove(name.trim());
                } else {
                    self.0
                        .insert(name.trim().to_string(), value.trim().to_string());
                }
            }
        }
    }
}

/// Runs the binary with a CGI environment and parses `Status:` + headers + body from its output.
pub fn run_cgi(config_path: &Path, req: &CgiRequest) -> CgiResponse {
    let out = spawn_cgi(config_path, req)
        .wait_with_output()
        .expect("wait CGI");
    parse_cgi_output(
        &out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Starts the binary as a CGI program with the request's body already written to it; the fault
/// tests kill it mid-way, the others wait for it through `run_cgi`.
pub fn spawn_cgi(config_path: &Path, req: &CgiRequest) -> std::process::Child {
    let (path, query) = req.path.split_once('?').unwrap_or((&req.path, ""));
    let mut cmd = Command::new(crmit_bin());
    cmd.env_clear()
        .env("GATEWAY_INTERFACE", "CGI/1.1")
        .env("SERVER_PROTOCOL", "HTTP/1.1")
        .env("SERVER_SOFTWARE", "test")
        .env("REQUEST_METHOD", &req.method)
        .env("SCRIPT_NAME", "/cgi-bin/crmit")
        .env("PATH_INFO", path)
        .env("QUERY_STRING", query)
        .env("REQUEST_URI", &req.path)
        .env("REMOTE_ADDR", "127.0.0.1")
        .env("SERVER_NAME", "localhost")
        .env("SERVER_PORT", "80")
        .env("HTTP_HOST", "localhost")
        .env("HTTP_USER_AGENT", "crmit-tests")
        .env("CONTENT_LENGTH", req.body.len().to_string())
        .env("REDIRECT_CRMIT_CONFIG", config_path);
    if let Some(ct) = &req.content_type {
        cmd.env("CONTENT_TYPE", ct);
    }
    if !req.cookies.is_empty() {
        let header: Vec<String> = req
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        cmd.env("HTTP_COOKIE", header.join("; "));
    }
    for (name, value) in &req.headers {
        cmd.env(
            format!("HTTP_{}", name.to_ascii_uppercase().replace('-', "_")),
            value,
        );
    }
    cmd.envs(req.env.iter().map(|(k, v)| (k, v)));
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn crmit as CGI");
    let mut stdin = child.stdin.take().unwrap();
    let _ = stdin.write_all(&req.body); // the binary may refuse a body before reading it
    drop(stdin);
    child
}

pub fn parse_cgi_output(raw: &[u8], stderr: String) -> CgiResponse {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| {
            panic!(
                "no header end in CGI output: {:?}\nstderr: {stderr}",
                String::from_utf8_lossy(raw)
            )
        });
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let body = raw[split + 4..].to_vec();
    let mut status = 200;
    let mut headers = Vec::new();
    for line in head.split("\r\n") {
        let (name, value) = line.split_once(':').expect("header line");
        let value = value.trim().to_string();
        if name.eq_ignore_ascii_case("status") {
            status = value[..3].parse().expect("status code");
        } else {
            headers.push((name.to_string(), value));
        }
    }
    CgiResponse {
        status,
        headers,
        body,
        stderr,
    }
}

/// Pulls the hidden CSRF token out of a rendered form.
pub fn csrf_token(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("no csrf_token in page:\n{html}"))
        + marker.len();
    let end = html[start..].find('"').unwrap() + start;
    html[start..end].to_string()
}

/// A logged-in web client over CGI: keeps cookies between requests.
pub struct WebClient<'a> {
    pub db: &'a TestDb,
    pub jar: CookieJar,
    /// The fixed clock of every request, when set (see [`CgiRequest::at`]).
    pub clock: Option<String>,
    /// The address every request comes from, when set (see [`CgiRequest::coming_from`]).
    pub address: Option<String>,
}

impl<'a> WebClient<'a> {
    pub fn new(db: &'a TestDb) -> WebClient<'a> {
        WebClient {
            db,
            jar: CookieJar::default(),
            clock: None,
            address: None,
        }
    }

    /// A visitor whose requests come from `address` (REMOTE_ADDR).
    pub fn coming_from(self, address: &str) -> WebClient<'a> {
        WebClient {
            address: Some(address.into()),
            ..self
        }
    }

    pub fn send(&mut self, req: CgiRequest) -> CgiResponse {
        let req = match &self.clock {
            Some(utc) => req.at(utc),
            None => req,
        };
        let req = match &self.address {
            Some(address) => req.coming_from(address),
            None => req,
        };
        let resp = self.db.cgi(&req.with_cookies(&self.jar));
        self.jar.update(&resp);
        resp
    }

    pub fn get(&mut self, path: &str) -> CgiResponse {
        self.send(CgiRequest::get(path))
    }

    /// GETs `form_page`, takes its CSRF token and POSTs `fields` plus the token to `action`.
    pub fn submit(
        &mut self,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> CgiResponse {
        let page = self.get(form_page);
        let token = csrf_token(&page.text());
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &token));
        self.send(CgiRequest::post_form(action, &all))
    }

    /// Logs in through the login form; panics unless it redirects.
    pub fn login(db: &'a TestDb, login: &str, password: &str) -> WebClient<'a> {
        WebClient::new(db).log_in(login, password)
    }

    /// Logs in with the binary's clock fixed at `utc`, kept for every later request.
    pub fn login_at(db: &'a TestDb, utc: &str, login: &str, password: &str) -> WebClient<'a> {
        let client = WebClient {
            clock: Some(utc.into()),
            ..WebClient::new(db)
        };
        client.log_in(login, password)
    }

    fn log_in(self, login: &str, password: &str) -> WebClient<'a> {
        let mut client = self;
        let resp = client.submit(
            "/users/login",
            "/users/login",
            &[("login", login), ("password", password)],
        );
        assert_eq!(resp.status, 302, "login as {login} failed: {}", resp.text());
        client
    }
}
