//! The people pages (`/users/…`) through the real binary as CGI: lists with search and
//! pagination, registration and edit forms with their Russian messages, student logins and
//! default passwords, details, deletes with removability and cascades, access per role.

use crate::common;

use crate::common::db::query_one;
use crate::common::fixture::{
    ParentRow, add_child, add_parent, add_parent_row, details_id, user_id,
};
use common::{CgiRequest, CgiResponse, TestDb, WebClient};
use mysql::prelude::Queryable;

fn q(search: &str) -> String {
    serde_urlencoded::to_string([("search", search)]).unwrap()
}

/// A page's HTML with the template escapes of `/`, quotes and `&` undone.
fn html(r: &CgiResponse) -> String {
    r.text()
        .replace("&#x2f;", "/")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// Rows of a list page's table (the header row excluded).
fn rows(page: &str) -> usize {
    page.matches("<tr>").count() - 1
}

/// A seeded database whose developers really write (read-only mode off).
fn writable_for_developers() -> TestDb {
    let db = TestDb::seeded();
    let text = std::fs::read_to_string(&db.config_path).unwrap();
    std::fs::write(
        &db.config_path,
        text.replace("developer_read_only = true", "developer_read_only = false"),
    )
    .unwrap();
    db
}

fn post(web: &mut WebClient, page: &str, action: &str, fields: &[(&str, &str)]) -> CgiResponse {
    web.submit(page, action, fields)
}

fn staff_fields<'a>(login: &'a str, fio: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("login", login),
        ("fio", fio),
        ("password", "secret"),
        ("password_confirm", "secret"),
        ("enabled", "y"),
    ]
}

#[test]
fn masters_register_list_search_edit_delete() {
    let db = TestDb::seeded();
    let mut web = WebClient::login(&db, "ma1", "12");
    let form = html(&web.get("/users/register/master"));
    assert!(
        form.contains("<title>регистрация руководителя</title>"),
        "{form}"
    );
    assert!(form.contains("регистрация нового руководителя"));
    assert!(form.contains("создать руководителя"));
    let r = post(
        &mut web,
        "/users/register/master",
        "/users/register/master",
        &staff_fields("boss", "Начальникова Анна"),
    );
    assert_eq!(r.status, 302, "{}", r.text());
    assert_eq!(r.location(), Some("/users/masters"));
    let list = html(&web.get("/users/masters"));
    assert!(list.contains("руководитель boss создан."), "{list}");
    assert_eq!(rows(&list), 2);
    assert!(list.contains("никогда"));
    assert!(list.contains("добавить руководителя"));
    // The new master can log in with the chosen password.
    WebClient::login(&db, "boss", "secret");

    // Cyrillic search, case-insensitive substring.
    let found = html(&web.get(&format!("/users/masters?{}", q("НАЧАЛЬ"))));
    assert_eq!(rows(&found), 1);
    assert!(found.contains("Начальникова Анна"));
    assert!(found.contains("результаты поиска по запросу"));
    let none = html(&web.get(&format!("/users/masters?{}", q("нет такого"))));
    assert_eq!(rows(&none), 0);
    assert!(none.contains("ничего не найдено"));

    let id = details_id(&db, "masters", "boss");
    let edit = format!("/users/master/{id}");
    let page = html(&web.get(&edit));
    assert!(page.contains("редактирование руководителя"));
    assert!(page.contains("value=\"boss\""));
    assert!(!page.contains("подтверждение пароля"));
    let r = post(
        &mut web,
        &edit,
        &edit,
        &[("login", "boss2"), ("fio", " Начальникова Анна Петровна ")],
    );
    assert_eq!(r.status, 302, "{}", r.text());
    let list = html(&web.get("/users/masters"));
    assert!(list.contains("руководитель Начальникова Анна Петровна изменен"));
    assert!(list.contains("(отключен)"), "unticked «включен» disables");
    assert_eq!(
        query_one::<(String, bool)>(
            &db,
            "SELECT login, enabled FROM system_users WHERE id = ?",
            (user_id(&db, "boss2"),)
        ),
        ("boss2".to_string(), false)
    );

    // Delete through the list's POST button, back to the page the visitor came from.
    let r = web.submit("/users/masters", &format!("/users/delete_master/{id}"), &[]);
    assert_eq!(r.status, 302);
    let list = html(&web.get("/users/masters"));
    assert!(list.contains("руководитель Начальникова Анна Петровна удалён"));
    assert_eq!(rows(&list), 1);
    assert_eq!(db.count("masters"), 1);
}

#[test]
fn masters_cannot_disable_or_delete_themselves() {
    let db = TestDb::seeded();
    let mut web = WebClient::login(&db, "ma1", "12");
    let me = details_id(&db, "masters", "ma1");
    let edit = format!("/users/master/{me}");
    let r = post(&mut web, &edit, &edit, &[("login", "ma1"), ("fio", "Иван")]);
    assert_eq!(r.status, 302);
    let list = html(&web.get("/users/masters"));
    assert!(list.contains("вы не можете отключить себя!"), "{list}");
    assert!(list.contains("руководитель Иван изменен"));
    assert!(
        list.contains("class=\"mine\""),
        "the current user is highlighted"
    );
    assert!(
        !list.contains("/users/delete_master/"),
        "no delete button for yourself"
    );
    assert!(
        !list.contains("/messages/messages_list/"),
        "no envelope for yourself"
    );
    let users = db.count("system_users");
    let r = web.submit("/users/masters", &format!("/users/delete_master/{me}"), &[]);
    assert_eq!(r.status, 409);
    assert!(html(&r).contains("409 - конфликт"));
    assert_eq!(db.count("system_users"), users);
    assert_eq!(
        web.submit("/users/masters", "/users/delete_master/9999", &[])
            .status,
        404
    );
}

