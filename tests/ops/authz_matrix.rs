//! Every route of `crmit routes` × {anonymous, student, teacher, teacher of another group, master,
//! developer, bot} against the answers in `tests/authz_matrix.txt` (its header states the rules).
//! A route without a line in the file fails the test, so a route added later must say who may
//! open it. Web POSTs carry the session's valid CSRF token and nothing
//! else, API POSTs the body `{}`: the point is the access decision, not the form.
//!
//! `AUTHZ_PRINT=1 cargo test --test authz_matrix -- --nocapture` prints the observed matrix (to
//! review against the intended access rules, never to paste blindly).

use crate::common;

use crate::sweep::{
    EVERYONE, Fixture, RouteLine, Who, changed, default_path, describe, post_json, routes,
    session_csrf, snapshot, with_token,
};
use common::{CgiRequest, CgiResponse, WebClient};
use std::collections::{BTreeMap, BTreeSet};

const MATRIX: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/authz_matrix.txt"
));

/// One line: the route, the concrete path (with `$vars`) and the expected status per column.
struct Entry {
    path: String,
    expected: Vec<u16>,
}

fn parse_matrix() -> BTreeMap<String, Entry> {
    let mut out = BTreeMap::new();
    for (n, raw) in MATRIX.lines().enumerate() {
        let line = raw.split('#').next().unwrap().trim();
        if line.is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(
            f.len(),
            3 + EVERYONE.len(),
            "authz_matrix.txt:{}: {raw}",
            n + 1
        );
        let expected = f[3..]
            .iter()
            .map(|c| {
                c.parse()
                    .unwrap_or_else(|_| panic!("authz_matrix.txt:{}: {c}", n + 1))
            })
            .collect();
        let key = format!("{} {}", f[0], f[1]);
        let entry = Entry {
            path: f[2].to_string(),
            expected,
        };
        assert!(out.insert(key.clone(), entry).is_none(), "{key} twice");
    }
    out
}

/// Everyone's web session (with its CSRF token) and API token; renewed after a logout route.
struct Clients<'a> {
    web: Vec<(WebClient<'a>, String)>,
    tokens: Vec<Option<String>>,
}

