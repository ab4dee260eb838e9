//! Lessons through the real binary as CGI: the month grid (marks, payments, validation, access),
//! creating and deleting lessons, «fill by schedule», «delete empty past lessons», the list and
//! the months page, and the grid's bounded number of SQL statements.

use crate::common;

use crate::common::db::exec;
use crate::common::fixture::*;
use chrono::{Datelike, Days, NaiveDate};
use common::{CgiRequest, TestDb, WebClient, run_cgi, site_today as today};
use mysql::prelude::Queryable;

fn month_of(d: NaiveDate) -> i32 {
    (d.year() - 2017) * 12 + d.month0() as i32
}

/// A group of te1 in section робо (800 ₽) for months `start..=end`, with `students` new members
/// «Ученик 0», «Ученик 1», … (the first with discount 100) and lessons on `dates`.
struct Fx {
    group: u32,
    teacher: u32,
    students: Vec<u32>,
    sigs: Vec<u32>,
    lessons: Vec<u32>,
}

fn fixture(db: &TestDb, start: i32, end: i32, students: usize, dates: &[NaiveDate]) -> Fx {
    let name = format!("тест-{}", db.count("groups"));
    let teacher = teacher_id(db, "te1");
    let group = add_group(db, &name, "робо", teacher, start, end);
    let mut fx = Fx {
        group,
        teacher,
        students: vec![],
        sigs: vec![],
        lessons: vec![],
    };
    for i in 0..students {
        let student =
            add_student_without_login(db, &format!("fx{group}_{i}"), &format!("Ученик {i}"));
        let discount = if i == 0 { 100 } else { 0 };
        fx.sigs
            .push(add_member(db, student, group, discount, start, end));
        fx.students.push(student);
    }
    for d in dates {
        fx.lessons.push(add_lesson(db, group, teacher, *d));
    }
    fx
}

fn states(db: &TestDb) -> Vec<(u32, u32, i32)> {
    db.conn()
        .query("SELECT lesson_id, student_id, state FROM attendings ORDER BY lesson_id, student_id")
        .unwrap()
}

fn payments(db: &TestDb) -> Vec<(u32, i32, i32, bool, bool, String)> {
    db.conn()
        .query("SELECT student_in_group_id, month, value, cash, confirmed, comment FROM payments ORDER BY id")
        .unwrap()
}

/// The value of the hidden input `name`.
fn hidden_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap() + marker.len();
    let end = html[start..].find('"').unwrap() + start;
    html[start..end].to_string()
}

/// That day of the current month.
fn this_month(day: u32) -> NaiveDate {
    today().with_day(day).unwrap()
}