#[test]
fn staff_form_rules() {
    let db = TestDb::seeded();
    let mut web = WebClient::login(&db, "ma1", "12");
    let users = db.count("system_users");
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            vec![
                ("login", ""),
                ("fio", "x"),
                ("password", "1"),
                ("password_confirm", "1"),
            ],
            "Длина поля должна быть от 1 до 64 символов.",
        ),
        (
            vec![
                ("login", "Ivan"),
                ("fio", "x"),
                ("password", "1"),
                ("password_confirm", "1"),
            ],
            "только буквы / цифры / подчеркивание",
        ),
        (
            vec![
                ("login", "1abc"),
                ("fio", "x"),
                ("password", "1"),
                ("password_confirm", "1"),
            ],
            "только буквы / цифры / подчеркивание",
        ),
        (
            vec![
                ("login", "te1"),
                ("fio", "x"),
                ("password", "1"),
                ("password_confirm", "1"),
            ],
            "логин уже Занят!",
        ),
        (
            vec![
                ("login", "newt"),
                ("fio", "  "),
                ("password", "1"),
                ("password_confirm", "1"),
            ],
            "Длина поля должна быть от 1 до 255 символов.",
        ),
        (
            vec![
                ("login", "newt"),
                ("fio", "x"),
                ("password", ""),
                ("password_confirm", ""),
            ],
            "Это поле обязательно.",
        ),
        (
            vec![
                ("login", "newt"),
                ("fio", "x"),
                ("password", "1"),
                ("password_confirm", "2"),
            ],
            "пароли должны совпадать",
        ),
        (
            vec![
                ("login", "newt"),
                ("fio", "x"),
                ("password", "1"),
                ("password_confirm", "1"),
                ("phone", "7901222334"),
            ],
            "телефон не распознан",
        ),
        (
            vec![
                ("login", "newt"),
                ("fio", "x"),
                ("password", "1"),
                ("password_confirm", "1"),
            ],
            "телефон не распознан",
        ),
    ];
    for (fields, message) in cases {
        let r = post(
            &mut web,
            "/users/register/teacher",
            "/users/register/teacher",
            &fields,
        );
        assert_eq!(r.status, 200, "{fields:?}");
        let page = html(&r);
        assert!(page.contains(message), "{fields:?}: {message}\n{page}");
    }
    assert_eq!(db.count("system_users"), users);
    // A valid teacher; the login check on edit ignores the teacher's own login.
    let mut ok = staff_fields("newt", "Новый Учитель");
    ok.push(("phone", "89001112233"));
    let r = post(
        &mut web,
        "/users/register/teacher",
        "/users/register/teacher",
        &ok,
    );
    assert_eq!(r.status, 302, "{}", r.text());
    assert!(html(&web.get("/users/teachers")).contains("преподаватель newt создан."));
    let id = details_id(&db, "teachers", "newt");
    let edit = format!("/users/teacher/{id}");
    assert!(html(&web.get(&edit)).contains("value=\"89001112233\""));
    let r = post(
        &mut web,
        &edit,
        &edit,
        &[
            ("login", "newt"),
            ("fio", "Учитель Новый"),
            ("enabled", "y"),
            ("phone", "89001112244"),
        ],
    );
    assert_eq!(r.status, 302, "{}", r.text());
    assert_eq!(
        query_one::<String>(&db, "SELECT phone FROM teachers WHERE id = ?", (id,)),
        "89001112244"
    );
    let r = post(
        &mut web,
        &edit,
        &edit,
        &[
            ("login", "ma1"),
            ("fio", "x"),
            ("enabled", "y"),
            ("phone", "89001112244"),
        ],
    );
    assert!(html(&r).contains("логин уже Занят!"));
}

#[test]
fn teachers_list_groups_and_removability() {
    let db = TestDb::seeded();
    let mut web = WebClient::login(&db, "ma1", "12");
    let list = html(&web.get("/users/teachers"));
    assert!(list.contains("<h1>преподаватели</h1>"));
    assert!(list.contains("робо-71"), "{list}");
    assert!(list.contains("href=\"tel:+79012223344\">8 901 222-33-44</a>"));
    assert!(list.contains("нельзя удалить: у преподавателя есть группы"));
    let te1 = details_id(&db, "teachers", "te1");
    let users = db.count("system_users");
    let r = web.submit(
        "/users/teachers",
        &format!("/users/delete_teacher/{te1}"),
        &[],
    );
    assert_eq!(r.status, 409);
    assert_eq!(db.count("system_users"), users);

    // A teacher sees the list without the master's buttons; his own groups are highlighted.
    let mut teacher = WebClient::login(&db, "te1", "12");
    let list = html(&teacher.get("/users/teachers"));
    assert!(!list.contains("добавить преподавателя"));
    assert!(!list.contains("/users/teacher/"));
    assert!(list.contains("class=\"mine\""));
    assert_eq!(teacher.get("/users/register/teacher").status, 403);
    assert_eq!(teacher.get(&format!("/users/teacher/{te1}")).status, 403);
    assert_eq!(
        teacher
            .submit(
                "/users/teachers",
                &format!("/users/delete_teacher/{te1}"),
                &[]
            )
            .status,
        403
    );

    // A teacher with nothing attached goes, with his tokens, notifications and messages.
    let mut ok = staff_fields("gone", "Уходящий");
    ok.push(("phone", "89001112233"));
    post(
        &mut web,
        "/users/register/teacher",
        "/users/register/teacher",
        &ok,
    );
    let gone = user_id(&db, "gone");
    let ma1 = user_id(&db, "ma1");
    let mut c = db.conn();
    c.exec_drop(
        "INSERT INTO access_tokens (system_user_id, expires, token_hash, device, last_use, app_version)
         VALUES (?, '2099-01-01', 'x', 'd', '2020-01-01', '1')",
        (gone,),
    )
    .unwrap();
    c.exec_drop(
        "INSERT INTO notifications (sender_id, receiver_type, receiver_id, subject, body, send_time, receivers)
         VALUES (?, 1, 1, 's', 'b', '2020-01-01', '')",
        (gone,),
    )
    .unwrap();
    c.exec_drop(
        "INSERT INTO message_details (body, send_time, unread) VALUES ('привет', '2020-01-01', 1)",
        (),
    )
    .unwrap();
    let details = c.last_insert_id();
    c.exec_drop(
        "INSERT INTO messages (owner_id, receiver_id, message_details_id, forward) VALUES (?, ?, ?, 1), (?, ?, ?, 0)",
        (gone, ma1, details, ma1, gone, details),
    )
    .unwrap();
    let id = details_id(&db, "teachers", "gone");
    let r = web.submit(
        "/users/teachers",
        &format!("/users/delete_teacher/{id}"),
        &[],
    );
    assert_eq!(r.status, 302);
    assert!(html(&web.get("/users/teachers")).contains("преподаватель Уходящий удалён"));
    for table in [
        "access_tokens",
        "notifications",
        "messages",
        "message_details",
    ] {
        assert_eq!(db.count(table), 0, "{table}");
    }
    assert_eq!(db.count("system_users"), users);
}

