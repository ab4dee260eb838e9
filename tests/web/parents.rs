//! Parents (`/structure/parents` and its forms) through the real binary as CGI: list with search,
//! group filter and pagination, add/edit with every validation rule and its Russian message, delete
//! with 409 while a student is linked, access per role and the developer's read-only mode.

use crate::common;

use crate::common::fixture::{add_child, add_parent, parent_id};
use common::{CgiRequest, TestDb, WebClient};
use mysql::prelude::Queryable;

fn q(search: &str) -> String {
    serde_urlencoded::to_string([("search", search)]).unwrap()
}

/// Rows of the list: each has one edit button.
fn rows(html: &str) -> usize {
    html.matches("title=\"редактировать ").count()
}

const ADD: &str = "/structure/parent";

fn valid<'a>() -> Vec<(&'a str, &'a str)> {
    vec![
        ("fio", "Иванова Мария Петровна"),
        ("phone", "89131234567"),
        ("email", ""),
        ("passport", ""),
        ("address", ""),
        ("home_phone", ""),
        ("vk_link", ""),
    ]
}

fn with<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields: Vec<(&str, &str)> = valid()
        .into_iter()
        .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
        .collect();
    fields.extend_from_slice(changes);
    fields
}

#[test]
fn parent_create_search_edit_delete() {
    let db = TestDb::seeded();
    let mut web = WebClient::login(&db, "ma1", "12");
    let html = web.get("/structure/parents").text();
    assert!(html.contains("<h1>родители</h1>"), "{html}");
    assert!(html.contains("добавить родителя"));

    let form = web.get(ADD).text();
    assert!(form.contains("создание родителя"));
    for label in [
        "фио",
        "телефон",
        "email",
        "паспорт",
        "адрес",
        "домашний телефон",
        "ВКонтакте",
        "уведомления",
    ] {
        assert!(form.contains(label), "{label}");
    }
    // The VK link comes pre-filled with its prefix, as in the original.
    assert!(form.contains("value=\"vk.com&#x2f;\"") || form.contains("value=\"vk.com/\""));
    assert!(form.contains(">нет</option>"));

    let r = web.submit(
        ADD,
        ADD,
        &with(&[
            ("fio", "  Иванова Мария Петровна "),
            ("email", "maria@example.ru"),
            ("passport", "0101 123456"),
            ("address", "Барнаул, ул. Ленина, 1"),
            ("home_phone", "22-33-44"),
            ("vk_link", "vk.com/id_777"),
            ("notification_types", "0"),
            ("notification_types", "1"),
            ("notification_types", "2"),
        ]),
    );
    assert_eq!(r.status, 302, "{}", r.text());
    assert_eq!(r.location(), Some("/structure/parents"));
    let html = web.get("/structure/parents").text();
    assert!(
        html.contains("родитель Иванова Мария Петровна создан"),
        "{html}"
    );
    assert!(html.contains("mailto:maria@example.ru"));
    assert!(
        html.replace("&#x2f;", "/")
            .contains("href=\"https://vk.com/id_777\"")
    );
    assert!(html.contains("<li>email</li><li>ВКонтакте</li><li>sms</li>"));
    assert!(html.contains("нет детей"));
    let stored: (String, Option<String>, i32) = db
        .conn()
        .exec_first(
            "SELECT fio, email, notification_types FROM parents WHERE passport = '0101 123456'",
            (),
        )
        .unwrap()
        .unwrap();
    assert_eq!(
        stored,
        (
            "Иванова Мария Петровна".to_string(),
            Some("maria@example.ru".to_string()),
            7
        )
    );

    // A second parent with only the required fields: the optional ones are stored as NULL.
    let r = web.submit(
        ADD,
        ADD,
        &with(&[("fio", "Петров Олег"), ("notification_types", "-1")]),
    );
    assert_eq!(r.status, 302, "{}", r.text());
    let nulls: (Option<String>, Option<String>, Option<String>, i32) = db
        .conn()
        .exec_first(
            "SELECT email, passport, vk_link, notification_types FROM parents WHERE fio = 'Петров Олег'",
            (),
        )
        .unwrap()
        .unwrap();
    assert_eq!(nulls, (None, None, None, 0));

    // Cyrillic search, case-insensitive.
    let html = web
        .get(&format!("/structure/parents?{}", q("ИВАНОВА")))
        .text();
    assert_eq!(rows(&html), 1);
    assert!(html.contains("результаты поиска по запросу"));
    let html = web
        .get(&format!("/structure/parents?{}", q("сидор")))
        .text();
    assert_eq!(rows(&html), 0);
    assert!(html.contains("ничего не найдено"));
    assert_eq!(rows(&web.get("/structure/parents").text()), 2);

    let id = parent_id(&db, "Иванова Мария Петровна");
    let edit = format!("/structure/parent/{id}");
    let page = web.get(&edit).text();
    assert!(page.contains("редактирование родителя"));
    assert!(page.contains("value=\"89131234567\""));
    assert!(
        page.contains("<option value=\"1\" selected>ВКонтакте</option>"),
        "{page}"
    );
    // Keeping its own passport is not a duplicate.
    let r = web.submit(
        &edit,
        &edit,
        &with(&[
            ("fio", "Иванова Мария"),
            ("passport", "0101 123456"),
            ("notification_types", "2"),
        ]),
    );
    assert_eq!(r.status, 302, "{}", r.text());
    let html = web.get("/structure/parents").text();
    assert!(html.contains("родитель Иванова Мария изменен"));
    let types: i32 = db
        .conn()
        .exec_first("SELECT notification_types FROM parents WHERE id = ?", (id,))
        .unwrap()
        .unwrap();
    assert_eq!(types, 4);

    let delete = format!("/structure/delete_parent/{id}");
    assert!(html.contains("data-confirm=\"удалить Иванова Мария?\""));
    assert_eq!(web.get(&delete).status, 405);
    let r = web.submit("/structure/parents", &delete, &[]);
    assert_eq!(r.status, 302);
    assert!(
        web.get("/structure/parents")
            .text()
            .contains("родитель Иванова Мария удален")
    );
    assert_eq!(db.count("parents"), 1);
    assert_eq!(web.get(&edit).status, 404);
    assert_eq!(web.submit("/structure/parents", &delete, &[]).status, 404);
}