#[test]
fn mark_attendance_and_payments_then_reload() {
    let db = TestDb::seeded();
    let m = month_of(today());
    let fx = fixture(&db, m - 1, m + 1, 2, &[this_month(1), this_month(2)]);
    let (l1, l2) = (fx.lessons[0], fx.lessons[1]);
    let (s1, s2) = (fx.students[0], fx.students[1]);
    let url = format!("/lessons/{}/{}", fx.group, m);
    let mut web = WebClient::login(&db, "ma1", "12");
    let page = web.get(&url);
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert!(html.contains(&format!("name=\"a_{l1}_{s1}\"")));
    assert!(html.contains(&format!("name=\"p_{}\"", fx.sigs[0])));
    assert!(html.contains("/ 700 &#8381;"), "price − discount");
    assert!(html.contains("lessons.js"));
    let before = payments(&db);

    let a = |l: u32, s: u32| format!("a_{l}_{s}");
    let p1 = format!("p_{}", fx.sigs[0]);
    let c1 = format!("comment_{}", fx.sigs[0]);
    let p2 = format!("p_{}", fx.sigs[1]);
    let cash2 = format!("c_{}", fx.sigs[1]);
    let (a11, a12, a21, a22) = (a(l1, s1), a(l1, s2), a(l2, s1), a(l2, s2));
    let resp = web.submit(
        &url,
        &url,
        &[
            (&a11, "1"),
            (&a12, "2"),
            (&a21, "0"),
            (&a22, "0"),
            (&p1, "500"),
            (&c1, "наличными маме"),
            (&p2, "0"),
            (&cash2, "1"),
            ("submit", "1"),
        ],
    );
    assert_eq!(resp.status, 302, "{}", resp.text());
    // Only changed cells are written: the «не был» cells had no row and still have none.
    assert_eq!(states(&db), vec![(l1, s1, 1), (l1, s2, 2)]);
    let mut after = payments(&db);
    let new = after.pop().unwrap();
    assert_eq!(after, before);
    assert_eq!(
        new,
        (
            fx.sigs[0],
            m,
            500,
            false,
            false,
            "наличными маме".to_string()
        )
    );

    let html = web.get(&url).text();
    assert!(html.contains("сохранены."), "flash");
    assert!(html.contains(&format!(
        "name=\"{a11}\" form=\"grid-form\" class=\"att no-print\""
    )));
    let cell = |name: &str| {
        let start = html.find(&format!("name=\"{name}\"")).unwrap();
        let end = html[start..].find("</select>").unwrap() + start;
        html[start..end].to_string()
    };
    assert!(cell(&a11).contains("<option value=\"1\" selected>был"));
    assert!(cell(&a12).contains("<option value=\"2\" selected>болел"));
    assert!(cell(&a21).contains("<option value=\"0\" selected>не был"));
    assert!(html.contains("value=\"500\""));
    // «всего» per lesson and the delete button disabled for the lesson with «был».
    assert!(html.contains("на занятии были ученики"));

    // Submitting the same again writes nothing new.
    let resp = web.submit(
        &url,
        &url,
        &[
            (&a11, "1"),
            (&a12, "2"),
            (&p1, "500"),
            (&c1, "наличными маме"),
            ("submit", "1"),
        ],
    );
    assert_eq!(resp.status, 302);
    assert_eq!(states(&db).len(), 2);
    assert_eq!(payments(&db).len(), before.len() + 1);

    // A mark someone else changed after the page was opened is not overwritten.
    let page = web.get(&url).text();
    let shown = hidden_value(&page, "shown");
    assert_eq!(shown, format!("{l1}_{s1}:1,{l1}_{s2}:2"));
    db.conn()
        .exec_drop(
            "UPDATE attendings SET state = 0 WHERE lesson_id = ? AND student_id = ?",
            (l1, s2),
        )
        .unwrap();
    let token = common::csrf_token(&page);
    let resp = web.send(CgiRequest::post_form(
        &url,
        &[
            ("csrf_token", &token),
            ("shown", &shown),
            (&a11, "1"),
            (&a12, "1"),
            (&a21, "1"),
            ("submit", "1"),
        ],
    ));
    assert_eq!(resp.status, 302);
    assert_eq!(states(&db), vec![(l1, s1, 1), (l1, s2, 0), (l2, s1, 1)]);
    assert!(
        web.get(&url)
            .text()
            .contains("отметок, изменённых другим пользователем: 1")
    );

    // A confirmed payment is never changed from the grid.
    db.conn()
        .exec_drop(
            "UPDATE payments SET confirmed = 1 WHERE student_in_group_id = ?",
            (fx.sigs[0],),
        )
        .unwrap();
    let resp = web.submit(&url, &url, &[(&p1, "100"), ("submit", "1")]);
    assert_eq!(resp.status, 302);
    assert_eq!(payments(&db).last().unwrap().2, 500);
    assert!(
        web.get(&url)
            .text()
            .contains("500 / 700 &#8381; <span class=\"state-1\">(подтверждено)</span>")
    );
}