#[test]
fn bots_and_developers_are_for_developers_only() {
    let db = writable_for_developers();
    let mut master = WebClient::login(&db, "ma1", "12");
    for path in [
        "/users/bots",
        "/users/developers",
        "/users/register/bot",
        "/users/register/developer",
    ] {
        assert_eq!(master.get(path).status, 403, "{path}");
    }
    let mut dev = WebClient::login(&db, "dev1", "12");
    let bots = html(&dev.get("/users/bots"));
    assert!(bots.contains("<h1>боты</h1>"));
    assert!(bots.contains("создатель дампов"));
    assert!(
        !bots.contains("name=\"search\""),
        "no search on the bots list"
    );
    let r = post(
        &mut dev,
        "/users/register/bot",
        "/users/register/bot",
        &staff_fields("bot2", "ещё бот"),
    );
    assert_eq!(r.status, 302, "{}", r.text());
    assert!(html(&dev.get("/users/bots")).contains("бот bot2 создан."));
    let id = details_id(&db, "bots", "bot2");
    let edit = format!("/users/bot/{id}");
    let page = html(&dev.get(&edit));
    assert!(page.contains("редактирование бота"));
    assert!(
        page.contains(">имя<") || page.contains("имя</label>"),
        "{page}"
    );
    let r = post(
        &mut dev,
        &edit,
        &edit,
        &[("login", "bot2"), ("fio", "бот два"), ("enabled", "y")],
    );
    assert_eq!(r.status, 302);
    assert!(html(&dev.get("/users/bots")).contains("бот бот два изменен"));
    let r = dev.submit("/users/bots", &format!("/users/delete_bot/{id}"), &[]);
    assert_eq!(r.status, 302);
    assert!(html(&dev.get("/users/bots")).contains("бот бот два удалён"));
    assert_eq!(db.count("bots"), 1);

    let r = post(
        &mut dev,
        "/users/register/developer",
        "/users/register/developer",
        &staff_fields("dev2", "второй"),
    );
    assert_eq!(r.status, 302);
    let devs = html(&dev.get("/users/developers"));
    assert!(devs.contains("разработчик dev2 создан."));
    assert_eq!(rows(&devs), 2);
    let me = details_id(&db, "developers", "dev1");
    let other = details_id(&db, "developers", "dev2");
    assert_eq!(
        dev.submit(
            "/users/developers",
            &format!("/users/delete_developer/{me}"),
            &[]
        )
        .status,
        409
    );
    let r = dev.submit(
        "/users/developers",
        &format!("/users/delete_developer/{other}"),
        &[],
    );
    assert_eq!(r.status, 302);
    assert_eq!(db.count("developers"), 1);
}

#[test]
fn read_only_developer_changes_nothing() {
    let db = TestDb::seeded();
    let mut dev = WebClient::login(&db, "dev1", "12");
    let users = db.count("system_users");
    let r = post(
        &mut dev,
        "/users/register/master",
        "/users/register/master",
        &staff_fields("ro", "ro"),
    );
    assert_eq!(r.status, 302);
    let list = html(&dev.get("/users/masters"));
    assert!(list.contains("режим только чтения: руководитель ro не создан."));
    assert!(!list.contains("руководитель ro создан"), "{list}");
    let bot = details_id(&db, "bots", "dump_creator");
    dev.submit("/users/bots", &format!("/users/delete_bot/{bot}"), &[]);
    assert_eq!(db.count("system_users"), users);
}

/// The fields of a valid full student form.
fn student_form<'a>(
    last: &'a str,
    first: &'a str,
    second: &'a str,
    birth: &'a str,
    school: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("enabled", "y"),
        ("last_name", last),
        ("first_name", first),
        ("second_name", second),
        ("birth_date", birth),
        ("birth_place", "Барнаул"),
        ("registration_place", "ул. Ленина, 1"),
        ("actual_address", "ул. Ленина, 1"),
        ("additional_info", ""),
        ("known_from", ""),
        ("citizenship", "1"),
        ("school", school),
        ("grade", "5"),
        ("shift", "1"),
        ("phone", "89001234567"),
        ("contact_phone", "1"),
        ("mother", "-1"),
        ("father", "-1"),
    ]
}

fn with<'a>(
    mut fields: Vec<(&'a str, &'a str)>,
    changes: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    for (name, value) in changes {
        fields.retain(|(n, _)| n != name);
        fields.push((name, value));
    }
    fields
}

fn school(db: &TestDb) -> String {
    query_one::<u32>(db, "SELECT id FROM schools LIMIT 1", ()).to_string()
}

