//! REST API v1.1.0 through the CGI binary: encoding, login, tokens (fast and legacy hashes), the
//! authentication pipeline and its committed bookkeeping, role checks, routing errors.

use crate::common;

use crate::common::api::*;
use crate::common::db::*;
use crate::common::fixture::*;
use common::{CgiRequest, TestDb, WebClient};
use serde_json::json;

#[test]
fn app_info_exact_bytes() {
    let db = TestDb::seeded();
    let resp = db.cgi(&CgiRequest::get(&format!("{API}/app_info")));
    assert_eq!(resp.status, 200);
    assert_eq!(resp.header("content-type"), Some(JSON_TYPE));
    assert_eq!(resp.body, b"{\"actualAppBuildCode\":9}\n");
}

#[test]
fn login_each_role() {
    let db = TestDb::seeded();
    for (who, kind, table) in [
        ("ma1", "MASTER", "masters"),
        ("te1", "TEACHER", "teachers"),
        ("dev1", "DEVELOPER", "developers"),
        ("dump_creator", "BOT", "bots"),
    ] {
        let resp = db.cgi(&login_request(&json!({
            "login": who, "password": "12", "device": "d", "appVersion": "1.3.2"
        })));
        let v = ok_json(&resp);
        assert_eq!(v["accountType"], kind);
        let details = details_id(&db, table, who);
        assert_eq!(v["detailsId"], details);
        let token = v["token"].as_str().unwrap();
        assert_eq!(token.len(), 36);
        assert_eq!(token, token.to_lowercase());
        assert_eq!(&token[14..15], "4");
        // Stored in the fast format, with the device and a 42-day expiry.
        let (device, version, days): (String, String, i64) = mysql::prelude::Queryable::exec_first(
            &mut db.conn(),
            "SELECT device, app_version, TIMESTAMPDIFF(HOUR, UTC_TIMESTAMP(), expires) FROM access_tokens WHERE token_hash = ?",
            (fast_hash(token),),
        )
        .unwrap()
        .expect("token row");
        assert_eq!((device.as_str(), version.as_str()), ("d", "1.3.2"));
        assert!((42 * 24 - 1..=42 * 24).contains(&days), "{days}");
        let seen: i32 = query_one(
            &db,
            "SELECT last_seen_where FROM system_users WHERE login = ?",
            (who,),
        );
        assert_eq!(seen, 3, "{who}: login is tracked, developers included");
    }
}

#[test]
fn login_errors() {
    let db = TestDb::seeded();
    let attempt = |login: &str, password: &str| {
        db.cgi(&login_request(&json!({
            "login": login, "password": password, "device": "d", "appVersion": "1"
        })))
    };
    let wrong = b"{\"loginErrorReason\":\"WRONG_LOGIN_OR_PASSWORD\"}\n".to_vec();
    for (login, password) in [("ma1", "13"), ("nobody", "12")] {
        let r = attempt(login, password);
        assert_eq!(r.status, 400);
        assert_eq!(r.header("content-type"), Some(JSON_TYPE));
        assert_eq!(r.body, wrong);
    }
    let r = attempt("st1", "31082002");
    assert_eq!(r.status, 400);
    assert_eq!(
        r.text(),
        "{\"loginErrorReason\":\"STUDENT_ACCOUNT_IN_NOT_SUPPORTED\"}\n"
    );
    exec(
        &db,
        "UPDATE system_users SET enabled = 0 WHERE login = 'te1'",
        (),
    );
    let r = attempt("te1", "12");
    assert_eq!(r.text(), "{\"loginErrorReason\":\"ACCOUNT_DISABLED\"}\n");
    assert_eq!(attempt("te1", "13").body, wrong);
    assert_eq!(db.count("access_tokens"), 0);

    // Malformed input is a 400 `bad request` (the original's 500), never a token.
    let missing = db.cgi(&login_request(
        &json!({"login": "ma1", "password": "12", "device": "d"}),
    ));
    assert_plain(&missing, 400, "bad request");
    let broken = db.cgi(&CgiRequest::post_raw(
        &format!("{API}/login"),
        "application/json",
        b"{",
    ));
    assert_plain(&broken, 400, "bad request");
    let empty = db.cgi(&CgiRequest::post_raw(
        &format!("{API}/login"),
        "application/json",
        b"",
    ));
    assert_plain(&empty, 400, "bad request");
    let form = db.cgi(&CgiRequest::post_form(
        &format!("{API}/login"),
        &[
            ("login", "ma1"),
            ("password", "12"),
            ("device", "d"),
            ("appVersion", "1"),
        ],
    ));
    assert_plain(&form, 400, "bad request");
    assert_eq!(db.count("access_tokens"), 0);

    // application/<x>+json with a charset is JSON too; values are str()-coerced.
    let vendor = db.cgi(&CgiRequest::post_raw(
        &format!("{API}/login"),
        "application/vnd.crmit+json; charset=utf-8",
        br#"{"login":"ma1","password":"12","device":5,"appVersion":true}"#,
    ));
    ok_json(&vendor);
    let row: (String, String) = mysql::prelude::Queryable::query_first(
        &mut db.conn(),
        "SELECT device, app_version FROM access_tokens",
    )
    .unwrap()
    .unwrap();
    assert_eq!(row, ("5".to_string(), "True".to_string()));
}

