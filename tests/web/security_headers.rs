//! Issue #17: the security headers on every kind of answer (page, redirect, error, JSON, static
//! file, download), HSTS only over HTTPS with `[security] hsts = true`, web POSTs from another
//! site's page refused by their Origin or Referer, and a NUL in a form refused before any write.

use crate::common;

use common::api;
use common::{CgiRequest, CgiResponse, TestDb, WebClient, csrf_token};

const CSP: &str = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

/// The refusal of a forged form, as the CSRF check words it.
const FORGED: &str = "форма устарела или отправлена с другого сайта";

/// Every header the issue asks for, once each; `cache` is the expected Cache-Control.
fn assert_secured(what: &str, resp: &CgiResponse, cache: &str) {
    for (name, value) in [
        ("Content-Security-Policy", CSP),
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("Cache-Control", cache),
    ] {
        let values: Vec<&str> = resp
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(values, [value], "{what}: {name} in {:?}", resp.headers);
    }
    assert_eq!(
        resp.header("Strict-Transport-Security"),
        None,
        "{what}: HSTS without HTTPS and config"
    );
}

#[test]
fn security_headers_on_every_kind_of_answer() {
    let db = TestDb::seeded();
    let anon = db.cgi(&CgiRequest::get("/users/login"));
    assert_eq!(anon.status, 200);
    assert_secured("login page", &anon, "no-store");

    let redirect = db.cgi(&CgiRequest::get("/users/students"));
    assert_eq!(redirect.status, 302);
    assert_secured("redirect to login", &redirect, "no-store");

    let missing = db.cgi(&CgiRequest::get("/no/such/page"));
    assert_eq!(missing.status, 404);
    assert_secured("404 page", &missing, "no-store");

    let wrong_method = db.cgi(&CgiRequest::post_form("/stat/dashboard", &[]));
    assert_eq!(wrong_method.status, 405);
    assert_secured("405 page", &wrong_method, "no-store");

    let too_large = db.cgi(&CgiRequest::post_raw(
        "/users/login",
        "application/x-www-form-urlencoded",
        &vec![b'a'; 70_000],
    ));
    assert_eq!(too_large.status, 413);
    assert_secured("413 page", &too_large, "no-store");

    let json = db.cgi(&CgiRequest::get("/api/v1.1.0/app_info"));
    assert_eq!(json.status, 200, "{}", json.text());
    assert!(json.header("content-type").unwrap().contains("json"));
    assert_secured("API answer", &json, "no-store");
    let token = api::login(&db, "ma1", "12");
    let groups = api::get(&db, "/groups_list", &token);
    assert_eq!(groups.status, 200, "{}", groups.text());
    assert_secured("authenticated API answer", &groups, "no-store");
    let refused = api::get(&db, "/groups_list", "no-such-token");
    assert_eq!(refused.status, 401);
    assert_secured("API 401", &refused, "no-store");

    let versioned = db.cgi(&CgiRequest::get("/static/app.css?v=1"));
    assert_eq!(versioned.status, 200);
    assert_secured(
        "versioned static file",
        &versioned,
        "public, max-age=31536000, immutable",
    );
    let plain = db.cgi(&CgiRequest::get("/static/app.js"));
    assert_secured("static file", &plain, "public, max-age=3600");

    let mut web = WebClient::login(&db, "ma1", "12");
    let index = web.get("/");
    assert_eq!(index.status, 200);
    assert_secured("master's index", &index, "no-store");
    let svg = web.get("/stat/dashboard.svg");
    assert_eq!(svg.status, 200);
    assert_secured("dashboard image", &svg, "no-store");
    let xlsx = web.get("/users/students/xlsx");
    assert_eq!(xlsx.status, 200, "{}", xlsx.text());
    assert!(
        xlsx.header("content-disposition")
            .unwrap()
            .starts_with("attachment")
    );
    assert_secured("xlsx download", &xlsx, "no-store");
    let forbidden = web.get("/visit_stats");
    assert_eq!(forbidden.status, 403);
    assert_secured("403 page", &forbidden, "no-store");
}