#[test]
fn student_registration_generates_login_and_password() {
    let db = TestDb::seeded();
    let school = school(&db);
    let mut web = WebClient::login(&db, "te1", "12");
    let page = html(&web.get("/users/register/student"));
    assert!(page.contains("регистрация нового ученика"));
    assert!(page.contains("выберите школу"));
    assert!(page.contains("создать нового"));
    let fields = student_form("Иванов", "Пётр", "Сергеевич", "1992-11-24", &school);
    let mut fields = with(
        fields,
        &[
            ("mother", "-2"),
            ("m_fio", "Иванова Мария"),
            ("m_phone", "89005556677"),
            ("m_email", " mama@example.ru "),
            ("m_passport", ""),
            ("m_vk_link", "vk.com/mama"),
        ],
    );
    // A multi-select posts one pair per chosen option.
    fields.extend([("m_notification_types", "0"), ("m_notification_types", "1")]);
    let r = post(
        &mut web,
        "/users/register/student",
        "/users/register/student",
        &fields,
    );
    assert_eq!(r.status, 302, "{}", html(&r));
    assert_eq!(r.location(), Some("/users/students"));
    let list = html(&web.get("/users/students"));
    assert!(list.contains("родитель Иванова Мария создан"), "{list}");
    assert!(list.contains("ученик Иванов Пётр Сергеевич создан."));
    assert!(list.contains("psivanov"));
    let (email, passport, types): (Option<String>, Option<String>, i32) = query_one(
        &db,
        "SELECT email, passport, notification_types FROM parents WHERE fio = 'Иванова Мария'",
        (),
    );
    assert_eq!(
        (email.as_deref(), passport, types),
        (Some("mama@example.ru"), None, 3)
    );
    let mother = query_one::<u32>(
        &db,
        "SELECT id FROM parents WHERE fio = 'Иванова Мария'",
        (),
    );
    let mother_s = mother.to_string();

    // The same name again: the next free suffix; the existing mother is linked.
    let fields = with(
        student_form("Иванов", "Пётр", "Сергеевич", "2001-02-03", &school),
        &[("mother", &mother_s), ("contact_phone", "2")],
    );
    let r = post(
        &mut web,
        "/users/register/student",
        "/users/register/student",
        &fields,
    );
    assert_eq!(r.status, 302, "{}", html(&r));
    let second = details_id(&db, "students", "psivanov2");
    assert_eq!(
        query_one::<u32>(
            &db,
            "SELECT parent_id FROM parent_of_students WHERE student_id = ? AND is_mother = 1",
            (second,)
        ),
        mother
    );
    assert!(html(&web.get("/users/students")).contains("8 900 555-66-77</a> (мать)"));
    // The default password is the birth date.
    WebClient::login(&db, "psivanov", "24111992");
    WebClient::login(&db, "psivanov2", "03022001");
    assert_eq!(
        query_one::<(i32, bool)>(
            &db,
            "SELECT last_seen_where, enabled FROM system_users WHERE login = 'psivanov2'",
            ()
        ),
        (1, true)
    );
}

#[test]
fn a_birth_date_of_today_is_the_centres_today() {
    let db = TestDb::seeded();
    let school = school(&db);
    // 19:00 UTC on 5 December is 02:00 on 6 December in Barnaul (UTC+7).
    let mut web = WebClient::login_at(&db, "2026-12-05 19:00:00", "ma1", "12");
    let form = "/users/register/student";
    let tomorrow = student_form("Завтрашний", "Иван", "", "2026-12-07", &school);
    let r = post(&mut web, form, form, &tomorrow);
    assert_eq!(r.status, 200, "the 7th is still in the future");
    assert!(html(&r).contains("не позже сегодняшнего дня"));
    let today = student_form("Сегодняшний", "Иван", "", "2026-12-06", &school);
    let r = post(&mut web, form, form, &today);
    assert_eq!(r.status, 302, "the 6th is today in Barnaul: {}", html(&r));
    let fast = [
        ("last_name", "Быстрый"),
        ("first_name", "Иван"),
        ("second_name", ""),
        ("birth_date", "2026-12-06"),
        ("school", &school),
        ("grade", "1"),
        ("shift", "1"),
        ("parent_name", "Ольга"),
        ("parent_phone", "89001112233"),
    ];
    let fast_form = "/users/register/student/fast";
    let r = post(&mut web, fast_form, fast_form, &fast);
    assert_eq!(r.status, 302, "the fast form too: {}", html(&r));
    assert_eq!(
        query_one::<u64>(
            &db,
            "SELECT COUNT(*) FROM students WHERE birth_date = '2026-12-06'",
            ()
        ),
        2
    );
}

