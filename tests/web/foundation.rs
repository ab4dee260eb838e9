//! The foundation through the real binary as CGI: login, sessions, CSRF, flashes, passwords,
//! throttling, error pages and bad input — each against its own database.

use crate::common;

use common::{CgiRequest, TestDb, WebClient, csrf_token};

#[test]
fn login_index_logout() {
    let db = TestDb::seeded();
    let mut web = WebClient::new(&db);
    let page = web.get("/users/login");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("авторизация"));
    let token = csrf_token(&page.text());
    let resp = web.send(CgiRequest::post_form(
        "/users/login",
        &[("login", "ma1"), ("password", "12"), ("csrf_token", &token)],
    ));
    assert_eq!(resp.status, 302, "{}", resp.text());
    assert_eq!(resp.location(), Some("/"));
    let index = web.get("/");
    assert!(
        index.text().contains("добро пожаловать, ma1"),
        "{}",
        index.text()
    );
    assert!(index.text().contains("Руководитель Иван Иванович"));
    // last_seen is written for masters on every request (web = 2).
    let mut c = db.conn();
    let seen: i32 = mysql::prelude::Queryable::query_first(
        &mut c,
        "SELECT last_seen_where FROM system_users WHERE login='ma1'",
    )
    .unwrap()
    .unwrap();
    assert_eq!(seen, 2);

    let token = csrf_token(&index.text());
    let out = web.send(CgiRequest::post_form(
        "/users/logout",
        &[("csrf_token", &token)],
    ));
    assert_eq!(out.status, 302);
    assert_eq!(out.location(), Some("/users/login"));
    let login_page = web.get("/users/login");
    assert!(login_page.text().contains("вы вышли из системы"));
    assert!(web.get("/").text().contains("вы не авторизованы"));
}

#[test]
fn wrong_password_disabled_and_bot() {
    let db = TestDb::seeded();
    let mut web = WebClient::new(&db);
    let r = web.submit(
        "/users/login",
        "/users/login",
        &[("login", "ma1"), ("password", "13")],
    );
    assert_eq!(r.status, 200);
    assert!(r.text().contains("неверный логин или пароль!"));
    let r = web.submit(
        "/users/login",
        "/users/login",
        &[("login", "nobody"), ("password", "12")],
    );
    assert!(r.text().contains("неверный логин или пароль!"));

    let r = web.submit(
        "/users/login",
        "/users/login",
        &[("login", "dump_creator"), ("password", "12")],
    );
    assert_eq!(r.status, 302);
    assert!(
        web.get("/users/login")
            .text()
            .contains("боты не могут авторизовываться на сайте!")
    );

    let mut c = db.conn();
    mysql::prelude::Queryable::query_drop(
        &mut c,
        "UPDATE system_users SET enabled = 0 WHERE login = 'te1'",
    )
    .unwrap();
    let r = web.submit(
        "/users/login",
        "/users/login",
        &[("login", "te1"), ("password", "12")],
    );
    assert_eq!(r.status, 302);
    assert!(
        web.get("/users/login")
            .text()
            .contains("ваш аккаунт был отключен!")
    );
    assert!(web.get("/").text().contains("вы не авторизованы"));
}

#[test]
fn disabling_a_user_ends_the_session() {
    let db = TestDb::seeded();
    let mut web = WebClient::login(&db, "te1", "12");
    assert!(web.get("/").text().contains("добро пожаловать, te1"));
    let mut c = db.conn();
    mysql::prelude::Queryable::query_drop(
        &mut c,
        "UPDATE system_users SET enabled = 0 WHERE login = 'te1'",
    )
    .unwrap();
    assert!(web.get("/").text().contains("вы не авторизованы"));
    let r = web.get("/users/change_password");
    assert_eq!(r.status, 302);
    assert!(r.location().unwrap().starts_with("/users/login?next="));
}

#[test]
fn anonymous_is_sent_to_login_with_next_and_comes_back() {
    let db = TestDb::seeded();
    let mut web = WebClient::new(&db);
    let r = web.get("/users/change_password");
    assert_eq!(r.status, 302);
    let location = r.location().unwrap().to_string();
    assert_eq!(location, "/users/login?next=%2Fusers%2Fchange_password");
    let r = web.submit(
        &location,
        &location,
        &[("login", "ma1"), ("password", "12")],
    );
    assert_eq!(r.status, 302);
    assert_eq!(r.location(), Some("/users/change_password"));
    // An external `next` is ignored.
    let mut other = WebClient::new(&db);
    let r = other.submit(
        "/users/login?next=https://evil.example/",
        "/users/login?next=https://evil.example/",
        &[("login", "ma1"), ("password", "12")],
    );
    assert_eq!(r.location(), Some("/"));
}

