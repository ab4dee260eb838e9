//! Sections, schools and citizenships through the real binary as CGI:
//! lists with search and pagination, add/edit/delete with their Russian messages, removability,
//! access per role, CSRF and the developer's read-only mode.

use crate::common;

use crate::common::fixture::{add_named, id_by_name};
use common::{CgiRequest, TestDb, WebClient, csrf_token};
use mysql::prelude::Queryable;

fn q(search: &str) -> String {
    serde_urlencoded::to_string([("search", search)]).unwrap()
}

/// A page's HTML with the template's escaped slashes (`&#x2f;`) back as `/`.
fn page_html(r: &common::CgiResponse) -> String {
    r.text().replace("&#x2f;", "/")
}

/// Rows of a list page: every row has one edit button.
fn rows(html: &str) -> usize {
    html.matches("title=\"редактировать ").count()
}

/// POSTs to `action` with the CSRF token of `page` (a page that shows a form or a button).
fn post_from(web: &mut WebClient, page: &str, action: &str) -> common::CgiResponse {
    web.submit(page, action, &[])
}

#[test]
fn school_create_search_edit_delete() {
    let db = TestDb::seeded();
    let mut web = WebClient::login(&db, "ma1", "12");
    let list = web.get("/structure/schools");
    assert_eq!(list.status, 200);
    let html = list.text();
    assert!(html.contains("<h1>школы</h1>"), "{html}");
    assert!(html.contains("добавить школу"));
    assert!(html.contains("школа №42"));

    let form = web.get("/structure/school");
    assert!(form.text().contains("создание школы"));
    assert!(form.text().contains("название школы"));
    assert!(form.text().contains("создать"));
    let r = web.submit(
        "/structure/school",
        "/structure/school",
        &[("name", "  Лицей №1 ")],
    );
    assert_eq!(r.status, 302, "{}", r.text());
    assert_eq!(r.location(), Some("/structure/schools"));
    let html = web.get("/structure/schools").text();
    assert!(html.contains("школа Лицей №1 создана"), "{html}");
    assert_eq!(rows(&html), 2);

    // Cyrillic search is case-insensitive and finds a substring.
    let html = web.get(&format!("/structure/schools?{}", q("ЛИЦ"))).text();
    assert_eq!(rows(&html), 1);
    assert!(html.contains("Лицей №1"));
    assert!(html.contains("результаты поиска по запросу"));
    let html = web
        .get(&format!("/structure/schools?{}", q("гимназия")))
        .text();
    assert_eq!(rows(&html), 0);
    assert!(html.contains("ничего не найдено"));

    let id = id_by_name(&db, "schools", "Лицей №1");
    let edit = format!("/structure/school/{id}");
    let page = web.get(&edit).text();
    assert!(page.contains("редактирование школы"));
    assert!(page.contains("value=\"Лицей №1\""), "{page}");
    assert!(page.contains("сохранить"));
    let r = web.submit(&edit, &edit, &[("name", "Лицей №2")]);
    assert_eq!(r.status, 302);
    let html = page_html(&web.get("/structure/schools"));
    assert!(html.contains("школа Лицей №2 изменена"));
    // Saving a row under its own name is not a duplicate.
    let r = web.submit(&edit, &edit, &[("name", "Лицей №2")]);
    assert_eq!(r.status, 302);

    let delete = format!("/structure/delete_school/{id}");
    assert!(html.contains(&format!("action=\"{delete}\"")));
    assert!(html.contains("data-confirm=\"удалить Лицей №2?\""));
    let r = web.send(
        CgiRequest::post_form(&delete, &[("csrf_token", &csrf_token(&html))]).header(
            "Referer",
            &format!("http://localhost/structure/schools?{}&page=1", q("ли")),
        ),
    );
    assert_eq!(r.status, 302);
    assert_eq!(
        r.location().unwrap(),
        format!("/structure/schools?{}&page=1", q("ли"))
    );
    let html = web.get("/structure/schools").text();
    assert!(html.contains("школа Лицей №2 удалена"));
    assert_eq!(db.count("schools"), 1);
    // Deleting is never a GET.
    assert_eq!(web.get(&delete).status, 405);
    // Gone: edit and delete answer 404.
    assert_eq!(web.get(&edit).status, 404);
    assert_eq!(
        post_from(&mut web, "/structure/schools", &delete).status,
        404
    );
}

