//! Internal messages (`/messages/…`) through the CGI binary: the two-row storage, unread counts in
//! the dialogs and the menu, read marking of the shown page only, paging, the receiver picker and
//! the pairs that may not write to each other.

use crate::common;

use crate::common::db::{exec, query_one};
use crate::common::fixture::{add_student, user_id};
use common::{CgiRequest, TestDb, WebClient};

fn dialog(with: u32) -> String {
    format!("/messages/messages_list/{with}")
}

fn send(web: &mut WebClient, to: u32, body: &str) -> common::CgiResponse {
    web.submit(&dialog(to), &dialog(to), &[("body", body)])
}

/// The «(N)» after «сообщения» in the menu, 0 when absent.
fn menu_unread(html: &str) -> u32 {
    let Some(at) = html.find("/messages/dialogs_list\">") else {
        return 0;
    };
    let item = &html[at..at + html[at..].find("</a>").unwrap()];
    item.split("<b class=\"unread\">(")
        .nth(1)
        .map(|rest| rest.split(')').next().unwrap().parse().unwrap())
        .unwrap_or(0)
}

fn unread_rows(db: &TestDb) -> u64 {
    query_one(
        db,
        "SELECT COUNT(*) FROM message_details WHERE unread = 1",
        (),
    )
}

#[test]
fn a_message_is_two_rows_and_one_details_row_and_is_read_by_opening() {
    let db = TestDb::seeded();
    let (ma, te) = (user_id(&db, "ma1"), user_id(&db, "te1"));
    let mut master = WebClient::login(&db, "ma1", "12");
    let page = master.get(&dialog(te));
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert!(
        html.contains("<title>диалог с Учитель Петр Петрович</title>"),
        "{html}"
    );
    assert!(
        html.contains("Учитель Петр Петрович (преподаватель)</a>"),
        "{html}"
    );
    assert!(html.contains("новое сообщение") && html.contains("нет сообщений"));

    let r = send(&mut master, te, "Здравствуйте!\nЗавтра занятие в 15:00");
    assert_eq!(r.status, 302, "{}", r.text());
    assert_eq!(r.location(), Some(dialog(te).as_str()));
    assert_eq!((db.count("message_details"), db.count("messages")), (1, 2));
    let rows: Vec<(u32, u32, bool)> = mysql::prelude::Queryable::exec(
        &mut db.conn(),
        "SELECT owner_id, receiver_id, forward FROM messages ORDER BY forward DESC",
        (),
    )
    .unwrap();
    assert_eq!(rows, [(ma, te, true), (te, ma, false)]);
    let html = master.get(&dialog(te)).text();
    assert!(html.contains("сообщение отправлено"), "{html}");
    assert!(html.contains("(непрочитано)"), "{html}");
    assert!(html.contains("<span class=\"chat-author\">Вы</span>"));
    // The sender opening the dialog does not read his own message.
    assert_eq!(unread_rows(&db), 1);
    assert_eq!(menu_unread(&html), 0);

    let mut teacher = WebClient::login(&db, "te1", "12");
    let home = teacher.get("/").text();
    assert_eq!(menu_unread(&home), 1, "{home}");
    let list = teacher.get("/messages/dialogs_list").text();
    assert!(list.contains("<title>диалоги</title>"));
    assert!(
        list.contains("Руководитель Иван Иванович (руководитель)</a> <b class=\"mine\">(1)</b>"),
        "{list}"
    );
    assert!(list.contains("<b class=\"mine\">Здравствуйте!"), "{list}");
    let opened = teacher.get(&dialog(ma)).text();
    // Shown as new on the page that reads it; the menu already counts it read.
    assert!(
        opened.contains("<b class=\"mine\">Здравствуйте!"),
        "{opened}"
    );
    assert!(opened.contains("<span class=\"chat-author\">Руководитель Иван Иванович</span>"));
    assert_eq!(menu_unread(&opened), 0);
    assert_eq!(unread_rows(&db), 0);
    let list = teacher.get("/messages/dialogs_list").text();
    assert!(!list.contains("<b class=\"mine\">"), "{list}");
    // The shared flag: the sender sees it read too.
    let html = master.get(&dialog(te)).text();
    assert!(!html.contains("(непрочитано)"), "{html}");
    let list = master.get("/messages/dialogs_list").text();
    assert!(list.contains("Вы: </span>Здравствуйте!"), "{list}");
}

