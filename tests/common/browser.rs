//! A real browser for the tests: Debian's headless Chromium driven through `chromedriver` with the W3C
//! WebDriver protocol (JSON over HTTP, spoken with ureq + serde_json). `chromedriver` listens on a free
//! port of 127.0.0.1 and is stopped, with its browser, when the `Browser` is dropped.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::apache::{ApacheSite, agent, free_port, repo_dir};

pub const CHROMEDRIVER_BIN: &str = "/usr/bin/chromedriver";
pub const CHROMIUM_BIN: &str = "/usr/bin/chromium";
/// The key under which W3C WebDriver returns an element reference.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Browser {
    driver: Child,
    agent: ureq::Agent,
    base: String,
    session: Option<String>,
    _profile: tempfile::TempDir,
    _driver_log: PathBuf,
}

/// A found element (its WebDriver id).
#[derive(Debug, Clone)]
pub struct Element(pub String);

impl Browser {
    pub fn start() -> Browser {
        for bin in [CHROMEDRIVER_BIN, CHROMIUM_BIN] {
            assert!(
                Path::new(bin).exists(),
                "{bin} is missing: install chromium and chromium-driver (scripts/test does)"
            );
        }
        let profile = tempfile::Builder::new()
            .prefix("crmit-chromium-")
            .tempdir()
            .expect("tempdir");
        let user_data = profile.path().join("profile");
        std::fs::create_dir(&user_data).unwrap();
        let driver_log = profile.path().join("chromedriver.log");

        let mut last_err = String::new();
        for _attempt in 0..3 {
            let port = free_port();
            let mut driver = Command::new(CHROMEDRIVER_BIN)
                .arg(format!("--port={port}"))
                .arg(format!("--log-path={}", driver_log.display()))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start chromedriver");
            let base = format!("http://127.0.0.1:{port}");
            let agent = agent();
            let deadline = Instant::now() + Duration::from_secs(30);
            let ready = loop {
                if let Ok(Some(status)) = driver.try_wait() {
                    break Err(format!("chromedriver exited with {status}"));
                }
                if let Ok(resp) = agent.get(&format!("{base}/status")).call()
                    && resp.status().is_success()
                {
                    break Ok(());
                }
                if Instant::now() > deadline {
                    break Err("chromedriver did not answer /status".to_string());
                }
                std::thread::sleep(Duration::from_millis(100));
            };
            if let Err(e) = ready {
                last_err = e;
                let _ = driver.kill();
                let _ = driver.wait();
                continue;
            }
            let mut browser = Browser {
                driver,
                agent,
                base,
                session: None,
                _profile: profile,
                _driver_log: driver_log,
            };
            browser.new_session(&user_data);
            return browser;
        }
        panic!("chromedriver did not start: {last_err}");
    }