#[test]
fn werkzeug_014_hash_logs_in() {
    let db = TestDb::seeded();
    exec(
        &db,
        "UPDATE system_users SET password_hash = 'pbkdf2:sha256:50000$ouK6YFIU$0854a31baf9e69b0291a24b5a030073a84dcea03c46589dbcfd2788dee0ee7e5' WHERE login = 'ma1'",
        (),
    );
    let token = login(&db, "ma1", "12");
    ok_json(&get(&db, "/sections_list", &token));
    let r = db.cgi(&login_request(
        &json!({"login": "ma1", "password": "13", "device": "d", "appVersion": "1"}),
    ));
    assert_eq!(
        r.text(),
        "{\"loginErrorReason\":\"WRONG_LOGIN_OR_PASSWORD\"}\n"
    );
}

/// An app login of ma1 from `address` at `at` (a time of 2026-01-10).
fn app_login(db: &TestDb, address: &str, at: &str, password: &str) -> common::CgiResponse {
    db.cgi(
        &login_request(
            &json!({"login": "ma1", "password": password, "device": "d", "appVersion": "1"}),
        )
        .coming_from(address)
        .at(&format!("2026-01-10 {at}")),
    )
}

const WRONG: &str = "{\"loginErrorReason\":\"WRONG_LOGIN_OR_PASSWORD\"}\n";

#[test]
fn one_address_guessing_is_locked_but_not_the_owner_elsewhere() {
    let db = TestDb::seeded();
    for at in ["10:00:00", "10:00:01", "10:00:02", "10:00:40", "10:03:00"] {
        let r = app_login(&db, "10.0.0.66", at, "nope");
        assert_eq!((r.status, r.text()), (400, WRONG.to_string()), "{at}");
    }
    // Locked at that address: even the right password gets the wrong-password answer.
    let r = app_login(&db, "10.0.0.66", "10:04:00", "12");
    assert_eq!((r.status, r.text()), (400, WRONG.to_string()));
    assert_eq!(db.count("access_tokens"), 0);
    // The owner's phone elsewhere logs in, and another login at that address too.
    ok_json(&app_login(&db, "192.168.1.5", "10:04:00", "12"));
    login(&db, "te1", "12");
}

#[test]
fn failures_from_many_addresses_lock_the_login_for_everyone_for_a_while() {
    let db = TestDb::seeded();
    // Six addresses, five failures each, as fast as each one's slow-down allows.
    for at in ["10:00:00", "10:00:01", "10:00:02", "10:00:40", "10:03:00"] {
        for n in 1..=6 {
            let r = app_login(&db, &format!("10.0.1.{n}"), at, "nope");
            assert_eq!(r.text(), WRONG, "{at} from 10.0.1.{n}");
        }
    }
    // 30 failures: the login is locked, the owner at a new address too, with the contract's body.
    let r = app_login(&db, "192.168.1.5", "10:04:00", "12");
    assert_eq!((r.status, r.text()), (400, WRONG.to_string()));
    // The web says when to try again.
    let mut owner = WebClient::new(&db).coming_from("192.168.1.5");
    owner.clock = Some("2026-01-10 10:04:00".into());
    let r = owner.submit(
        "/users/login",
        "/users/login",
        &[("login", "ma1"), ("password", "12")],
    );
    assert!(
        r.text().contains("попробуйте снова через 14 минут"),
        "{}",
        r.text()
    );
    // Fifteen minutes after the last failure the owner gets in.
    ok_json(&app_login(&db, "192.168.1.5", "10:18:01", "12"));
}

