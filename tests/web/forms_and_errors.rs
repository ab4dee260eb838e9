//! Forms, error pages and dates through the CGI binary: phones and VK addresses as people write
//! them are stored in the one form the rest reads, a refused form lists its errors at the top
//! with links to the fields, the 404 and 403 pages keep the menu and say why, and no page shows a
//! day as `YYYY-MM-DD`.

use crate::common;

use crate::common::db::query_one;
use crate::common::fixture::{add_lesson, robo_71, student_id, teacher_id, user_id};
use crate::notifications::notify;
use common::{CgiRequest, TestDb, WebClient};

const ADD: &str = "/structure/parent";

fn parent(fio: &str, phone: &str, home: &str, vk: &str) -> Vec<(&'static str, String)> {
    [
        ("fio", fio),
        ("phone", phone),
        ("email", ""),
        ("passport", ""),
        ("address", ""),
        ("home_phone", home),
        ("vk_link", vk),
    ]
    .map(|(k, v)| (k, v.to_string()))
    .to_vec()
}

fn add_parent(web: &mut WebClient, fields: &[(&'static str, String)]) -> common::CgiResponse {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    web.submit(ADD, ADD, &fields)
}

/// (phone, home_phone, vk_link) of the parent named `fio`.
fn stored(db: &TestDb, fio: &str) -> (String, Option<String>, Option<String>) {
    query_one(
        db,
        "SELECT phone, home_phone, vk_link FROM parents WHERE fio = ?",
        (fio,),
    )
}

#[test]
fn parent_phones_and_vk_are_stored_normalised() {
    let db = TestDb::seeded();
    let mut web = WebClient::login(&db, "ma1", "12");
    let form = web.get(ADD).text();
    assert!(
        form.contains(r#"<input type="tel" id="phone" name="phone""#),
        "{form}"
    );
    for attr in [
        r#"autocomplete="tel""#,
        r#"inputmode="tel""#,
        r#"maxlength="20""#,
    ] {
        assert!(form.contains(attr), "{attr}");
    }
    let cases = [
        (
            "Первая",
            "+7 912 345-67-89",
            "",
            "https://vk.com/id1",
            "89123456789",
        ),
        (
            "Вторая",
            "8-912-345-67-89",
            "22-33-44",
            "m.vk.com/durov/",
            "89123456789",
        ),
        (
            "Третья",
            "8 (3852) 12-34-56",
            "+7 3852 123456",
            "",
            "83852123456",
        ),
        (
            "Четвёртая",
            "(912) 345-67-89",
            "",
            "www.vk.com/durov",
            "89123456789",
        ),
    ];
    for (fio, phone, home, vk, digits) in cases {
        let r = add_parent(&mut web, &parent(fio, phone, home, vk));
        assert_eq!(r.status, 302, "{phone}: {}", r.text());
        assert_eq!(stored(&db, fio).0, digits, "{phone}");
    }
    assert_eq!(stored(&db, "Первая").2.as_deref(), Some("vk.com/id1"));
    assert_eq!(stored(&db, "Вторая").2.as_deref(), Some("vk.com/durov"));
    // A home phone: a full number normalised, a city number without its code kept as typed.
    assert_eq!(stored(&db, "Вторая").1.as_deref(), Some("22-33-44"));
    assert_eq!(stored(&db, "Третья").1.as_deref(), Some("83852123456"));
    assert_eq!(stored(&db, "Третья").2, None);
}

#[test]
fn a_refused_form_lists_its_errors_with_links_to_the_fields() {
    let db = TestDb::seeded();
    let mut web = WebClient::login(&db, "ma1", "12");
    let before = db.count("parents");
    let r = add_parent(
        &mut web,
        &parent("Плохая", "12-34", "", "https://example.com/durov"),
    );
    assert_eq!(r.status, 200);
    let html = r.text().replace("&#x2f;", "/");
    assert!(
        html.contains("телефон не распознан: напишите номер с кодом"),
        "{html}"
    );
    assert!(html.contains("+7 912 345-67-89"));
    let summary = &html[html.find("error-summary").expect("a summary")..];
    let summary = &summary[..summary.find("</div>").unwrap()];
    assert!(summary.contains("role=\"alert\"") || html.contains("error-summary\" role=\"alert\""));
    assert!(summary.contains("Не сохранено — исправьте:"), "{summary}");
    assert!(
        summary.contains(r##"<a href="#phone">телефон: телефон не распознан"##),
        "{summary}"
    );
    assert!(
        summary.contains(r##"<a href="#vk_link">ВКонтакте: ссылка на страницу"##),
        "{summary}"
    );
    // The summary comes before the fields; the bad fields point at their messages.
    assert!(html.find("error-summary").unwrap() < html.find("id=\"fio\"").unwrap());
    assert!(
        html.contains(r#"aria-invalid="true" aria-describedby="phone-error""#),
        "{html}"
    );
    assert!(html.contains(r#"<p class="field-error" id="phone-error">"#));
    // The typed values come back.
    assert!(html.contains(r#"value="12-34""#));
    assert!(html.contains(r#"value="https://example.com/durov""#));
    assert_eq!(db.count("parents"), before, "nothing saved");
}

#[test]
fn a_teachers_phone_is_normalised_on_his_form() {
    let db = TestDb::seeded();
    let mut web = WebClient::login(&db, "ma1", "12");
    let te = teacher_id(&db, "te1");
    let page = format!("/users/teacher/{te}");
    let form = web.get(&page).text();
    let mut fields = common::form::form_fields(&form, "id=\"phone\"");
    common::form::set_field(&mut fields, "phone", Some("+7 (913) 111-22-33"));
    let r = web.send(CgiRequest::post_form(
        &page,
        &common::form::as_refs(&fields),
    ));
    assert_eq!(r.status, 302, "{}", r.text());
    let phone: String = query_one(&db, "SELECT phone FROM teachers WHERE id = ?", (te,));
    assert_eq!(phone, "89131112233");
}

#[test]
fn not_found_keeps_the_menu_for_a_signed_in_user() {
    let db = TestDb::seeded();
    let mut anonymous = WebClient::new(&db);
    let r = anonymous.get("/no/such/page");
    assert_eq!(r.status, 404);
    let html = r.text().replace("&#x2f;", "/");
    assert!(html.contains("404 - не найдено") && html.contains("Такой страницы нет"));
    assert!(!html.contains("главное меню"), "{html}");
    assert!(html.contains(r#"<a class="btn btn-default" href="/users/login">войти</a>"#));

    let mut master = WebClient::login(&db, "ma1", "12");
    for path in ["/no/such/page", "/structure/parent/999999"] {
        let r = master.get(path);
        assert_eq!(r.status, 404, "{path}");
        let html = r.text().replace("&#x2f;", "/");
        assert!(html.contains("главное меню"), "{path}: {html}");
        assert!(html.contains(r#"href="/structure/parents">родители</a>"#));
        assert!(html.contains(r#"<a class="btn btn-default" href="/">на главную</a>"#));
    }
    // The API's answer for an unknown path and a POST to one stay as they were.
    assert_eq!(anonymous.get("/api/no_such").status, 404);
}

#[test]
fn forbidden_says_who_may() {
    let db = TestDb::seeded();
    let mut teacher = WebClient::login(&db, "te1", "12");
    let r = teacher.get("/change_log");
    assert_eq!(r.status, 403);
    let html = r.text();
    assert!(
        html.contains("Эта страница только для руководителей и разработчика."),
        "{html}"
    );
    assert!(html.contains("главное меню"));

    // Another teacher's group.
    let (group, _) = robo_71(&db);
    common::fixture::add_second_teacher(&db);
    let mut other = WebClient::login(&db, "te2", "12");
    let r = other.get(&format!("/payments/group/{group}"));
    assert_eq!(r.status, 403);
    assert!(
        r.text().contains("Эту группу ведёт другой преподаватель"),
        "{}",
        r.text()
    );
    // Oneself is no interlocutor.
    let me = user_id(&db, "te1");
    let r = teacher.get(&format!("/messages/messages_list/{me}"));
    assert_eq!(r.status, 403);
    assert!(r.text().contains("Диалог с самим собой невозможен"));
}

/// A day written `YYYY-MM-DD` in the page's visible text (outside tags and their attributes).
fn iso_days_in_text(html: &str) -> Vec<String> {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let bytes = text.as_bytes();
    let pattern = b"dddd-dd-dd";
    (0..bytes.len().saturating_sub(pattern.len() - 1))
        .filter(|&i| {
            pattern.iter().enumerate().all(|(k, p)| match p {
                b'd' => bytes[i + k].is_ascii_digit(),
                _ => bytes[i + k] == *p,
            })
        })
        .map(|i| text[i..i + pattern.len()].to_string())
        .collect()
}

#[test]
fn pages_show_days_in_the_russian_format() {
    let db = TestDb::seeded();
    let (group, _) = robo_71(&db);
    let te = teacher_id(&db, "te1");
    let lesson = add_lesson(&db, group, te, "2017-09-13");
    let mut master = WebClient::login(&db, "ma1", "12");
    let to = user_id(&db, "te1");
    let dialog = format!("/messages/messages_list/{to}");
    let r = master.submit(
        &dialog,
        &dialog,
        &[("body", "Занятие 2017-09-13 переносится")],
    );
    assert_eq!(r.status, 302);
    assert_eq!(
        notify(&mut master, group, "0", "Собрание", "Текст").status,
        302
    );
    let student = student_id(&db, "st1");
    let pages = [
        "/".to_string(),
        format!("/lessons/list?teacher_id={te}&selected_date=2017-09-13"),
        format!("/lessons/{group}/8"),
        format!("/users/student_details/{student}"),
        "/users/sessions".to_string(),
        "/messages/dialogs_list".to_string(),
        dialog.clone(),
        "/notifications/list".to_string(),
        "/change_log".to_string(),
        format!("/lessons/roll_call/{lesson}"),
    ];
    let mut student = WebClient::login(&db, "st1", "31082002");
    let student_pages = ["/", "/student/lessons", "/student/notifications"];
    let visits = pages.iter().map(|p| (false, p.as_str()));
    for (as_student, path) in visits.chain(student_pages.map(|p| (true, p))) {
        let web = if as_student {
            &mut student
        } else {
            &mut master
        };
        let r = web.get(path);
        assert_eq!(r.status, 200, "{path}");
        let html = r.text();
        // The message typed by the user is his text, not a date the page prints.
        let html = html.replace("Занятие 2017-09-13 переносится", "");
        assert_eq!(iso_days_in_text(&html), Vec::<String>::new(), "{path}");
    }
    let grid = master.get(&format!("/lessons/{group}/8")).text();
    assert!(
        grid.contains("13.09.2017") || grid.contains(">13<"),
        "{grid}"
    );
    let list = master
        .get(&format!(
            "/lessons/list?teacher_id={te}&selected_date=2017-09-13"
        ))
        .text();
    assert!(list.contains(">13.09.2017</a>"), "{list}");
}