#[test]
fn student_form_rules() {
    let db = TestDb::seeded();
    let school = school(&db);
    let mut web = WebClient::login(&db, "ma1", "12");
    let base = student_form("Петров", "Иван", "", "2010-01-01", &school);
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            with(base.clone(), &[("last_name", "")]),
            "Длина поля должна быть от 1 до 60 символов.",
        ),
        (
            with(base.clone(), &[("birth_date", "")]),
            "Это поле обязательно.",
        ),
        (
            with(base.clone(), &[("birth_date", "2010-02-30")]),
            "Неверная дата",
        ),
        (with(base.clone(), &[("school", "-1")]), "школа не выбрана!"),
        (
            with(base.clone(), &[("citizenship", "77")]),
            "Выберите значение из списка.",
        ),
        (
            with(base.clone(), &[("grade", "")]),
            "Длина поля должна быть от 1 до 31 символов.",
        ),
        (
            with(base.clone(), &[("phone", "123")]),
            "телефон не распознан",
        ),
        (
            with(base.clone(), &[("phone", "")]),
            "укажите телефон ученика!",
        ),
        (
            with(base.clone(), &[("contact_phone", "2")]),
            "мать не указана!",
        ),
        (
            with(base.clone(), &[("contact_phone", "3")]),
            "отец не указан!",
        ),
        (
            with(base.clone(), &[("mother", "-2")]),
            "заполните поля в \"новый родитель - мать\"!",
        ),
        (
            with(base.clone(), &[("father", "-2"), ("f_fio", "Отец")]),
            "заполните поля в \"новый родитель - отец\"!",
        ),
        (
            with(
                base.clone(),
                &[
                    ("mother", "-2"),
                    ("m_fio", "М"),
                    ("m_phone", "89001112233"),
                    ("m_notification_types", "0"),
                ],
            ),
            "укажите email!",
        ),
        (
            with(
                base.clone(),
                &[
                    ("mother", "-2"),
                    ("m_fio", "М"),
                    ("m_phone", "89001112233"),
                    ("m_notification_types", "1"),
                ],
            ),
            "укажите ВКонтакте!",
        ),
        (
            with(
                base.clone(),
                &[
                    ("mother", "-2"),
                    ("m_fio", "М"),
                    ("m_phone", "89001112233"),
                    ("m_vk_link", "vk.com/"),
                ],
            ),
            "ссылка на страницу ВКонтакте вида vk.com/id12345678",
        ),
        (
            with(
                base.clone(),
                &[
                    ("mother", "-2"),
                    ("m_fio", "М"),
                    ("m_phone", "89001112233"),
                    ("m_email", "no-at"),
                ],
            ),
            "Неверный адрес электронной почты.",
        ),
        (
            with(
                base.clone(),
                &[
                    ("mother", "-2"),
                    ("m_fio", "М"),
                    ("m_phone", "89001112233"),
                    ("m_passport", "1234"),
                    ("father", "-2"),
                    ("f_fio", "О"),
                    ("f_phone", "89001112234"),
                    ("f_passport", "1234"),
                ],
            ),
            "паспорта родителей совпадают!",
        ),
        (
            with(base.clone(), &[("mother", "999")]),
            "Выберите значение из списка.",
        ),
    ];
    for (fields, message) in &cases {
        let r = post(
            &mut web,
            "/users/register/student",
            "/users/register/student",
            fields,
        );
        assert_eq!(r.status, 200, "{message}");
        let page = html(&r);
        assert!(page.contains(message), "{message}\n{page}");
    }
    assert_eq!((db.count("students"), db.count("parents")), (1, 0));

    // A registered passport, and one parent as both mother and father.
    db.conn()
        .exec_drop(
            "INSERT INTO parents (fio, phone, passport, notification_types) VALUES ('Мама', '89001112233', '5555', 0)",
            (),
        )
        .unwrap();
    let p = query_one::<u32>(&db, "SELECT id FROM parents", ()).to_string();
    for (fields, message) in [
        (
            with(
                base.clone(),
                &[
                    ("mother", "-2"),
                    ("m_fio", "М"),
                    ("m_phone", "89001112233"),
                    ("m_passport", "5555"),
                ],
            ),
            "паспорт матери уже зарегистрирован!",
        ),
        (
            with(
                base.clone(),
                &[
                    ("father", "-2"),
                    ("f_fio", "О"),
                    ("f_phone", "89001112233"),
                    ("f_passport", "5555"),
                ],
            ),
            "паспорт отца уже зарегистрирован!",
        ),
        (
            with(base.clone(), &[("mother", &p), ("father", &p)]),
            "отец не может быть матерью!",
        ),
    ] {
        let r = post(
            &mut web,
            "/users/register/student",
            "/users/register/student",
            &fields,
        );
        assert!(html(&r).contains(message), "{message}");
    }
    assert_eq!((db.count("students"), db.count("parents")), (1, 1));
}

#[test]
fn student_edit_rederives_only_a_default_password() {
    let db = TestDb::seeded();
    let school = school(&db);
    let mut web = WebClient::login(&db, "ma1", "12");
    let st1 = details_id(&db, "students", "st1");
    let edit = format!("/users/student/{st1}");
    let page = html(&web.get(&edit));
    assert!(page.contains("редактирование ученика"));
    assert!(page.contains("value=\"2002-08-31\""));
    assert!(!page.contains("выберите школу"));
    let student = WebClient::login(&db, "st1", "31082002");
    let mut fields = student_form("", "", "", "2002-09-01", &school);
    fields.retain(|(n, _)| !n.ends_with("_name"));
    fields.extend([("login", "st1"), ("fio", "Ученик Алексей")]);
    let r = post(&mut web, &edit, &edit, &fields);
    assert_eq!(r.status, 302, "{}", html(&r));
    assert!(html(&web.get("/users/students")).contains("ученик Ученик Алексей изменен"));
    assert!(query_one::<bool>(
        &db,
        "SELECT force_ask_to_login FROM system_users WHERE login = 'st1'",
        ()
    ));
    // The old session is over; the new birth date is the password now.
    let r = db.cgi(&CgiRequest::get("/").with_cookies(&student.jar));
    assert!(r.text().contains("вы не авторизованы"));
    WebClient::login(&db, "st1", "01092002");

    // A password the student chose stays when the birth date changes.
    db.crmit_with_stdin(&["set-password", "st1", "--password-stdin"], "own-pass\n");
    db.conn()
        .exec_drop(
            "UPDATE system_users SET force_ask_to_login = 0 WHERE login = 'st1'",
            (),
        )
        .unwrap();
    let fields = with(fields, &[("birth_date", "2002-09-02")]);
    let r = post(&mut web, &edit, &edit, &fields);
    assert_eq!(r.status, 302);
    assert!(!query_one::<bool>(
        &db,
        "SELECT force_ask_to_login FROM system_users WHERE login = 'st1'",
        ()
    ));
    WebClient::login(&db, "st1", "own-pass");
    assert!(query_one::<bool>(
        &db,
        "SELECT filled FROM students WHERE id = ?",
        (st1,)
    ));
}