#[test]
fn missing_unknown_and_altered_tokens() {
    let db = TestDb::seeded();
    let none = db.cgi(&CgiRequest::get(&format!("{API}/sections_list")));
    assert_plain(&none, 401, "auth required");
    assert_plain(&get(&db, "/sections_list", "nope"), 401, "auth required");
    assert_plain(&get(&db, "/sections_list", ""), 401, "auth required");
    let token = login(&db, "te1", "12");
    assert_plain(
        &get(&db, "/sections_list", &token.to_uppercase()),
        401,
        "auth required",
    );
    ok_json(&get(&db, "/sections_list", &token));
    // The first of repeated parameters wins.
    let first_wins = db.cgi(&CgiRequest::get(&format!(
        "{API}/sections_list?access_token={token}&access_token=nope"
    )));
    ok_json(&first_wins);
}

#[test]
fn legacy_token_is_accepted_and_restored_fast() {
    let db = TestDb::seeded();
    let token = "12345678-1234-4234-8234-1234567890ab";
    let te1 = user_id(&db, "te1");
    exec(
        &db,
        "INSERT INTO access_tokens (system_user_id, expires, token_hash, device, last_use, app_version)
         VALUES (?, UTC_TIMESTAMP() + INTERVAL 1 DAY, ?, 'old', UTC_TIMESTAMP(), '1.3.2')",
        (te1, legacy_hash(token)),
    );
    assert_plain(
        &get(&db, "/sections_list", &token.to_uppercase()),
        401,
        "auth required",
    );
    ok_json(&get(&db, "/sections_list", token));
    let stored: String = query_one(&db, "SELECT token_hash FROM access_tokens", ());
    assert_eq!(stored, fast_hash(token));
    ok_json(&get(&db, "/sections_list", token));
    assert_eq!(db.count("access_tokens"), 1);
}

#[test]
fn expired_token_and_disabled_owner_are_deleted() {
    let db = TestDb::seeded();
    let expired = token_for(&db, "te1", -1);
    assert_plain(&get(&db, "/sections_list", &expired), 401, "auth required");
    assert_eq!(
        db.count("access_tokens"),
        0,
        "the deletion is committed with the 401"
    );

    let valid = valid_token(&db, "te1");
    exec(
        &db,
        "UPDATE system_users SET enabled = 0 WHERE login = 'te1'",
        (),
    );
    assert_plain(&get(&db, "/sections_list", &valid), 401, "auth required");
    assert_eq!(db.count("access_tokens"), 0);
}

#[test]
fn sliding_window_persists_even_on_403() {
    let db = TestDb::seeded();
    let token = token_for(&db, "te1", 24 * 60);
    assert_plain(&get(&db, "/bots_list", &token), 403, "access denied");
    let hours: i64 = query_one(
        &db,
        "SELECT TIMESTAMPDIFF(HOUR, UTC_TIMESTAMP(), expires) FROM access_tokens",
        (),
    );
    assert!(hours >= 42 * 24 - 1, "{hours}");
    let idle: i64 = query_one(
        &db,
        "SELECT TIMESTAMPDIFF(MINUTE, last_use, UTC_TIMESTAMP()) FROM access_tokens",
        (),
    );
    assert!(idle <= 1);
    let (where_, seen): (i32, i64) = mysql::prelude::Queryable::query_first(
        &mut db.conn(),
        "SELECT last_seen_where, TIMESTAMPDIFF(MINUTE, last_seen, UTC_TIMESTAMP()) FROM system_users WHERE login = 'te1'",
    )
    .unwrap()
    .unwrap();
    assert_eq!((where_, seen), (3, 0));
    // Also on a 404.
    exec(
        &db,
        "UPDATE access_tokens SET expires = UTC_TIMESTAMP() + INTERVAL 1 DAY",
        (),
    );
    assert_plain(
        &get(&db, "/student_details/999999", &token),
        404,
        "not found",
    );
    let hours: i64 = query_one(
        &db,
        "SELECT TIMESTAMPDIFF(HOUR, UTC_TIMESTAMP(), expires) FROM access_tokens",
        (),
    );
    assert!(hours >= 42 * 24 - 1, "{hours}");
}

