//! The student cabinet (`/student/…`) through the CGI binary: only students get in, and each
//! page shows the logged-in student's own lessons, payments and notifications — never another
//! student's.

use crate::common;

use crate::common::{db::*, fixture::*};
use common::{CgiRequest, TestDb, WebClient};

const PAGES: [&str; 3] = [
    "/student/lessons",
    "/student/payments",
    "/student/notifications",
];

/// st1 (in робо-71, months 9..15 here) and st2 in the same group (8..16) plus веб-61.
struct World {
    te1: u32,
    robo: u32,
    web: u32,
    sig1: u32,
    sig2: u32,
    st1: u32,
    st2: u32,
}

fn world(db: &TestDb) -> World {
    let robo = group_id(db, "робо-71");
    let web = group_id(db, "веб-61");
    let st1 = student_id(db, "st1");
    let sig1: u32 = query_one(
        db,
        "SELECT id FROM student_in_groups WHERE student_id = ?",
        (st1,),
    );
    exec(
        db,
        "UPDATE student_in_groups SET enter_month = 9, exit_month = 15 WHERE id = ?",
        (sig1,),
    );
    let st2 = add_student(db, "st2", "Второй Ученик");
    let sig2 = add_member(db, st2, robo, 0, 8, 16);
    add_member(db, st2, web, 0, 8, 16);
    World {
        te1: teacher_id(db, "te1"),
        robo,
        web,
        sig1,
        sig2,
        st1,
        st2,
    }
}

#[test]
fn only_students_get_in() {
    let db = TestDb::seeded();
    for page in PAGES {
        let anon = db.cgi(&CgiRequest::get(page));
        assert_eq!(anon.status, 302, "{page}");
        assert!(anon.location().unwrap().starts_with("/users/login?next="));
    }
    add_teacher(&db, "te2", "Другой Учитель");
    for login in ["te1", "te2", "ma1", "dev1"] {
        let mut web = WebClient::login(&db, login, "12");
        for page in PAGES {
            assert_eq!(web.get(page).status, 403, "{login} {page}");
        }
    }
    let mut student = WebClient::login(&db, "st1", "31082002");
    for page in PAGES {
        assert_eq!(student.get(page).status, 200, "{page}");
    }
    // The cabinet has no POST routes.
    assert_eq!(
        student
            .send(CgiRequest::post_form("/student/payments", &[]))
            .status,
        405
    );
}

#[test]
fn lessons_are_the_students_own_within_membership_months() {
    let db = TestDb::seeded();
    let w = world(&db);
    let before_enter = add_lesson(&db, w.robo, w.te1, "2017-09-05"); // month 8: before st1 entered
    let oct = add_lesson(&db, w.robo, w.te1, "2017-10-10");
    let apr = add_lesson(&db, w.robo, w.te1, "2018-04-03");
    let after_exit = add_lesson(&db, w.robo, w.te1, "2018-05-02"); // month 16: after st1 left
    let web_lesson = add_lesson(&db, w.web, w.te1, "2017-09-12"); // st1 is not in веб-61
    add_attending(&db, oct, w.st1, 1);
    add_attending(&db, apr, w.st2, 2);
    add_attending(&db, before_enter, w.st2, 1);
    add_attending(&db, web_lesson, w.st2, 1);
    let _ = after_exit;

    let mut web = WebClient::login(&db, "st1", "31082002");
    let text = web.get("/student/lessons").text();
    assert!(text.contains("<h1>занятия</h1>"));
    assert!(text.contains("10.10.2017"), "{text}");
    assert!(text.contains("03.04.2018"));
    for absent in ["05.09.2017", "02.05.2018", "12.09.2017", "веб-61"] {
        assert!(!text.contains(absent), "{absent}: {text}");
    }
    // Newest first; st1's own state only (st2 was ill on 03.04.2018).
    assert!(text.find("03.04.2018").unwrap() < text.find("10.10.2017").unwrap());
    assert!(!text.contains("болел</span>"));
    assert_eq!(
        text.matches("<span class=\"state-1\">был</span>").count(),
        1
    );
    assert_eq!(
        text.matches("<span class=\"state-0\">не был</span>")
            .count(),
        1
    );

    let text = web
        .get("/student/lessons?group_id=0&selected_date=2018-01-01")
        .text();
    assert!(text.contains("10.10.2017") && !text.contains("03.04.2018"));
    assert!(text.contains("value=\"2018-01-01\""));
    // Another student's group in the filter shows nothing of it.
    let text = web
        .get(&format!("/student/lessons?group_id={}", w.web))
        .text();
    assert!(text.contains("нет занятий"), "{text}");
    let text = web
        .get(&format!("/student/lessons?group_id={}", w.robo))
        .text();
    assert!(text.contains("10.10.2017"));

    for bad in [
        "/student/lessons?selected_date=2018-13-01",
        "/student/lessons?selected_date=99999-01-01",
        "/student/lessons?group_id=x",
        "/student/lessons?group_id=99999999999",
    ] {
        let r = web.get(bad);
        assert_eq!(r.status, 400, "{bad}");
        assert!(r.text().contains("указана неверно"));
    }

    // 20 a page.
    for day in 1..=25 {
        add_lesson(&db, w.robo, w.te1, format!("2017-11-{day:02}"));
    }
    let text = web.get("/student/lessons").text();
    assert_eq!(text.matches("<td class=\"nowrap\">").count(), 20);
    let text = web.get("/student/lessons?page=2").text();
    assert_eq!(text.matches("<td class=\"nowrap\">").count(), 7);
}