#[test]
fn citizenship_create_edit_delete_and_removability() {
    let db = TestDb::seeded();
    let mut web = WebClient::login(&db, "ma1", "12");
    let html = web.get("/structure/citizenships").text();
    assert!(html.contains("<h1>гражданства</h1>"));
    assert!(html.contains("добавить гражданство"));
    assert!(html.contains("Гражданин Мира"));
    let form = web.get("/structure/citizenship").text();
    assert!(form.contains("создание гражданства"));
    let r = web.submit(
        "/structure/citizenship",
        "/structure/citizenship",
        &[("name", "Казахстан")],
    );
    assert_eq!(r.status, 302);
    assert!(
        web.get("/structure/citizenships")
            .text()
            .contains("гражданство Казахстан создано")
    );
    let id = id_by_name(&db, "citizenships", "Казахстан");
    let edit = format!("/structure/citizenship/{id}");
    let r = web.submit(&edit, &edit, &[("name", "Беларусь")]);
    assert_eq!(r.status, 302);
    assert!(
        web.get("/structure/citizenships")
            .text()
            .contains("гражданство Беларусь изменено")
    );
    let r = post_from(
        &mut web,
        "/structure/citizenships",
        &format!("/structure/delete_citizenship/{id}"),
    );
    assert_eq!(r.status, 302);
    assert_eq!(r.location(), Some("/structure/citizenships"));
    assert!(
        web.get("/structure/citizenships")
            .text()
            .contains("гражданство Беларусь удалено")
    );

    // «Россия» is the seeded student's citizenship: the button is disabled and the server refuses.
    let russia = id_by_name(&db, "citizenships", "Россия");
    let html = web
        .get(&format!("/structure/citizenships?{}", q("росс")))
        .text();
    assert!(html.contains("disabled"), "{html}");
    assert!(html.contains("title=\"нельзя удалить: это гражданство указано у учеников\""));
    let before = db.count("citizenships");
    let r = post_from(
        &mut web,
        "/structure/citizenships",
        &format!("/structure/delete_citizenship/{russia}"),
    );
    assert_eq!(r.status, 409);
    assert!(r.text().contains("409 - конфликт"));
    assert!(r.text().contains("гражданство «Россия» нельзя удалить"));
    assert_eq!(db.count("citizenships"), before);
}

#[test]
fn school_in_use_is_a_conflict() {
    let db = TestDb::seeded();
    let mut web = WebClient::login(&db, "ma1", "12");
    let id = id_by_name(&db, "schools", "школа №42");
    let html = web.get("/structure/schools").text();
    assert!(html.contains("title=\"нельзя удалить: в этой школе учатся ученики\""));
    let r = post_from(
        &mut web,
        "/structure/schools",
        &format!("/structure/delete_school/{id}"),
    );
    assert_eq!(r.status, 409);
    assert!(r.text().contains("школу «школа №42» нельзя удалить"));
    assert_eq!(db.count("schools"), 1);
}

#[test]
fn name_rules() {
    let db = TestDb::seeded();
    let mut web = WebClient::login(&db, "ma1", "12");
    let long = "я".repeat(256);
    for (path, value, message) in [
        (
            "/structure/school",
            "",
            "Длина поля должна быть от 1 до 255 символов.",
        ),
        (
            "/structure/school",
            "   ",
            "Длина поля должна быть от 1 до 255 символов.",
        ),
        (
            "/structure/school",
            long.as_str(),
            "Длина поля должна быть от 1 до 255 символов.",
        ),
        (
            "/structure/school",
            "ШКОЛА №42",
            "школа с Таким названием уже существует!",
        ),
        (
            "/structure/citizenship",
            "россия",
            "гражданство с Таким названием уже существует!",
        ),
        (
            "/structure/section",
            "Робо",
            "секция с Таким названием уже существует!",
        ),
    ] {
        let before = (
            db.count("schools"),
            db.count("citizenships"),
            db.count("sections"),
        );
        let r = web.submit(path, path, &[("name", value), ("price", "100")]);
        assert_eq!(r.status, 200, "{path} {value}");
        let html = r.text();
        assert!(html.contains(message), "{path} {value:?}: {html}");
        assert!(html.contains("aria-invalid=\"true\""));
        if !value.trim().is_empty() {
            assert!(html.contains(&format!("value=\"{value}\"")), "input kept");
        }
        let after = (
            db.count("schools"),
            db.count("citizenships"),
            db.count("sections"),
        );
        assert_eq!(before, after, "nothing written");
    }
    // 255 characters are fine.
    let r = web.submit(
        "/structure/school",
        "/structure/school",
        &[("name", &"я".repeat(255))],
    );
    assert_eq!(r.status, 302);
    // Renaming onto another row's name is refused; the row keeps its name.
    let id = id_by_name(&db, "schools", &"я".repeat(255));
    let edit = format!("/structure/school/{id}");
    let r = web.submit(&edit, &edit, &[("name", "школа №42")]);
    assert_eq!(r.status, 200);
    assert!(r.text().contains("школа с Таким названием уже существует!"));
    assert_eq!(id_by_name(&db, "schools", &"я".repeat(255)), id);
}

