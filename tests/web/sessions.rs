//! Server-side web sessions (`web_sessions`): a session ends for good at logout, «завершить»,
//! a password change or a disabled account, and the table holds only the secret's hash.

use crate::common;
use crate::common::db::*;
use crate::common::fixture::details_id;
use common::{CgiRequest, CookieJar, TestDb, WebClient, csrf_token};

/// Whether a copy of these cookies still opens a page as a signed-in user.
fn signed_in(db: &TestDb, jar: &CookieJar) -> bool {
    let page = db.cgi(&CgiRequest::get("/").with_cookies(jar)).text();
    !page.contains("вы не авторизованы")
}

/// POSTs a button of «мои сеансы» (`action`) with the page's CSRF token.
fn press(web: &mut WebClient, action: &str) -> common::CgiResponse {
    let token = csrf_token(&web.get("/users/sessions").text());
    web.send(CgiRequest::post_form(action, &[("csrf_token", &token)]))
}

fn sessions_of(db: &TestDb, login: &str) -> u64 {
    query_one(
        db,
        "SELECT COUNT(*) FROM web_sessions ws JOIN system_users su ON su.id = ws.system_user_id
         WHERE su.login = ?",
        (login,),
    )
}

#[test]
fn a_copied_cookie_opens_nothing_after_logout() {
    let db = TestDb::seeded();
    let mut web = WebClient::login(&db, "ma1", "12");
    let copy = web.jar.clone();
    assert!(signed_in(&db, &copy));
    assert_eq!(sessions_of(&db, "ma1"), 1);
    let token = csrf_token(&web.get("/").text());
    let r = web.send(CgiRequest::post_form(
        "/users/logout",
        &[("csrf_token", &token)],
    ));
    assert_eq!(r.status, 302);
    assert!(!signed_in(&db, &copy), "the old cookie is refused");
    assert_eq!(sessions_of(&db, "ma1"), 0);
}

#[test]
fn the_table_holds_only_the_hash_of_the_secret() {
    let db = TestDb::seeded();
    let web = WebClient::login(&db, "ma1", "12");
    let cookie = web.jar.0["crmit_session"].clone();
    let (body, _) = cookie.split_once('.').unwrap();
    use base64::Engine;
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(body)
        .unwrap();
    let payload: serde_json::Value = serde_json::from_slice(&payload).unwrap();
    let secret = payload["s"].as_str().unwrap().to_string();
    assert!(secret.len() >= 24, "{payload}");
    let (hash, browser): (String, String) =
        query_one(&db, "SELECT token_hash, browser FROM web_sessions", ());
    assert_eq!(hash.len(), 64);
    assert!(!hash.contains(&secret));
    assert_eq!(
        browser, "crmit-tests",
        "the browser's own words when it names no known one"
    );
}

#[test]
fn my_sessions_are_listed_and_ended_one_or_all_but_this() {
    let db = TestDb::seeded();
    let mut office = WebClient::login(&db, "te1", "12");
    let phone = WebClient::login(&db, "te1", "12");
    let tablet = WebClient::login(&db, "te1", "12");
    let other_user = WebClient::login(&db, "ma1", "12");
    let page = office.get("/users/sessions").text();
    assert_eq!(page.matches("завершить этот сеанс?").count(), 3, "{page}");
    assert_eq!(page.matches("(этот сеанс)").count(), 1);
    assert!(page.contains("завершить все, кроме этого"));

    // One of them: the phone's.
    let ids: Vec<u32> = query_rows(
        &db,
        "SELECT ws.id FROM web_sessions ws JOIN system_users su ON su.id = ws.system_user_id
         WHERE su.login = 'te1' ORDER BY ws.id",
        (),
    );
    let r = press(&mut office, &format!("/users/sessions/end/{}", ids[1]));
    assert_eq!(r.location(), Some("/users/sessions"));
    assert!(!signed_in(&db, &phone.jar));
    assert!(signed_in(&db, &tablet.jar));
    // Another user's session is not mine to end.
    let ma1_session: u32 = query_one(
        &db,
        "SELECT ws.id FROM web_sessions ws JOIN system_users su ON su.id = ws.system_user_id
         WHERE su.login = 'ma1'",
        (),
    );
    let r = press(&mut office, &format!("/users/sessions/end/{ma1_session}"));
    assert_eq!(r.status, 404);
    assert!(signed_in(&db, &other_user.jar));

    // All but this one.
    let r = press(&mut office, "/users/sessions/end_others");
    assert_eq!(r.status, 302);
    assert!(!signed_in(&db, &tablet.jar));
    assert!(signed_in(&db, &office.jar));
    assert!(
        office
            .get("/users/sessions")
            .text()
            .contains("все другие сеансы на сайте завершены")
    );
    assert_eq!(sessions_of(&db, "te1"), 1);

    // This one: signed out.
    let r = press(&mut office, &format!("/users/sessions/end/{}", ids[0]));
    assert_eq!(r.location(), Some("/users/login"));
    assert!(!signed_in(&db, &office.jar));
}