#[test]
fn remember_me_sets_a_persistent_cookie_and_session_binding_applies_otherwise() {
    let db = TestDb::seeded();
    let mut web = WebClient::new(&db);
    let r = web.submit(
        "/users/login",
        "/users/login",
        &[("login", "ma1"), ("password", "12"), ("remember", "y")],
    );
    assert!(
        r.set_cookies()
            .iter()
            .any(|c| c.contains("Max-Age=31536000") && c.contains("HttpOnly"))
    );
    // A remembered session survives a change of browser; a plain one does not.
    let r = db.cgi(
        &CgiRequest::get("/")
            .with_cookies(&web.jar)
            .header("User-Agent", "other"),
    );
    assert!(r.text().contains("добро пожаловать, ma1"));
    let plain = WebClient::login(&db, "ma1", "12");
    let r = db.cgi(
        &CgiRequest::get("/")
            .with_cookies(&plain.jar)
            .header("User-Agent", "other"),
    );
    assert!(r.text().contains("вы не авторизованы"));
}

#[test]
fn csrf_is_required_for_every_post() {
    let db = TestDb::seeded();
    let mut web = WebClient::login(&db, "ma1", "12");
    let before = db.count("system_users");
    for token in [None, Some("wrong")] {
        let mut fields = vec![
            ("current_password", "12"),
            ("password", "x"),
            ("password_confirm", "x"),
        ];
        if let Some(t) = token {
            fields.push(("csrf_token", t));
        }
        let r = web.send(CgiRequest::post_form("/users/change_password", &fields));
        assert_eq!(r.status, 400, "{}", r.text());
        assert!(r.text().contains("400 - ошибочный запрос"));
    }
    // The password did not change.
    assert_eq!(db.count("system_users"), before);
    WebClient::login(&db, "ma1", "12");
    // Login without a token is refused too.
    let r = db.cgi(&CgiRequest::post_form(
        "/users/login",
        &[("login", "ma1"), ("password", "12")],
    ));
    assert_eq!(r.status, 400);
}

#[test]
fn change_password_keeps_this_session_and_ends_app_tokens() {
    let db = TestDb::seeded();
    let mut web = WebClient::login(&db, "te1", "12");
    let mut c = db.conn();
    mysql::prelude::Queryable::query_drop(
        &mut c,
        "INSERT INTO access_tokens (system_user_id, expires, token_hash, device, last_use, app_version)
         SELECT id, UTC_TIMESTAMP() + INTERVAL 1 DAY, 'h1$x', 'Pixel', UTC_TIMESTAMP(), '1.0' FROM system_users WHERE login='te1'",
    )
    .unwrap();
    let other_session = WebClient::login(&db, "te1", "12");

    let r = web.submit(
        "/users/change_password",
        "/users/change_password",
        &[
            ("current_password", "wrong"),
            ("password", "new"),
            ("password_confirm", "new"),
        ],
    );
    assert!(r.text().contains("неверный старый пароль!"));
    let r = web.submit(
        "/users/change_password",
        "/users/change_password",
        &[
            ("current_password", "12"),
            ("password", "new"),
            ("password_confirm", "other"),
        ],
    );
    assert!(r.text().contains("пароли должны совпадать"));
    assert_eq!(db.count("access_tokens"), 1);

    let r = web.submit(
        "/users/change_password",
        "/users/change_password",
        &[
            ("current_password", "12"),
            ("password", "новый"),
            ("password_confirm", "новый"),
        ],
    );
    assert_eq!(r.status, 302);
    assert!(
        web.get("/")
            .text()
            .contains("ваш пароль изменен и все ваши сессии в мобильном приложении завершены")
    );
    assert_eq!(db.count("access_tokens"), 0);
    // The other browser's session ended with the old password.
    let r = db.cgi(&CgiRequest::get("/").with_cookies(&other_session.jar));
    assert!(r.text().contains("вы не авторизованы"));
    WebClient::login(&db, "te1", "новый");
}

