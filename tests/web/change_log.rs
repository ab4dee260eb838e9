//! The change log on real MariaDB: payments and marks saved in the grids, a member's discount and
//! a new member, a new account and a password reset are each logged with who, how and the values
//! before and after; a read-only developer's save leaves no entry; a payment saved by the app
//! shows in the master's log with the app's user.

use crate::common;

use crate::common::db::query_one;
use crate::common::fixture::{add_lesson, add_student, robo_71, student_id, teacher_id};
use crate::common::form::{as_refs, form_fields, set_field};
use common::{CgiRequest, TestDb, WebClient};
use mysql::prelude::Queryable;

/// Every entry, oldest first: (login, via, kind, what, old, new).
fn entries(db: &TestDb) -> Vec<(String, i32, String, String, String, String)> {
    db.conn()
        .query(
            "SELECT user_login, via, kind, what, old_value, new_value FROM change_log ORDER BY id",
        )
        .unwrap()
}

fn entry(
    login: &str,
    via: i32,
    kind: &str,
    what: &str,
    old: &str,
    new: &str,
) -> (String, i32, String, String, String, String) {
    (
        login.into(),
        via,
        kind.into(),
        what.into(),
        old.into(),
        new.into(),
    )
}

/// Opens a page's form (found by `marker`), changes fields and posts it back.
fn post_edited(
    web: &mut WebClient,
    path: &str,
    marker: &str,
    edits: &[(&str, Option<&str>)],
) -> common::CgiResponse {
    let page = web.get(path);
    assert_eq!(page.status, 200, "{}", page.text());
    let mut fields = form_fields(&page.text(), marker);
    for (name, value) in edits {
        set_field(&mut fields, name, *value);
    }
    web.send(CgiRequest::post_form(path, &as_refs(&fields)))
}

#[test]
fn saves_in_the_web_pages_are_logged_with_who_and_the_values() {
    let db = TestDb::seeded();
    let (g, sig) = robo_71(&db);
    let st1 = student_id(&db, "st1");
    let mut ma = WebClient::login(&db, "ma1", "12");

    let grid = format!("/payments/group/{g}");
    let r = post_edited(
        &mut ma,
        &grid,
        "name=\"submit\"",
        &[
            (&format!("p_10_{sig}"), Some("300")),
            (&format!("p_11_{sig}"), Some("250")),
        ],
    );
    assert_eq!(r.status, 302, "{}", r.text());
    let mut want = vec![
        entry(
            "ma1",
            1,
            "payment",
            "оплата за ноябрь 2017",
            "0 ₽, наличными, не подтверждено",
            "300 ₽, наличными, не подтверждено",
        ),
        entry(
            "ma1",
            1,
            "payment",
            "оплата за декабрь 2017",
            "0 ₽, наличными, не подтверждено",
            "250 ₽, наличными, не подтверждено",
        ),
    ];
    assert_eq!(entries(&db), want);
    let about: (Option<u32>, Option<u32>) = db
        .conn()
        .query_first("SELECT student_id, group_id FROM change_log ORDER BY id LIMIT 1")
        .unwrap()
        .unwrap();
    assert_eq!(about, (Some(st1), Some(g)));

    // A mark in the month grid.
    let lesson = add_lesson(&db, g, teacher_id(&db, "te1"), "2017-10-10");
    let month = format!("/lessons/{g}/9");
    let mark = format!("a_{lesson}_{st1}");
    let r = post_edited(&mut ma, &month, "name=\"submit\"", &[(&mark, Some("1"))]);
    assert_eq!(r.status, 302, "{}", r.text());
    want.push(entry(
        "ma1",
        1,
        "attendance",
        "посещение 10.10.2017",
        "не был",
        "был",
    ));
    assert_eq!(entries(&db), want);

    // A discount, and a new member.
    let details = format!("/structure/group_details/{g}");
    let r = post_edited(
        &mut ma,
        &details,
        "name=\"d_",
        &[(&format!("d_{sig}"), Some("150"))],
    );
    assert_eq!(r.status, 302, "{}", r.text());
    want.push(entry(
        "ma1",
        1,
        "membership",
        "ученик в группе",
        "с сентябрь 2017 по май 2018, скидка 100 ₽",
        "с сентябрь 2017 по май 2018, скидка 150 ₽",
    ));
    // The fixture sets the new student's password with `crmit set-password`: logged too.
    add_student(&db, "st2", "Новый Ученик");
    want.push(entry(
        "командная строка",
        3,
        "account",
        "учётная запись st2",
        "—",
        "пароль изменён",
    ));
    let st2 = student_id(&db, "st2");
    let members = format!("/structure/students_in_group/{g}");
    let r = ma.submit(&members, &members, &[("add", &st2.to_string())]);
    assert_eq!(r.status, 302, "{}", r.text());
    want.push(entry(
        "ma1",
        1,
        "membership",
        "ученик в группе",
        "—",
        "с сентябрь 2017 по май 2018, скидка 0 ₽",
    ));
    assert_eq!(entries(&db), want);

    // A new account and a password reset.
    let register = "/users/register/teacher";
    let r = ma.submit(
        register,
        register,
        &[
            ("login", "te9"),
            ("fio", "Учитель Девятый"),
            ("password", "secret12"),
            ("password_confirm", "secret12"),
            ("phone", "89001112233"),
            ("enabled", "y"),
        ],
    );
    assert_eq!(r.status, 302, "{}", r.text());
    let te9: u32 = query_one(&db, "SELECT id FROM system_users WHERE login = 'te9'", ());
    let reset = format!("/users/force_change_password/{te9}");
    let r = ma.submit(
        &reset,
        &reset,
        &[("password", "другой12"), ("password_confirm", "другой12")],
    );
    assert_eq!(r.status, 302, "{}", r.text());
    want.push(entry(
        "ma1",
        1,
        "account",
        "учётная запись te9",
        "—",
        "создана, включена",
    ));
    want.push(entry(
        "ma1",
        1,
        "account",
        "учётная запись te9",
        "—",
        "пароль сброшен, нужен повторный вход",
    ));
    assert_eq!(entries(&db), want);

    // The log page, its filters and the links to it.
    let page = ma.get("/change_log").text();
    assert!(page.contains("записей: <b>8</b>"), "{page}");
    assert!(page.contains("300 ₽, наличными, не подтверждено"));
    let by_student = ma.get(&format!("/change_log?student_id={st1}")).text();
    assert!(by_student.contains("записей: <b>4</b>"), "{by_student}");
    let by_group = ma.get(&format!("/change_log?group_id={g}")).text();
    assert!(by_group.contains("записей: <b>5</b>"), "{by_group}");
    let ma1: u32 = query_one(&db, "SELECT id FROM system_users WHERE login = 'ma1'", ());
    let by_user = ma
        .get(&format!(
            "/change_log?user_id={ma1}&from=2000-01-01&to=2100-01-01"
        ))
        .text();
    assert!(by_user.contains("записей: <b>7</b>"), "{by_user}");
    let none = ma.get("/change_log?from=2000-01-01&to=2000-01-02").text();
    assert!(none.contains("записей: <b>0</b>"));
    assert!(
        ma.get(&format!("/users/student_details/{st1}"))
            .text()
            .contains(&format!("/change_log?student_id={st1}"))
    );
    assert!(
        ma.get(&grid)
            .text()
            .contains(&format!("/change_log?group_id={g}"))
    );
    // Teachers do not read the log.
    let mut te = WebClient::login(&db, "te1", "12");
    assert_eq!(te.get("/change_log").status, 403);
}

