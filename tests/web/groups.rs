//! Groups and their members through the real
//! binary as CGI: the list with its order and filters, add/edit with the period rules and their
//! side effects, delete with 409 and the timetable cells, students in group, group details,
//! the login table, access per role and the developer's read-only mode.

use crate::common;

use crate::common::db::query_one;
use crate::common::fixture::{add_group, add_lesson, add_student, add_teacher, group_id};
use common::{CgiRequest, TestDb, WebClient};
use mysql::prelude::Queryable;

fn q(search: &str) -> String {
    serde_urlencoded::to_string([("search", search)]).unwrap()
}

/// (discount, enter month, exit month) of a membership.
fn member(db: &TestDb, sig: u32) -> (i32, i32, i32) {
    db.conn()
        .exec_first(
            "SELECT discount, enter_month, exit_month FROM student_in_groups WHERE id = ?",
            (sig,),
        )
        .unwrap()
        .unwrap()
}

fn rows(html: &str) -> usize {
    html.matches("href=\"/structure/group_details/").count()
}

/// The group form's fields for a period given as (year, month 1–12) pairs.
fn group_fields(
    section: u32,
    name: &str,
    teacher: u32,
    start: (i32, u32),
    end: (i32, u32),
) -> Vec<(&'static str, String)> {
    vec![
        ("section_id", section.to_string()),
        ("name", name.to_string()),
        ("teacher_id", teacher.to_string()),
        ("start_year", start.0.to_string()),
        ("start_month", start.1.to_string()),
        ("end_year", end.0.to_string()),
        ("end_month", end.1.to_string()),
    ]
}

fn submit(
    web: &mut WebClient,
    page: &str,
    action: &str,
    fields: &[(&str, String)],
) -> common::CgiResponse {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    web.submit(page, action, &fields)
}