#[test]
fn student_edit_changes_parents() {
    let db = TestDb::seeded();
    let school = school(&db);
    let mut web = WebClient::login(&db, "te1", "12");
    let st1 = details_id(&db, "students", "st1");
    let edit = format!("/users/student/{st1}");
    let dad = add_parent(&db, "Папа", "89001112233");
    let dad_s = dad.to_string();
    let mut fields = student_form("", "", "", "2002-08-31", &school);
    fields.retain(|(n, _)| !n.ends_with("_name"));
    fields.extend([("login", "st1"), ("fio", "Ученик Алексей Алексеевич")]);
    let fields = with(
        fields,
        &[
            ("father", &dad_s),
            ("mother", "-2"),
            ("m_fio", "Мама Новая"),
            ("m_phone", "89009998877"),
        ],
    );
    let r = post(&mut web, &edit, &edit, &fields);
    assert_eq!(r.status, 302, "{}", html(&r));
    assert!(html(&web.get("/users/students")).contains("родитель Мама Новая создан"));
    assert_eq!(db.count("parent_of_students"), 2);
    // The page shows the current parents chosen.
    let page = html(&web.get(&edit));
    assert!(
        page.contains(&format!("<option value=\"{dad}\" selected>Папа</option>")),
        "{page}"
    );
    // «нет» removes the link, keeps the parent.
    let fields = with(fields, &[("mother", "-1"), ("father", "-1")]);
    assert_eq!(post(&mut web, &edit, &edit, &fields).status, 302);
    assert_eq!(
        (db.count("parent_of_students"), db.count("parents")),
        (0, 2)
    );
    // Unchanged birth date: the default password still works, no forced login.
    assert!(!query_one::<bool>(
        &db,
        "SELECT force_ask_to_login FROM system_users WHERE login = 'st1'",
        ()
    ));
}

#[test]
fn students_list_filter_search_and_pages() {
    let db = TestDb::seeded();
    let mut c = db.conn();
    let school = school(&db);
    let st1_user = user_id(&db, "st1");
    let _ = st1_user;
    // 25 more students, one of them with % and _ in the name, two not filled in.
    for i in 0..25 {
        let fio = match i {
            0 => "Процентов 100%_".to_string(),
            _ => format!("Ученик Номер{i:02}"),
        };
        c.exec_drop(
            "INSERT INTO system_users (login, password_hash, system_role_id, last_seen, enabled, last_seen_where)
             SELECT ?, ?, id, UTC_TIMESTAMP(), 1, 3 FROM system_roles WHERE name = 'ученик'",
            (format!("s{i}"), format!("hash{i}")),
        )
        .unwrap();
        let uid = c.last_insert_id();
        c.exec_drop(
            "INSERT INTO students (fio, birth_date, birth_place, registration_place, actual_address, school_id,
               citizenship_id, system_user_id, contact_phone, grade, phone, shift, filled)
             VALUES (?, '2010-01-01', 'a', 'b', 'c', ?, 1, ?, 1, '5', '89001112233', '1', ?)",
            (fio, &school, uid, i % 10 != 5),
        )
        .unwrap();
    }
    let mut web = WebClient::login(&db, "te1", "12");
    let page = html(&web.get("/users/students"));
    assert_eq!(rows(&page), 20);
    assert!(page.contains("добавить ученика быстро"));
    // Not filled in first.
    let first = page.find("Номер05").unwrap();
    assert!(first < page.find("Номер01").unwrap());
    assert!(page.contains("(не заполнен)"));
    assert!(
        page.contains("&#128241;"),
        "android visits have the phone icon"
    );
    assert_eq!(rows(&html(&web.get("/users/students?page=2"))), 6);
    assert_eq!(rows(&html(&web.get("/users/students?page=0"))), 20);
    assert_eq!(rows(&html(&web.get("/users/students?page=abc"))), 20);
    let past = web.get("/users/students?page=9");
    assert_eq!(past.status, 200);
    assert_eq!(rows(&html(&past)), 0);

    // Search: Cyrillic, case-insensitive; % and _ are literal characters.
    assert_eq!(
        rows(&html(&web.get(&format!("/users/students?{}", q("номер1"))))),
        10
    );
    assert_eq!(
        rows(&html(&web.get(&format!("/users/students?{}", q("%_"))))),
        1
    );
    assert_eq!(
        rows(&html(&web.get(&format!("/users/students?{}", q("_"))))),
        1
    );
    assert_eq!(
        rows(&html(&web.get(&format!("/users/students?{}", q("%"))))),
        1
    );

    // The group filter: members of робо-71 only; an unknown group is 404.
    let group = query_one::<u32>(&db, "SELECT id FROM `groups` WHERE name = 'робо-71'", ());
    let page = html(&web.get(&format!("/users/students?group_id={group}")));
    assert_eq!(rows(&page), 1, "{page}");
    assert!(page.contains("Ученик Алексей Алексеевич"));
    assert!(page.contains("в группе <b>робо-71</b>"));
    let page = html(&web.get(&format!("/users/students?group_id={group}&{}", q("номер"))));
    assert_eq!(rows(&page), 0);
    assert!(page.contains("ничего не найдено"));
    assert_eq!(web.get("/users/students?group_id=999").status, 404);
    assert_eq!(rows(&html(&web.get("/users/students?group_id=-3"))), 20);
}

#[test]
fn student_details_page() {
    let db = TestDb::seeded();
    let st1 = details_id(&db, "students", "st1");
    let mother = add_parent_row(
        &db,
        "Мама Ученика",
        ParentRow {
            phone: "89001112233",
            email: Some("m@x.ru"),
            notification_types: 5,
            ..ParentRow::default()
        },
    );
    add_child(&db, st1, mother, true);
    let mut web = WebClient::login(&db, "te1", "12");
    let r = web.get(&format!("/users/student_details/{st1}"));
    assert_eq!(r.status, 200);
    let page = html(&r);
    for text in [
        "<title>Ученик Алексей Алексеевич</title>",
        "логин:</span> st1",
        "последний визит:</span> <span class=\"nowrap\">никогда",
        "дата рождения:</span> 31.08.2002",
        "школа:</span> школа №42",
        "телефон для связи:</span> <a class=\"tel\" href=\"tel:+79023334455\">8 902 333-44-55</a> (ученик)",
        "гражданство:</span> Россия",
        "Мама Ученика",
        "уведомления: email / sms",
        "class=\"mine\">робо-71</a>",
        "учеников: 1",
        "написать сообщение",
        "сброс пароля",
    ] {
        assert!(page.contains(text), "{text}\n{page}");
    }
    assert_eq!(web.get("/users/student_details/9999").status, 404);
    let mut student = WebClient::login(&db, "st1", "31082002");
    assert_eq!(
        student.get(&format!("/users/student_details/{st1}")).status,
        403
    );
}