#[test]
fn other_teacher_reads_but_cannot_write() {
    let db = TestDb::seeded();
    add_teacher(&db, "te2", "Второй Преподаватель");
    let m = month_of(today());
    let fx = fixture(&db, m - 1, m + 1, 1, &[this_month(1)]);
    add_attending(&db, fx.lessons[0], fx.students[0], 1);
    let url = format!("/lessons/{}/{}", fx.group, m);
    let mut web = WebClient::login(&db, "te2", "12");
    let page = web.get(&url);
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("<span class=\"state-1\">был</span>"));
    assert!(!html.contains("<select name=\"a_"));
    assert!(!html.contains("сохранить"));
    assert!(!html.contains("оплата"));
    let a = format!("a_{}_{}", fx.lessons[0], fx.students[0]);
    let resp = web.submit(&url, &url, &[(&a, "0"), ("submit", "1")]);
    assert_eq!(resp.status, 403);
    assert_eq!(states(&db), vec![(fx.lessons[0], fx.students[0], 1)]);
    for page in [
        format!("/lessons/create/{}", fx.group),
        format!("/lessons/fill_by_schedule/{}", fx.group),
        format!("/stat/group/{}", fx.group),
    ] {
        assert_eq!(web.get(&page).status, 403, "{page}");
    }
    let empty = add_lesson(&db, fx.group, fx.teacher, today() + Days::new(3));
    let resp = web.submit("/lessons/list", &format!("/lessons/delete/{empty}"), &[]);
    assert_eq!(resp.status, 403);
    assert_eq!(db.count("lessons"), 2);
    assert_eq!(web.get("/lessons/delete_empty_past").status, 403);
    // Missing group or month outside the period: 404.
    assert_eq!(web.get("/lessons/99999/100").status, 404);
    assert_eq!(
        web.get(&format!("/lessons/{}/{}", fx.group, m + 2)).status,
        404
    );
}

#[test]
fn invalid_grid_input_is_refused_and_nothing_written() {
    let db = TestDb::seeded();
    let m = month_of(today());
    let fx = fixture(&db, m - 1, m + 1, 2, &[this_month(1)]);
    let other_month = add_lesson(
        &db,
        fx.group,
        fx.teacher,
        today().with_day(1).unwrap() - Days::new(5),
    );
    let outsider: u32 = db
        .conn()
        .exec_first(
            "SELECT id FROM students WHERE id NOT IN (?, ?)",
            (fx.students[0], fx.students[1]),
        )
        .unwrap()
        .unwrap();
    let url = format!("/lessons/{}/{}", fx.group, m);
    let (l, s) = (fx.lessons[0], fx.students[0]);
    let good = format!("a_{l}_{s}");
    let p = format!("p_{}", fx.sigs[0]);
    let cases: Vec<(Vec<(String, &str)>, &str)> = vec![
        (
            vec![(format!("a_{l}_{s}"), "3")],
            "недопустимое состояние посещения «3»",
        ),
        (vec![(format!("a_{l}_{s}"), "-1")], "недопустимое состояние"),
        (
            vec![(format!("a_{l}_{s}"), "был")],
            "недопустимое состояние",
        ),
        (
            vec![(format!("a_{other_month}_{s}"), "1")],
            "не из этой группы и месяца",
        ),
        (
            vec![(format!("a_{l}_{outsider}"), "1")],
            "не из этой группы и месяца",
        ),
        (vec![(format!("a_{l}_x"), "1")], "неизвестное поле формы"),
        (
            vec![(p.clone(), "-5")],
            "Ученик 0: сумма не может быть отрицательной",
        ),
        (
            vec![(p.clone(), "12abc")],
            "Ученик 0: сумма должна быть целым числом рублей",
        ),
        (
            vec![("p_999999".to_string(), "1")],
            "не занимается в группе",
        ),
        (
            vec![(format!("comment_{}", fx.sigs[0]), "x".repeat(33).leak())],
            "комментарий длиннее 32 символов",
        ),
    ];
    let mut web = WebClient::login(&db, "ma1", "12");
    let before = (states(&db), payments(&db));
    for (fields, message) in cases {
        // A valid mark and payment ride along: none of it may be written.
        let mut all: Vec<(&str, &str)> = vec![(&good, "1"), ("submit", "1")];
        if !fields.iter().any(|(k, _)| *k == p) {
            all.push((&p, "300"));
        }
        all.extend(fields.iter().map(|(k, v)| (k.as_str(), *v)));
        let resp = web.submit(&url, &url, &all);
        assert_eq!(resp.status, 400, "{fields:?}");
        assert!(resp.text().contains(message), "{fields:?}: {}", resp.text());
        assert_eq!((states(&db), payments(&db)), before, "{fields:?}");
    }
    // The refused page keeps what the visitor typed.
    let page = web.submit(&url, &url, &[(&good, "2"), (&p, "-5"), ("submit", "1")]);
    assert!(page.text().contains("<option value=\"2\" selected>болел"));
    assert!(page.text().contains("value=\"-5\""));
    // Above the maximum is brought down to it (price − discount), as on the payments page.
    let resp = web.submit(&url, &url, &[(&p, "701"), ("submit", "1")]);
    assert_eq!(resp.status, 302);
    assert_eq!(payments(&db).last().unwrap().2, 700);
    // Without the CSRF token: refused as well.
    let resp = web.send(CgiRequest::post_form(
        &url,
        &[(&good, "1"), ("submit", "1")],
    ));
    assert_eq!(resp.status, 400);
    assert_eq!(states(&db), before.0);
}