    fn new_session(&mut self, user_data: &Path) {
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,900",
            &format!("--user-data-dir={}", user_data.display()),
        ];
        let caps = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    // A confirm() before a POST (logout, deletions) is accepted like a user would.
                    "unhandledPromptBehavior": "accept",
                    "goog:chromeOptions": { "binary": CHROMIUM_BIN, "args": args },
                }
            }
        });
        let value = self.command("POST", "/session", Some(caps));
        let id = value["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no sessionId in {value}"))
            .to_string();
        self.session = Some(id);
    }

    /// Sends one WebDriver command; returns its `value`, panicking on a WebDriver error.
    pub fn command(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.try_command(method, path, body).unwrap_or_else(|e| {
            panic!("WebDriver {method} {path}: {e}\n{}", self.driver_log_tail())
        })
    }

    /// Like `command`, giving back the WebDriver error instead of panicking.
    pub fn try_command(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let url = format!("{}{path}", self.base);
        let result = match method {
            "GET" => self.agent.get(&url).call(),
            "DELETE" => self.agent.delete(&url).call(),
            _ => {
                let text = body.unwrap_or_else(|| json!({})).to_string();
                self.agent
                    .post(&url)
                    .header("Content-Type", "application/json")
                    .send(text.as_bytes())
            }
        };
        let resp = result.map_err(|e| format!("transport: {e}"))?;
        let status = resp.status().as_u16();
        let text = resp
            .into_body()
            .with_config()
            .limit(256 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| e.to_string())?;
        let json: Value = serde_json::from_str(&text).map_err(|e| format!("{e}: {text}"))?;
        if status >= 400 {
            return Err(format!(
                "{status} {}: {}",
                json["value"]["error"], json["value"]["message"]
            ));
        }
        Ok(json["value"].clone())
    }

    pub fn session_path(&self, rest: &str) -> String {
        format!(
            "/session/{}{rest}",
            self.session.as_deref().expect("session")
        )
    }

    pub fn goto(&self, url: &str) {
        self.command(
            "POST",
            &self.session_path("/url"),
            Some(json!({ "url": url })),
        );
    }

    pub fn current_url(&self) -> String {
        self.command("GET", &self.session_path("/url"), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn title(&self) -> String {
        self.command("GET", &self.session_path("/title"), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn source(&self) -> String {
        self.command("GET", &self.session_path("/source"), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The visible text of the whole page. A page being replaced (a navigation under way, e.g.
    /// while `wait_until` polls after a click) has no body or a stale one for a moment: read again.
    pub fn page_text(&self) -> String {
        let mut error = String::from("no body");
        for _attempt in 0..50 {
            if let Some(body) = self.try_find("body") {
                let path = self.session_path(&format!("/element/{}/text", body.0));
                match self.try_command("GET", &path, None) {
                    Ok(text) => return text.as_str().unwrap_or_default().to_string(),
                    Err(e) => error = e,
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!(
            "the text of {} could not be read: {error}",
            self.current_url()
        );
    }

    pub fn try_find(&self, css: &str) -> Option<Element> {
        let value = self
            .try_command(
                "POST",
                &self.session_path("/element"),
                Some(json!({ "using": "css selector", "value": css })),
            )
            .ok()?;
        value[ELEMENT_KEY]
            .as_str()
            .map(|id| Element(id.to_string()))
    }

    pub fn find(&self, css: &str) -> Element {
        self.try_find(css).unwrap_or_else(|| {
            panic!(
                "no element {css:?} on {}:\n{}",
                self.current_url(),
                self.source()
            )
        })
    }

    pub fn find_all(&self, css: &str) -> Vec<Element> {
        let value = self.command(
            "POST",
            &self.session_path("/elements"),
            Some(json!({ "using": "css selector", "value": css })),
        );
        value
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e[ELEMENT_KEY].as_str().map(|s| Element(s.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn send_keys(&self, el: &Element, text: &str) {
        self.command(
            "POST",
            &self.session_path(&format!("/element/{}/value", el.0)),
            Some(json!({ "text": text })),
        );
    }

    pub fn clear(&self, el: &Element) {
        self.command(
            "POST",
            &self.session_path(&format!("/element/{}/clear", el.0)),
            Some(json!({})),
        );
    }

    pub fn click(&self, el: &Element) {
        self.command(
            "POST",
            &self.session_path(&format!("/element/{}/click", el.0)),
            Some(json!({})),
        );
    }

    /// Clicks the first element `css` finds, finding it again if the page was replaced between
    /// the finding and the click (a stale element); false when there is none.
    pub fn click_first(&self, css: &str) -> bool {
        for _ in 0..3 {
            let Some(el) = self.try_find(css) else {
                return false;
            };
            let path = self.session_path(&format!("/element/{}/click", el.0));
            match self.try_command("POST", &path, Some(json!({}))) {
                Ok(_) => return true,
                Err(e) if e.contains("stale element") => continue,
                Err(e) => panic!("WebDriver click on {css}: {e}\n{}", self.driver_log_tail()),
            }
        }
        panic!("{css} went stale three times:\n{}", self.driver_log_tail())
    }

    pub fn text(&self, el: &Element) -> String {
        self.command(
            "GET",
            &self.session_path(&format!("/element/{}/text", el.0)),
            None,
        )
        .as_str()
        .unwrap_or_default()
        .to_string()
    }

    pub fn attribute(&self, el: &Element, name: &str) -> Option<String> {
        self.command(
            "GET",
            &self.session_path(&format!("/element/{}/attribute/{name}", el.0)),
            None,
        )
        .as_str()
        .map(str::to_string)
    }

    /// The text of an open `alert`/`confirm` dialog, if any.
    pub fn alert_text(&self) -> Option<String> {
        self.try_command("GET", &self.session_path("/alert/text"), None)
            .ok()
            .map(|v| v.as_str().unwrap_or("").to_string())
    }

    pub fn accept_alert(&self) {
        self.command("POST", &self.session_path("/alert/accept"), Some(json!({})));
    }

    /// Runs a script in the page and returns its result.
    pub fn execute(&self, script: &str) -> Value {
        self.command(
            "POST",
            &self.session_path("/execute/sync"),
            Some(json!({ "script": script, "args": [] })),
        )
    }

    /// Runs a script that calls its last argument (the callback) with its result, and returns that.
    pub fn execute_async(&self, script: &str) -> Value {
        self.command(
            "POST",
            &self.session_path("/execute/async"),
            Some(json!({ "script": script, "args": [] })),
        )
    }

    /// Signs in through the login form and waits for the greeting of the index page.
    pub fn log_in(&self, site: &ApacheSite, login: &str, password: &str) {
        self.goto(&site.url("/users/login"));
        self.send_keys(&self.find("input[name='login']"), login);
        self.send_keys(&self.find("input[name='password']"), password);
        self.click(&self.find("form:has(input[name='password']) [type='submit']"));
        let greeted = self.wait_until(Duration::from_secs(20), |b| {
            b.page_text()
                .contains(&format!("добро пожаловать, {login}"))
        });
        assert!(greeted, "{login} did not log in:\n{}", self.page_text());
    }

    /// Saves a PNG screenshot of the viewport.
    pub fn screenshot(&self, path: &Path) {
        use base64::Engine;
        let value = self.command("GET", &self.session_path("/screenshot"), None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(value.as_str().expect("base64 screenshot"))
            .unwrap();
        assert!(png.starts_with(b"\x89PNG"), "not a PNG screenshot");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(path, png).unwrap();
    }

    /// Lays pages out as a phone of `width` × `height` CSS pixels shows them (a touch screen,
    /// the mobile viewport rules).
    pub fn emulate_phone(&self, width: u32, height: u32) {
        self.emulate_screen(width, height, true);
    }

    /// Lays pages out in a window of `width` × `height` CSS pixels, a phone's when `mobile`.
    pub fn emulate_screen(&self, width: u32, height: u32, mobile: bool) {
        let scale = if mobile { 2 } else { 1 };
        self.command(
            "POST",
            &self.session_path("/goog/cdp/execute"),
            Some(
                json!({ "cmd": "Emulation.setDeviceMetricsOverride", "params": {
                "width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile } }),
            ),
        );
    }

    /// What on the open page breaks a phone layout: a page wider than the screen, visible text
    /// under 12 px anywhere, and each visible element matched by `targets` smaller than
    /// 44 × 44 px.
    pub fn phone_layout_problems(&self, targets: &str) -> Vec<String> {
        self.layout_problems(targets, 44)
    }

    /// Like [`Browser::phone_layout_problems`] with tap targets of at least `min_target` px.
    pub fn layout_problems(&self, targets: &str, min_target: u32) -> Vec<String> {
        let script = format!(
            "const out = [];
             if (document.documentElement.scrollWidth > window.innerWidth)
               out.push('page ' + document.documentElement.scrollWidth + ' px wide on ' + window.innerWidth);
             for (const el of document.querySelectorAll({targets:?})) {{
               const r = el.getBoundingClientRect();
               if (r.width === 0 && r.height === 0) continue;
               if (r.width < {min_target} || r.height < {min_target})
                 out.push(el.textContent.trim() + ': ' + Math.round(r.width) + ' x ' + Math.round(r.height));
             }}
             const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
             for (let t = walker.nextNode(); t; t = walker.nextNode()) {{
               const el = t.parentElement;
               if (!t.textContent.trim() || !el.getClientRects().length) continue;
               const size = parseFloat(getComputedStyle(el).fontSize);
               if (size < 12) out.push(t.textContent.trim() + ': text ' + size + ' px');
             }}
             return out;"
        );
        let found = self.execute(&script);
        strings(&found)
    }

    /// Shows the page as it prints (the print stylesheet), for a screenshot of a printout.
    pub fn emulate_print_media(&self, on: bool) {
        let media = if on { "print" } else { "" };
        self.command(
            "POST",
            &self.session_path("/goog/cdp/execute"),
            Some(json!({ "cmd": "Emulation.setEmulatedMedia", "params": { "media": media } })),
        );
    }

    /// The page printed to PDF by Chromium itself (DevTools `Page.printToPDF`), honouring the
    /// page size of the print stylesheet, as «Печать → Сохранить как PDF» does.
    pub fn print_pdf(&self) -> Vec<u8> {
        use base64::Engine;
        let value = self.command(
            "POST",
            &self.session_path("/goog/cdp/execute"),
            Some(json!({ "cmd": "Page.printToPDF", "params": { "preferCSSPageSize": true } })),
        );
        let pdf = base64::engine::general_purpose::STANDARD
            .decode(value["data"].as_str().expect("base64 PDF"))
            .unwrap();
        assert!(pdf.starts_with(b"%PDF"), "not a PDF");
        pdf
    }

    /// From now on every document this browser opens records the Content-Security-Policy
    /// violations it reports (the `securitypolicyviolation` event, listened to before the page's
    /// own parsing starts); [`Browser::csp_violations`] reads them.
    pub fn watch_csp_violations(&self) {
        let source = "window.__cspViolations = [];
            document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
                e.effectiveDirective + ' refused ' + (e.blockedURI || '(inline)') + ' at '
                + (e.sourceFile || document.URL) + ':' + e.lineNumber + ' ' + (e.sample || '')));";
        self.command(
            "POST",
            &self.session_path("/goog/cdp/execute"),
            Some(json!({ "cmd": "Page.addScriptToEvaluateOnNewDocument", "params": { "source": source } })),
        );
    }

    /// The violations the open document has reported so far (see
    /// [`Browser::watch_csp_violations`]); the events come a moment after parsing, so this waits
    /// for the document to be loaded and a little more.
    pub fn csp_violations(&self) -> Vec<String> {
        self.wait_until(Duration::from_secs(10), |b| {
            b.execute("return document.readyState") == json!("complete")
        });
        std::thread::sleep(Duration::from_millis(300));
        let found = self
            .execute("return window.__cspViolations === undefined ? null : window.__cspViolations");
        let found = found
            .as_array()
            .unwrap_or_else(|| panic!("no CSP listener in {}", self.current_url()));
        found
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// The accessibility violations that axe-core (of the npm packages scripts/test installs under
    /// `target/npm`) finds on the open page with impact serious or critical, one line each: rule,
    /// impact, the elements' selectors and the help text. The script is sent through WebDriver, so
    /// the page's Content-Security-Policy does not stand in its way.
    pub fn axe_violations(&self) -> Vec<String> {
        let source = std::fs::read_to_string(npm_module("axe-core/axe.min.js"))
            .expect("axe-core is missing: scripts/test installs it under target/npm");
        self.execute(&format!("{source}\n;return typeof window.axe;"));
        let found = self.execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations
               .filter(v => v.impact === 'serious' || v.impact === 'critical')
               .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', ')
                 + ' — ' + v.help)), e => done(['axe failed: ' + e]));",
        );
        strings(&found)
    }

    /// Polls `cond` until it holds (true) or `timeout` passes (false).
    pub fn wait_until(&self, timeout: Duration, mut cond: impl FnMut(&Browser) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if cond(self) {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn driver_log_tail(&self) -> String {
        let log = std::fs::read_to_string(&self._driver_log).unwrap_or_default();
        let start = log.len().saturating_sub(4000);
        let start = (start..log.len())
            .find(|i| log.is_char_boundary(*i))
            .unwrap_or(log.len());
        format!("--- chromedriver log tail ---\n{}", &log[start..])
    }
}

/// A file of the npm packages scripts/test installs for the browser checks (`target/npm`).
pub fn npm_module(path: &str) -> PathBuf {
    repo_dir().join("target/npm/node_modules").join(path)
}

/// Where screenshots go: `target/screenshots/` of this repository.
pub fn screenshot_path(name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("screenshots").join(name)
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(id) = self.session.take() {
            // Closes Chromium; chromedriver itself is then killed.
            let _ = self.try_command("DELETE", &format!("/session/{id}"), None);
        }
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.driver.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.driver.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// The strings of a script's answer that is a list of them (the problems a check found).
pub fn strings(answer: &serde_json::Value) -> Vec<String> {
    answer
        .as_array()
        .expect("a list")
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect()
}