#[test]
fn a_read_only_developers_save_leaves_no_entry() {
    let db = TestDb::seeded();
    let (g, sig) = robo_71(&db);
    let mut dev = WebClient::login(&db, "dev1", "12");
    let r = post_edited(
        &mut dev,
        &format!("/payments/group/{g}"),
        "name=\"submit\"",
        &[(&format!("p_10_{sig}"), Some("300"))],
    );
    assert_eq!(r.status, 302, "{}", r.text());
    assert_eq!(db.count("change_log"), 0);
    assert_eq!(
        db.count("payments"),
        1,
        "the save itself was rolled back too"
    );
}

#[test]
fn a_payment_saved_by_the_app_shows_in_the_masters_log() {
    let db = TestDb::seeded();
    let token = common::api::login(&db, "te1", "12");
    let payment: u32 = query_one(&db, "SELECT id FROM payments WHERE month = 9", ());
    let body = serde_json::json!({
        "paymentId": payment, "value": 500, "comment": "за октябрь", "cash": false, "confirmed": false
    });
    common::api::assert_plain(
        &common::api::post(&db, "/save_payment", &token, &body),
        200,
        "ok",
    );
    let mut ma = WebClient::login(&db, "ma1", "12");
    let page = ma.get("/change_log").text();
    assert!(
        page.contains("te1 <span class=\"muted\">(приложение)</span>"),
        "{page}"
    );
    assert!(page.contains("оплата: оплата за октябрь 2017"));
    assert!(
        page.contains("<td class=\"wrap\">400 ₽, наличными, не подтверждено, «comment»</td>"),
        "{page}"
    );
    assert!(
        page.contains("<td class=\"wrap\">500 ₽, безналично, не подтверждено, «за октябрь»</td>")
    );
    let te1: u32 = query_one(&db, "SELECT id FROM system_users WHERE login = 'te1'", ());
    let logged: Option<u32> = db
        .conn()
        .query_first("SELECT user_id FROM change_log")
        .unwrap()
        .unwrap();
    assert_eq!(logged, Some(te1));
    // Saving the same values again changes nothing and logs nothing.
    common::api::assert_plain(
        &common::api::post(&db, "/save_payment", &token, &body),
        200,
        "ok",
    );
    assert_eq!(db.count("change_log"), 1);
}

#[test]
fn members_months_moved_by_a_shorter_group_period_are_logged() {
    let db = TestDb::seeded();
    let (g, _) = robo_71(&db);
    let mut ma = WebClient::login(&db, "ma1", "12");
    let edit = format!("/structure/group/{g}");
    // робо-71 ends in May 2018; ending it in April pulls st1's exit month in.
    let r = post_edited(
        &mut ma,
        &edit,
        "name=\"end_month\"",
        &[("end_month", Some("4"))],
    );
    assert_eq!(r.status, 302, "{}", r.text());
    assert_eq!(
        entries(&db),
        [entry(
            "ma1",
            1,
            "membership",
            "ученик в группе",
            "с сентябрь 2017 по май 2018, скидка 100 ₽",
            "с сентябрь 2017 по апрель 2018, скидка 100 ₽",
        )]
    );
}