#[test]
fn sections_list_form_rules_and_removability() {
    let db = TestDb::seeded();
    let mut web = WebClient::login(&db, "ma1", "12");
    let html = web.get("/structure/sections").text();
    assert!(html.contains("<h1>секции</h1>"));
    assert!(html.contains("добавить секцию"));
    assert!(
        html.contains("800 &#8381;") || html.contains("800 ₽"),
        "{html}"
    );
    assert!(html.contains("робо-71"));
    assert!(html.contains("/structure/groups?search=%D1%80%D0%BE%D0%B1%D0%BE-71"));
    assert!(html.contains("/users/teachers?search="));
    assert!(html.contains("title=\"нельзя удалить: у секции есть группы\""));

    assert_eq!(web.get("/structure/section/999999").status, 404);
    let r = web.submit(
        "/structure/section",
        "/structure/section/999999",
        &[("name", "нет"), ("price", "10")],
    );
    assert_eq!(r.status, 404);
    let form = web.get("/structure/section").text();
    assert!(form.contains("создание секции"));
    assert!(form.contains("название секции"));
    assert!(form.contains("цена за месяц"));
    assert!(form.contains("type=\"number\""));
    for (price, message) in [
        ("", "Это поле обязательно."),
        ("0", "Это поле обязательно."),
        ("abc", "Введите целое число."),
        ("1.5", "Введите целое число."),
        ("-5", "цена должна быть положительной!"),
        ("4001", "цена слишком БОЛЬШАЯ!"),
        ("99999999999999999999999", "цена слишком БОЛЬШАЯ!"),
    ] {
        let r = web.submit(
            "/structure/section",
            "/structure/section",
            &[("name", "3D-печать"), ("price", price)],
        );
        assert_eq!(r.status, 200, "{price}");
        let html = r.text();
        assert!(html.contains(message), "{price:?}: {html}");
        assert!(html.contains("value=\"3D-печать\""));
        assert!(html.contains(&format!("value=\"{price}\"")));
        assert_eq!(db.count("sections"), 2);
    }
    for (price, name) in [("1", "3D-печать"), ("4000", "лего")] {
        let r = web.submit(
            "/structure/section",
            "/structure/section",
            &[("name", name), ("price", price)],
        );
        assert_eq!(r.status, 302, "{price}");
        assert_eq!(r.location(), Some("/structure/sections"));
    }
    let html = web.get("/structure/sections").text();
    assert!(html.contains("секция лего создана"));
    assert!(html.contains("нет групп"));
    let id = id_by_name(&db, "sections", "3D-печать");
    let edit = format!("/structure/section/{id}");
    let page = web.get(&edit).text();
    assert!(page.contains("редактирование секции"));
    assert!(page.contains("value=\"1\""));
    let r = web.submit(
        &edit,
        &edit,
        &[("name", "3D-моделирование"), ("price", "1500")],
    );
    assert_eq!(r.status, 302);
    assert!(
        web.get("/structure/sections")
            .text()
            .contains("секция 3D-моделирование изменена")
    );
    let price: i32 = db
        .conn()
        .exec_first("SELECT price FROM sections WHERE id = ?", (id,))
        .unwrap()
        .unwrap();
    assert_eq!(price, 1500);

    // A section with a candidate's preference cannot go either.
    {
        let mut c = db.conn();
        c.query_drop("INSERT INTO candidates (fio, shift) VALUES ('Кандидат', 1)")
            .unwrap_or_else(|e| panic!("candidate: {e}"));
        c.exec_drop(
            "INSERT INTO section_preferences (section_id, candidate_id) VALUES (?, LAST_INSERT_ID())",
            (id,),
        )
        .unwrap();
    }
    let delete = format!("/structure/delete_section/{id}");
    let r = post_from(&mut web, "/structure/sections", &delete);
    assert_eq!(r.status, 409);
    assert!(
        r.text()
            .contains("секцию «3D-моделирование» нельзя удалить: секцию выбрали кандидаты")
    );
    let robo = id_by_name(&db, "sections", "робо");
    let r = post_from(
        &mut web,
        "/structure/sections",
        &format!("/structure/delete_section/{robo}"),
    );
    assert_eq!(r.status, 409);
    assert!(r.text().contains("у секции есть группы"));
    assert_eq!(db.count("sections"), 4);

    let lego = id_by_name(&db, "sections", "лего");
    let r = post_from(
        &mut web,
        "/structure/sections",
        &format!("/structure/delete_section/{lego}"),
    );
    assert_eq!(r.status, 302);
    assert!(
        web.get("/structure/sections")
            .text()
            .contains("секция лего удалена")
    );
    assert_eq!(db.count("sections"), 3);
}

