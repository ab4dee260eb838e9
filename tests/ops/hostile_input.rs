//! Hostile input from `tests/hostile_input.txt` against every form route (as a master, with the
//! CSRF token) and every API endpoint (with a master's token): never a 500, never markup echoed
//! unescaped, and no partial write — when the answer is not a success (a web POST that does not
//! redirect, an API 4xx) every table is unchanged.
//!
//! Corpus lines (`#` starts a comment; `$name` are fixture ids, see robust_support):
//! * `POST PATH BODY [=> PAGE]` / `GET PATH [=> PAGE]`: one web request; BODY is sent as is
//!   (url-encoded by hand, so malformed escapes stay malformed) plus `&csrf_token=…`. `=> PAGE`
//!   is opened afterwards and must not show the payload unescaped either.
//! * `API METHOD PATH [JSON]`: one API request with the master's token appended.
//! * `*web VALUE`: every web POST route, each field of its form (read from the route's GET page)
//!   set to VALUE.
//! * `*api VALUE`: every API GET with `search`, `offset`, `count` and `teacherId` set to VALUE.
//! * `*json VALUE`: every API POST with every body field of the contract set to the JSON VALUE.
//!
//! In values, `$long300` is 300 × `a`, `$longru300` 300 × `я` (escaped), `$xHH` the raw byte 0xHH.

use crate::common;

use crate::sweep::{
    Fixture, RouteLine, Who, changed, default_path, describe, post_json, post_raw_form, routes,
    session_csrf, snapshot, with_token,
};
use common::{CgiRequest, CgiResponse, WebClient};

const CORPUS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/hostile_input.txt"
));

/// The markup every XSS value carries; a page may show it only escaped.
const MARKUP: &str = "<script>alert(";

/// Fields of the API bodies (`cabinet_info`, `save_attending_state`, `save_payment`, `login`).
const JSON_FIELDS: &[&str] = &[
    "login",
    "password",
    "device",
    "appVersion",
    "attendingId",
    "attendingState",
    "paymentId",
    "value",
    "cash",
    "confirmed",
    "comment",
    "lastLessonsCount",
];

fn expand(fx: &Fixture, text: &str) -> Vec<u8> {
    let text = text
        .replace("$longru300", &"%D1%8F".repeat(300))
        .replace("$long300", &"a".repeat(300))
        .replace("$x", "\u{1}");
    let text = fx.fill(&text).into_bytes();
    // `\u{1}HH` (from `$xHH`) becomes the raw byte 0xHH.
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if text[i] == 1 {
            let hex = std::str::from_utf8(&text[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(text[i]);
            i += 1;
        }
    }
    out
}

/// One request to send and what counts as its success.
struct Probe {
    label: String,
    req: CgiRequest,
    api: bool,
    page: Option<String>,
}

impl Probe {
    fn api(label: String, req: CgiRequest) -> Probe {
        Probe {
            label,
            req,
            api: true,
            page: None,
        }
    }

    fn web(label: String, req: CgiRequest, page: Option<String>) -> Probe {
        Probe {
            label,
            req,
            api: false,
            page,
        }
    }
}

struct Run<'a> {
    fx: &'a Fixture,
    web: WebClient<'a>,
    csrf: String,
    token: String,
    failures: Vec<String>,
    sent: usize,
}