#[test]
fn create_and_delete_lessons() {
    let db = TestDb::seeded();
    let m = month_of(today());
    let fx = fixture(&db, m - 1, m + 1, 1, &[]);
    let create = format!("/lessons/create/{}", fx.group);
    let mut master = WebClient::login(&db, "ma1", "12");
    let page = master.get(&create);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("новое занятие"));
    let past = today() - Days::new(20);
    let resp = master.submit(
        &create,
        &create,
        &[("date", &past.to_string()), ("submit", "1")],
    );
    assert_eq!(resp.status, 302, "{}", resp.text());
    assert_eq!(
        resp.location(),
        Some(format!("/lessons/{}/{}", fx.group, month_of(past)).as_str())
    );
    let teacher: u32 = db
        .conn()
        .query_first("SELECT teacher_id FROM lessons")
        .unwrap()
        .unwrap();
    let group_teacher: u32 = db
        .conn()
        .exec_first("SELECT teacher_id FROM `groups` WHERE id = ?", (fx.group,))
        .unwrap()
        .unwrap();
    assert_eq!(teacher, group_teacher, "the group's teacher by default");
    for (date, message) in [
        ("2017-01-01", "дата должна быть в пределах группы"),
        ("31.12.2026", "не дата"),
        ("", "укажите дату"),
    ] {
        let resp = master.submit(&create, &create, &[("date", date), ("submit", "1")]);
        assert_eq!(resp.status, 400, "{date}");
        assert!(resp.text().contains(message), "{date}: {}", resp.text());
    }
    assert_eq!(db.count("lessons"), 1);

    let mut teacher = WebClient::login(&db, "te1", "12");
    let resp = teacher.submit(
        &create,
        &create,
        &[("date", &past.to_string()), ("submit", "1")],
    );
    assert_eq!(resp.status, 400);
    assert!(resp.text().contains("в прошлом"));
    let future = today() + Days::new(1);
    let resp = teacher.submit(
        &create,
        &create,
        &[("date", &future.to_string()), ("submit", "1")],
    );
    assert_eq!(resp.status, 302);
    assert_eq!(db.count("lessons"), 2);

    let past_lesson: u32 = db
        .conn()
        .exec_first("SELECT id FROM lessons WHERE date = ?", (past,))
        .unwrap()
        .unwrap();
    let future_lesson: u32 = db
        .conn()
        .exec_first("SELECT id FROM lessons WHERE date = ?", (future,))
        .unwrap()
        .unwrap();
    // A teacher may not delete a past lesson.
    let resp = teacher.submit(
        "/lessons/list",
        &format!("/lessons/delete/{past_lesson}"),
        &[],
    );
    assert_eq!(resp.status, 409);
    assert!(resp.text().contains("уже прошло"));
    // Nobody deletes a lesson someone attended.
    add_attending(&db, future_lesson, fx.students[0], 1);
    let resp = master.submit(
        "/lessons/list",
        &format!("/lessons/delete/{future_lesson}"),
        &[],
    );
    assert_eq!(resp.status, 409);
    assert!(resp.text().contains("на нём были ученики"));
    // «болел» and «не был» rows go with the lesson.
    add_attending(&db, past_lesson, fx.students[0], 2);
    let resp = master.submit(
        "/lessons/list",
        &format!("/lessons/delete/{past_lesson}"),
        &[],
    );
    assert_eq!(resp.status, 302);
    assert_eq!(db.count("lessons"), 1);
    assert_eq!(states(&db), vec![(future_lesson, fx.students[0], 1)]);
    assert_eq!(master.get("/lessons/delete/1").status, 405);
    let resp = master.submit("/lessons/list", "/lessons/delete/999999", &[]);
    assert_eq!(resp.status, 404);
}