#[test]
fn a_password_change_or_a_disabled_account_ends_the_other_sessions() {
    let db = TestDb::seeded();
    let mut here = WebClient::login(&db, "te1", "12");
    let there = WebClient::login(&db, "te1", "12");
    let r = here.submit(
        "/users/change_password",
        "/users/change_password",
        &[
            ("current_password", "12"),
            ("password", "new-password-1"),
            ("password_confirm", "new-password-1"),
        ],
    );
    assert_eq!(r.status, 302, "{}", r.text());
    assert!(signed_in(&db, &here.jar), "this session goes on");
    assert!(!signed_in(&db, &there.jar));
    assert_eq!(sessions_of(&db, "te1"), 1);

    // The master disables te1: his browser is signed out, and stays so once he is enabled.
    let mut ma = WebClient::login(&db, "ma1", "12");
    let edit = format!("/users/teacher/{}", details_id(&db, "teachers", "te1"));
    let fio: String = query_one(&db, "SELECT fio FROM teachers", ());
    let save = |ma: &mut WebClient, enabled: &[(&'static str, &'static str)]| {
        let mut fields = vec![
            ("login", "te1"),
            ("fio", fio.as_str()),
            ("phone", "89011111111"),
        ];
        fields.extend_from_slice(enabled);
        let r = ma.submit(&edit, &edit, &fields);
        assert_eq!(r.status, 302, "{}", r.text());
    };
    save(&mut ma, &[]);
    assert!(!signed_in(&db, &here.jar));
    save(&mut ma, &[("enabled", "y")]);
    assert!(
        !signed_in(&db, &here.jar),
        "the session ended with the disabling"
    );
    assert_eq!(sessions_of(&db, "te1"), 0);
}

#[test]
fn expired_sessions_are_removed_a_hundred_at_a_login() {
    let db = TestDb::seeded();
    exec(
        &db,
        "INSERT INTO web_sessions (system_user_id, token_hash, password_tag, remember, created,
           last_seen, expires, browser)
         SELECT su.id, SHA2(seq, 256), 'old', 0, '2020-01-01', '2020-01-01', '2020-01-02', 'старый'
         FROM seq_1_to_150 JOIN system_users su ON su.login = 'ma1'",
        (),
    );
    WebClient::login(&db, "te1", "12");
    assert_eq!(
        query_one::<u64>(
            &db,
            "SELECT COUNT(*) FROM web_sessions WHERE browser = 'старый'",
            ()
        ),
        50
    );
    WebClient::login(&db, "te1", "12");
    assert_eq!(
        query_one::<u64>(
            &db,
            "SELECT COUNT(*) FROM web_sessions WHERE browser = 'старый'",
            ()
        ),
        0
    );
}

/// `last_seen` is shown to the minute, so it is written once a minute: a page opened again within
/// the minute the row holds leaves it as it is; the next minute writes it, and so does a page
/// opened after the app has noted its own visit (another place) in the same minute.
#[test]
fn last_seen_is_written_once_a_minute_and_place() {
    let db = TestDb::seeded();
    let mut web = WebClient::login_at(&db, "2026-03-02 10:15:07", "ma1", "12");
    let seen = || -> String {
        query_one(
            &db,
            "SELECT CONCAT(last_seen, '|', last_seen_where) FROM system_users WHERE login = 'ma1'",
            (),
        )
    };
    let mut open_at = |utc: &str| {
        web.clock = Some(utc.into());
        assert_eq!(web.get("/").status, 200);
    };
    open_at("2026-03-02 10:15:07");
    assert_eq!(seen(), "2026-03-02 10:15:07|2");
    open_at("2026-03-02 10:15:59");
    assert_eq!(
        seen(),
        "2026-03-02 10:15:07|2",
        "the same minute is not written again"
    );
    open_at("2026-03-02 10:16:00");
    assert_eq!(seen(), "2026-03-02 10:16:00|2");
    exec(
        &db,
        "UPDATE system_users SET last_seen_where = 3 WHERE login = 'ma1'",
        (),
    );
    open_at("2026-03-02 10:16:30");
    assert_eq!(
        seen(),
        "2026-03-02 10:16:30|2",
        "a visit from the app is another place"
    );
}