impl<'a> Run<'a> {
    fn new(fx: &'a Fixture) -> Run<'a> {
        let mut web = fx.web(Who::Master);
        let csrf = session_csrf(&mut web);
        let token = fx.api_token(Who::Master).unwrap();
        Run {
            fx,
            web,
            csrf,
            token,
            failures: Vec::new(),
            sent: 0,
        }
    }

    fn web_post(&self, path: &str, body: &[u8]) -> CgiRequest {
        let mut body = body.to_vec();
        if !body.is_empty() {
            body.push(b'&');
        }
        body.extend_from_slice(format!("csrf_token={}", self.csrf).as_bytes());
        let mut req = post_raw_form(path, "");
        req.body = body;
        req
    }

    fn api(&self, method: &str, path: &str, body: &[u8]) -> CgiRequest {
        let url = with_token(path, Some(&self.token));
        match method {
            "POST" => {
                let mut req = post_json(&url, "");
                req.body = body.to_vec();
                req
            }
            _ => CgiRequest::get(&url),
        }
    }

    fn check(&mut self, probe: Probe) {
        self.sent += 1;
        let before = snapshot(&self.fx.db);
        let resp = if probe.api {
            self.fx.db.cgi(&probe.req)
        } else {
            self.web.send(probe.req.clone())
        };
        let after = snapshot(&self.fx.db);
        let label = &probe.label;
        if resp.status >= 500 {
            self.failures.push(format!("{label}: {}", describe(&resp)));
        }
        let success = match (probe.api, probe.req.method.as_str()) {
            (true, _) => resp.status < 400,
            (false, "POST") => resp.status == 302,
            (false, _) => resp.status == 200,
        };
        let diff = changed(&before, &after);
        if !success && !diff.is_empty() {
            self.failures.push(format!(
                "{label}: answered {} but wrote {diff:?}",
                resp.status
            ));
        }
        self.no_markup(label, &resp);
        let mut pages: Vec<String> = probe.page.iter().cloned().collect();
        if resp.status == 302 && !probe.api {
            pages.extend(resp.location().map(str::to_string));
        }
        for page in pages {
            let shown = self.web.get(&page);
            self.no_markup(&format!("{label} => {page}"), &shown);
        }
        let session_lost = !probe.api
            && resp.status == 302
            && resp
                .location()
                .is_some_and(|l| l.starts_with("/users/login"));
        if session_lost || probe.req.path.contains("logout") {
            if session_lost {
                self.failures
                    .push(format!("{label}: the master was logged out"));
            }
            *self = Run {
                failures: std::mem::take(&mut self.failures),
                sent: self.sent,
                ..Run::new(self.fx)
            };
        }
    }

    fn no_markup(&mut self, label: &str, resp: &CgiResponse) {
        // JSON carries stored text as data; only HTML must escape it.
        let html = resp
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/html"));
        if html && resp.text().contains(MARKUP) {
            self.failures
                .push(format!("{label}: markup shown unescaped ({})", resp.status));
        }
    }
}

/// The field names of the form at `path`, as its GET page shows them (`name` when it has none).
fn form_fields(web: &mut WebClient, path: &str) -> Vec<String> {
    let page = web.get(path);
    let html = if page.status == 200 {
        page.text()
    } else {
        String::new()
    };
    let mut names: Vec<String> = html
        .split("name=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|n| *n != "csrf_token")
        .map(str::to_string)
        .collect();
    names.dedup();
    if names.is_empty() {
        names.push("name".into());
    }
    names
}

/// `name=VALUE` for every field.
fn form_body(names: &[String], value: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    for name in names {
        if !body.is_empty() {
            body.push(b'&');
        }
        body.extend_from_slice(name.as_bytes());
        body.push(b'=');
        body.extend_from_slice(value);
    }
    body
}

fn json_body(value: &str) -> Vec<u8> {
    let fields: Vec<String> = JSON_FIELDS
        .iter()
        .map(|f| format!("\"{f}\": {value}"))
        .collect();
    format!("{{{}}}", fields.join(", ")).into_bytes()
}

#[test]
fn hostile_input_never_breaks_the_site_or_writes_half() {
    let fx = Fixture::new();
    let table = routes(&fx.db);
    let web_posts: Vec<&RouteLine> = table
        .iter()
        .filter(|r| r.method == "POST" && !r.is_api() && r.pattern != "/users/logout")
        .collect();
    let api_routes: Vec<&RouteLine> = table.iter().filter(|r| r.is_api()).collect();
    let mut run = Run::new(&fx);
    let forms: Vec<(String, String, Vec<String>)> = web_posts
        .iter()
        .map(|r| {
            let path = fx.fill(&default_path(&r.pattern));
            let fields = form_fields(&mut run.web, &path);
            (r.key(), path, fields)
        })
        .collect();
    let mut lines = 0;
    for (n, raw) in CORPUS.lines().enumerate() {
        let line = raw.split(" # ").next().unwrap().trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        lines += 1;
        let (head, rest) = line.split_once(' ').unwrap_or((line, ""));
        let at = format!("hostile_input.txt:{}", n + 1);
        match head {
            "*web" => {
                let value = expand(&fx, rest);
                for (key, path, fields) in &forms {
                    let req = run.web_post(path, &form_body(fields, &value));
                    let label = format!("{at} {key} with {rest}");
                    run.check(Probe::web(label, req, None));
                }
            }
            "*api" => {
                let value = String::from_utf8_lossy(&expand(&fx, rest)).into_owned();
                for route in api_routes.iter().filter(|r| r.method == "GET") {
                    let path = format!(
                        "{}?search={value}&offset={value}&count={value}&teacherId={value}",
                        fx.fill(&default_path(&route.pattern))
                    );
                    let req = run.api("GET", &path, b"");
                    let label = format!("{at} {} with {rest}", route.key());
                    run.check(Probe::api(label, req));
                }
            }
            "*json" => {
                for route in api_routes.iter().filter(|r| r.method == "POST") {
                    let path = fx.fill(&default_path(&route.pattern));
                    let req = run.api("POST", &path, &json_body(rest));
                    let label = format!("{at} {} with {rest}", route.key());
                    run.check(Probe::api(label, req));
                }
            }
            "API" => {
                let (method, rest) = rest.split_once(' ').unwrap_or((rest, ""));
                let (path, body) = rest.split_once(' ').unwrap_or((rest, ""));
                let req = run.api(method, &fx.fill(path), &expand(&fx, body));
                run.check(Probe::api(format!("{at} {line}"), req));
            }
            "GET" | "POST" => {
                let (request, page) = match rest.split_once(" => ") {
                    Some((r, p)) => (r, Some(fx.fill(p.trim()))),
                    None => (rest, None),
                };
                let (path, body) = request.split_once(' ').unwrap_or((request, ""));
                let path = String::from_utf8_lossy(&expand(&fx, path)).into_owned();
                let req = match head {
                    "POST" => run.web_post(&path, &expand(&fx, body.trim())),
                    _ => CgiRequest::get(&path),
                };
                run.check(Probe::web(format!("{at} {line}"), req, page));
            }
            other => panic!("{at}: unknown line kind {other}"),
        }
    }
    println!("corpus lines: {lines}, requests: {}", run.sent);
    assert!(
        run.failures.is_empty(),
        "{} failures:\n{}",
        run.failures.len(),
        run.failures.join("\n")
    );
}