#[test]
fn fill_by_schedule_keeps_marked_lessons_and_reports_counts() {
    let db = TestDb::seeded();
    let t = today();
    let m = month_of(t);
    // Past, today and future lessons; the future ones with «был», «болел», «не был» and none.
    let fx = fixture(
        &db,
        m - 1,
        m + 2,
        1,
        &[
            t - Days::new(3),
            t,
            t + Days::new(2),
            t + Days::new(3),
            t + Days::new(4),
            t + Days::new(5),
        ],
    );
    let s = fx.students[0];
    add_attending(&db, fx.lessons[2], s, 1);
    add_attending(&db, fx.lessons[3], s, 2);
    add_attending(&db, fx.lessons[4], s, 0);
    // The timetable puts the group on Wednesdays: pre-ticked.
    db.conn()
        .exec_drop(
            "UPDATE schedule_groups SET group_id = ? WHERE day_of_week = 2 ORDER BY id LIMIT 1",
            (fx.group,),
        )
        .unwrap();
    let slots: u32 = db
        .conn()
        .exec_first(
            "SELECT COUNT(*) FROM schedule_groups WHERE group_id = ?",
            (fx.group,),
        )
        .unwrap()
        .unwrap();
    if slots == 0 {
        let time: u32 = db
            .conn()
            .query_first("SELECT MIN(id) FROM schedule_times")
            .unwrap()
            .unwrap();
        db.conn()
            .exec_drop(
                "INSERT INTO schedule_groups (schedule_time_id, day_of_week, group_id) VALUES (?, 2, ?)",
                (time, fx.group),
            )
            .unwrap();
    }
    let url = format!("/lessons/fill_by_schedule/{}", fx.group);
    let mut web = WebClient::login(&db, "te1", "12");
    let page = web.get(&url).text();
    assert!(
        page.contains("name=\"dow_2\" value=\"1\" checked"),
        "{page}"
    );
    assert!(!page.contains("name=\"dow_0\" value=\"1\" checked"));

    let resp = web.submit(&url, &url, &[("dow_9", "1")]);
    assert_eq!(resp.status, 400);
    assert_eq!(db.count("lessons"), 6);

    // Ticked: the weekdays of the two marked lessons plus Monday.
    let d1 = (t + Days::new(2)).weekday().num_days_from_monday();
    let d2 = (t + Days::new(3)).weekday().num_days_from_monday();
    let mut ticked = vec![d1, d2, 0];
    ticked.sort();
    ticked.dedup();
    let names: Vec<String> = ticked.iter().map(|d| format!("dow_{d}")).collect();
    let mut fields: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "1")).collect();
    fields.push(("submit", "1"));
    let resp = web.submit(&url, &url, &fields);
    assert_eq!(resp.status, 302, "{}", resp.text());
    let end = NaiveDate::from_ymd_opt(2017 + (m + 2) / 12, ((m + 2) % 12 + 1) as u32, 1)
        .unwrap()
        .checked_add_months(chrono::Months::new(1))
        .unwrap()
        .pred_opt()
        .unwrap();
    let kept_dates = [t + Days::new(2), t + Days::new(3)];
    let expected_new: Vec<NaiveDate> = (t + Days::new(1))
        .iter_days()
        .take_while(|d| *d <= end)
        .filter(|d| ticked.contains(&d.weekday().num_days_from_monday()))
        .filter(|d| !kept_dates.contains(d))
        .collect();
    let flash = web.get(&format!("/lessons/months/{}", fx.group)).text();
    assert!(
        flash.contains(&format!(
            "создано занятий {}, сохранено занятий с отметками 2",
            expected_new.len()
        )),
        "{flash}"
    );
    let mut c = db.conn();
    let ids: Vec<u32> = c
        .exec(
            "SELECT id FROM lessons WHERE group_id = ? ORDER BY id",
            (fx.group,),
        )
        .unwrap();
    // Past, today and both marked lessons stay; the unmarked future ones are gone.
    assert_eq!(
        &ids[..4],
        &[fx.lessons[0], fx.lessons[1], fx.lessons[2], fx.lessons[3]]
    );
    assert_eq!(ids.len(), 4 + expected_new.len());
    let dates: Vec<NaiveDate> = c
        .exec(
            "SELECT date FROM lessons WHERE id > ? ORDER BY date",
            (fx.lessons[5],),
        )
        .unwrap();
    assert_eq!(dates, expected_new);
    assert_eq!(
        states(&db).len(),
        2,
        "the «не был» row went with its lesson"
    );
}