#[test]
fn group_create_search_edit_delete() {
    let db = TestDb::seeded();
    let mut web = WebClient::login(&db, "ma1", "12");
    let robo: u32 = query_one(&db, "SELECT id FROM sections WHERE name = 'робо'", ());
    let te1: u32 = query_one(&db, "SELECT id FROM teachers", ());
    let html = web.get("/structure/groups").text();
    assert!(html.contains("<h1>группы</h1>"));
    assert!(html.contains("добавить группу"));
    assert_eq!(rows(&html), 2);
    assert!(html.contains("сентябрь 2017 — май 2018"), "{html}");

    let form = web.get("/structure/group").text();
    assert!(form.contains("создание группы"));
    for label in [
        "секция",
        "название",
        "преподаватель",
        "начало. год",
        "начало. месяц",
        "конец. год",
        "конец. месяц",
    ] {
        assert!(form.contains(label), "{label}");
    }
    assert!(form.contains(">2017</option>") && form.contains(">2042</option>"));
    assert!(!form.contains(">2043</option>"));
    assert!(form.contains(">сентябрь</option>"));

    let r = submit(
        &mut web,
        "/structure/group",
        "/structure/group",
        &group_fields(robo, " робо-81 ", te1, (2018, 9), (2019, 8)),
    );
    assert_eq!(r.status, 302, "{}", r.text());
    assert_eq!(r.location(), Some("/structure/groups"));
    let html = web.get("/structure/groups").text();
    assert!(html.contains("группа робо-81 создана"));
    assert!(html.contains("сентябрь 2018 — август 2019"));
    let id = group_id(&db, "робо-81");
    let period: (i32, i32) = db
        .conn()
        .exec_first(
            "SELECT start_month, end_month FROM `groups` WHERE id = ?",
            (id,),
        )
        .unwrap()
        .unwrap();
    assert_eq!(period, (20, 31));

    // Cyrillic search, case-insensitive, substring.
    let html = web.get(&format!("/structure/groups?{}", q("РОБО"))).text();
    assert_eq!(rows(&html), 2);
    assert!(html.contains("по запросу \"<b>РОБО</b>\""));
    let html = web.get(&format!("/structure/groups?{}", q("-81"))).text();
    assert_eq!(rows(&html), 1);
    let html = web.get(&format!("/structure/groups?{}", q("лего"))).text();
    assert_eq!(rows(&html), 0);
    assert!(html.contains("ничего не найдено"));

    let edit = format!("/structure/group/{id}");
    let page = web.get(&edit).text();
    assert!(page.contains("редактирование группы"));
    assert!(page.contains("value=\"робо-81\""));
    assert!(
        page.contains("<option value=\"2018\" selected>2018</option>"),
        "{page}"
    );
    let r = submit(
        &mut web,
        &edit,
        &edit,
        &group_fields(robo, "робо-82", te1, (2018, 9), (2019, 8)),
    );
    assert_eq!(r.status, 302, "{}", r.text());
    assert!(
        web.get("/structure/groups")
            .text()
            .contains("группа робо-82 изменена")
    );

    // Its timetable cell is emptied and the notifications sent to it go with it (the original
    // failed on the timetable's foreign key).
    {
        let mut c = db.conn();
        let slot: u32 = c
            .query_first("SELECT MIN(id) FROM schedule_times")
            .unwrap()
            .unwrap();
        c.exec_drop(
            "INSERT INTO schedule_groups (schedule_time_id, day_of_week, group_id) VALUES (?, 2, ?)",
            (slot, id),
        )
        .unwrap();
        c.exec_drop(
            "INSERT INTO notifications (sender_id, receiver_type, receiver_id, subject, body, send_time, receivers)
             SELECT MIN(id), 1, ?, 'тема', 'текст', UTC_TIMESTAMP(), '' FROM system_users",
            (id,),
        )
        .unwrap();
    }
    let delete = format!("/structure/delete_group/{id}");
    assert_eq!(web.get(&delete).status, 405);
    let r = web.submit("/structure/groups", &delete, &[]);
    assert_eq!(r.status, 302, "{}", r.text());
    assert!(
        web.get("/structure/groups")
            .text()
            .contains("группа робо-82 удалена")
    );
    assert_eq!(db.count("groups"), 2);
    assert_eq!(db.count("notifications"), 0);
    let cells: u64 = db
        .conn()
        .exec_first(
            "SELECT COUNT(*) FROM schedule_groups WHERE group_id IS NOT NULL",
            (),
        )
        .unwrap()
        .unwrap();
    assert_eq!(cells, 0);
    assert_eq!(web.get(&edit).status, 404);
    assert_eq!(web.submit("/structure/groups", &delete, &[]).status, 404);
}

#[test]
fn group_form_rules() {
    let db = TestDb::seeded();
    let mut web = WebClient::login(&db, "ma1", "12");
    let robo: u32 = query_one(&db, "SELECT id FROM sections WHERE name = 'робо'", ());
    let te1: u32 = query_one(&db, "SELECT id FROM teachers", ());
    let add = "/structure/group";
    let long = "я".repeat(256);
    let cases = [
        (
            group_fields(robo, "новая", te1, (2019, 1), (2020, 1)),
            "группа не может существовать больше 12 месяцев!",
        ),
        (
            group_fields(robo, "новая", te1, (2019, 5), (2019, 4)),
            "начало не может быть позже конца!",
        ),
        (
            group_fields(robo, "РОБО-71", te1, (2019, 1), (2019, 2)),
            "группа с Таким названием уже существует!",
        ),
        (
            group_fields(robo, &long, te1, (2019, 1), (2019, 2)),
            "Длина поля должна быть от 1 до 255 символов.",
        ),
        (
            group_fields(robo, "новая", te1, (2016, 1), (2019, 2)),
            "Выберите значение из списка.",
        ),
        (
            group_fields(robo, "новая", te1, (2019, 13), (2019, 2)),
            "Выберите значение из списка.",
        ),
        (
            group_fields(999999, "новая", te1, (2019, 1), (2019, 2)),
            "Выберите значение из списка.",
        ),
        (
            group_fields(robo, "новая", 999999, (2019, 1), (2019, 2)),
            "Выберите значение из списка.",
        ),
    ];
    for (fields, message) in cases {
        let r = submit(&mut web, add, add, &fields);
        assert_eq!(r.status, 200, "{fields:?}");
        let html = r.text();
        assert!(html.contains(message), "{message}: {html}");
        assert_eq!(db.count("groups"), 2);
    }
    // Twelve months, both ends included, are fine.
    let r = submit(
        &mut web,
        add,
        add,
        &group_fields(robo, "новая", te1, (2019, 1), (2019, 12)),
    );
    assert_eq!(r.status, 302, "{}", r.text());
    assert_eq!(db.count("groups"), 3);
}