#[test]
fn developer_is_not_tracked_and_expired_tokens_go() {
    let db = TestDb::seeded();
    let token = token_for(&db, "dev1", 24 * 60);
    let before: String = query_one(
        &db,
        "SELECT CONCAT(expires, last_use) FROM access_tokens",
        (),
    );
    ok_json(&get(&db, "/sections_list", &token));
    let after: String = query_one(
        &db,
        "SELECT CONCAT(expires, last_use) FROM access_tokens",
        (),
    );
    assert_eq!(before, after);
    let seen: i32 = query_one(
        &db,
        "SELECT last_seen_where FROM system_users WHERE login = 'dev1'",
        (),
    );
    assert_eq!(seen, 1);

    let a = valid_token(&db, "te1");
    let _b = token_for(&db, "te1", -5);
    let _other = token_for(&db, "ma1", -5);
    ok_json(&get(&db, "/sections_list", &a));
    let te1 = user_id(&db, "te1");
    let left: u64 = query_one(
        &db,
        "SELECT COUNT(*) FROM access_tokens WHERE system_user_id = ?",
        (te1,),
    );
    assert_eq!(left, 1, "te1's expired token deleted");
    let ma1 = user_id(&db, "ma1");
    let left: u64 = query_one(
        &db,
        "SELECT COUNT(*) FROM access_tokens WHERE system_user_id = ?",
        (ma1,),
    );
    assert_eq!(left, 1, "other users' tokens untouched");
}

#[test]
fn role_checks() {
    let db = TestDb::seeded();
    let (ma, te, dev, bot) = (
        valid_token(&db, "ma1"),
        valid_token(&db, "te1"),
        valid_token(&db, "dev1"),
        valid_token(&db, "dump_creator"),
    );
    let bot_id: u32 = query_one(&db, "SELECT id FROM bots", ());
    let dev_id: u32 = query_one(&db, "SELECT id FROM developers", ());
    for path in [
        "/bots_list".to_string(),
        "/developers_list".to_string(),
        format!("/bot_details/{bot_id}"),
        format!("/developer_details/{dev_id}"),
        "/last_seens".to_string(),
        "/access_tokens".to_string(),
    ] {
        assert_plain(&get(&db, &path, &ma), 403, "access denied");
        assert_plain(&get(&db, &path, &te), 403, "access denied");
        ok_json(&get(&db, &path, &dev));
    }
    assert_plain(&get(&db, "/sections_list", &bot), 403, "access denied");
    let st = valid_token(&db, "st1");
    assert_plain(&get(&db, "/sections_list", &st), 403, "access denied");
    // Role (403) before body validation (400).
    assert_plain(
        &db.cgi(&CgiRequest::post_raw(
            &with_token("/save_payment", &bot),
            "text/plain",
            b"x",
        )),
        403,
        "access denied",
    );
}

#[test]
fn logout_deletes_the_token() {
    let db = TestDb::seeded();
    for who in ["te1", "dump_creator", "dev1"] {
        let token = login(&db, who, "12");
        let r = db.cgi(&CgiRequest::post_raw(
            &with_token("/logout", &token),
            "application/json",
            b"",
        ));
        assert_plain(&r, 200, "ok");
        let again = db.cgi(&CgiRequest::post_raw(
            &with_token("/logout", &token),
            "application/json",
            b"",
        ));
        assert_plain(&again, 401, "auth required");
    }
    assert_eq!(
        db.count("access_tokens"),
        0,
        "a developer's logout persists"
    );
}

