//! A private Apache httpd serving the real binary as CGI (or, with `Mode::Fcgid`, as a mod_fcgid
//! application), laid out the way a shared host would:
//!
//! ```text
//! <docroot>/.htaccess            htaccess/.htaccess from this repository
//! <docroot>/static/...           written by `crmit install-static <docroot>`
//! <docroot>/cgi-bin/.htaccess    htaccess/cgi-bin.htaccess
//! <docroot>/cgi-bin/crmit        the binary under test
//! <docroot>/cgi-bin/crmit.toml   the test database's config (found beside the binary)
//! ```
//!
//! Apache runs in the foreground on a free port of 127.0.0.1 with its own config file, log and pid
//! file in a temporary directory, and is stopped when the `ApacheSite` is dropped. Plus a small HTTP
//! client (ureq, no redirects followed, 4xx/5xx returned as responses) that keeps cookies.

use super::{CgiResponse, CookieJar, TestDb, csrf_token};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const APACHE_BIN: &str = "/usr/sbin/apache2";
pub const APACHE_MODULES: &str = "/usr/lib/apache2/modules";

/// A port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind a free port")
        .local_addr()
        .unwrap()
        .port()
}

/// The repository root (where `htaccess/` lives).
pub fn repo_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// How Apache runs the binary: a process per request (mod_cgi), or kept workers (mod_fcgid with
/// `htaccess/fcgid.htaccess` as `cgi-bin/.htaccess`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Cgi,
    Fcgid,
}

pub struct ApacheSite {
    child: Option<Child>,
    pub port: u16,
    /// Server root: config, logs, pid file, runtime dir and `docroot/`.
    pub root: tempfile::TempDir,
    pub docroot: PathBuf,
}

impl ApacheSite {
    /// Serves `db` through Apache with the binary under test.
    pub fn start(db: &TestDb) -> ApacheSite {
        ApacheSite::start_with_binary(db, &super::crmit_bin())
    }

    /// Serves `db` through Apache with another build of the binary (the benchmark uses the release one).
    pub fn start_with_binary(db: &TestDb, binary: &Path) -> ApacheSite {
        ApacheSite::start_with(db, binary, Mode::Cgi)
    }

    /// Serves `db` with the binary under test as a mod_fcgid application.
    pub fn start_fcgid(db: &TestDb) -> ApacheSite {
        ApacheSite::start_with(db, &super::crmit_bin(), Mode::Fcgid)
    }

    pub fn start_with(db: &TestDb, binary: &Path, mode: Mode) -> ApacheSite {
        assert!(
            Path::new(APACHE_BIN).exists(),
            "{APACHE_BIN} is missing: install apache2 (scripts/test does)"
        );
        // Apache's children run as www-data: everything must lie outside root's private dirs.
        let root = tempfile::Builder::new()
            .prefix("crmit-apache-")
            .tempdir_in("/tmp")
            .expect("tempdir");
        let docroot = root.path().join("docroot");
        let cgi_bin = docroot.join("cgi-bin");
        std::fs::create_dir_all(&cgi_bin).unwrap();
        std::fs::create_dir_all(root.path().join("run")).unwrap();

        let htaccess = repo_dir().join("htaccess");
        std::fs::copy(htaccess.join(".htaccess"), docroot.join(".htaccess"))
            .expect("copy htaccess/.htaccess");
        let cgi_htaccess = match mode {
            Mode::Cgi => "cgi-bin.htaccess",
            Mode::Fcgid => "fcgid.htaccess",
        };
        std::fs::copy(htaccess.join(cgi_htaccess), cgi_bin.join(".htaccess"))
            .expect("copy the cgi-bin .htaccess");
        std::fs::copy(binary, cgi_bin.join("crmit")).expect("copy the binary");
        std::fs::copy(&db.config_path, cgi_bin.join("crmit.toml")).expect("copy the config");

        let out = output_of_fresh_binary(
            Command::new(cgi_bin.join("crmit"))
                .arg("--config")
                .arg(cgi_bin.join("crmit.toml"))
                .arg("install-static")
                .arg(&docroot),
        );
        assert!(
            out.status.success(),
            "crmit install-static failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        make_world_readable(root.path());
        set_mode(&cgi_bin.join("crmit"), 0o755);

        let mut last_err = String::new();
        for _attempt in 0..5 {
            let port = free_port();
            let conf = root.path().join("httpd.conf");
            std::fs::write(&conf, httpd_conf(root.path(), &docroot, port, mode)).unwrap();
            // Its own process group: prefork signals its whole group (killpg) on shutdown and restart.
            let mut child = Command::new(APACHE_BIN)
                .process_group(0)
                .arg("-d")
                .arg(root.path())
                .arg("-f")
                .arg(&conf)
                .arg("-DFOREGROUND")
                .env_clear()
                .env(
                    "PATH",
                    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                )
                .env("LANG", "C")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(std::fs::File::create(root.path().join("stderr.log")).unwrap())
                .spawn()
                .expect("start apache2");
            match wait_ready(&mut child, port, root.path()) {
                Ok(()) => {
                    return ApacheSite {
                        child: Some(child),
                        port,
                        root,
                        docroot,
                    };
                }
                Err(e) => {
                    // Most likely another process took the port in between: try another one.
                    last_err = e;
                    let _ = child.kill();
                    let _ = child.wait();
                }
            }
        }
        panic!("Apache did not start: {last_err}");
    }

    /// `http://127.0.0.1:<port>` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url(), path)
    }