#[test]
fn student_delete_rules_and_cascade() {
    let db = TestDb::seeded();
    let school = school(&db);
    let mut web = WebClient::login(&db, "te1", "12");
    let st1 = details_id(&db, "students", "st1");
    let list = html(&web.get("/users/students"));
    assert!(list.contains("нельзя удалить: ученик состоит в группах"));
    let before = (db.count("students"), db.count("system_users"));
    let r = web.submit(
        "/users/students",
        &format!("/users/delete_student/{st1}"),
        &[],
    );
    assert_eq!(r.status, 409);
    assert_eq!((db.count("students"), db.count("system_users")), before);

    let fields = with(
        student_form("Удаляев", "Дима", "", "2012-05-06", &school),
        &[
            ("mother", "-2"),
            ("m_fio", "Мама Удаляева"),
            ("m_phone", "89001112233"),
        ],
    );
    post(
        &mut web,
        "/users/register/student",
        "/users/register/student",
        &fields,
    );
    let id = details_id(&db, "students", "dudalyaev");
    let uid = user_id(&db, "dudalyaev");
    let te1 = user_id(&db, "te1");
    let mut c = db.conn();
    c.exec_drop(
        "INSERT INTO message_details (body, send_time, unread) VALUES ('x', '2020-01-01', 1)",
        (),
    )
    .unwrap();
    let details = c.last_insert_id();
    c.exec_drop(
        "INSERT INTO messages (owner_id, receiver_id, message_details_id, forward) VALUES (?, ?, ?, 1), (?, ?, ?, 0)",
        (te1, uid, details, uid, te1, details),
    )
    .unwrap();
    let r = web.submit(
        "/users/students",
        &format!("/users/delete_student/{id}"),
        &[],
    );
    assert_eq!(r.status, 302);
    assert!(html(&web.get("/users/students")).contains("ученик Удаляев Дима удалён"));
    assert_eq!((db.count("students"), db.count("system_users")), before);
    assert_eq!(
        (
            db.count("parent_of_students"),
            db.count("parents"),
            db.count("messages"),
            db.count("message_details")
        ),
        (0, 1, 0, 0)
    );
}

#[test]
fn fast_registration() {
    let db = TestDb::seeded();
    let school = school(&db);
    let mut web = WebClient::login(&db, "te1", "12");
    let page = html(&web.get("/users/register/student/fast"));
    assert!(page.contains("быстрое создание ученика"));
    let fields = vec![
        ("last_name", "Быстров"),
        ("first_name", "Яков"),
        ("second_name", ""),
        ("birth_date", "2011-03-04"),
        ("school", school.as_str()),
        ("grade", "3"),
        ("shift", "2"),
        ("parent_name", "Ольга"),
        ("parent_phone", "89001112233"),
    ];
    let r = post(
        &mut web,
        "/users/register/student/fast",
        "/users/register/student/fast",
        &with(fields.clone(), &[("school", "-1")]),
    );
    assert!(html(&r).contains("школа не выбрана!"));
    let r = post(
        &mut web,
        "/users/register/student/fast",
        "/users/register/student/fast",
        &fields,
    );
    assert_eq!(r.status, 302, "{}", html(&r));
    assert!(html(&web.get("/users/students")).contains("ученик Быстров Яков создан."));
    let (filled, info, phone): (bool, String, String) = query_one(
        &db,
        "SELECT filled, additional_info, phone FROM students WHERE fio = 'Быстров Яков'",
        (),
    );
    assert_eq!(
        (filled, info.as_str(), phone.as_str()),
        (
            false,
            "телефон родителя: 89001112233; \nимя родителя: Ольга",
            "не указано"
        )
    );
    WebClient::login(&db, "yabyistrov", "04032011");

    let group = query_one::<u32>(&db, "SELECT id FROM `groups` WHERE name = 'робо-71'", ());
    let path = format!("/users/register/student/fast/{group}/10");
    let r = post(
        &mut web,
        &path,
        &path,
        &with(fields.clone(), &[("first_name", "Ян")]),
    );
    assert_eq!(r.status, 302, "{}", html(&r));
    assert_eq!(r.location(), Some(format!("/lessons/{group}/10").as_str()));
    assert_eq!(
        query_one::<(i32, i32)>(
            &db,
            "SELECT enter_month, exit_month FROM student_in_groups sig JOIN students s ON s.id = sig.student_id WHERE s.fio = 'Быстров Ян'",
            ()
        ),
        (8, 16)
    );
    let students = db.count("students");
    let r = post(
        &mut web,
        &path.replace(&group.to_string(), "999"),
        "/users/register/student/fast/999/10",
        &fields,
    );
    assert_eq!(r.status, 404);
    assert_eq!(db.count("students"), students);
}

#[test]
fn access_per_route() {
    let db = TestDb::seeded();
    let st1 = details_id(&db, "students", "st1");
    let ma1 = details_id(&db, "masters", "ma1");
    let pages = [
        "/users/masters".to_string(),
        "/users/teachers".to_string(),
        "/users/students".to_string(),
        format!("/users/student_details/{st1}"),
        format!("/users/student/{st1}"),
        "/users/register/student".to_string(),
        "/users/register/student/fast".to_string(),
        "/users/register/master".to_string(),
        format!("/users/master/{ma1}"),
        "/users/bots".to_string(),
        "/users/developers".to_string(),
    ];
    // Anonymous visitors go to the login page.
    for p in &pages {
        let r = db.cgi(&CgiRequest::get(p));
        assert_eq!(r.status, 302, "{p}");
        assert!(
            r.location().unwrap().starts_with("/users/login?next="),
            "{p}"
        );
    }
    let mut student = WebClient::login(&db, "st1", "31082002");
    for p in &pages {
        assert_eq!(student.get(p).status, 403, "{p}");
    }
    let mut teacher = WebClient::login(&db, "te1", "12");
    let mut dev = WebClient::login(&db, "dev1", "12");
    for (i, p) in pages.iter().enumerate() {
        let want = if i < 7 { 200 } else { 403 };
        assert_eq!(teacher.get(p).status, want, "teacher {p}");
        assert_eq!(dev.get(p).status, 200, "developer {p}");
    }
    // Deletes are POST only, with the CSRF token.
    assert_eq!(
        db.cgi(&CgiRequest::get(&format!("/users/delete_student/{st1}")))
            .status,
        405
    );
    let r = teacher.send(CgiRequest::post_form(
        &format!("/users/delete_student/{st1}"),
        &[],
    ));
    assert_eq!(r.status, 400);
    assert_eq!(db.count("students"), 1);
}