#[test]
fn dialogs_are_ordered_and_counted_per_interlocutor() {
    let db = TestDb::seeded();
    let (ma, te, st) = (
        user_id(&db, "ma1"),
        user_id(&db, "te1"),
        user_id(&db, "st1"),
    );
    let mut student = WebClient::login(&db, "st1", "31082002");
    let empty = student.get("/messages/dialogs_list").text();
    assert!(
        empty.contains("здесь Вы можете отправлять сообщения"),
        "{empty}"
    );
    assert!(empty.contains("нет диалогов"));
    // Students pick among masters and teachers only, without the search box.
    assert!(
        empty.contains(&format!(
            "<option value=\"{ma}\">Руководитель Иван Иванович (руководитель)</option>"
        )),
        "{empty}"
    );
    assert!(empty.contains(&format!("<option value=\"{te}\">")));
    assert!(!empty.contains(&format!("<option value=\"{st}\">")));
    assert!(!empty.contains("filter-input"));
    assert_eq!(send(&mut student, te, "вопрос учителю").status, 302);
    assert_eq!(send(&mut student, ma, "вопрос руководителю").status, 302);
    let mut teacher = WebClient::login(&db, "te1", "12");
    assert_eq!(send(&mut teacher, st, "ответ ученику").status, 302);
    assert_eq!(send(&mut teacher, st, "и ещё один").status, 302);

    let list = student.get("/messages/dialogs_list").text();
    assert_eq!(menu_unread(&list), 1);
    let teacher_row =
        list.find("Учитель Петр Петрович (преподаватель)</a> <b class=\"mine\">(2)</b>");
    let master_row = list.find("Руководитель Иван Иванович (руководитель)</a>");
    assert!(teacher_row.unwrap() < master_row.unwrap(), "{list}");
    assert!(list.contains("<b class=\"mine\">и ещё один</b>"));
    assert!(
        list.contains("Вы: (непрочитано) </span>вопрос руководителю"),
        "{list}"
    );
    assert!(!list.contains("здесь Вы можете"));

    // Masters and teachers find students, masters and teachers by name (words in any order),
    // never developers, bots or themselves; the page carries no select of everyone.
    let picker = teacher.get("/messages/dialogs_list").text();
    assert!(picker.contains("name=\"search\""), "{picker}");
    assert!(!picker.contains("name=\"receiver_id\""), "{picker}");
    let found = teacher
        .get(&format!(
            "/messages/dialogs_list?{}",
            q("  Алексей   ученик ")
        ))
        .text();
    assert!(
        found.contains(&format!(
            "href=\"/messages/messages_list/{st}\">Ученик Алексей Алексеевич</a>"
        )),
        "{found}"
    );
    let staff = teacher
        .get(&format!("/messages/dialogs_list?{}", q("ович")))
        .text();
    let ma = user_id(&db, "ma1");
    assert!(
        staff.contains(&format!("/messages/messages_list/{ma}\">Руководитель")),
        "{staff}"
    );
    assert!(staff.contains("(руководитель)</a>"), "{staff}");
    for login in ["dev1", "dump_creator", "te1"] {
        let id = user_id(&db, login);
        assert!(
            !staff.contains(&format!("/messages/messages_list/{id}\"")),
            "{login}"
        );
    }
    let none = teacher
        .get(&format!("/messages/dialogs_list?{}", q("Нетакогочеловека")))
        .text();
    assert!(none.contains("никого не найдено"), "{none}");
}

/// `?search=` of `text`, encoded.
fn q(text: &str) -> String {
    serde_urlencoded::to_string([("search", text)]).unwrap()
}

/// A search of the receivers shows at most 30 people and says when there are more.
#[test]
fn a_receiver_search_shows_thirty_and_says_there_are_more() {
    let db = TestDb::seeded();
    for i in 0..31 {
        add_student(
            &db,
            &format!("many{i:02}"),
            &format!("Многоученик {i:02} Тестович"),
        );
    }
    let mut master = WebClient::login(&db, "ma1", "12");
    let html = master
        .get(&format!("/messages/dialogs_list?{}", q("многоученик")))
        .text();
    assert_eq!(html.matches("Многоученик ").count(), 30, "{html}");
    assert!(html.contains("Многоученик 00 Тестович"));
    assert!(
        !html.contains("Многоученик 30 Тестович"),
        "by name, the first 30"
    );
    assert!(html.contains("показаны первые 30"), "{html}");
}