#[test]
fn parent_validation_messages() {
    let db = TestDb::seeded();
    let mut web = WebClient::login(&db, "ma1", "12");
    let r = web.submit(ADD, ADD, &with(&[("passport", "5555 000000")]));
    assert_eq!(r.status, 302);
    let long = "я".repeat(256);
    let home = "1".repeat(33);
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            with(&[("fio", "  ")]),
            "Длина поля должна быть от 1 до 255 символов.",
        ),
        (
            with(&[("fio", &long)]),
            "Длина поля должна быть от 1 до 255 символов.",
        ),
        (with(&[("phone", "")]), "телефон не распознан"),
        (with(&[("phone", "7913123456")]), "телефон не распознан"),
        (with(&[("phone", "8913123456")]), "телефон не распознан"),
        (
            with(&[("email", "не почта")]),
            "Неверный адрес электронной почты.",
        ),
        (
            with(&[("passport", "5555 000000")]),
            "этот паспорт уже зарегистрирован!",
        ),
        (
            with(&[("vk_link", "vk.com/")]),
            "ссылка на страницу ВКонтакте вида vk.com/id12345678",
        ),
        (
            with(&[("vk_link", "https://vk.com/id1/wall")]),
            "ссылка на страницу ВКонтакте вида vk.com/id12345678",
        ),
        (
            with(&[("home_phone", &home)]),
            "Длина поля должна быть от 0 до 32 символов.",
        ),
        (with(&[("notification_types", "0")]), "укажите email!"),
        (with(&[("notification_types", "1")]), "укажите ВКонтакте!"),
        (
            with(&[("notification_types", "7")]),
            "Выберите значение из списка.",
        ),
        (
            with(&[("notification_types", "x")]),
            "Выберите значение из списка.",
        ),
    ];
    for (fields, message) in cases {
        let r = web.submit(ADD, ADD, &fields);
        assert_eq!(r.status, 200, "{fields:?}");
        let html = r.text().replace("&#x2f;", "/");
        assert!(html.contains(message), "{fields:?}: {message}\n{html}");
        assert!(html.contains("aria-invalid=\"true\""), "{fields:?}");
        assert_eq!(db.count("parents"), 1, "nothing written for {fields:?}");
    }
    // SMS needs nothing more than the phone; e-mail and VK with their addresses are fine.
    for extra in [
        vec![("notification_types", "2")],
        vec![("notification_types", "0"), ("email", "a@b.ru")],
        vec![("notification_types", "1"), ("vk_link", "vk.com/durov")],
    ] {
        let r = web.submit(ADD, ADD, &with(&extra));
        assert_eq!(r.status, 302, "{extra:?}: {}", r.text());
    }
    assert_eq!(db.count("parents"), 4);
    // A missing parent is 404 on edit.
    assert_eq!(web.get("/structure/parent/999999").status, 404);
    assert_eq!(
        web.submit(ADD, "/structure/parent/999999", &valid()).status,
        404
    );
}