    /// A cookie-keeping HTTP client for this site.
    pub fn client(&self) -> HttpClient {
        HttpClient::new(&self.base_url())
    }

    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.root.path().join("error.log")).unwrap_or_default()
    }

    pub fn access_log(&self) -> String {
        std::fs::read_to_string(self.root.path().join("access.log")).unwrap_or_default()
    }
}

impl Drop for ApacheSite {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // SIGTERM lets the parent stop its prefork children; SIGKILL would orphan them.
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(child.id().to_string())
                .status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        if std::thread::panicking() {
            eprintln!(
                "--- Apache error log ({}) ---\n{}",
                self.root.path().display(),
                self.error_log()
            );
        }
    }
}

fn wait_ready(child: &mut Child, port: u16, root: &Path) -> Result<(), String> {
    let log = || std::fs::read_to_string(root.join("error.log")).unwrap_or_default();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let stderr = std::fs::read_to_string(root.join("stderr.log")).unwrap_or_default();
            return Err(format!("apache2 exited with {status}: {stderr}\n{}", log()));
        }
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("apache2 does not listen on {port}: {}", log()));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn httpd_conf(root: &Path, docroot: &Path, port: u16, mode: Mode) -> String {
    let m = APACHE_MODULES;
    // mod_fcgid's sockets and process table live in the private root; it creates the socket
    // directory itself (owned by the child's user).
    let fcgid = match mode {
        Mode::Cgi => String::new(),
        Mode::Fcgid => format!(
            "LoadModule fcgid_module {m}/mod_fcgid.so\n\
             FcgidIPCDir \"{root}/run/fcgid\"\n\
             FcgidProcessTableFile \"{root}/run/fcgid_shm\"\n\
             FcgidMaxProcessesPerClass 2\n",
            root = root.display()
        ),
    };
    let mime = if Path::new("/etc/mime.types").exists() {
        "TypesConfig /etc/mime.types"
    } else {
        ""
    };
    format!(
        r#"ServerRoot "{root}"
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile "{root}/httpd.pid"
DefaultRuntimeDir "{root}/run"
Mutex file:{root}/run default
ErrorLog "{root}/error.log"
LogLevel warn
LogFormat "%h \"%r\" %>s %b %D \"%{{REDIRECT_URL}}e\"" crmit
CustomLog "{root}/access.log" crmit

LoadModule mpm_prefork_module {m}/mod_mpm_prefork.so
LoadModule authz_core_module {m}/mod_authz_core.so
LoadModule rewrite_module {m}/mod_rewrite.so
LoadModule cgi_module {m}/mod_cgi.so
LoadModule mime_module {m}/mod_mime.so
LoadModule dir_module {m}/mod_dir.so
LoadModule alias_module {m}/mod_alias.so
LoadModule env_module {m}/mod_env.so
LoadModule setenvif_module {m}/mod_setenvif.so
LoadModule headers_module {m}/mod_headers.so
{fcgid}
User www-data
Group www-data
StartServers 2
MinSpareServers 2
MaxSpareServers 6
MaxRequestWorkers 32
KeepAlive On
Timeout 60

{mime}
DocumentRoot "{docroot}"
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory "{docroot}">
    AllowOverride All
    Require all granted
</Directory>
"#,
        root = root.display(),
        docroot = docroot.display(),
    )
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// Directories 0755, files 0644 (the binary is set back to 0755 afterwards).
fn make_world_readable(dir: &Path) {
    set_mode(dir, 0o755);
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        if entry.file_type().unwrap().is_dir() {
            make_world_readable(&path);
        } else {
            set_mode(&path, 0o644);
        }
    }
}