#[test]
fn force_change_password_rules() {
    let db = TestDb::seeded();
    let id = |login: &str| -> u32 {
        let mut c = db.conn();
        mysql::prelude::Queryable::exec_first(
            &mut c,
            "SELECT id FROM system_users WHERE login = ?",
            (login,),
        )
        .unwrap()
        .unwrap()
    };
    let (ma1, st1, dev1) = (id("ma1"), id("st1"), id("dev1"));
    let mut teacher = WebClient::login(&db, "te1", "12");
    assert_eq!(
        teacher
            .get(&format!("/users/force_change_password/{ma1}"))
            .status,
        403
    );
    assert_eq!(
        teacher.get("/users/force_change_password/99999").status,
        404
    );
    let mut master = WebClient::login(&db, "ma1", "12");
    assert_eq!(
        master
            .get(&format!("/users/force_change_password/{dev1}"))
            .status,
        403
    );
    assert_eq!(
        master
            .get(&format!("/users/force_change_password/{ma1}"))
            .location(),
        Some("/")
    );

    let student = WebClient::login(&db, "st1", "31082002");
    let path = format!("/users/force_change_password/{st1}");
    let r = teacher.submit(
        &path,
        &path,
        &[("password", "abc"), ("password_confirm", "abc")],
    );
    assert_eq!(r.status, 302);
    assert!(
        teacher
            .get("/")
            .text()
            .contains("пароль пользователя st1 изменен")
    );
    // The student is logged out and must use the new password.
    let r = db.cgi(&CgiRequest::get("/").with_cookies(&student.jar));
    assert!(r.text().contains("вы не авторизованы"));
    WebClient::login(&db, "st1", "abc");
}

#[test]
fn developer_is_read_only_except_own_password() {
    let db = TestDb::seeded();
    let mut dev = WebClient::login(&db, "dev1", "12");
    let index = dev.get("/");
    assert!(index.text().contains("режим только чтения"));
    let st1: u32 = {
        let mut c = db.conn();
        mysql::prelude::Queryable::query_first(
            &mut c,
            "SELECT id FROM system_users WHERE login='st1'",
        )
        .unwrap()
        .unwrap()
    };
    let path = format!("/users/force_change_password/{st1}");
    let r = dev.submit(
        &path,
        &path,
        &[("password", "abc"), ("password_confirm", "abc")],
    );
    assert_eq!(r.status, 302);
    WebClient::login(&db, "st1", "31082002"); // rolled back
    let r = dev.submit(
        "/users/change_password",
        "/users/change_password",
        &[
            ("current_password", "12"),
            ("password", "dd"),
            ("password_confirm", "dd"),
        ],
    );
    assert_eq!(r.status, 302);
    WebClient::login(&db, "dev1", "dd"); // persisted
}

/// A web login of ma1 at `at` from the client's address; the page's text.
fn log_in_at(web: &mut WebClient, at: &str, password: &str) -> common::CgiResponse {
    web.clock = Some(format!("2026-01-10 {at}"));
    web.submit(
        "/users/login",
        "/users/login",
        &[("login", "ma1"), ("password", password)],
    )
}

#[test]
fn a_guesser_is_slowed_then_locked_while_the_owner_elsewhere_logs_in() {
    let db = TestDb::seeded();
    let mut guesser = WebClient::new(&db).coming_from("10.0.0.66");
    let wrong = "неверный логин или пароль!";
    let wait = |minutes: &str| {
        format!("слишком много неудачных попыток входа: попробуйте снова через {minutes}")
    };
    // Two failures cost nothing; the third makes him wait 30 s, even with the right password.
    for at in ["10:00:00", "10:00:01", "10:00:02"] {
        assert!(
            log_in_at(&mut guesser, at, "bad").text().contains(wrong),
            "{at}"
        );
    }
    let r = log_in_at(&mut guesser, "10:00:10", "12");
    assert!(r.text().contains(&wait("1 минуту")), "{}", r.text());
    // The fourth failure makes him wait 2 minutes, the fifth 15.
    assert!(
        log_in_at(&mut guesser, "10:00:40", "bad")
            .text()
            .contains(wrong)
    );
    assert!(
        log_in_at(&mut guesser, "10:01:00", "bad")
            .text()
            .contains(&wait("2 минуты"))
    );
    assert!(
        log_in_at(&mut guesser, "10:03:00", "bad")
            .text()
            .contains(wrong)
    );
    assert!(
        log_in_at(&mut guesser, "10:04:00", "12")
            .text()
            .contains(&wait("14 минут"))
    );

    // The owner at another address logs in meanwhile, and so does another login at the
    // guesser's address (the address's own limit is higher).
    let mut owner = WebClient::new(&db).coming_from("192.168.1.5");
    assert_eq!(log_in_at(&mut owner, "10:04:00", "12").status, 302);
    let mut colleague = WebClient::new(&db).coming_from("10.0.0.66");
    colleague.clock = Some("2026-01-10 10:04:00".into());
    let r = colleague.submit(
        "/users/login",
        "/users/login",
        &[("login", "te1"), ("password", "12")],
    );
    assert_eq!(r.status, 302);
    // The lock ends: the guesser may try again.
    assert_eq!(log_in_at(&mut guesser, "10:18:01", "12").status, 302);
}