#[test]
fn teacher_sees_sections_only_and_student_nothing() {
    let db = TestDb::seeded();
    let robo = id_by_name(&db, "sections", "робо");
    let school = id_by_name(&db, "schools", "школа №42");
    let mut te = WebClient::login(&db, "te1", "12");
    let html = te.get("/structure/sections").text();
    assert!(html.contains("<h1>секции</h1>"));
    assert!(!html.contains("добавить секцию"));
    assert!(!html.contains("/structure/delete_section/"));
    assert!(!html.contains("/structure/section/"));
    // The teacher's own groups are marked, and so is his own name.
    assert!(html.contains("class=\"mine\">робо-71"), "{html}");
    assert!(html.contains("<span class=\"mine\">"));
    // The POST form of the list is answered like a GET.
    let r = te.submit("/structure/sections", "/structure/sections", &[]);
    assert_eq!(r.status, 200);
    assert!(r.text().contains("<h1>секции</h1>"));

    let forbidden_gets = [
        "/structure/section".to_string(),
        format!("/structure/section/{robo}"),
        "/structure/schools".to_string(),
        "/structure/school".to_string(),
        format!("/structure/school/{school}"),
        "/structure/citizenships".to_string(),
        "/structure/citizenship".to_string(),
        "/structure/citizenship/1".to_string(),
    ];
    let forbidden_posts = [
        "/structure/section".to_string(),
        format!("/structure/section/{robo}"),
        format!("/structure/delete_section/{robo}"),
        "/structure/school".to_string(),
        format!("/structure/school/{school}"),
        format!("/structure/delete_school/{school}"),
        "/structure/citizenship".to_string(),
        "/structure/citizenship/1".to_string(),
        "/structure/delete_citizenship/2".to_string(),
    ];
    let mut st = WebClient::login(&db, "st1", "31082002");
    let counts = || {
        (
            db.count("sections"),
            db.count("schools"),
            db.count("citizenships"),
        )
    };
    let before = counts();
    for (web, who) in [(&mut te, "teacher"), (&mut st, "student")] {
        for path in &forbidden_gets {
            assert_eq!(web.get(path).status, 403, "{who} GET {path}");
        }
        for path in &forbidden_posts {
            let r = web.submit("/", path, &[("name", "x"), ("price", "5")]);
            assert_eq!(r.status, 403, "{who} POST {path}");
            assert!(r.text().contains("403 - доступ запрещён"));
        }
    }
    assert_eq!(st.get("/structure/sections").status, 403);
    assert_eq!(counts(), before);

    // Anonymous visitors are sent to the login page.
    for path in [
        "/structure/sections",
        "/structure/schools?page=2",
        "/structure/citizenship",
    ] {
        let r = db.cgi(&CgiRequest::get(path));
        assert_eq!(r.status, 302, "{path}");
        assert!(
            r.location()
                .unwrap()
                .starts_with("/users/login?next=%2Fstructure%2F")
        );
    }
    let r = db.cgi(&CgiRequest::post_form(
        &format!("/structure/delete_school/{school}"),
        &[],
    ));
    assert_eq!(r.status, 302);
    assert_eq!(counts(), before);
}