#[test]
fn period_changes_keep_history_and_clamp_members() {
    let db = TestDb::seeded();
    let mut web = WebClient::login(&db, "ma1", "12");
    let robo: u32 = query_one(&db, "SELECT id FROM sections WHERE name = 'робо'", ());
    let te1: u32 = query_one(&db, "SELECT id FROM teachers", ());
    let te2 = add_teacher(&db, "te2", "Второй Учитель");
    let g = group_id(&db, "робо-71");
    let edit = format!("/structure/group/{g}");
    // робо-71 runs from month 8 (September 2017) to 16 (May 2018); st1 is in it for all of it,
    // with an unconfirmed payment in month 9. Add a confirmed one in month 12 and lessons.
    let sig: u32 = query_one(&db, "SELECT id FROM student_in_groups", ());
    {
        let mut c = db.conn();
        c.exec_drop(
            "INSERT INTO payments (student_in_group_id, month, value, cash, confirmed, comment) VALUES (?, 12, 700, 1, 1, ''), (?, 15, 300, 1, 0, '')",
            (sig, sig),
        )
        .unwrap();
    }
    let past = add_lesson(&db, g, te1, "2018-01-15");
    let period =
        |start: (i32, u32), end: (i32, u32)| group_fields(robo, "робо-71", te2, start, end);
    let before = (db.count("payments"), db.count("lessons"));
    for (start, end, message) in [
        (
            (2018, 2),
            (2018, 5),
            "существуют занятия или платежи до месяца начала!",
        ),
        (
            (2017, 9),
            (2017, 12),
            "существуют занятия или платежи после месяца конца!",
        ),
    ] {
        let r = submit(&mut web, &edit, &edit, &period(start, end));
        assert_eq!(r.status, 200);
        assert!(r.text().contains(message), "{message}");
    }
    // The lesson in January alone holds the end too.
    db.conn()
        .exec_drop("UPDATE payments SET confirmed = 0 WHERE month = 12", ())
        .unwrap();
    let r = submit(&mut web, &edit, &edit, &period((2017, 9), (2017, 12)));
    assert!(
        r.text()
            .contains("существуют занятия или платежи после месяца конца!")
    );
    db.conn()
        .exec_drop("UPDATE payments SET confirmed = 1 WHERE month = 12", ())
        .unwrap();
    assert_eq!((db.count("payments"), db.count("lessons")), before);
    let group: (i32, i32, u32) = db
        .conn()
        .exec_first(
            "SELECT start_month, end_month, teacher_id FROM `groups` WHERE id = ?",
            (g,),
        )
        .unwrap()
        .unwrap();
    assert_eq!(group, (8, 16, te1), "nothing changed");

    // Shrinking to January…March 2018 (12…14): st1 is clamped into it, the unconfirmed payments
    // of months 9 and 15 go, the confirmed one stays.
    let march = add_lesson(&db, g, te1, "2018-03-01");
    let r = submit(&mut web, &edit, &edit, &period((2018, 1), (2018, 3)));
    assert_eq!(r.status, 302, "{}", r.text());
    assert!(
        web.get("/structure/groups")
            .text()
            .contains("группа робо-71 изменена")
    );
    let member: (i32, i32) = db
        .conn()
        .exec_first(
            "SELECT enter_month, exit_month FROM student_in_groups WHERE id = ?",
            (sig,),
        )
        .unwrap()
        .unwrap();
    assert_eq!(member, (12, 14));
    let months: Vec<i32> = db
        .conn()
        .query("SELECT month FROM payments ORDER BY month")
        .unwrap();
    assert_eq!(months, vec![12]);
    // Both lessons are in the past here: they keep their teacher.
    let teachers: Vec<u32> = db
        .conn()
        .exec(
            "SELECT teacher_id FROM lessons WHERE id IN (?, ?)",
            (past, march),
        )
        .unwrap();
    assert_eq!(teachers, vec![te1, te1]);
}