#[test]
fn security_hsts_only_over_https_with_the_option_on() {
    let db = TestDb::seeded();
    let over_https = |path: &str| {
        let mut req = CgiRequest::get(path);
        req.env.push(("HTTPS".into(), "on".into()));
        req
    };
    // Off by default, over HTTPS too.
    let r = db.cgi(&over_https("/users/login"));
    assert_eq!(r.header("Strict-Transport-Security"), None);

    let text = std::fs::read_to_string(&db.config_path).unwrap();
    let text = text.replace(
        "developer_read_only = true",
        "developer_read_only = true\nhsts = true",
    );
    std::fs::write(&db.config_path, text).unwrap();
    for path in ["/users/login", "/static/app.css", "/api/v1.1.0/app_info"] {
        let r = db.cgi(&over_https(path));
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(
            r.header("Strict-Transport-Security"),
            Some("max-age=31536000"),
            "{path}: {:?}",
            r.headers
        );
    }
    // Plain HTTP never gets it (a browser ignores it there, and it would pin a mistaken host).
    let r = db.cgi(&CgiRequest::get("/users/login"));
    assert_eq!(r.header("Strict-Transport-Security"), None);
}

/// The school form's POST as ma1, with `headers` added; the number of schools after it.
fn create_school(db: &TestDb, name: &str, headers: &[(&str, &str)]) -> (CgiResponse, u64) {
    let mut web = WebClient::login(db, "ma1", "12");
    let token = csrf_token(&web.get("/structure/school").text());
    let mut req = CgiRequest::post_form(
        "/structure/school",
        &[("name", name), ("csrf_token", &token)],
    );
    for (k, v) in headers {
        req = req.header(k, v);
    }
    let resp = web.send(req);
    (resp, db.count("schools"))
}

#[test]
fn security_posts_from_another_site_are_refused() {
    let db = TestDb::seeded();
    let before = db.count("schools");

    for headers in [
        vec![("Origin", "http://evil.example")],
        vec![("Origin", "null")],
        // The Origin counts before the Referer.
        vec![
            ("Origin", "http://evil.example"),
            ("Referer", "http://localhost/structure/school"),
        ],
        vec![("Referer", "http://evil.example/structure/school")],
        // The scheme is part of the origin: the site here is plain HTTP.
        vec![("Origin", "https://localhost")],
    ] {
        let (resp, after) = create_school(&db, "Школа злоумышленника", &headers);
        assert_eq!(resp.status, 400, "{headers:?}: {}", resp.text());
        assert!(resp.text().contains(FORGED), "{headers:?}: {}", resp.text());
        assert_eq!(after, before, "{headers:?}: a school was written");
    }

    let (resp, after) = create_school(&db, "Школа 1", &[("Origin", "http://localhost")]);
    assert_eq!(resp.status, 302, "{}", resp.text());
    assert_eq!(after, before + 1);
    let (resp, after) = create_school(
        &db,
        "Школа 2",
        &[("Referer", "http://LOCALHOST:80/structure/school")],
    );
    assert_eq!(resp.status, 302, "{}", resp.text());
    assert_eq!(after, before + 2);
    let (resp, after) = create_school(&db, "Школа 3", &[]);
    assert_eq!(resp.status, 302, "{}", resp.text());
    assert_eq!(after, before + 3);

    // Logging in from another site's page is refused too (login CSRF).
    let mut web = WebClient::new(&db);
    let token = csrf_token(&web.get("/users/login").text());
    let resp = web.send(
        CgiRequest::post_form(
            "/users/login",
            &[("login", "ma1"), ("password", "12"), ("csrf_token", &token)],
        )
        .header("Origin", "http://evil.example"),
    );
    assert_eq!(resp.status, 400, "{}", resp.text());
    assert!(web.get("/").text().contains("вы не авторизованы"));

    // The REST API's clients are apps, with no Origin of this site: it is not concerned.
    let resp = db.cgi(
        &api::login_request(&serde_json::json!({
            "login": "ma1", "password": "12", "device": "d", "appVersion": "1.3.2"
        }))
        .header("Origin", "http://evil.example"),
    );
    assert_eq!(resp.status, 200, "{}", resp.text());
}