/// The `<option>`s of the select `name` on a page, as (value, label, selected).
fn options_of(page: &str, name: &str) -> Vec<(String, String, bool)> {
    let start = page
        .find(&format!("<select id=\"{name}\""))
        .unwrap_or_else(|| panic!("no select {name}"));
    let select = &page[start..start + page[start..].find("</select>").unwrap()];
    select
        .split("<option value=\"")
        .skip(1)
        .map(|o| {
            let (value, rest) = o.split_once('"').unwrap();
            let selected = rest.starts_with(" selected");
            let label = rest.split_once('>').unwrap().1.split('<').next().unwrap();
            (value.to_string(), label.to_string(), selected)
        })
        .collect()
}

/// Posts the registration form.
fn register(web: &mut WebClient, fields: &[(&str, &str)]) -> CgiResponse {
    post(
        web,
        "/users/register/student",
        "/users/register/student",
        fields,
    )
}

/// The mother and father selects offer no list of every parent: a search («найти», posted with
/// the form and saving nothing) offers the parents found, at most 30, with what was typed kept;
/// the chosen parent stays offered, and a stored one is offered on the edit form.
#[test]
fn a_parent_is_found_by_name_and_the_search_saves_nothing() {
    let db = TestDb::seeded();
    let school = school(&db);
    let dasha = add_parent(&db, "Блинова Дарья", "89001110001");
    add_parent(&db, "Блинова Анна", "89001110002");
    add_parent(&db, "Петрова Ирина", "89001110003");
    for i in 0..31 {
        add_parent(&db, &format!("Сидорова {i:02}"), "89001110004");
    }
    let mut web = WebClient::login(&db, "ma1", "12");
    let page = html(&web.get("/users/register/student"));
    let offered: Vec<String> = options_of(&page, "mother")
        .into_iter()
        .map(|o| o.1)
        .collect();
    assert_eq!(offered, ["нет", "создать нового"]);
    assert!(page.contains("name=\"mother_search\""), "{page}");
    assert!(page.contains("name=\"find\" value=\"father\""), "{page}");

    let students = || query_one::<u32>(&db, "SELECT COUNT(*) FROM students", ());
    let before = students();
    let typed = with(
        student_form("Блинов", "Пётр", "", "2012-03-04", &school),
        &[("mother_search", " дарья  блинова "), ("find", "mother")],
    );
    let r = register(&mut web, &typed);
    assert_eq!(r.status, 200, "{}", html(&r));
    let page = html(&r);
    assert_eq!(
        options_of(&page, "mother"),
        [
            ("-1".to_string(), "нет".to_string(), true),
            ("-2".to_string(), "создать нового".to_string(), false),
            (dasha.to_string(), "Блинова Дарья".to_string(), false),
        ]
    );
    assert!(page.contains("найдено: 1 — выберите в списке"), "{page}");
    assert!(page.contains("value=\"Блинов\""), "what was typed stays");
    assert!(
        page.contains("name=\"mother_search\" value=\" дарья  блинова \""),
        "{page}"
    );
    assert_eq!(students(), before, "a search saves nothing");

    let mut search = |text: &str| {
        let fields = with(typed.clone(), &[("mother_search", text)]);
        html(&register(&mut web, &fields))
    };
    let page = search("сидорова");
    assert!(
        page.contains("показаны первые 30: уточните запрос"),
        "{page}"
    );
    assert_eq!(options_of(&page, "mother").len(), 32);
    let page = search("Кузнецова");
    assert!(
        page.contains("по запросу «Кузнецова» никого не найдено"),
        "{page}"
    );

    // Chosen from the search, then a failed save: the chosen mother is still offered and chosen.
    let dasha_s = dasha.to_string();
    let chosen = with(
        typed.clone(),
        &[
            ("mother", dasha_s.as_str()),
            ("mother_search", ""),
            ("birth_place", ""),
        ],
    );
    let chosen: Vec<_> = chosen.into_iter().filter(|(n, _)| *n != "find").collect();
    let page = html(&register(&mut web, &chosen));
    assert!(
        options_of(&page, "mother").contains(&(dasha_s.clone(), "Блинова Дарья".into(), true)),
        "{page}"
    );
    assert_eq!(students(), before);

    let saved = with(chosen, &[("birth_place", "Барнаул")]);
    let r = register(&mut web, &saved);
    assert_eq!(r.status, 302, "{}", html(&r));
    let student = query_one::<u32>(
        &db,
        "SELECT id FROM students WHERE fio LIKE 'Блинов Пётр%'",
        (),
    );
    let linked = query_one::<u32>(
        &db,
        "SELECT parent_id FROM parent_of_students WHERE student_id = ? AND is_mother = 1",
        (student,),
    );
    assert_eq!(linked, dasha);

    let page = html(&web.get(&format!("/users/student/{student}")));
    assert_eq!(
        options_of(&page, "mother")[2],
        (dasha_s, "Блинова Дарья".to_string(), true)
    );
    assert_eq!(options_of(&page, "father").len(), 2);
    assert!(!page.contains("Блинова Анна"), "no search, no others");

    // Enter in a field without JavaScript presses the first «найти»: with its box empty, it saves.
    let enter = with(
        student_form("Блинов", "Иван", "", "2013-03-04", &school),
        &[("mother_search", ""), ("find", "mother")],
    );
    let r = register(&mut web, &enter);
    assert_eq!(r.status, 302, "{}", html(&r));
    assert_eq!(students(), before + 2);
}