#[test]
fn delete_empty_past_removes_only_empty_past_lessons() {
    let db = TestDb::seeded();
    let t = today();
    let m = month_of(t);
    let fx = fixture(
        &db,
        m - 2,
        m + 1,
        1,
        &[
            t - Days::new(30),
            t - Days::new(20),
            t - Days::new(10),
            t - Days::new(5),
            t + Days::new(5),
        ],
    );
    let s = fx.students[0];
    add_attending(&db, fx.lessons[0], s, 0); // empty: «не был»
    add_attending(&db, fx.lessons[1], s, 1); // attended
    add_attending(&db, fx.lessons[2], s, 2); // only «болел»: empty
    let mut web = WebClient::login(&db, "ma1", "12");
    let page = web.get("/lessons/delete_empty_past").text();
    for (i, shown) in [(0, true), (1, false), (2, true), (3, true), (4, false)] {
        assert_eq!(
            page.contains(&format!("name=\"l_{}\"", fx.lessons[i])),
            shown,
            "lesson {i}"
        );
    }
    // The attended lesson's id is posted too: it is checked again and kept.
    let names: Vec<String> = [0, 1, 2, 4]
        .iter()
        .map(|&i| format!("l_{}", fx.lessons[i]))
        .collect();
    let mut fields: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "1")).collect();
    fields.push(("submit", "1"));
    let resp = web.submit(
        "/lessons/delete_empty_past",
        "/lessons/delete_empty_past",
        &fields,
    );
    assert_eq!(resp.status, 302);
    assert_eq!(resp.location(), Some("/lessons/list"));
    let left: Vec<u32> = db
        .conn()
        .exec(
            "SELECT id FROM lessons WHERE group_id = ? ORDER BY id",
            (fx.group,),
        )
        .unwrap();
    assert_eq!(left, vec![fx.lessons[1], fx.lessons[3], fx.lessons[4]]);
    assert_eq!(states(&db), vec![(fx.lessons[1], s, 1)]);
    let list = web.get("/lessons/list").text();
    assert!(list.contains("удалено занятий: 2; оставлено"), "{list}");
    let resp = web.submit(
        "/lessons/delete_empty_past",
        "/lessons/delete_empty_past",
        &[("l_x", "1")],
    );
    assert_eq!(resp.status, 400);
}

#[test]
fn list_filters_and_months_page() {
    let db = TestDb::seeded();
    let m = month_of(today());
    let d = |day| today().with_day(day).unwrap();
    let fx = fixture(&db, m - 1, m + 1, 2, &[d(3), d(10), d(1)]);
    add_attending(&db, fx.lessons[0], fx.students[0], 1);
    let mut web = WebClient::login(&db, "te1", "12");
    let html = web.get(&format!("/lessons/months/{}", fx.group)).text();
    assert!(html.contains("<td>1 / 3 / 10</td>"), "{html}");
    assert!(html.contains("новое занятие"));
    let list = web
        .get(&format!(
            "/lessons/list?group_id={}&teacher_id=0&selected_date={}",
            fx.group,
            d(3)
        ))
        .text();
    assert!(list.contains(&format!(">{}</a>", d(3).format("%d.%m.%Y"))));
    assert!(list.contains(&format!(">{}</a>", d(1).format("%d.%m.%Y"))));
    assert!(
        !list.contains(&format!(">{}</a>", d(10).format("%d.%m.%Y"))),
        "after the selected date"
    );
    assert!(list.contains("1 / 2"), "present / students");
    let all = web.get("/lessons/list").text();
    assert!(all.contains(&format!(">{}</a>", d(10).format("%d.%m.%Y"))));
    assert_eq!(web.get("/lessons/list?selected_date=завтра").status, 400);
    assert_eq!(web.get("/lessons/list?group_id=abc").status, 400);
    let none = web.get("/lessons/list?group_id=99999").text();
    assert!(none.contains("нет занятий"));
}