#[test]
fn security_control_characters_in_a_form_or_the_api_are_refused_and_not_stored() {
    let db = TestDb::seeded();
    let before = db.count("schools");
    for (name, code) in [
        ("Школа\0с нулём", 0),
        ("Школа\u{1b}[2J", 27),
        ("Школа\u{8}", 8),
    ] {
        let (resp, after) = create_school(&db, name, &[]);
        assert_eq!(resp.status, 400, "{}", resp.text());
        let message = format!("недопустимый управляющий символ (код {code})");
        assert!(resp.text().contains(&message), "{}", resp.text());
        assert_eq!(after, before);
    }
    let controls: u64 = common::db::query_one(
        &db,
        "SELECT COUNT(*) FROM schools WHERE name REGEXP '[[:cntrl:]]'",
        (),
    );
    assert_eq!(controls, 0);
    // Tab and line breaks are text.
    let (resp, after) = create_school(&db, "Школа\t№\r\n7", &[]);
    assert_eq!((resp.status, after), (302, before + 1), "{}", resp.text());

    // The API answers its bad-input 400 and saves nothing.
    let token = api::valid_token(&db, "ma1");
    let p1 = common::fixture::payment_p1(&db);
    let body = serde_json::json!({"paymentId": p1, "value": 100, "comment": "x\u{0}y", "cash": true, "confirmed": false});
    let resp = api::post(&db, "/save_payment", &token, &body);
    assert_eq!(resp.status, 400, "{}", resp.text());
    let comment: String =
        common::db::query_one(&db, "SELECT comment FROM payments WHERE id = ?", (p1,));
    assert!(!comment.contains('\0'));
}

/// `crmit serve`, the third front end, answers through the same place: a page and a request too
/// large to read (which the dev server once answered with a bare text of its own) get the headers.
#[test]
fn security_headers_from_the_dev_server() {
    use std::io::{Read, Write};
    let db = TestDb::seeded();
    let port = common::apache::free_port();
    let listen = format!("127.0.0.1:{port}");
    /// Stops the server however the test ends.
    struct Server(std::process::Child);
    impl Drop for Server {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let _server = Server(
        std::process::Command::new(common::crmit_bin())
            .arg("--config")
            .arg(&db.config_path)
            .args(["serve", "--listen", &listen])
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start crmit serve"),
    );
    let ask = |request: &str| -> Option<CgiResponse> {
        let mut stream = std::net::TcpStream::connect(&listen).ok()?;
        stream.write_all(request.as_bytes()).ok()?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).ok()?;
        // The status line in the place of CGI's `Status:` header.
        let text = String::from_utf8_lossy(&raw);
        let status_line = text.lines().next()?.to_string();
        let rest = &raw[status_line.len() + 2..];
        let mut resp = common::parse_cgi_output(rest, String::new());
        resp.status = status_line.split(' ').nth(1)?.parse().ok()?;
        Some(resp)
    };
    let get = "GET /users/login HTTP/1.1\r\nHost: localhost\r\n\r\n";
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let page = loop {
        match ask(get) {
            Some(resp) => break resp,
            None if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(100))
            }
            None => panic!("crmit serve did not answer on {listen}"),
        }
    };
    let too_large = ask(
        "POST /users/login HTTP/1.1\r\nHost: localhost\r\nContent-Length: 999999\r\n\
         Content-Type: application/x-www-form-urlencoded\r\n\r\n",
    )
    .expect("an answer to a too large request");
    assert_eq!(page.status, 200, "{}", page.text());
    assert_secured("dev server page", &page, "no-store");
    assert_eq!(too_large.status, 413, "{}", too_large.text());
    assert!(too_large.text().contains("413"), "{}", too_large.text());
    assert_secured("dev server 413", &too_large, "no-store");
}