#[test]
fn routing_errors_are_html() {
    let db = TestDb::seeded();
    let token = valid_token(&db, "te1");
    let abc = get(&db, "/student_details/abc", &token);
    assert_eq!(abc.status, 404);
    assert!(abc.header("content-type").unwrap().starts_with("text/html"));
    let slash = get(&db, "/sections_list/", &token);
    assert_eq!(slash.status, 404);
    assert!(
        slash
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    let wrong_method = db.cgi(&CgiRequest::get(&format!("{API}/login")));
    assert_eq!(wrong_method.status, 405);
    assert!(wrong_method.header("allow").unwrap().contains("POST"));
    // Leading zeros are the same id.
    let g = group_id(&db, "робо-71");
    let v = ok_json(&get(&db, &format!("/group_details/00{g}"), &token));
    assert_eq!(v["id"], g);
}

/// A token's `expires`, `last_use` and `device`, and its owner's `last_seen` and
/// `last_seen_where`: everything the authentication bookkeeping and `cabinet_info` write.
fn bookkeeping(db: &TestDb, login: &str) -> String {
    query_one(
        db,
        "SELECT CONCAT_WS('|', t.expires, t.last_use, t.device, COALESCE(su.last_seen, '-'), su.last_seen_where)
         FROM access_tokens t JOIN system_users su ON su.id = t.system_user_id WHERE su.login = ?",
        (login,),
    )
}

/// The times the bookkeeping writes are shown to the minute, so within the minute the rows hold
/// they are not written again; the next minute slides and notes them, and so does a call after a
/// web visit (another place) in the same minute.
#[test]
fn the_app_writes_its_bookkeeping_once_a_minute_and_place() {
    let db = TestDb::seeded();
    let token = token_for(&db, "te1", 24 * 60);
    let call_at = |utc: &str| {
        let req = CgiRequest::get(&with_token("/teachers_list?count=1", &token)).at(utc);
        ok_json(&db.cgi(&req));
        bookkeeping(&db, "te1")
    };
    let first = call_at("2026-03-02 10:15:07");
    assert!(
        first.starts_with("2026-04-13 10:15:07|2026-03-02 10:15:07|")
            && first.ends_with("|2026-03-02 10:15:07|3"),
        "{first}"
    );
    assert_eq!(call_at("2026-03-02 10:15:59"), first, "the same minute");
    let next = call_at("2026-03-02 10:16:00");
    assert!(
        next.starts_with("2026-04-13 10:16:00|2026-03-02 10:16:00|")
            && next.ends_with("|2026-03-02 10:16:00|3"),
        "{next}"
    );
    exec(
        &db,
        "UPDATE system_users SET last_seen_where = 2 WHERE login = 'te1'",
        (),
    );
    let after_web = call_at("2026-03-02 10:16:30");
    assert!(after_web.ends_with("|2026-03-02 10:16:30|3"), "{after_web}");
}

#[test]
fn bad_input_rolls_back_the_whole_request_bookkeeping_included() {
    let db = TestDb::seeded();
    let token = token_for(&db, "te1", 24 * 60);
    exec(
        &db,
        "UPDATE system_users SET last_seen = UTC_TIMESTAMP() - INTERVAL 3 DAY, last_seen_where = 1 WHERE login = 'te1'",
        (),
    );
    let before = bookkeeping(&db, "te1");
    let raw = |path: &str, body: &str| {
        db.cgi(&CgiRequest::post_raw(
            &with_token(path, &token),
            "application/json",
            body.as_bytes(),
        ))
    };
    let p1 = payment_p1(&db);
    let bad = [
        ("a body that is not JSON", raw("/save_payment", "{not json")),
        (
            "a missing field",
            post(&db, "/save_payment", &token, &json!({"paymentId": p1})),
        ),
        (
            "a number where a string belongs",
            post(
                &db,
                "/save_payment",
                &token,
                &json!({"paymentId": p1, "value": 1, "comment": 5, "cash": false, "confirmed": false}),
            ),
        ),
        (
            "a negative count",
            get(&db, "/teachers_list?count=-1", &token),
        ),
        (
            "a negative offset",
            get(&db, "/groups_list?offset=-1", &token),
        ),
        (
            "a negative lastLessonsCount",
            post(
                &db,
                "/cabinet_info",
                &token,
                &json!({"device": "new", "appVersion": "2", "lastLessonsCount": -1}),
            ),
        ),
        (
            "a missing device",
            post(&db, "/cabinet_info", &token, &json!({"appVersion": "2"})),
        ),
    ];
    for (what, resp) in &bad {
        assert_plain(resp, 400, "bad request");
        assert_eq!(bookkeeping(&db, "te1"), before, "{what} changed a row");
    }
    // A refusal keeps the bookkeeping, as the contract says.
    assert_plain(&get(&db, "/bots_list", &token), 403, "access denied");
    assert_ne!(
        bookkeeping(&db, "te1"),
        before,
        "a 403 keeps the bookkeeping"
    );
}