#[test]
fn linked_parent_is_a_conflict_and_group_filter() {
    let db = TestDb::seeded();
    let mut web = WebClient::login(&db, "te1", "12");
    for fio in ["Мать Ученика", "Чужой Родитель"] {
        let r = web.submit(ADD, ADD, &with(&[("fio", fio)]));
        assert_eq!(r.status, 302, "{}", r.text());
    }
    let mother = parent_id(&db, "Мать Ученика");
    let (student, robo, web_group): (u32, u32, u32) = {
        let mut c = db.conn();
        let student: u32 = c.query_first("SELECT id FROM students").unwrap().unwrap();
        let robo: u32 = c
            .query_first("SELECT id FROM `groups` WHERE name = 'робо-71'")
            .unwrap()
            .unwrap();
        let web_group: u32 = c
            .query_first("SELECT id FROM `groups` WHERE name = 'веб-61'")
            .unwrap()
            .unwrap();
        add_child(&db, student, mother, true);
        (student, robo, web_group)
    };
    let html = web.get("/structure/parents").text();
    assert!(html.contains(&format!("/users/student_details/{student}")));
    assert!(html.contains("Ученик Алексей Алексеевич"));
    assert!(html.contains("title=\"нельзя удалить: родитель указан у учеников\""));
    let r = web.submit(
        "/structure/parents",
        &format!("/structure/delete_parent/{mother}"),
        &[],
    );
    assert_eq!(r.status, 409);
    assert!(r.text().contains("409 - конфликт"));
    assert!(r.text().contains("родителя «Мать Ученика» нельзя удалить"));
    assert_eq!(db.count("parents"), 2);

    // The group filter: parents of the group's members only.
    let html = web
        .get(&format!("/structure/parents?group_id={robo}"))
        .text();
    assert_eq!(rows(&html), 1);
    assert!(html.contains("Мать Ученика"));
    assert!(html.contains("в группе <b>робо-71</b>"));
    let html = web
        .get(&format!("/structure/parents?group_id={web_group}"))
        .text();
    assert_eq!(rows(&html), 0);
    let html = web
        .get(&format!(
            "/structure/parents?group_id={robo}&{}",
            q("чужой")
        ))
        .text();
    assert_eq!(rows(&html), 0);
    assert_eq!(web.get("/structure/parents?group_id=999999").status, 404);
    assert_eq!(rows(&web.get("/structure/parents?group_id=abc").text()), 2);
}

#[test]
fn pagination_keeps_the_filters() {
    let db = TestDb::seeded();
    for i in 0..25 {
        add_parent(&db, &format!("Родитель {i:02}"), "89130000000");
    }
    let mut web = WebClient::login(&db, "ma1", "12");
    let first = web.get("/structure/parents").text();
    assert_eq!(rows(&first), 20);
    assert!(first.contains("Родитель 00"));
    let second = web.get("/structure/parents?page=2").text();
    assert_eq!(rows(&second), 5);
    let html = web
        .get(&format!("/structure/parents?{}&group_id=0", q("родитель")))
        .text()
        .replace("&#x2f;", "/");
    assert!(
        html.contains(&format!(
            "href=\"/structure/parents?{}&amp;group_id=0&amp;page=2\"",
            q("родитель")
        )),
        "{html}"
    );
}

#[test]
fn access_per_role() {
    let db = TestDb::seeded();
    let id = add_parent(&db, "Родитель", "89130000000");
    let paths = [
        "/structure/parents".to_string(),
        ADD.to_string(),
        format!("/structure/parent/{id}"),
    ];
    let mut st = WebClient::login(&db, "st1", "31082002");
    for path in &paths {
        assert_eq!(st.get(path).status, 403, "{path}");
    }
    for path in [
        ADD.to_string(),
        format!("/structure/parent/{id}"),
        format!("/structure/delete_parent/{id}"),
    ] {
        let r = st.submit("/", &path, &valid());
        assert_eq!(r.status, 403, "{path}");
    }
    for path in &paths {
        let r = db.cgi(&CgiRequest::get(path));
        assert_eq!(r.status, 302, "{path}");
        assert!(r.location().unwrap().starts_with("/users/login?next="));
    }
    let r = db.cgi(&CgiRequest::post_form(
        &format!("/structure/delete_parent/{id}"),
        &[],
    ));
    assert_eq!(r.status, 302);
    assert_eq!(db.count("parents"), 1);

    // A teacher may do everything here.
    let mut te = WebClient::login(&db, "te1", "12");
    assert!(
        te.get("/structure/parents")
            .text()
            .contains("добавить родителя")
    );
    let edit = format!("/structure/parent/{id}");
    let r = te.submit(&edit, &edit, &with(&[("fio", "Родитель Т")]));
    assert_eq!(r.status, 302);

    // A developer sees every page, and nothing he submits is stored.
    let mut dev = WebClient::login(&db, "dev1", "12");
    for path in &paths {
        assert_eq!(dev.get(path).status, 200, "{path}");
    }
    let r = dev.submit(ADD, ADD, &with(&[("fio", "Новый")]));
    assert_eq!(r.status, 302);
    let html = dev.get("/structure/parents").text();
    assert!(html.contains("режим только чтения: родитель Новый не создан"));
    let r = dev.submit(
        "/structure/parents",
        &format!("/structure/delete_parent/{id}"),
        &[],
    );
    assert_eq!(r.status, 302);
    let html = dev.get("/structure/parents").text();
    assert!(html.contains("режим только чтения: родитель Родитель Т не удален"));
    assert_eq!(db.count("parents"), 1);
}
