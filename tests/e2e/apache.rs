//! End to end through a real Apache httpd: the shipped `.htaccess` files rewrite every request to the
//! binary as CGI, Apache serves the installed static files itself, and the config is never served.

use crate::common;

use common::TestDb;
use common::apache::{ApacheSite, files_under};

const SECRET: &str = "test-secret-key-0123456789abcdef0123456789abcdef";

fn assert_no_secrets(body: &str, what: &str) {
    for needle in [
        SECRET,
        "test-access-token-salt",
        "secret_key",
        "crmit_test@",
        "[database]",
    ] {
        assert!(!body.contains(needle), "{what} leaked {needle:?}:\n{body}");
    }
}

#[test]
fn login_page_is_served_through_apache() {
    let db = TestDb::seeded();
    let site = ApacheSite::start(&db);
    let resp = site.client().get("/users/login");
    assert_eq!(resp.status, 200, "{}\n{}", resp.text(), site.error_log());
    assert!(
        resp.header("content-type")
            .unwrap_or("")
            .starts_with("text/html"),
        "{:?}",
        resp.headers
    );
    let html = resp.text();
    for field in [
        "name=\"login\"",
        "name=\"password\"",
        "name=\"remember\"",
        "name=\"csrf_token\"",
    ] {
        assert!(
            html.contains(field),
            "no {field} in the login page:\n{html}"
        );
    }
    assert!(html.contains("авторизация"), "{html}");
}

#[test]
fn login_index_and_logout_through_apache() {
    let db = TestDb::seeded();
    let site = ApacheSite::start(&db);
    let mut web = site.client();

    let anon = web.get("/");
    assert_eq!(anon.status, 200, "{}", anon.text());
    assert!(
        anon.text().contains("вы не авторизованы"),
        "{}",
        anon.text()
    );

    let resp = web.login("ma1", "12");
    let location = resp.location().expect("Location after login").to_string();
    assert!(
        location == "/" || location.ends_with(&format!("127.0.0.1:{}/", site.port)),
        "{location}"
    );
    assert!(
        !web.jar.0.is_empty(),
        "no session cookie after login: {:?}",
        resp.headers
    );
    for cookie in resp.set_cookies() {
        assert!(
            cookie.to_ascii_lowercase().contains("httponly"),
            "cookie without HttpOnly: {cookie}"
        );
    }

    let index = web.get("/");
    assert_eq!(index.status, 200, "{}", index.text());
    let html = index.text();
    assert!(html.contains("добро пожаловать, ma1"), "{html}");

    let token = common::csrf_token(&html);
    let out = web.post_form("/users/logout", &[("csrf_token", &token)]);
    assert_eq!(out.status, 302, "{}", out.text());
    assert!(
        out.location().unwrap_or("").ends_with("/users/login"),
        "{:?}",
        out.location()
    );
    let after = web.get("/");
    assert_eq!(after.status, 200);
    assert!(
        !after.text().contains("добро пожаловать"),
        "still logged in after logout:\n{}",
        after.text()
    );
}

#[test]
fn wrong_password_is_refused_through_apache() {
    let db = TestDb::seeded();
    let site = ApacheSite::start(&db);
    let mut web = site.client();
    let resp = web.submit(
        "/users/login",
        "/users/login",
        &[("login", "ma1"), ("password", "13")],
    );
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert!(
        resp.text().contains("неверный логин или пароль!"),
        "{}",
        resp.text()
    );
    assert!(!web.get("/").text().contains("добро пожаловать"));
}