#[test]
fn only_the_shown_page_is_marked_read() {
    let db = TestDb::seeded();
    let (ma, st) = (user_id(&db, "ma1"), user_id(&db, "st1"));
    for i in 0..25 {
        let details = exec(
            &db,
            "INSERT INTO message_details (body, send_time, unread)
             VALUES (?, DATE_SUB(UTC_TIMESTAMP(), INTERVAL ? MINUTE), 1)",
            (format!("сообщение {i}"), 100 - i),
        );
        exec(
            &db,
            "INSERT INTO messages (owner_id, receiver_id, message_details_id, forward)
             VALUES (?, ?, ?, 1), (?, ?, ?, 0)",
            (ma, st, details, st, ma, details),
        );
    }
    let mut student = WebClient::login(&db, "st1", "31082002");
    let first = student.get(&dialog(ma)).text();
    assert!(first.contains("сообщение 24") && first.contains("сообщение 5"));
    assert!(!first.contains("сообщение 4<"), "{first}");
    assert!(first.contains("page=2"));
    assert_eq!(unread_rows(&db), 5);
    assert_eq!(menu_unread(&first), 1);
    let second = student.get(&format!("{}?page=2", dialog(ma))).text();
    assert!(
        second.contains("<b class=\"mine\">сообщение 0</b>"),
        "{second}"
    );
    assert!(!second.contains("сообщение 5<"));
    assert_eq!(unread_rows(&db), 0);
    assert_eq!(menu_unread(&second), 0);
}

#[test]
fn forbidden_pairs_and_bad_input() {
    let db = TestDb::seeded();
    add_student(&db, "st2", "Второй Ученик");
    let ids: Vec<u32> = ["ma1", "te1", "st1", "st2", "dev1", "dump_creator"]
        .iter()
        .map(|l| user_id(&db, l))
        .collect();
    let [ma, te, st, st2, dev, bot] = ids[..] else {
        unreachable!()
    };
    let mut student = WebClient::login(&db, "st1", "31082002");
    let mut master = WebClient::login(&db, "ma1", "12");
    let post = |to: u32, token: &str| {
        CgiRequest::post_form(&dialog(to), &[("body", "привет"), ("csrf_token", token)])
    };
    let refused = |web: &mut WebClient, to: u32| {
        assert_eq!(web.get(&dialog(to)).status, 403, "to {to}");
        let token = common::csrf_token(&web.get("/messages/dialogs_list").text());
        assert_eq!(web.send(post(to, &token)).status, 403, "post to {to}");
    };
    refused(&mut student, st2);
    refused(&mut student, st);
    for to in [ma, dev, bot] {
        refused(&mut master, to);
    }
    assert_eq!(master.get(&dialog(99_999)).status, 404);
    assert_eq!(master.send(post(te, "wrong")).status, 400);
    assert_eq!(db.count("messages"), 0);

    // Developers may not use messages at all, but the picker's redirect answers everyone.
    let mut developer = WebClient::login(&db, "dev1", "12");
    assert_eq!(developer.get("/messages/dialogs_list").status, 403);
    assert_eq!(developer.get(&dialog(ma)).status, 403);
    let r = developer.get(&format!("/messages/messages_list/forward?receiver_id={te}"));
    assert_eq!(r.location(), Some(dialog(te).as_str()));
    for q in ["receiver_id=0", "", "receiver_id=x"] {
        let r = master.get(&format!("/messages/messages_list/forward?{q}"));
        assert_eq!(r.location(), Some("/messages/dialogs_list"), "{q}");
    }
    assert_eq!(
        db.cgi(&CgiRequest::get("/messages/dialogs_list")).status,
        302
    );

    // Empty, blank and too long bodies come back with the message and write nothing.
    for (body, message) in [
        ("", "Это поле обязательно."),
        ("   ", "Это поле обязательно."),
        (
            &"ы".repeat(1025),
            "Длина поля должна быть от 1 до 1024 символов.",
        ),
    ] {
        let r = master.submit(&dialog(te), &dialog(te), &[("body", body)]);
        assert_eq!(r.status, 200);
        assert!(r.text().contains(message), "{}", r.text());
    }
    assert_eq!(db.count("messages"), 0);
    let r = master.submit(&dialog(te), &dialog(te), &[("body", &"ы".repeat(1024))]);
    assert_eq!(r.status, 302);
    // Disabled users still receive messages.
    exec(
        &db,
        "UPDATE system_users SET enabled = 0 WHERE id = ?",
        (te,),
    );
    assert_eq!(send(&mut master, te, "ещё").status, 302);
    assert_eq!(db.count("messages"), 4);
}