#[test]
fn edit_gives_future_lessons_the_new_teacher() {
    let db = TestDb::seeded();
    let mut web = WebClient::login(&db, "ma1", "12");
    let robo: u32 = query_one(&db, "SELECT id FROM sections WHERE name = 'робо'", ());
    let te1: u32 = query_one(&db, "SELECT id FROM teachers", ());
    let te2 = add_teacher(&db, "te2", "Второй Учитель");
    let g = add_group(&db, "будущая", "робо", te1, 120, 125);
    let future = add_lesson(&db, g, te1, "2027-03-01");
    let edit = format!("/structure/group/{g}");
    let r = submit(
        &mut web,
        &edit,
        &edit,
        &group_fields(robo, "будущая", te2, (2027, 1), (2027, 6)),
    );
    assert_eq!(r.status, 302, "{}", r.text());
    let teacher: u32 = db
        .conn()
        .exec_first("SELECT teacher_id FROM lessons WHERE id = ?", (future,))
        .unwrap()
        .unwrap();
    assert_eq!(teacher, te2);
}

#[test]
fn group_with_members_or_lessons_is_a_conflict() {
    let db = TestDb::seeded();
    let mut web = WebClient::login(&db, "ma1", "12");
    let te1: u32 = query_one(&db, "SELECT id FROM teachers", ());
    let robo71 = group_id(&db, "робо-71");
    let html = web.get("/structure/groups").text();
    assert!(
        html.contains("title=\"нельзя удалить: в группе есть ученики\""),
        "{html}"
    );
    let r = web.submit(
        "/structure/groups",
        &format!("/structure/delete_group/{robo71}"),
        &[],
    );
    assert_eq!(r.status, 409);
    assert!(r.text().contains("409 - конфликт"));
    assert!(
        r.text()
            .contains("группу «робо-71» нельзя удалить: в группе есть ученики")
    );
    let web61 = group_id(&db, "веб-61");
    add_lesson(&db, web61, te1, "2017-10-02");
    let r = web.submit(
        "/structure/groups",
        &format!("/structure/delete_group/{web61}"),
        &[],
    );
    assert_eq!(r.status, 409);
    assert!(r.text().contains("у группы есть занятия"));
    assert_eq!(db.count("groups"), 2);
    assert_eq!(db.count("lessons"), 1);
}