#[test]
fn query_string_survives_the_rewrite() {
    let db = TestDb::seeded();
    let site = ApacheSite::start(&db);
    let mut web = site.client();
    // `next` exists only in the query string of the POST: the binary sees it only if QSA works.
    let page = web.get("/users/login?next=%2Fusers%2Fchange_password");
    assert_eq!(page.status, 200, "{}", page.text());
    let token = common::csrf_token(&page.text());
    let resp = web.post_form(
        "/users/login?next=%2Fusers%2Fchange_password",
        &[("login", "ma1"), ("password", "12"), ("csrf_token", &token)],
    );
    assert_eq!(resp.status, 302, "{}", resp.text());
    let location = resp.location().unwrap_or("");
    assert!(
        location.ends_with("/users/change_password"),
        "next was lost: {location:?}"
    );
    // And Apache's access log shows the request was rewritten to the binary with the query intact.
    // The line is written once the CGI process has ended, which may be a little after the response.
    let logged = |log: &str| {
        log.lines().any(|l| {
            l.contains("\"POST /users/login?next=%2Fusers%2Fchange_password HTTP/1.1\" 302 ")
                && l.ends_with("\"/users/login\"")
        })
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !logged(&site.access_log()) && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(logged(&site.access_log()), "{}", site.access_log());
}

#[test]
fn static_files_are_served_by_apache_with_cache_headers() {
    let db = TestDb::empty();
    let site = ApacheSite::start(&db);
    let static_dir = site.docroot.join("static");
    let files = files_under(&static_dir);
    let css = files
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "css"))
        .unwrap_or_else(|| {
            panic!(
                "install-static wrote no CSS into {}: {files:?}",
                static_dir.display()
            )
        });
    // Change the installed file: only Apache reading the docroot can serve the changed text.
    let path = static_dir.join(css);
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("\n/* served-from-docroot-by-apache */\n");
    std::fs::write(&path, &text).unwrap();

    let url = format!("/static/{}", css.display());
    let resp = site.client().get(&url);
    assert_eq!(resp.status, 200, "{url}: {}", resp.text());
    assert_eq!(
        resp.text(),
        text,
        "{url} was not served from the document root"
    );
    let cache = resp
        .header("cache-control")
        .unwrap_or_else(|| panic!("no Cache-Control: {:?}", resp.headers));
    assert!(cache.contains("max-age="), "{cache}");
    assert!(
        resp.header("content-type")
            .unwrap_or("")
            .starts_with("text/css"),
        "{:?}",
        resp.headers
    );

    // A static file that is not installed falls through to the binary (which embeds the assets).
    let missing = site.client().get("/static/no-such-file.css");
    assert_eq!(missing.status, 404, "{}", missing.text());
}

#[test]
fn config_and_htaccess_are_never_served() {
    let db = TestDb::empty();
    let site = ApacheSite::start(&db);
    // A stray copy in the document root must be refused as well.
    std::fs::copy(&db.config_path, site.docroot.join("crmit.toml")).unwrap();
    std::fs::copy(&db.config_path, site.docroot.join("cgi-bin/crmit.toml.bak")).unwrap();
    for p in [
        site.docroot.join("crmit.toml"),
        site.docroot.join("cgi-bin/crmit.toml.bak"),
    ] {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let mut web = site.client();
    for path in [
        "/crmit.toml",
        "/cgi-bin/crmit.toml",
        "/cgi-bin/crmit.toml.bak",
        "/cgi-bin/%63rmit.toml",
        "/cgi-bin/crmit.toml?x=1",
        "/cgi-bin/./crmit.toml",
        "/static/../cgi-bin/crmit.toml",
        "/.htaccess",
        "/cgi-bin/.htaccess",
        "/cgi-bin/",
    ] {
        let resp = web.get(path);
        assert!(
            resp.status == 403 || resp.status == 404,
            "{path}: {} {}",
            resp.status,
            resp.text()
        );
        assert_no_secrets(&resp.text(), path);
    }
}

#[test]
fn unknown_path_gets_the_binarys_404_page() {
    let db = TestDb::seeded();
    let site = ApacheSite::start(&db);
    let resp = site.client().get("/no/such/page?x=1");
    assert_eq!(resp.status, 404, "{}", resp.text());
    let html = resp.text();
    assert!(
        html.contains("404 - не найдено"),
        "not the binary's 404 page:\n{html}"
    );
    assert!(
        !html.contains("was not found on this server"),
        "Apache's own 404:\n{html}"
    );
}