/// Statements the binary sends for one request, counted by MariaDB's user statistics under an
/// account only this test uses.
/// The statements `user` has sent so far. The server adds a connection's last statements to
/// USER_STATISTICS while it closes the connection, after the CGI process has already exited: so
/// wait until `user` has no connection left and the figure stays the same.
fn statements(db: &TestDb, user: &str) -> u64 {
    let mut c = db.conn();
    let mut read = || -> (u64, u64) {
        let open: u64 = c
            .exec_first(
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = ?",
                (user,),
            )
            .unwrap()
            .unwrap_or(0);
        let sent: u64 = c
            .exec_first(
                "SELECT SELECT_COMMANDS + UPDATE_COMMANDS + OTHER_COMMANDS
                 FROM information_schema.USER_STATISTICS WHERE USER = ?",
                (user,),
            )
            .unwrap()
            .unwrap_or(0);
        (open, sent)
    };
    let mut last = read();
    for _ in 0..100 {
        std::thread::sleep(std::time::Duration::from_millis(20));
        let now = read();
        if now == last && now.0 == 0 {
            return now.1;
        }
        last = now;
    }
    panic!("the statement count of {user} did not settle: {last:?}");
}

#[test]
fn grid_query_count_does_not_grow_with_students_or_lessons() {
    let db = TestDb::seeded();
    let m = month_of(today());
    let small = fixture(&db, m - 1, m + 1, 1, &[this_month(1)]);
    let days: Vec<NaiveDate> = (1..=8).map(|d| today().with_day(d).unwrap()).collect();
    let big = fixture(&db, m - 1, m + 1, 12, &days);
    for (l, s) in big.lessons.iter().zip(&big.students) {
        add_attending(&db, *l, *s, 1);
    }
    let user = format!("q_{}", db.name);
    let mut c = db.conn();
    c.query_drop(format!("DROP USER IF EXISTS '{user}'@'localhost'"))
        .unwrap();
    c.query_drop(format!(
        "CREATE USER '{user}'@'localhost' IDENTIFIED BY 'pw'"
    ))
    .unwrap();
    c.query_drop(format!(
        "GRANT ALL ON `{}`.* TO '{user}'@'localhost'",
        db.name
    ))
    .unwrap();
    c.query_drop("SET GLOBAL userstat = 1").unwrap();
    let config = std::fs::read_to_string(&db.config_path).unwrap().replace(
        &format!("{}:{}@", common::ADMIN_USER, common::ADMIN_PASSWORD),
        &format!("{user}:pw@"),
    );
    let own_config = db.dir.path().join("counted.toml");
    std::fs::write(&own_config, config).unwrap();
    let web = WebClient::login(&db, "ma1", "12");
    let count = |path: String| {
        // Each request notes the visit, though `last_seen` is written once a minute.
        exec(
            &db,
            "UPDATE system_users SET last_seen = last_seen - INTERVAL 1 HOUR WHERE login = 'ma1'",
            (),
        );
        let before = statements(&db, &user);
        let resp = run_cgi(&own_config, &CgiRequest::get(&path).with_cookies(&web.jar));
        assert_eq!(resp.status, 200, "{path}: {}", resp.stderr);
        statements(&db, &user) - before
    };
    let small_n = count(format!("/lessons/{}/{}", small.group, m));
    let big_n = count(format!("/lessons/{}/{}", big.group, m));
    assert_eq!(small_n, big_n, "1×1 grid vs 12×8 grid");
    assert!(big_n <= 16, "{big_n} statements");
    eprintln!("month grid: {big_n} statements per request");
    let list_small = count(format!("/lessons/list?group_id={}", small.group));
    let list_big = count(format!("/lessons/list?group_id={}", big.group));
    assert_eq!(list_small, list_big);
    let stat_small = count(format!("/stat/group/{}", small.group));
    let stat_big = count(format!("/stat/group/{}", big.group));
    assert_eq!(stat_small, stat_big);
    eprintln!("lessons list: {list_big}, group stat: {stat_big} statements per request");
    c.query_drop(format!("DROP USER IF EXISTS '{user}'@'localhost'"))
        .unwrap();
}