#[test]
fn error_pages_and_bad_input() {
    let db = TestDb::seeded();
    let r = db.cgi(&CgiRequest::get("/no/such/page"));
    assert_eq!(r.status, 404);
    assert!(r.text().contains("404 - не найдено"));
    let r = db.cgi(&CgiRequest::post_form("/", &[]));
    assert_eq!(r.status, 405);
    assert!(r.header("allow").unwrap().contains("GET"));
    let r = db.cgi(&CgiRequest::get("/users/force_change_password/abc"));
    assert_eq!(r.status, 404);

    // Garbage and tampered cookies are just an anonymous visitor.
    let mut jar = common::CookieJar::default();
    for value in ["garbage", "a.b", "eyJ1Ijo1fQ.AAAA", "%FF%FE", ""] {
        jar.0.insert("crmit_session".into(), value.into());
        let r = db.cgi(&CgiRequest::get("/").with_cookies(&jar));
        assert_eq!(r.status, 200, "cookie {value}");
        assert!(r.text().contains("вы не авторизованы"));
    }

    // Oversized body: 413 before anything is read or written.
    let big = vec![b'a'; 70_000];
    let r = db.cgi(&CgiRequest::post_raw(
        "/users/login",
        "application/x-www-form-urlencoded",
        &big,
    ));
    assert_eq!(r.status, 413);
    assert!(r.text().contains("413"));

    // Invalid UTF-8 in the form or the path.
    let mut web = WebClient::new(&db);
    let page = web.get("/users/login");
    let token = csrf_token(&page.text());
    let body = format!("login=%FF%FE&password=x&csrf_token={token}");
    let r = web.send(CgiRequest::post_raw(
        "/users/login",
        "application/x-www-form-urlencoded",
        body.as_bytes(),
    ));
    assert_eq!(r.status, 400);
    assert!(r.text().contains("UTF-8"));
    let r = db.cgi(&CgiRequest::get("/%FF"));
    assert_eq!(r.status, 400);
    assert_eq!(
        db.count("login_throttle"),
        0,
        "no failure was recorded for refused requests"
    );
}

#[test]
fn database_down_gives_a_russian_503() {
    let db = TestDb::seeded();
    std::fs::write(
        &db.config_path,
        common::config_text(
            std::path::Path::new("/nonexistent/mysqld.sock"),
            &db.name,
            "",
        ),
    )
    .unwrap();
    let r = db.cgi(&CgiRequest::get("/"));
    assert_eq!(r.status, 503);
    assert!(r.text().contains("503 - сервис временно недоступен"));
}

#[test]
fn static_assets_have_cache_headers() {
    let db = TestDb::empty();
    let r = db.cgi(&CgiRequest::get("/static/app.css?v=1"));
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/css"));
    assert!(r.header("cache-control").unwrap().contains("immutable"));
    assert_eq!(db.cgi(&CgiRequest::get("/static/nope.css")).status, 404);
}

#[test]
fn placeholder_secret_is_refused() {
    let db = TestDb::empty();
    let text = std::fs::read_to_string(&db.config_path).unwrap().replace(
        "test-secret-key-0123456789abcdef0123456789abcdef",
        crmit_placeholder(),
    );
    std::fs::write(&db.config_path, text).unwrap();
    let r = db.cgi(&CgiRequest::get("/"));
    assert_eq!(r.status, 500);
    assert!(!r.text().contains("CHANGE-ME"));
    assert!(r.stderr.contains("init-config"), "{}", r.stderr);
    let out = db.crmit(&["serve", "--listen", "127.0.0.1:0"]);
    assert!(!out.status.success());
}