#[test]
fn list_order_teacher_filter_and_columns() {
    let db = TestDb::seeded();
    let te1: u32 = query_one(&db, "SELECT id FROM teachers", ());
    let te2 = add_teacher(&db, "te2", "Второй Учитель");
    add_group(&db, "чужая-новая", "робо", te2, 30, 35);
    add_group(&db, "чужая-старая", "робо", te2, 0, 5);
    let mut te = WebClient::login(&db, "te1", "12");
    let html = te.get("/structure/groups").text();
    // A teacher's own groups first (by start, then name), then the others by latest start.
    let order: Vec<usize> = ["веб-61", "робо-71", "чужая-новая", "чужая-старая"]
        .iter()
        .map(|n| {
            html.find(&format!("\">{n}</a></td>"))
                .unwrap_or_else(|| panic!("{n}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(!html.contains("добавить группу"));
    assert!(!html.contains("/structure/delete_group/"));
    // Writer-only columns: own groups get them, the others do not.
    assert_eq!(
        html.matches("href=\"/structure/students_in_group/").count(),
        2
    );
    assert_eq!(html.matches("href=\"/payments/group/").count(), 2);
    assert_eq!(rows(&html), 4);
    // The unconfirmed sum of робо-71 (the seeded 400 ₽).
    assert!(html.contains("400 &#8381;"));
    assert!(html.contains("<span class=\"mine\">Учитель Петр Петрович</span>"));

    let html = te
        .get(&format!("/structure/groups?teacher_id={te2}"))
        .text();
    assert_eq!(rows(&html), 2);
    assert!(html.contains("в группах <b>Второй Учитель</b>"));
    let html = te
        .get(&format!("/structure/groups?teacher_id={te1}&{}", q("веб")))
        .text();
    assert_eq!(rows(&html), 1);
    assert!(html.contains("в группах <b>Учитель Петр Петрович</b> по запросу \"<b>веб</b>\""));
    assert_eq!(te.get("/structure/groups?teacher_id=999999").status, 404);
    assert_eq!(rows(&te.get("/structure/groups?teacher_id=x").text()), 4);
}

#[test]
fn access_per_route() {
    let db = TestDb::seeded();
    let te2 = add_teacher(&db, "te2", "Второй Учитель");
    let own = group_id(&db, "робо-71");
    let other = add_group(&db, "чужая", "робо", te2, 8, 10);
    let mut te = WebClient::login(&db, "te1", "12");
    for path in [
        "/structure/groups".to_string(),
        format!("/structure/students_in_group/{own}"),
        format!("/structure/group_details/{own}"),
        format!("/structure/group_details/{other}"),
        format!("/structure/login_table/{other}"),
    ] {
        let r = te.get(&path);
        assert_eq!(r.status, 200, "{path}: {}", r.stderr);
    }
    for path in [
        "/structure/group".to_string(),
        format!("/structure/group/{own}"),
        format!("/structure/students_in_group/{other}"),
    ] {
        assert_eq!(te.get(&path).status, 403, "{path}");
    }
    for path in [
        "/structure/group".to_string(),
        format!("/structure/group/{own}"),
        format!("/structure/delete_group/{other}"),
        format!("/structure/students_in_group/{other}"),
        format!("/structure/group_details/{other}"),
    ] {
        let r = te.submit("/structure/groups", &path, &[("submit", "x")]);
        assert_eq!(r.status, 403, "{path}");
    }
    // Another teacher's group is read-only on the details page: no inputs, no save button.
    let html = te.get(&format!("/structure/group_details/{other}")).text();
    assert!(!html.contains("сохранить"));
    assert_eq!(te.get("/structure/students_in_group/999999").status, 404);
    assert_eq!(te.get("/structure/group_details/999999").status, 404);
    assert_eq!(te.get("/structure/login_table/999999").status, 404);

    let mut st = WebClient::login(&db, "st1", "31082002");
    for path in [
        "/structure/groups".to_string(),
        "/structure/group".to_string(),
        format!("/structure/students_in_group/{own}"),
        format!("/structure/group_details/{own}"),
        format!("/structure/login_table/{own}"),
    ] {
        assert_eq!(st.get(&path).status, 403, "{path}");
        let r = db.cgi(&CgiRequest::get(&path));
        assert_eq!(r.status, 302, "{path}");
        assert!(r.location().unwrap().starts_with("/users/login?next="));
    }
    assert_eq!(
        st.submit("/", &format!("/structure/delete_group/{other}"), &[])
            .status,
        403
    );
    assert_eq!(db.count("groups"), 3);

    // A developer may use every page; nothing is stored.
    let mut dev = WebClient::login(&db, "dev1", "12");
    let r = dev.submit(
        "/structure/groups",
        &format!("/structure/delete_group/{other}"),
        &[],
    );
    assert_eq!(r.status, 302);
    assert!(
        dev.get("/structure/groups")
            .text()
            .contains("режим только чтения: группа чужая не удалена")
    );
    assert_eq!(db.count("groups"), 3);
}

#[test]
fn students_in_group_add_and_remove() {
    let db = TestDb::seeded();
    let g = group_id(&db, "робо-71");
    let te1: u32 = query_one(&db, "SELECT id FROM teachers", ());
    let st1: u32 = query_one(&db, "SELECT id FROM students", ());
    let new = add_student(&db, "anna", "Анна Новая");
    let quiet = add_student(&db, "boris", "Борис Тихий");
    let page = format!("/structure/students_in_group/{g}");
    let mut web = WebClient::login(&db, "te1", "12");
    let html = web.get(&page).text();
    assert!(html.contains("ученики в <a"), "{html}");
    assert!(html.contains("<title>робо-71. ученики"));
    // No list of every other student: they are found by name, words in any order, members
    // never among them.
    assert!(!html.contains("Анна Новая"), "{html}");
    assert!(html.contains("name=\"search\""));
    let found = web
        .get(&format!(
            "{page}?search=%20%D0%BD%D0%BE%D0%B2%D0%B0%D1%8F+%D0%B0%D0%BD%D0%BD%D0%B0"
        ))
        .text();
    assert!(
        found.contains(&format!(
            "<input type=\"checkbox\" name=\"add\" value=\"{new}\"> <span>Анна Новая</span>"
        )),
        "{found}"
    );
    assert!(!found.contains("Борис Тихий"));
    let member = web
        .get(&format!(
            "{page}?search=%D0%90%D0%BB%D0%B5%D0%BA%D1%81%D0%B5%D0%B9"
        ))
        .text();
    assert!(
        !member.contains(&format!("name=\"add\" value=\"{st1}\"")),
        "a member is not offered: {member}"
    );
    assert!(member.contains("никого не найдено"), "{member}");

    // Adding: the whole period, no discount.
    let r = web.submit(
        &page,
        &page,
        &[
            ("add", &new.to_string()),
            ("add", &quiet.to_string()),
            ("submit", "сохранить"),
        ],
    );
    assert_eq!(r.status, 302, "{}", r.text());
    assert_eq!(r.location(), Some("/structure/groups"));
    assert!(
        web.get("/structure/groups")
            .text()
            .contains("список учеников в группе робо-71 изменен.")
    );
    let row: (i32, i32, i32) = db
        .conn()
        .exec_first(
            "SELECT discount, enter_month, exit_month FROM student_in_groups WHERE student_id = ?",
            (new,),
        )
        .unwrap()
        .unwrap();
    assert_eq!(row, (0, 8, 16));

    // st1 was present once: he stays, with a message; the same for a confirmed payment.
    let lesson = add_lesson(&db, g, te1, "2017-10-02");
    let boris_sig: u32 = query_one(
        &db,
        "SELECT id FROM student_in_groups WHERE student_id = ?",
        (quiet,),
    );
    {
        let mut c = db.conn();
        c.exec_drop(
            "INSERT INTO attendings (lesson_id, student_id, state) VALUES (?, ?, 1), (?, ?, 0)",
            (lesson, st1, lesson, quiet),
        )
        .unwrap();
        let anna_sig: u32 = c
            .exec_first(
                "SELECT id FROM student_in_groups WHERE student_id = ?",
                (new,),
            )
            .unwrap()
            .unwrap();
        c.exec_drop(
            "INSERT INTO payments (student_in_group_id, month, value, cash, confirmed, comment) VALUES (?, 9, 100, 1, 1, ''), (?, 9, 50, 1, 0, '')",
            (anna_sig, boris_sig),
        )
        .unwrap();
        c.exec_drop(
            "INSERT INTO notifications (sender_id, receiver_type, receiver_id, subject, body, send_time, receivers)
             SELECT MIN(id), 2, ?, 'тема', 'текст', UTC_TIMESTAMP(), '' FROM system_users",
            (boris_sig,),
        )
        .unwrap();
    }
    let html = web.get(&page).text();
    assert_eq!(html.matches("(f) ").count(), 2, "{html}");
    let r = web.submit(
        &page,
        &page,
        &[
            ("remove", &st1.to_string()),
            ("remove", &new.to_string()),
            ("remove", &quiet.to_string()),
            ("submit", "сохранить"),
        ],
    );
    assert_eq!(r.status, 302);
    let html = web.get("/structure/groups").text();
    assert!(html.contains(
        "нельзя удалить Ученик Алексей Алексеевич из группы робо-71, так как он посещал занятия!"
    ));
    assert!(html.contains(
        "нельзя удалить Анна Новая из группы робо-71, так как он вносил подтвержденную оплату!"
    ));
    let members: Vec<u32> = db
        .conn()
        .exec(
            "SELECT student_id FROM student_in_groups WHERE group_id = ? ORDER BY student_id",
            (g,),
        )
        .unwrap();
    assert_eq!(members, vec![st1, new]);
    // Борис went with his unconfirmed payment, his absence and his notification.
    let left: (u64, u64, u64) = db
        .conn()
        .exec_first(
            "SELECT (SELECT COUNT(*) FROM payments WHERE student_in_group_id = ?),
                    (SELECT COUNT(*) FROM attendings WHERE student_id = ?),
                    (SELECT COUNT(*) FROM notifications)",
            (boris_sig, quiet),
        )
        .unwrap()
        .unwrap();
    assert_eq!(left, (0, 0, 0));

    // Bad ids are refused with nothing written.
    for bad in ["abc", "999999", "-1"] {
        let r = web.submit(&page, &page, &[("add", bad), ("submit", "сохранить")]);
        assert_eq!(r.status, 400, "{bad}");
    }
    assert_eq!(db.count("student_in_groups"), 2);
}

#[test]
fn group_details_months_and_discounts() {
    let db = TestDb::seeded();
    let g = group_id(&db, "робо-71");
    let te1: u32 = query_one(&db, "SELECT id FROM teachers", ());
    let st1: u32 = query_one(&db, "SELECT id FROM students", ());
    let sig: u32 = query_one(&db, "SELECT id FROM student_in_groups", ());
    let page = format!("/structure/group_details/{g}");
    let mut web = WebClient::login(&db, "ma1", "12");
    let html = web.get(&page).text();
    assert!(html.contains("<title>робо-71. ученики (детали)"));
    assert!(html.contains("сформировать таблицу логинов"));
    assert!(html.contains(&format!("name=\"d_{sig}\" value=\"100\"")));
    assert!(html.contains("max=\"800\""));
    assert!(html.contains(&format!("name=\"enter_{sig}\"")));
    assert!(html.contains("<option value=\"8\" selected>сентябрь 2017</option>"));

    // Present in November 2017 (month 10): he cannot enter later nor leave earlier.
    let lesson = add_lesson(&db, g, te1, "2017-11-06");
    let absent = add_lesson(&db, g, te1, "2018-04-02");
    db.conn()
        .exec_drop(
            "INSERT INTO attendings (lesson_id, student_id, state) VALUES (?, ?, 1), (?, ?, 2)",
            (lesson, st1, absent, st1),
        )
        .unwrap();
    let html = web.get(&page).text();
    assert!(!html.contains(
        "<option value=\"11\">декабрь 2017</option></select></td><td><select name=\"exit"
    ));
    let post = |web: &mut WebClient, enter: &str, exit: &str, d: &str| {
        let s = sig.to_string();
        let (e, x, dn) = (format!("enter_{s}"), format!("exit_{s}"), format!("d_{s}"));
        web.submit(
            &page,
            &page,
            &[(&e, enter), (&x, exit), (&dn, d), ("submit", "сохранить")],
        )
    };
    for (enter, exit, d, message) in [
        (
            "7",
            "16",
            "100",
            "ученик не может войти раньше начала группы (Ученик Алексей Алексеевич)",
        ),
        (
            "11",
            "16",
            "100",
            "ученик не может войти позже посещения или оплаты (Ученик Алексей Алексеевич)",
        ),
        (
            "8",
            "17",
            "100",
            "ученик не может выйти позже конца группы (Ученик Алексей Алексеевич)",
        ),
        (
            "8",
            "9",
            "100",
            "ученик не может выйти раньше посещения или оплаты (Ученик Алексей Алексеевич)",
        ),
        (
            "8",
            "x",
            "100",
            "ученик не может выйти раньше начала группы (Ученик Алексей Алексеевич)",
        ),
        (
            "8",
            "16",
            "801",
            "скидка не может быть больше стоимости (Ученик Алексей Алексеевич)",
        ),
        (
            "8",
            "16",
            "-1",
            "скидка не может быть меньше нуля! (Ученик Алексей Алексеевич)",
        ),
        (
            "8",
            "16",
            "abc",
            "скидка должна быть целым числом (Ученик Алексей Алексеевич)",
        ),
    ] {
        let r = post(&mut web, enter, exit, d);
        assert_eq!(r.status, 302, "{enter} {exit} {d}");
        let html = web.get("/structure/groups").text().replace("&#x2f;", "/");
        assert!(
            html.contains(message),
            "{enter} {exit} {d}: {message}\n{html}"
        );
        assert!(html.contains("скидки и месяцы входа/выхода в группе робо-71 изменены."));
        let row: (i32, i32, i32) = member(&db, sig);
        assert_eq!(row, (100, 8, 16), "{enter} {exit} {d}");
    }
    // Entering in November and leaving in January: the payment of October and the absence of
    // April go, the presence stays; the discount is saved.
    let r = post(&mut web, "10", "12", "800");
    assert_eq!(r.status, 302);
    let row: (i32, i32, i32) = member(&db, sig);
    assert_eq!(row, (800, 10, 12));
    assert_eq!(db.count("payments"), 0);
    let states: Vec<i32> = db.conn().query("SELECT state FROM attendings").unwrap();
    assert_eq!(states, vec![1]);

    // A teacher changes months only; the discount shows as text.
    let mut te = WebClient::login(&db, "te1", "12");
    let html = te.get(&page).text();
    assert!(
        html.contains("<span class=\"nowrap mine\">800 &#8381;</span>"),
        "{html}"
    );
    assert!(!html.contains("name=\"d_"));
    let s = sig.to_string();
    let r = te.submit(
        &page,
        &page,
        &[
            (&format!("enter_{s}") as &str, "8"),
            (&format!("exit_{s}"), "16"),
            (&format!("d_{s}"), "0"),
            ("submit", "x"),
        ],
    );
    assert_eq!(r.status, 302);
    assert!(
        te.get("/structure/groups")
            .text()
            .replace("&#x2f;", "/")
            .contains("месяцы входа/выхода в группе робо-71 изменены.")
    );
    let row: (i32, i32, i32) = member(&db, sig);
    assert_eq!(row, (800, 8, 16));
}

#[test]
fn login_table_lists_members() {
    let db = TestDb::seeded();
    let g = group_id(&db, "робо-71");
    let mut web = WebClient::login(&db, "te1", "12");
    let html = web.get(&format!("/structure/login_table/{g}")).text();
    assert!(html.contains("логины учеников в"));
    assert!(html.contains("<td>st1</td>"), "{html}");
    assert!(html.contains("Ученик Алексей Алексеевич"));
    let empty = group_id(&db, "веб-61");
    let html = web.get(&format!("/structure/login_table/{empty}")).text();
    assert!(!html.contains("<td>st1</td>"));
}
