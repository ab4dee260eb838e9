//! The figures kept between requests (`debts_cache`): a page from the cache equals the page
//! computed afresh, and every write that changes a debt, a group's unconfirmed sum or the lessons
//! a teacher held, through the web pages or the app, makes the next page or answer show it.

use crate::common;
use crate::common::api::{get as api_get, ok_json, post as api_post, valid_token, with_token};
use crate::common::{db::*, fixture::*, form::*};
use chrono::{Datelike, NaiveDate};
use common::{CgiRequest, TestDb, WebClient};
use serde_json::json;

/// June 2018: every month of the stub group (September 2017 – May 2018) is due.
const NOW: &str = "2018-06-15 09:00:00";
const JUNE_2018: i32 = 17;

/// The figures of the debtors page: its totals line and its table.
fn debtors(web: &mut WebClient) -> String {
    let html = web.get("/payments/debtors").text();
    let from = html.find("долг по").expect("the totals line");
    let to = html[from..]
        .find("</table>")
        .map_or(html.len(), |i| from + i);
    html[from..to].to_string()
}

/// Makes the next page compute the figures afresh, as a write would.
fn forget(db: &TestDb) {
    exec(
        db,
        "UPDATE debts_cache SET version = version + 1, month = -1, body = ''",
        (),
    );
}

/// The figures `read` takes from a page computed afresh.
fn fresh(db: &TestDb, web: &mut WebClient, read: fn(&mut WebClient) -> String) -> String {
    forget(db);
    read(web)
}

#[test]
fn a_page_from_the_cache_is_the_page_computed_afresh() {
    let db = TestDb::seeded();
    let mut ma = WebClient::login_at(&db, NOW, "ma1", "12");
    let computed = debtors(&mut ma);
    assert!(computed.contains("Ученик Алексей Алексеевич"), "{computed}");
    let (month, stored): (i32, u64) = query_one(
        &db,
        "SELECT month, LENGTH(body) FROM debts_cache WHERE id = 1",
        (),
    );
    assert_eq!(month, JUNE_2018);
    assert!(stored > 2, "the debts are kept");
    assert_eq!(debtors(&mut ma), computed, "from the cache");

    // The next page reads what is kept: a body changed behind its back shows.
    exec(&db, "UPDATE debts_cache SET body = '[]' WHERE id = 1", ());
    assert!(!debtors(&mut ma).contains("Ученик Алексей Алексеевич"));
    assert_eq!(fresh(&db, &mut ma, debtors), computed);

    // Another month is computed for itself, and replaces the kept one.
    let march = ma.get("/payments/debtors?up_to=14").text();
    assert!(march.contains("долг по март 2018 включительно"), "{march}");
    let month: i32 = query_one(&db, "SELECT month FROM debts_cache WHERE id = 1", ());
    assert_eq!(month, 14);

    // A teacher's page is a filter of the kept debts of every group.
    add_second_teacher(&db);
    let mut te2 = WebClient::login_at(&db, NOW, "te2", "12");
    assert!(!debtors(&mut te2).contains("робо-71"));
    let mut te1 = WebClient::login_at(&db, NOW, "te1", "12");
    assert_eq!(debtors(&mut te1), computed);

    // Without the row nothing is kept, and the page is still right.
    exec(&db, "DELETE FROM debts_cache", ());
    assert_eq!(debtors(&mut ma), computed);
    assert_eq!(db.count("debts_cache"), 0);
}

