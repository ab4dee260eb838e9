//! Integrity reports (the three pages and `crmit check-integrity`), «ещё» and the visit statistics,
//! through the real binary: a database that breaks every rule once, the clean seed, the CLI's exit
//! codes and who may open which page.

use crate::common;

use crate::common::db::{exec, query_one};
use crate::common::fixture::*;
use common::{TestDb, WebClient};
use mysql::prelude::Queryable;

const STUDENT: &str = "Ученик Алексей Алексеевич";

/// One message of a dialog: its details row plus the given (owner, receiver, forward) rows.
fn message(db: &TestDb, rows: &[(u32, u32, bool)]) -> (u32, Vec<u32>) {
    let details = exec(
        db,
        "INSERT INTO message_details (body, send_time, unread) VALUES ('текст', UTC_TIMESTAMP(), 1)",
        (),
    );
    let ids = rows
        .iter()
        .map(|&(owner, receiver, forward)| {
            exec(
                db,
                "INSERT INTO messages (owner_id, receiver_id, message_details_id, forward)
                 VALUES (?, ?, ?, ?)",
                (owner, receiver, details, forward),
            )
        })
        .collect();
    (details, ids)
}

/// Breaks every rule of the three reports once on the seeded database and returns the problems
/// each page must list, in page order.
fn break_every_rule(db: &TestDb) -> [Vec<String>; 3] {
    let (dev1, ma1, te1, st1) = (
        user_id(db, "dev1"),
        user_id(db, "ma1"),
        user_id(db, "te1"),
        user_id(db, "st1"),
    );
    let student1: u32 = query_one(db, "SELECT id FROM students", ());
    let (robo, web) = (group_id(db, "робо-71"), group_id(db, "веб-61"));
    let teacher: u32 = query_one(db, "SELECT id FROM teachers", ());
    let member: u32 = query_one(db, "SELECT id FROM student_in_groups", ());

    // Rules 1–2: a master row whose user is a teacher.
    let impostor = add_user(db, "impostor", "преподаватель", None);
    let bad_master = exec(
        db,
        "INSERT INTO masters (fio, system_user_id) VALUES ('Мастер Неверный', ?)",
        (impostor,),
    );
    // Rule 3 (and an unknown role name): a user with no details row and a role nobody knows.
    let ghost_role = exec(
        db,
        "INSERT INTO system_roles (name, details_table_name) VALUES ('призрак', 'ghosts')",
        (),
    );
    let ghost = add_user(db, "ghost", "призрак", None);
    // Rules 4–5.
    let backwards = add_group(db, "конец-1", "робо", teacher, 10, 9);
    let endless = add_group(db, "долгая-1", "робо", teacher, 8, 20);
    // Rule 6: робо-71 runs from September 2017 to May 2018.
    let late_lesson = add_lesson(db, robo, teacher, "2018-06-01");
    // Rule 7.
    let lesson = add_lesson(db, robo, teacher, "2017-10-05");
    let odd_state = add_attending(db, lesson, student1, 5);
    // Rule 8: entered before the group started.
    let early_member = add_member(db, student1, web, 0, 7, 16);
    // Rules 9–10: June 2018 is after the exit month; 701 is over 800 − 100.
    let late_payment = add_payment(db, member, 17, 0, false);
    let big_payment = add_payment(db, member, 10, 701, false);
    // Rule 11.
    let parent = add_parent_row(
        db,
        "Родитель",
        ParentRow {
            phone: "1",
            notification_types: 9,
            ..ParentRow::default()
        },
    );
    // Rule 12: a student in no group at all (the original's KeyError).
    let loner_user = add_user(db, "loner", "ученик", None);
    let school: u32 = query_one(db, "SELECT id FROM schools", ());
    let loner = exec(
        db,
        "INSERT INTO students (fio, birth_date, birth_place, registration_place, actual_address,
           school_id, citizenship_id, system_user_id)
         VALUES ('Ученик Без Группы', '2005-01-01', 'x', 'x', 'x', ?,
           (SELECT MIN(id) FROM citizenships), ?)",
        (school, loner_user),
    );
    let stray = add_attending(db, lesson, loner, 1);
    // Rules 13–14.
    let notification = |sender: u32, receiver_type: i32, receiver: u32| {
        exec(
            db,
            "INSERT INTO notifications (sender_id, receiver_type, receiver_id, subject, body, send_time, receivers)
             VALUES (?, ?, ?, 'тема', 'текст', UTC_TIMESTAMP(), '')",
            (sender, receiver_type, receiver),
        )
    };
    let from_developer = notification(dev1, 1, robo);
    let to_no_group = notification(ma1, 1, 999_999);
    let to_no_member = notification(te1, 2, 999_999);
    let odd_type = notification(ma1, 3, robo);
    // Rules 15–19: eleven message rows for six details rows.
    let (lonely, _) = message(db, &[(ma1, te1, true)]);
    let (_, to_self) = message(db, &[(ma1, ma1, true), (ma1, ma1, false)]);
    let (_, students) = message(db, &[(st1, loner_user, true), (loner_user, st1, false)]);
    let (_, developer) = message(db, &[(ma1, dev1, true), (dev1, ma1, false)]);
    let (one_way, _) = message(db, &[(ma1, te1, true), (te1, ma1, true)]);
    let (crossed, _) = message(db, &[(ma1, te1, true), (te1, st1, false)]);

    let main = vec![
        format!("у мастера id={bad_master} (Мастер Неверный) неверная системная роль"),
        "неверное кол-во мастеров".to_string(),
        "неверное кол-во учителей".to_string(),
        "кол-во системных пользователей не равно кол-ву пользователей".to_string(),
        format!(
            "у системного пользователя id={ghost} (ghost) неизвестная системная роль id={ghost_role}"
        ),
        format!("группа id={backwards} (конец-1) - конец раньше начала"),
        format!("группа id={endless} (долгая-1) функционирует больше 12 месяцев"),
        format!(
            "занятие id={late_lesson} (робо-71 / 01.06.2018) выходит за рамки функционирования группы"
        ),
        format!("неизвестный статус посещения id={odd_state} ({STUDENT} / 05.10.2017 / робо-71)"),
        format!(
            "ученик в группе id={early_member} ({STUDENT} / веб-61) выходит за рамки функционирования группы"
        ),
        format!(
            "платеж id={late_payment} (робо-71 / {STUDENT} / июнь 2018) выходит за рамки нахождения ученика в группе"
        ),
        format!("неверная сумма платежа id={big_payment} (робо-71 / {STUDENT} / ноябрь 2017)"),
        format!("у родителя id={parent} неверные типы уведомлений: 9"),
    ];
    let attendings = vec![format!(
        "ученик посетил занятие группы, в которой не состоит; attending_id={stray} (Ученик Без Группы / 05.10.2017 / робо-71)"
    )];
    let mut messages = vec![
        format!("неверная роль у отправителя уведомления id={from_developer}"),
        format!("уведомление id={to_no_group} отправлено несуществующей группе"),
        format!("увед-е id={to_no_member} отправлено несуществующему студенту в группе"),
        format!("неверный receiver_type у уведомления id={odd_type}"),
        "неверное кол-во сообщений / деталей сообщений".to_string(),
    ];
    messages.extend(
        to_self
            .iter()
            .map(|id| format!("сообщение id={id} отправлено самому себе")),
    );
    messages.extend(
        students
            .iter()
            .map(|id| format!("сообщение id={id} отправлено между учениками")),
    );
    messages.extend(
        developer
            .iter()
            .map(|id| format!("сообщение id={id} ссылается на бота или разработчика")),
    );
    messages.extend([
        format!("на детали о сообщений id={lonely} ссылается неверное кол-во сообщений"),
        format!("на детали о сообщений id={one_way} ссылаются сообщения в одном направлении"),
        format!("на детали о сообщений id={crossed} ссылаются сообщения между разными юзерами"),
    ]);
    [main, attendings, messages]
}