#[test]
fn pagination_edges() {
    let db = TestDb::seeded();
    // 45 more schools, «школа 00» … «школа 44»: with «школа №42» 46 rows, 3 pages.
    let names: Vec<String> = (0..45).map(|i| format!("школа {i:02}")).collect();
    for name in &names {
        add_named(&db, "schools", name);
    }
    let mut web = WebClient::login(&db, "ma1", "12");
    let first = page_html(&web.get("/structure/schools"));
    assert_eq!(rows(&first), 20);
    assert!(first.contains("школа 00"));
    assert!(
        first.contains("href=\"/structure/schools?page=2\""),
        "{first}"
    );
    assert!(first.contains("href=\"/structure/schools?page=3\""));
    for page in ["0", "-1", "abc", "", "1.5"] {
        let html = web.get(&format!("/structure/schools?page={page}")).text();
        assert_eq!(rows(&html), 20, "page={page}");
        assert!(html.contains("школа 00"), "page={page}");
    }
    let third = web.get("/structure/schools?page=3").text();
    assert_eq!(rows(&third), 6);
    assert!(third.contains("школа №42"));
    assert!(third.contains("aria-current=\"page\">3<"));
    for page in ["4", "99", "99999999999999999999999"] {
        let r = web.get(&format!("/structure/schools?page={page}"));
        assert_eq!(r.status, 200, "page={page}");
        let html = r.text();
        assert_eq!(rows(&html), 0, "page={page}");
        assert!(!html.contains("ничего не найдено"));
    }
    // The search is kept in the page links. Its words match in any order: «школа 1» finds
    // «школа 01», «школа 10» … «школа 19», «школа 21», «школа 31» and «школа 41».
    let html = web
        .get(&format!("/structure/schools?{}", q("школа 1")))
        .text();
    assert_eq!(rows(&html), 14);
    let html = page_html(&web.get(&format!("/structure/schools?{}", q("школа"))));
    assert!(
        html.contains(&format!(
            "href=\"/structure/schools?{}&amp;page=2\"",
            q("школа")
        )),
        "{html}"
    );
    let html = web
        .get(&format!("/structure/schools?{}&page=3", q("школа")))
        .text();
    assert_eq!(rows(&html), 6);
}

#[test]
fn search_is_a_literal_substring() {
    let db = TestDb::seeded();
    let names: Vec<String> = [
        "скидка 100%",
        "школа_1",
        "школа21",
        "a\\b",
        "ab",
        "восклицание!",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for name in &names {
        add_named(&db, "schools", name);
    }
    let mut web = WebClient::login(&db, "ma1", "12");
    for (search, found) in [
        ("%", vec!["скидка 100%"]),
        ("_", vec!["школа_1"]),
        ("а_1", vec!["школа_1"]),
        ("\\", vec!["a\\b"]),
        ("!", vec!["восклицание!"]),
        ("ШКОЛА", vec!["школа_1", "школа21", "школа №42"]),
    ] {
        let html = web.get(&format!("/structure/schools?{}", q(search))).text();
        assert_eq!(rows(&html), found.len(), "search {search:?}: {html}");
        for name in found {
            assert!(html.contains(&format!(">{name}</td>")), "{search} {name}");
        }
    }
}

#[test]
fn csrf_is_required_and_nothing_is_written_without_it() {
    let db = TestDb::seeded();
    let mut web = WebClient::login(&db, "ma1", "12");
    web.get("/structure/schools");
    let school = id_by_name(&db, "schools", "школа №42");
    let robo = id_by_name(&db, "sections", "робо");
    let before = (db.count("schools"), db.count("sections"));
    for (path, fields) in [
        ("/structure/school".to_string(), vec![("name", "новая")]),
        (
            format!("/structure/school/{school}"),
            vec![("name", "новая")],
        ),
        (
            "/structure/section".to_string(),
            vec![("name", "новая"), ("price", "10")],
        ),
        ("/structure/delete_citizenship/2".to_string(), vec![]),
        (format!("/structure/delete_section/{robo}"), vec![]),
    ] {
        for token in [None, Some("wrong")] {
            let mut all = fields.clone();
            if let Some(t) = token {
                all.push(("csrf_token", t));
            }
            let r = web.send(CgiRequest::post_form(&path, &all));
            assert_eq!(r.status, 400, "{path} {token:?}");
            assert!(r.text().contains("400 - ошибочный запрос"));
        }
    }
    assert_eq!((db.count("schools"), db.count("sections")), before);
    assert_eq!(id_by_name(&db, "schools", "школа №42"), school);
    assert_eq!(db.count("citizenships"), 2);
}

#[test]
fn developer_changes_are_not_saved_and_the_flash_says_so() {
    let db = TestDb::seeded();
    let mut dev = WebClient::login(&db, "dev1", "12");
    assert_eq!(dev.get("/structure/schools").status, 200);
    let r = dev.submit(
        "/structure/school",
        "/structure/school",
        &[("name", "новая школа")],
    );
    assert_eq!(r.status, 302);
    let html = dev.get("/structure/schools").text();
    assert!(
        html.contains("режим только чтения: школа новая школа не создана"),
        "{html}"
    );
    assert_eq!(db.count("schools"), 1);
    let r = dev.submit(
        "/structure/section",
        "/structure/section",
        &[("name", "x"), ("price", "10")],
    );
    assert_eq!(r.status, 302);
    assert!(
        dev.get("/structure/sections")
            .text()
            .contains("режим только чтения: секция x не создана")
    );
    assert_eq!(db.count("sections"), 2);
}