/// A write through the pages or the app, named for the failure message.
type Write = (&'static str, Box<dyn Fn(&TestDb, &mut WebClient)>);

fn writes(g: u32, sig: u32, section: u32) -> Vec<Write> {
    vec![
        (
            "a payment in the payments grid",
            Box::new(move |_, web| {
                let path = format!("/payments/group/{g}");
                let page = web.get(&path).text();
                let mut fields = form_fields(&page, "name=\"submit\"");
                set_field(&mut fields, &format!("p_10_{sig}"), Some("300"));
                let r = web.send(CgiRequest::post_form(&path, &as_refs(&fields)));
                assert_eq!(r.status, 302, "{}", r.text());
            }),
        ),
        (
            "a payment from the app",
            Box::new(move |db, _| {
                let token = valid_token(db, "te1");
                let p1 = payment_p1(db);
                let body = json!({"paymentId": p1, "value": 100, "comment": "", "cash": true, "confirmed": false});
                let r = api_post(db, "/save_payment", &token, &body);
                assert_eq!(r.status, 200, "{}", r.text());
            }),
        ),
        (
            "a member's discount",
            Box::new(move |_, web| {
                let page = format!("/structure/group_details/{g}");
                let (e, x, d) = (
                    format!("enter_{sig}"),
                    format!("exit_{sig}"),
                    format!("d_{sig}"),
                );
                let fields = [
                    (&e[..], "8"),
                    (&x, "16"),
                    (&d, "300"),
                    ("submit", "сохранить"),
                ];
                let r = web.submit(&page, &page, &fields);
                assert_eq!(r.status, 302, "{}", r.text());
            }),
        ),
        (
            "a new member",
            Box::new(move |db, web| {
                let new = add_student(db, "anna", "Анна Новая").to_string();
                let page = format!("/structure/students_in_group/{g}");
                let r = web.submit(&page, &page, &[("add", &new), ("submit", "сохранить")]);
                assert_eq!(r.status, 302, "{}", r.text());
            }),
        ),
        (
            "the section's price",
            Box::new(move |_, web| {
                let page = format!("/structure/section/{section}");
                let r = web.submit(&page, &page, &[("name", "Робо"), ("price", "1000")]);
                assert_eq!(r.status, 302, "{}", r.text());
            }),
        ),
        (
            "the group's period",
            Box::new(move |_, web| {
                let page = format!("/structure/group/{g}");
                let mut fields = form_fields(&web.get(&page).text(), "name=\"submit\"");
                set_field(&mut fields, "end_month", Some("3"));
                let r = web.send(CgiRequest::post_form(&page, &as_refs(&fields)));
                assert_eq!(r.status, 302, "{}", r.text());
            }),
        ),
    ]
}

/// The stub's group робо-71, its one membership and its section.
fn stub_group(db: &TestDb) -> (u32, u32, u32) {
    let g = group_id(db, "робо-71");
    let sig: u32 = query_one(db, "SELECT id FROM student_in_groups", ());
    let section: u32 = query_one(db, "SELECT id FROM sections WHERE name = 'Робо'", ());
    (g, sig, section)
}

#[test]
fn every_write_that_changes_a_debt_shows_on_the_next_page() {
    let db = TestDb::seeded();
    let (g, sig, section) = stub_group(&db);
    let mut ma = WebClient::login_at(&db, NOW, "ma1", "12");
    for (what, write) in writes(g, sig, section) {
        let before = debtors(&mut ma);
        write(&db, &mut ma);
        let after = debtors(&mut ma);
        assert_ne!(after, before, "{what} changes the debts");
        assert_eq!(
            after,
            fresh(&db, &mut ma, debtors),
            "{what}: the page after it"
        );
    }
}

/// The object with `id` in an app's list answer.
fn listed(resp: &common::CgiResponse, id: u32) -> serde_json::Value {
    let list = ok_json(resp);
    let found = list
        .as_array()
        .expect("a list")
        .iter()
        .find(|x| x["id"] == id);
    found.expect("listed").clone()
}

/// The group's `sumNotConfirmed` in the app's groups list, as a master sees it.
fn app_sum(db: &TestDb, token: &str, g: u32) -> i64 {
    let group = listed(&api_get(db, "/groups_list", token), g);
    group["sumNotConfirmed"].as_i64().expect("a sum")
}

#[test]
fn the_app_shows_the_unconfirmed_sums_kept_and_every_write_that_changes_them() {
    let db = TestDb::seeded();
    let (g, sig, section) = stub_group(&db);
    let token = valid_token(&db, "ma1");
    let computed = app_sum(&db, &token, g);
    assert_eq!(computed, 400, "the stub's one unconfirmed payment");
    let (month, body): (i32, String) =
        query_one(&db, "SELECT month, body FROM debts_cache WHERE id = 2", ());
    assert_eq!(
        (month, body),
        (0, format!("[[{g},400]]")),
        "the sums are kept"
    );

    // The next answer reads what is kept: a body changed behind its back shows.
    exec(
        &db,
        "UPDATE debts_cache SET body = ? WHERE id = 2",
        (format!("[[{g},7]]"),),
    );
    assert_eq!(app_sum(&db, &token, g), 7);
    forget(&db);
    assert_eq!(app_sum(&db, &token, g), computed);

    let mut ma = WebClient::login_at(&db, NOW, "ma1", "12");
    let mut changed = Vec::new();
    for (what, write) in writes(g, sig, section) {
        let before = app_sum(&db, &token, g);
        write(&db, &mut ma);
        let after = app_sum(&db, &token, g);
        forget(&db);
        assert_eq!(
            after,
            app_sum(&db, &token, g),
            "{what}: the answer after it"
        );
        if after != before {
            changed.push(what);
        }
    }
    assert_eq!(
        changed,
        ["a payment in the payments grid", "a payment from the app"]
    );

    // Without the row nothing is kept, and the answer is still right.
    exec(&db, "DELETE FROM debts_cache WHERE id = 2", ());
    assert_eq!(app_sum(&db, &token, g), computed_now(&db, g));
    assert_eq!(db.count("debts_cache"), 5);
}

/// The group's unconfirmed sum counted from its payments.
fn computed_now(db: &TestDb, g: u32) -> i64 {
    query_one(
        db,
        "SELECT CAST(COALESCE(SUM(p.value), 0) AS SIGNED) FROM payments p
         JOIN student_in_groups sig ON sig.id = p.student_in_group_id
         WHERE sig.group_id = ? AND p.confirmed = 0",
        (g,),
    )
}

/// 10 March 2026, inside the period of the group [`held_group`] adds.
const MARCH_10: &str = "2026-03-10 09:00:00";
const MARCH_11: &str = "2026-03-11 09:00:00";

/// te1 and a group of theirs in February – April 2026 with lessons on 3, 9 and 11 March, and on
/// 15 April as many as make 41 lessons in all: three pages of the lessons list.
fn held_group(db: &TestDb) -> (u32, u32) {
    let te1 = teacher_id(db, "te1");
    let g = add_group(db, "робо-26", "Робо", te1, 109, 111);
    for day in ["2026-03-03", "2026-03-09", "2026-03-11"] {
        add_lesson(db, g, te1, day);
    }
    for _ in db.count("lessons")..41 {
        add_lesson(db, g, te1, "2026-04-15");
    }
    (te1, g)
}

/// The teacher's `lessonsDoneCount` in the app's teachers list at `utc`.
fn app_held(db: &TestDb, token: &str, teacher: u32, utc: &str) -> u64 {
    let resp = db.cgi(&CgiRequest::get(&with_token("/teachers_list", token)).at(utc));
    listed(&resp, teacher)["lessonsDoneCount"]
        .as_u64()
        .expect("a count")
}

/// The number of the lessons list's last page, as its page links show it.
fn last_page(web: &mut WebClient) -> u64 {
    let html = web.get("/lessons/list").text();
    html.split("page=")
        .skip(1)
        .filter_map(|rest| {
            rest.split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse()
                .ok()
        })
        .max()
        .unwrap_or(1)
}

/// The teacher's lessons dated `day` or earlier, counted now.
fn counted(db: &TestDb, teacher: u32, day: &str) -> u64 {
    query_one(
        db,
        "SELECT COUNT(*) FROM lessons WHERE teacher_id = ? AND date <= ?",
        (teacher, day),
    )
}

#[test]
fn the_app_counts_the_lessons_held_from_what_is_kept_for_the_day_until_a_lesson_write() {
    let db = TestDb::seeded();
    let (te1, g) = held_group(&db);
    let token = valid_token(&db, "ma1");
    let march_10 = counted(&db, te1, "2026-03-10");
    assert_eq!(march_10, counted(&db, te1, "2019-01-01") + 2);
    assert_eq!(app_held(&db, &token, te1, MARCH_10), march_10);
    let (day, body): (i32, String) =
        query_one(&db, "SELECT month, body FROM debts_cache WHERE id = 3", ());
    let day_10 = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
    assert_eq!(day, day_10.num_days_from_ce(), "kept for the day");
    let all = counted(&db, te1, "2099-01-01");
    assert!(
        body.contains(&format!("[{te1},{march_10},{all}]")),
        "{body}"
    );
    let mut ma = WebClient::login_at(&db, MARCH_10, "ma1", "12");
    assert_eq!(last_page(&mut ma), 3, "the lessons list as it opens");

    // The next answer of the day reads what is kept: a body changed behind its back shows.
    exec(
        &db,
        "UPDATE debts_cache SET body = ? WHERE id = 3",
        (format!("[[{te1},77,100]]"),),
    );
    assert_eq!(app_held(&db, &token, te1, MARCH_10), 77);
    assert_eq!(last_page(&mut ma), 5, "the list counts the kept lessons");
    let filtered = format!("/lessons/list?teacher_id={te1}");
    assert!(
        ma.get(&filtered).text().contains("page=5"),
        "so does a teacher's"
    );
    // The next day counts its own lessons, the lesson of 11 March among them.
    assert_eq!(app_held(&db, &token, te1, MARCH_11), march_10 + 1);
    assert_eq!(app_held(&db, &token, te1, MARCH_10), march_10);

    // The lesson writes of the pages: a lesson added, deleted, and the empty past ones deleted.
    let create = format!("/lessons/create/{g}");
    let resp = ma.submit(&create, &create, &[("date", "2026-03-05"), ("submit", "1")]);
    assert_eq!(resp.status, 302, "{}", resp.text());
    assert_eq!(app_held(&db, &token, te1, MARCH_10), march_10 + 1, "added");
    let added: u32 = query_one(&db, "SELECT id FROM lessons WHERE date = '2026-03-05'", ());
    let delete = format!("/lessons/delete/{added}");
    let resp = ma.submit("/lessons/list", &delete, &[]);
    assert_eq!(resp.status, 302, "{}", resp.text());
    assert_eq!(app_held(&db, &token, te1, MARCH_10), march_10, "deleted");
    let first: u32 = query_one(&db, "SELECT id FROM lessons WHERE date = '2026-03-03'", ());
    let empty_past = "/lessons/delete_empty_past";
    let name = format!("l_{first}");
    let resp = ma.submit(empty_past, empty_past, &[(&name, "1"), ("submit", "1")]);
    assert_eq!(resp.status, 302, "{}", resp.text());
    assert_eq!(counted(&db, te1, "2026-03-10"), march_10 - 1);
    assert_eq!(
        app_held(&db, &token, te1, MARCH_10),
        march_10 - 1,
        "emptied"
    );
    assert_eq!(last_page(&mut ma), 2, "40 lessons");

    // Without the row nothing is kept, and the answer is still right.
    exec(&db, "DELETE FROM debts_cache WHERE id = 3", ());
    assert_eq!(app_held(&db, &token, te1, MARCH_11), march_10);
    assert_eq!(db.count("debts_cache"), 5);
}

/// A write that needs nothing passed, named for the failure message.
type Step<'a> = (&'static str, Box<dyn Fn() + 'a>);

/// 10 March 2018, in the stub group's period: its lessons of the last four weeks count.
const MARCH_10_2018: &str = "2018-03-10 09:00:00";

/// The overview's attendance: the card of the last four weeks and the chart's table of months.
fn attendance(web: &mut WebClient) -> String {
    let html = web.get("/stat/dashboard").text();
    let from = html.find("посещаемость за 4 недели").expect("the card");
    let to = html.rfind("</table>").expect("the table of months");
    html[from..to].to_string()
}

#[test]
fn the_overview_counts_the_marks_kept_for_the_day_until_a_mark_is_written() {
    let db = TestDb::seeded();
    let (g, _, _) = stub_group(&db);
    let te1 = teacher_id(&db, "te1");
    let student: u32 = query_one(&db, "SELECT student_id FROM student_in_groups", ());
    let first = add_lesson(&db, g, te1, "2018-03-01");
    add_attending(&db, first, student, 1);
    let mut ma = WebClient::login_at(&db, MARCH_10_2018, "ma1", "12");
    let computed = attendance(&mut ma);
    assert!(
        computed.starts_with("посещаемость за 4 недели</span>"),
        "{computed}"
    );
    assert!(computed.contains("100%"), "{computed}");
    let (day, body): (i32, String) =
        query_one(&db, "SELECT month, body FROM debts_cache WHERE id = 0", ());
    let march_10 = NaiveDate::from_ymd_opt(2018, 3, 10).unwrap();
    assert_eq!(day, march_10.num_days_from_ce(), "kept for the day");
    let march_1 = NaiveDate::from_ymd_opt(2018, 3, 1)
        .unwrap()
        .num_days_from_ce();
    assert!(body.contains(&format!("[{march_1},1,1]")), "{body}");

    // The next page of the day reads what is kept: a body changed behind its back shows.
    exec(&db, "UPDATE debts_cache SET body = '[]' WHERE id = 0", ());
    assert_ne!(attendance(&mut ma), computed);
    forget(&db);
    assert_eq!(attendance(&mut ma), computed);

    // The marks' writes: the month grid, the app's save, the app's lesson details creating the
    // missing «не был».
    let second = add_lesson(&db, g, te1, "2018-03-05");
    let grid = format!("/lessons/{g}/14");
    let page = ma.get(&grid);
    assert_eq!(page.status, 200, "{:?}", page.location());
    let mut fields = form_fields(&page.text(), "name=\"submit\"");
    set_field(&mut fields, &format!("a_{second}_{student}"), Some("2"));
    let before = attendance(&mut ma);
    let r = ma.send(CgiRequest::post_form(&grid, &as_refs(&fields)));
    assert_eq!(r.status, 302, "{}", r.text());
    let token = valid_token(&db, "ma1");
    let mark: u32 = query_one(
        &db,
        "SELECT id FROM attendings WHERE lesson_id = ?",
        (second,),
    );
    let third = add_lesson(&db, g, te1, "2018-03-07");
    let app_writes: [Step; 2] = [
        (
            "the app's save",
            Box::new(|| {
                let body = json!({"attendingId": mark, "attendingState": 1});
                let r = api_post(&db, "/save_attending_state", &token, &body);
                assert_eq!(r.status, 200, "{}", r.text());
            }),
        ),
        (
            "the app's lesson details",
            Box::new(|| {
                ok_json(&api_get(&db, &format!("/lesson_details/{third}"), &token));
            }),
        ),
    ];
    let mut seen = vec![before, attendance(&mut ma)];
    assert_eq!(seen[1], fresh(&db, &mut ma, attendance), "the grid");
    for (what, write) in app_writes {
        write();
        let after = attendance(&mut ma);
        assert_eq!(after, fresh(&db, &mut ma, attendance), "{what}");
        seen.push(after);
    }
    for pair in seen.windows(2) {
        assert_ne!(pair[0], pair[1], "every write changes the figures");
    }
    assert_eq!(db.count("attendings"), 3);

    // The next day counts its own marks: a «не был» of 11 March written behind the cache's back.
    // (The next day's login ends the sessions idle since the day before.)
    let eleventh = add_lesson(&db, g, te1, "2018-03-11");
    add_attending(&db, eleventh, student, 0);
    let tenth = attendance(&mut ma);
    assert_eq!(Some(&tenth), seen.last(), "not yet held on the 10th");
    let mut next_day = WebClient::login_at(&db, "2018-03-11 09:00:00", "ma1", "12");
    let eleventh_page = attendance(&mut next_day);
    assert_ne!(eleventh_page, tenth);
    assert_eq!(eleventh_page, fresh(&db, &mut next_day, attendance));

    // Without the row nothing is kept, and the page is still right.
    exec(&db, "DELETE FROM debts_cache WHERE id = 0", ());
    assert_eq!(attendance(&mut next_day), eleventh_page);
    assert_eq!(db.count("debts_cache"), 5);
}

/// The overview's money: the month's figures and the chart's table of months.
fn money(web: &mut WebClient) -> String {
    let html = web.get("/stat/dashboard").text();
    let from = html.find("оплата за").expect("the month's money");
    let to = html.rfind("</table>").expect("the table of months");
    html[from..to].to_string()
}

#[test]
fn the_overview_shows_the_money_kept_for_the_month_and_every_write_that_changes_it() {
    let db = TestDb::seeded();
    let (g, sig, section) = stub_group(&db);
    let mut ma = WebClient::login_at(&db, MARCH_10_2018, "ma1", "12");
    let computed = money(&mut ma);
    assert!(computed.contains("оплата за март 2018"), "{computed}");
    let kept: Vec<(i32, String)> = query_rows(
        &db,
        "SELECT month, body FROM debts_cache WHERE id IN (4, 5) ORDER BY id",
        (),
    );
    assert_eq!(kept.len(), 2);
    for (month, body) in &kept {
        assert_eq!(*month, 14, "kept for March 2018");
        assert!(body.len() > 2, "{body}");
    }

    // The next page of the month reads what is kept: bodies changed behind its back show.
    exec(
        &db,
        "UPDATE debts_cache SET body = '[[1,2,3,4,5,6,7]]' WHERE id = 4",
        (),
    );
    let changed = money(&mut ma);
    for figure in [
        "<b>2 ₽</b> из 1 ₽",
        "<b>6 ₽</b>",
        "должники: 7",
        "<b>4</b> учеников",
    ] {
        assert!(changed.contains(figure), "{figure}: {changed}");
    }
    exec(&db, "UPDATE debts_cache SET body = '[]' WHERE id = 5", ());
    assert_ne!(money(&mut ma), changed);
    assert_eq!(fresh(&db, &mut ma, money), computed);

    for (what, write) in writes(g, sig, section) {
        let before = money(&mut ma);
        write(&db, &mut ma);
        let after = money(&mut ma);
        // The group's new period ends with March, the month shown: its money stays.
        if what != "the group's period" {
            assert_ne!(after, before, "{what} changes the overview's money");
        }
        assert_eq!(
            after,
            fresh(&db, &mut ma, money),
            "{what}: the page after it"
        );
    }

    // A teacher's overview sums the money of their own groups, and keeps nothing of it.
    forget(&db);
    let mut te1 = WebClient::login_at(&db, MARCH_10_2018, "te1", "12");
    let own = money(&mut te1);
    let kept: u64 = query_one(
        &db,
        "SELECT COUNT(*) FROM debts_cache WHERE id IN (4, 5) AND month = -1",
        (),
    );
    assert_eq!(kept, 2, "nothing kept for a teacher");
    assert_eq!(own, money(&mut ma), "the one teacher has every group");

    // Without the rows nothing is kept, and the page is still right.
    exec(&db, "DELETE FROM debts_cache WHERE id IN (4, 5)", ());
    assert_eq!(money(&mut ma), own);
}