const PAGES: [&str; 3] = [
    "/check_db_integrity",
    "/check_db_integrity/attengings_correct_group_of_students",
    "/check_db_integrity/notifications_and_messages",
];

/// The `<li>` texts of a report page, unescaped.
fn listed_problems(html: &str) -> Vec<String> {
    let Some(start) = html.find("<ul class=\"problems\">") else {
        return Vec::new();
    };
    let list = &html[start..html[start..].find("</ul>").unwrap() + start];
    list.split("<li>")
        .skip(1)
        .map(|item| {
            item.split("</li>")
                .next()
                .unwrap()
                .replace("&#x2f;", "/")
                .replace("&quot;", "\"")
                .replace("&#x27;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        })
        .collect()
}

#[test]
fn every_broken_rule_is_reported_once_on_its_page_and_by_the_cli() {
    let db = TestDb::seeded();
    let expected = break_every_rule(&db);
    let mut web = WebClient::login(&db, "dev1", "12");
    for (path, want) in PAGES.iter().zip(&expected) {
        let page = web.get(path);
        assert_eq!(page.status, 200, "{path}: {}", page.text());
        assert_eq!(&listed_problems(&page.text()), want, "{path}");
        assert!(!page.text().contains("нет проблем"), "{path}");
    }

    let out = db.crmit(&["check-integrity"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let printed: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(printed, expected.concat());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("найдено проблем: "), "{stderr}");
}

#[test]
fn the_clean_seed_has_no_problems() {
    let db = TestDb::seeded();
    let mut web = WebClient::login(&db, "dev1", "12");
    let titles = [
        "<h1>проверка целостности</h1>",
        "<h1>проверка целостности: ученики посещают занятия только своих групп</h1>",
        "<h1>проверка целостности: уведомления и сообщения</h1>",
    ];
    for (path, title) in PAGES.iter().zip(titles) {
        let page = web.get(path).text();
        assert!(page.contains(title), "{path}: {page}");
        assert!(page.contains("нет проблем"), "{path}: {page}");
        assert!(listed_problems(&page).is_empty(), "{path}");
    }
    let out = db.crmit(&["check-integrity"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "нет проблем\n");
}

#[test]
fn bad_role_rows_are_reported_not_fatal() {
    // A missing role row broke every check of the original; here it only shows up as problems.
    let db = TestDb::seeded();
    let mut c = db.conn();
    c.query_drop("SET FOREIGN_KEY_CHECKS = 0").unwrap();
    c.query_drop("DELETE FROM system_roles WHERE name = 'бот'")
        .unwrap();
    let out = db.crmit(&["check-integrity"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(printed.contains("у бота id=1 (создатель дампов) неверная системная роль"));
    assert!(printed.contains("(dump_creator) неизвестная системная роль id="));
}

#[test]
fn who_may_open_the_developer_pages() {
    let db = TestDb::seeded();
    let mut anonymous = WebClient::new(&db);
    for path in PAGES.iter().chain(&["/visit_stats", "/anth", "/dump"]) {
        let r = anonymous.get(path);
        assert_eq!(r.status, 302, "{path}");
        assert!(
            r.location().unwrap().starts_with("/users/login?next="),
            "{path}: {:?}",
            r.location()
        );
    }
    let mut master = WebClient::login(&db, "ma1", "12");
    for path in PAGES.iter().chain(&["/visit_stats"]) {
        assert_eq!(master.get(path).status, 403, "{path}");
    }
    let mut teacher = WebClient::login(&db, "te1", "12");
    for path in ["/anth", "/dump"] {
        assert_eq!(teacher.get(path).status, 403, "{path}");
    }
    let mut developer = WebClient::login(&db, "dev1", "12");
    for path in PAGES.iter().chain(&["/visit_stats", "/anth"]) {
        assert_eq!(developer.get(path).status, 200, "{path}");
    }
}

#[test]
fn anth_shows_developer_links_only_to_developers() {
    let db = TestDb::seeded();
    let common_links = [
        "href=\"/structure/schools\">школы<",
        "href=\"/structure/citizenships\">гражданства<",
        "href=\"/dump\">сохранить всё важное из базы данных<",
    ];
    let developer_links = [
        "href=\"/users/bots\">боты<",
        "href=\"/users/developers\">разработчики<",
        "href=\"/check_db_integrity\">проверка целостности базы данных<",
        "href=\"/check_db_integrity/attengings_correct_group_of_students\">проверка целостности базы данных: ученики посещают занятия только своих групп<",
        "href=\"/check_db_integrity/notifications_and_messages\">проверка целостности: уведомления и сообщения<",
        "href=\"/visit_stats\">статистика посещений<",
    ];
    let master = WebClient::login(&db, "ma1", "12").get("/anth");
    assert_eq!(master.status, 200);
    let page = master.text().replace("&#x2f;", "/");
    for link in common_links {
        assert!(page.contains(link), "{link}\n{page}");
    }
    for link in developer_links {
        assert!(!page.contains(link), "{link}");
    }
    let page = WebClient::login(&db, "dev1", "12")
        .get("/anth")
        .text()
        .replace("&#x2f;", "/");
    for link in common_links.iter().chain(&developer_links) {
        assert!(page.contains(link), "{link}\n{page}");
    }
}

#[test]
fn visit_stats_lists_counts_sorted_by_count_or_name() {
    let db = TestDb::seeded();
    let mut c = db.conn();
    c.query_drop(
        "INSERT INTO page_visits (page_name, visits_count)
         VALUES ('GET /b', 1000000), ('GET /a', 1000000), ('GET /c', 999999)",
    )
    .unwrap();
    let mut web = WebClient::login(&db, "dev1", "12");
    let rows = |html: &str| -> Vec<String> {
        html.replace("&#x2f;", "/")
            .split("<td class=\"wrap\">")
            .skip(1)
            .map(|cell| cell.split("</td>").next().unwrap().to_string())
            .collect()
    };
    let page = web.get("/visit_stats");
    assert_eq!(page.status, 200);
    let text = page.text();
    assert!(text.contains("<th>") && text.contains("страница") && text.contains("посещения"));
    assert!(text.contains("href=\"/visit_stats?sort=name\""));
    let by_count = rows(&text);
    assert_eq!(&by_count[..3], ["GET /a", "GET /b", "GET /c"]);
    assert!(text.contains("<td class=\"num\">1000000</td>"));
    // Earlier requests (the login page) are counted too.
    assert!(
        by_count.iter().any(|p| p == "GET /users/login"),
        "{by_count:?}"
    );

    let by_name = rows(&web.get("/visit_stats?sort=name").text());
    let mut sorted = by_name.clone();
    sorted.sort();
    assert_eq!(by_name, sorted);
    assert!(
        web.get("/visit_stats?sort=name")
            .text()
            .contains("href=\"/visit_stats?sort=count\"")
    );
    assert_eq!(web.get("/visit_stats?sort=evil").status, 400);
}