/// The grid in a real browser behind Apache: lessons.js turns each cell into one button that
/// cycles «не был» → «был» → «болел» on clicks, and «сохранить» posts what it shows.
#[test]
fn browser_cycles_attendance_on_click_and_saves() {
    use common::apache::ApacheSite;
    use common::browser::{Browser, screenshot_path};
    use std::time::Duration;
    let wait = Duration::from_secs(20);

    let db = TestDb::seeded();
    let m = month_of(today());
    let fx = fixture(&db, m - 1, m + 1, 2, &[this_month(1), this_month(2)]);
    let site = ApacheSite::start(&db);
    let browser = Browser::start();
    browser.goto(&site.url("/users/login"));
    browser.send_keys(&browser.find("input[name='login']"), "te1");
    browser.send_keys(&browser.find("input[name='password']"), "12");
    browser.click(&browser.find("form:has(input[name='password']) button[type='submit']"));
    assert!(browser.wait_until(wait, |b| b.page_text().contains("te1")));

    browser.goto(&site.url(&format!("/lessons/{}/{m}", fx.group)));
    let name = format!("a_{}_{}", fx.lessons[0], fx.students[1]);
    assert_eq!(
        browser.execute(&format!(
            "return getComputedStyle(document.querySelector(\"select[name='{name}']\")).display"
        )),
        serde_json::json!("none"),
        "the select is replaced by the button"
    );
    let button = browser.find(&format!("td:has(select[name='{name}']) button"));
    assert_eq!(browser.text(&button), "не был");
    browser.click(&button);
    assert_eq!(browser.text(&button), "был");
    let value = format!("return document.querySelector(\"select[name='{name}']\").value");
    assert_eq!(
        browser.execute(&value),
        serde_json::json!("1"),
        "the select follows"
    );
    browser.click(&button);
    assert_eq!(browser.text(&button), "болел");
    assert_eq!(
        browser.attribute(&button, "class").as_deref(),
        Some("btn btn-default btn-sm state-2")
    );
    browser.screenshot(&screenshot_path("lessons-grid-te1.png"));
    browser.click(&browser.find("#grid-form button[type='submit']"));
    assert!(
        browser.wait_until(wait, |b| b.page_text().contains("сохранены.")),
        "{}",
        browser.page_text()
    );
    assert_eq!(states(&db), vec![(fx.lessons[0], fx.students[1], 2)]);
    let again = browser.find(&format!("td:has(select[name='{name}']) button"));
    assert_eq!(browser.text(&again), "болел");
}

/// A developer in read-only mode may open and submit the grid, but nothing is stored and the
/// message says so; students never get in.
#[test]
fn read_only_developer_and_students() {
    let db = TestDb::seeded();
    let m = month_of(today());
    let fx = fixture(&db, m - 1, m + 1, 1, &[this_month(1)]);
    let url = format!("/lessons/{}/{m}", fx.group);
    let mut dev = WebClient::login(&db, "dev1", "12");
    let a = format!("a_{}_{}", fx.lessons[0], fx.students[0]);
    let resp = dev.submit(&url, &url, &[(&a, "1"), ("submit", "1")]);
    assert_eq!(resp.status, 302);
    assert!(states(&db).is_empty());
    let page = dev.get(&url).text();
    assert!(
        page.contains("режим только чтения: посещения и оплата в группе")
            && page.contains("не сохранены."),
        "{page}"
    );
    let mut student = WebClient::login(&db, "st1", "31082002");
    for page in [url.as_str(), "/lessons/list", "/lessons/delete_empty_past"] {
        assert_eq!(student.get(page).status, 403, "{page}");
    }
}