/// Every file under `dir`, as paths relative to it, sorted.
/// Runs a binary this process has just written. Another test thread that forks meanwhile holds
/// the copy's write descriptor until its child execs, and exec then fails with ETXTBSY for a
/// moment: that is retried, anything else is a failure.
fn output_of_fresh_binary(command: &mut Command) -> std::process::Output {
    for _ in 0..100 {
        match command.output() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                std::thread::sleep(Duration::from_millis(20))
            }
            result => return result.expect("run crmit install-static"),
        }
    }
    panic!("the copied binary stayed busy (ETXTBSY) for 2 s");
}

pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                out.push(path.strip_prefix(base).unwrap().to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// An HTTP response; the same type as a direct CGI run so the helpers (`text`, `header`,
/// `location`, `set_cookies`, `CookieJar::update`) apply. `stderr` is always empty.
pub type HttpResponse = CgiResponse;

/// A ureq agent that follows no redirects, returns 4xx/5xx as responses and ignores proxy settings.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .new_agent()
}

fn convert(resp: ureq::http::Response<ureq::Body>) -> HttpResponse {
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = resp
        .into_body()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_vec()
        .expect("read body");
    CgiResponse {
        status,
        headers,
        body,
        stderr: String::new(),
    }
}

/// A browser-like client: keeps cookies, follows nothing by itself.
pub struct HttpClient {
    pub agent: ureq::Agent,
    pub base: String,
    pub jar: CookieJar,
}

impl HttpClient {
    pub fn new(base: &str) -> HttpClient {
        HttpClient {
            agent: agent(),
            base: base.trim_end_matches('/').to_string(),
            jar: CookieJar::default(),
        }
    }

    /// The `Cookie` header this client sends (None before any cookie was set).
    pub fn cookie_header(&self) -> Option<String> {
        if self.jar.0.is_empty() {
            return None;
        }
        Some(
            self.jar
                .0
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; "),
        )
    }

    fn finish(
        &mut self,
        result: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
        what: &str,
    ) -> HttpResponse {
        let resp = convert(result.unwrap_or_else(|e| panic!("{what}: {e}")));
        self.jar.update(&resp);
        resp
    }

    /// GET `path` (with its query string), sending the cookies.
    pub fn get(&mut self, path: &str) -> HttpResponse {
        self.get_with_headers(path, &[])
    }

    pub fn get_with_headers(&mut self, path: &str, headers: &[(&str, &str)]) -> HttpResponse {
        let url = format!("{}{path}", self.base);
        let mut req = self.agent.get(&url);
        if let Some(c) = self.cookie_header() {
            req = req.header("Cookie", c);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let result = req.call();
        self.finish(result, &format!("GET {url}"))
    }

    /// POST url-encoded `fields` to `path`.
    pub fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> HttpResponse {
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.post_raw(path, "application/x-www-form-urlencoded", body.as_bytes())
    }

    /// POST `body` as `content_type` to `path` (the API's JSON).
    pub fn post_raw(&mut self, path: &str, content_type: &str, body: &[u8]) -> HttpResponse {
        let url = format!("{}{path}", self.base);
        let mut req = self.agent.post(&url).header("Content-Type", content_type);
        if let Some(c) = self.cookie_header() {
            req = req.header("Cookie", c);
        }
        let result = req.send(body);
        self.finish(result, &format!("POST {url}"))
    }

    /// GETs `form_page`, takes its CSRF token and POSTs `fields` plus the token to `action`.
    pub fn submit(
        &mut self,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> HttpResponse {
        let page = self.get(form_page);
        assert_eq!(page.status, 200, "GET {form_page}: {}", page.text());
        let token = csrf_token(&page.text());
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &token));
        self.post_form(action, &all)
    }

    /// Logs in through the login form; panics unless the answer is a redirect.
    pub fn login(&mut self, login: &str, password: &str) -> HttpResponse {
        let resp = self.submit(
            "/users/login",
            "/users/login",
            &[("login", login), ("password", password)],
        );
        assert_eq!(resp.status, 302, "login as {login} failed: {}", resp.text());
        resp
    }
}

/// The lines of an Apache error log that tell of a broken CGI answer or a crashed process (the
/// binary's own one-line reports, e.g. of a database that is down, are not among them).
pub fn crash_lines(log: &str) -> Vec<&str> {
    const CRASHES: [&str; 6] = [
        "End of script output before headers",
        "Premature end of script headers",
        "malformed header",
        "exit signal",
        "panicked",
        "Segmentation fault",
    ];
    log.lines()
        .filter(|line| CRASHES.iter().any(|c| line.contains(c)))
        .collect()
}