impl<'a> Clients<'a> {
    fn new(fx: &'a Fixture) -> Clients<'a> {
        fx.restore_token();
        let web = EVERYONE
            .iter()
            .map(|who| {
                let mut client = fx.web(*who);
                let csrf = session_csrf(&mut client);
                (client, csrf)
            })
            .collect();
        let tokens = EVERYONE.iter().map(|who| fx.api_token(*who)).collect();
        Clients { web, tokens }
    }

    fn request(&mut self, i: usize, route: &RouteLine, path: &str) -> CgiResponse {
        if route.is_api() {
            let url = with_token(path, self.tokens[i].as_deref());
            let req = match route.method.as_str() {
                "POST" => post_json(&url, "{}"),
                _ => CgiRequest::get(&url),
            };
            // API requests carry no cookies: the token is the only credential.
            return self.web[i].0.db.cgi(&req);
        }
        let (client, csrf) = &mut self.web[i];
        match route.method.as_str() {
            "POST" => client.send(CgiRequest::post_form(path, &[("csrf_token", csrf)])),
            _ => client.get(path),
        }
    }
}

#[test]
fn every_route_answers_every_role_as_the_spec_says() {
    let fx = Fixture::new();
    let table = routes(&fx.db);
    let matrix = parse_matrix();
    let print = std::env::var_os("AUTHZ_PRINT").is_some();
    let missing: Vec<String> = table
        .iter()
        .filter(|r| !matrix.contains_key(&r.key()))
        .map(|r| r.key())
        .collect();
    let mut clients = Clients::new(&fx);
    let mut wrong = Vec::new();
    let mut cells = 0;
    for route in &table {
        let entry = matrix.get(&route.key());
        if entry.is_none() && !print {
            continue;
        }
        let path_template = entry.map_or_else(|| default_path(&route.pattern), |e| e.path.clone());
        let path = fx.fill(&path_template);
        let mut got = Vec::new();
        for (i, who) in EVERYONE.iter().enumerate() {
            if route.pattern.contains("logout_app") {
                fx.restore_token();
            }
            let resp = clients.request(i, route, &path);
            assert!(
                resp.status < 500,
                "{} as {who:?}: {}",
                route.key(),
                describe(&resp)
            );
            if let Some(e) = entry {
                cells += 1;
                if resp.status != e.expected[i] {
                    wrong.push(format!(
                        "{} ({path}) as {who:?}: expected {}, got {}",
                        route.key(),
                        e.expected[i],
                        describe(&resp)
                    ));
                }
            }
            got.push(resp.status.to_string());
        }
        if print {
            println!("{} {} {}", route.key(), path_template, got.join(" "));
        }
        if route.pattern.contains("logout") {
            clients = Clients::new(&fx);
        }
    }
    println!("routes: {}, cells checked: {cells}", table.len());
    assert!(
        missing.is_empty(),
        "routes without a line in tests/authz_matrix.txt (say who may open them):\n{}",
        missing.join("\n")
    );
    assert!(
        wrong.is_empty(),
        "{} wrong answers:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// `OPTIONS` on every route's path answers 200 with an `Allow` header naming the route's methods
/// and an empty body, without a session and without touching the database (Flask answers it
/// itself); the API's paths keep the JSON content type; an unknown path is 404.
#[test]
fn options_answer_200_with_allow_for_everyone() {
    let fx = Fixture::new();
    let table = routes(&fx.db);
    let matrix = parse_matrix();
    let before = snapshot(&fx.db);
    let mut wrong = Vec::new();
    let mut checked = 0;
    for r in &table {
        let Some(entry) = matrix.get(&format!("{} {}", r.method, r.pattern)) else {
            continue;
        };
        checked += 1;
        let path = fx.fill(&entry.path);
        let mut req = CgiRequest::get(&path);
        req.method = "OPTIONS".into();
        let resp = fx.db.cgi(&req);
        let allow = resp.header("allow").unwrap_or_default().to_string();
        let json = resp
            .header("content-type")
            .is_some_and(|t| t == "application/json; charset=utf-8");
        if resp.status != 200
            || !allow.split(", ").any(|m| m == r.method)
            || !allow.contains("OPTIONS")
            || !resp.body.is_empty()
            || json != path.starts_with("/api/")
        {
            wrong.push(format!(
                "OPTIONS {path} (Allow: {allow}): {}",
                describe(&resp)
            ));
        }
    }
    let mut unknown = CgiRequest::get("/no/such/page");
    unknown.method = "OPTIONS".into();
    assert_eq!(fx.db.cgi(&unknown).status, 404);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(checked, table.len(), "routes without a matrix entry");
    assert_eq!(changed(&before, &snapshot(&fx.db)), Vec::<String>::new());
}

/// A path that exists only with other methods answers 405 with an `Allow` header (as a master,
/// who passes every role check).
#[test]
fn other_methods_answer_405() {
    let fx = Fixture::new();
    let table = routes(&fx.db);
    let matrix = parse_matrix();
    let mut methods: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for r in &table {
        methods.entry(&r.pattern).or_default().insert(&r.method);
    }
    let mut master = fx.web(Who::Master);
    let csrf = session_csrf(&mut master);
    let mut wrong = Vec::new();
    for (pattern, have) in &methods {
        let Some(entry) = ["GET", "POST"]
            .iter()
            .find_map(|m| matrix.get(&format!("{m} {pattern}")))
        else {
            continue;
        };
        let path = fx.fill(&entry.path);
        for method in ["GET", "POST"].iter().filter(|m| !have.contains(*m)) {
            let resp = match *method {
                "GET" => master.get(&path),
                _ => master.send(CgiRequest::post_form(&path, &[("csrf_token", &csrf)])),
            };
            if resp.status != 405 || resp.header("allow").is_none() {
                wrong.push(format!("{method} {path}: {}", describe(&resp)));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