/// `init-config` writes a config the site runs with, with secrets of its own, readable by no
/// one outside the group, and replaces an existing one only when told to.
#[test]
fn init_config_writes_a_working_config_and_keeps_an_existing_one() {
    use std::os::unix::fs::PermissionsExt;
    let db = TestDb::seeded();
    let socket = common::mariadb::server().socket.display().to_string();
    let url = format!(
        "mysql://{}:{}@localhost/{}",
        common::ADMIN_USER,
        common::ADMIN_PASSWORD,
        db.name
    );
    std::fs::remove_file(&db.config_path).unwrap();
    let init = ["init-config", "--database-url", &url, "--socket", &socket];
    db.crmit_ok(&init);
    let mode = std::fs::metadata(&db.config_path)
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
    let secrets = |text: &str| {
        let table: toml::Table = text.parse().unwrap();
        let security = table["security"].as_table().unwrap().clone();
        let key = security["secret_key"].as_str().unwrap().to_string();
        let salt = security["access_token_salt"].as_str().unwrap().to_string();
        (key, salt)
    };
    let first = std::fs::read_to_string(&db.config_path).unwrap();
    let (key, salt) = secrets(&first);
    // 32 and 16 random bytes in URL-safe base64 without padding.
    assert_eq!((key.len(), salt.len()), (43, 22), "{first}");
    assert!(!key.contains("CHANGE-ME"));

    let mut web = WebClient::login(&db, "ma1", "12");
    let index = web.get("/");
    assert_eq!(index.status, 200, "{}", index.text());

    let again = db.crmit(&init);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&db.config_path).unwrap(), first);

    let mut forced = init.to_vec();
    forced.push("--force");
    db.crmit_ok(&forced);
    let (new_key, new_salt) = secrets(&std::fs::read_to_string(&db.config_path).unwrap());
    assert_ne!(new_key, key);
    assert_ne!(new_salt, salt);
}

fn crmit_placeholder() -> &'static str {
    "CHANGE-ME"
}

#[test]
fn visits_are_counted_per_route() {
    let db = TestDb::seeded();
    db.cgi(&CgiRequest::get("/"));
    db.cgi(&CgiRequest::get("/"));
    db.cgi(&CgiRequest::get("/users/login"));
    let mut c = db.conn();
    let n: u32 = mysql::prelude::Queryable::query_first(
        &mut c,
        "SELECT visits_count FROM page_visits WHERE page_name = 'GET /'",
    )
    .unwrap()
    .unwrap();
    assert_eq!(n, 2);
}

/// The visit count travels after the end of the page's transaction: when it fails, the page and
/// its save stand (here a login, whose session row must be committed for the next page).
#[test]
fn a_failing_visit_count_breaks_neither_the_page_nor_its_save() {
    let db = TestDb::seeded();
    let mut c = db.conn();
    mysql::prelude::Queryable::query_drop(&mut c, "RENAME TABLE page_visits TO gone_visits")
        .unwrap();
    assert_eq!(db.cgi(&CgiRequest::get("/users/login")).status, 200);
    let mut web = WebClient::login(&db, "ma1", "12");
    let page = web.get("/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("ma1"), "{}", page.text());
}

#[test]
fn student_sees_own_card_on_the_index() {
    let db = TestDb::seeded();
    let mut web = WebClient::login(&db, "st1", "31082002");
    let page = web.get("/").text();
    for expected in [
        "добро пожаловать, st1",
        "31.08.2002",
        "школа №42",
        "8 902 333-44-55</a> (ученик)",
        "Россия",
        "нет родитей",
        "робо-71",
        "Учитель Петр Петрович",
        "сентябрь 2017 — май 2018",
    ] {
        assert!(page.contains(expected), "{expected} missing in:\n{page}");
    }
    assert!(
        !page.contains("вы действуете как"),
        "hidden on the home page"
    );
}

#[test]
fn a_page_visit_deletes_only_the_visitors_expired_app_tokens() {
    let db = TestDb::seeded();
    let mut c = db.conn();
    // An expired (-1 day) and a valid (+1 day) app token each for the visitor and for a master.
    for (login, days) in [("te1", -1), ("te1", 1), ("ma1", -1), ("ma1", 1)] {
        mysql::prelude::Queryable::exec_drop(
            &mut c,
            "INSERT INTO access_tokens (system_user_id, expires, token_hash, device, last_use, app_version)
             SELECT id, UTC_TIMESTAMP() + INTERVAL ? DAY, CONCAT('h1$', login, ?), 'Pixel',
                    UTC_TIMESTAMP(), '1.0'
             FROM system_users WHERE login = ?",
            (days, days, login),
        )
        .unwrap();
    }
    let mut web = WebClient::login(&db, "te1", "12");

    assert_eq!(web.get("/").status, 200);
    let left: Vec<String> = mysql::prelude::Queryable::query(
        &mut c,
        "SELECT token_hash FROM access_tokens ORDER BY token_hash",
    )
    .unwrap();
    assert_eq!(left, ["h1$ma1-1", "h1$ma11", "h1$te11"]);

    // Nothing more to delete: the next visit changes no token.
    assert_eq!(web.get("/").status, 200);
    assert_eq!(db.count("access_tokens"), 3);
}