#[test]
fn payments_are_the_students_own() {
    let db = TestDb::seeded();
    let w = world(&db);
    exec(
        &db,
        "INSERT INTO payments (student_in_group_id, month, value, cash, confirmed, comment)
         VALUES (?, 10, 700, 0, 1, 'готово'), (?, 9, 777, 1, 1, 'чужой')",
        (w.sig1, w.sig2),
    );
    let mut web = WebClient::login(&db, "st1", "31082002");
    let text = web.get("/student/payments").text();
    assert!(text.contains("<h1>платежи</h1>"));
    assert!(text.contains("<h2>робо-71</h2>"), "{text}");
    assert!(!text.contains("веб-61"));
    // Months 9..15: октябрь 2017 … апрель 2018.
    assert!(text.contains("<th>октябрь 2017</th>") && text.contains("<th>апрель 2018</th>"));
    assert!(!text.contains("сентябрь 2017") && !text.contains("май 2018"));
    assert!(text.contains("<span>400 / 700</span>"));
    assert!(text.contains("<span class=\"paid-ok\">700 / 700</span>"));
    assert!(text.contains("<i>comment</i>") && text.contains("<i>готово</i>"));
    assert_eq!(text.matches("<span>0 / 700</span>").count(), 5);
    assert!(!text.contains("777") && !text.contains("чужой"));

    // A student without groups.
    add_student(&db, "st3", "Третий Ученик");
    let mut third = WebClient::login(&db, "st3", "12");
    let text = third.get("/student/payments").text();
    assert!(text.contains("нет групп"));
    assert!(!text.contains("робо-71"));
    let _ = w.st2;
}

#[test]
fn notifications_are_the_students_own() {
    let db = TestDb::seeded();
    let w = world(&db);
    let sender: u32 = query_one(&db, "SELECT id FROM system_users WHERE login = 'ma1'", ());
    let teacher: u32 = query_one(&db, "SELECT id FROM system_users WHERE login = 'te1'", ());
    let add = |who: u32, kind: i32, receiver: u32, subject: &str, time: &str| {
        exec(
            &db,
            "INSERT INTO notifications (sender_id, receiver_type, receiver_id, subject, body, send_time, receivers)
             VALUES (?, ?, ?, ?, 'текст', ?, '')",
            (who, kind, receiver, subject, time),
        );
    };
    add(sender, 1, w.robo, "группе робо", "2017-01-05 10:00:00");
    add(teacher, 2, w.sig1, "лично st1", "2018-02-28 06:36:00");
    add(sender, 2, w.sig2, "лично st2", "2018-03-01 10:00:00");
    add(sender, 1, w.web, "группе веб", "2018-03-02 10:00:00");

    let mut web = WebClient::login(&db, "st1", "31082002");
    let text = web.get("/student/notifications").text();
    assert!(
        text.contains("группе робо") && text.contains("лично st1"),
        "{text}"
    );
    assert!(!text.contains("лично st2") && !text.contains("группе веб"));
    assert!(!text.contains("Второй Ученик"));
    // Newest first, times in the configured zone (Barnaul, UTC+7).
    assert!(text.find("лично st1").unwrap() < text.find("группе робо").unwrap());
    assert!(text.contains("28 февраля 2018 г., 13:36"));
    assert!(text.contains(
        "<td>Учитель Петр Петрович (преподаватель)</td><td>Ученик Алексей Алексеевич</td>"
    ));
    assert!(text.contains("<td>Руководитель Иван Иванович (руководитель)</td><td>робо-71</td>"));

    let mut second = WebClient::login(&db, "st2", "12");
    let text = second.get("/student/notifications").text();
    assert!(
        text.contains("лично st2") && text.contains("группе веб") && text.contains("группе робо")
    );
    assert!(!text.contains("лично st1"));

    add_student(&db, "st3", "Третий Ученик");
    let mut third = WebClient::login(&db, "st3", "12");
    assert!(
        third
            .get("/student/notifications")
            .text()
            .contains("нет уведомлений")
    );
    let _ = (w.st1, w.st2);
}
