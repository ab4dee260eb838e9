//! Issues #4 and #5 as users live them: a real headless Chromium (JavaScript on) types, picks and
//! clicks through the pages served by the binary under a real Apache, and every step is checked
//! on the page and in the database.
//!
//! * #4: a master registers a student with a new mother typed into the student form, puts the
//!   student into a group, gives a discount and finds the student by a Cyrillic search; a teacher
//!   may do the same for his own group but is refused a foreign group's member list and never
//!   gets the discount field (discounts are for masters and developers only).
//! * #5: a teacher marks attendance in the month grid by clicking the cycling cells, a master
//!   confirms a payment, and the student sees both in the cabinet.
//!
//! Screenshots of the key steps land in `<target>/screenshots/scenario-<issue>-<role>-<step>.png`.

use crate::common;

use crate::common::db::query_one;
use crate::common::fixture::*;
use chrono::{Datelike, NaiveDate};
use common::TestDb;
use common::apache::ApacheSite;
use common::browser::{Browser, Element, screenshot_path};
use mysql::prelude::Queryable;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

/// One browser on one site, with the few gestures the scenarios need.
struct Ui<'a> {
    browser: Browser,
    site: &'a ApacheSite,
    /// Names this scenario's screenshots: `scenario-<issue>-<step>.png`.
    issue: u32,
}

impl<'a> Ui<'a> {
    fn start(site: &'a ApacheSite, issue: u32) -> Ui<'a> {
        Ui {
            browser: Browser::start(),
            site,
            issue,
        }
    }

    fn open(&self, path: &str) {
        self.browser.goto(&self.site.url(path));
    }

    /// The element, waiting for it: the page may still be loading or running its scripts.
    fn find(&self, css: &str) -> Element {
        self.browser.wait_until(WAIT, |b| b.try_find(css).is_some());
        self.browser.find(css)
    }

    fn text(&self) -> String {
        self.browser.page_text()
    }

    fn shot(&self, name: &str) {
        self.browser.screenshot(&screenshot_path(&format!(
            "scenario-{}-{name}.png",
            self.issue
        )));
    }

    /// Replaces what the field holds by `text`, typed key by key.
    fn type_into(&self, css: &str, text: &str) {
        let field = self.find(css);
        self.browser.clear(&field);
        self.browser.send_keys(&field, text);
    }

    /// Types a date into an `<input type="date">` in the order the browser's locale shows its
    /// parts (day, month, year), and checks the field took it.
    fn type_date(&self, css: &str, date: NaiveDate) {
        let order = self.browser.execute(
            "return new Intl.DateTimeFormat().formatToParts(new Date(2012, 2, 15))
                .map(p => p.type).filter(t => t === 'day' || t === 'month' || t === 'year')",
        );
        let keys: String = order
            .as_array()
            .expect("date part order")
            .iter()
            .map(|part| match part.as_str() {
                Some("day") => format!("{:02}", date.day()),
                Some("month") => format!("{:02}", date.month()),
                _ => format!("{:04}", date.year()),
            })
            .collect();
        let field = self.find(css);
        self.browser.send_keys(&field, &keys);
        let value = self
            .browser
            .execute(&format!("return document.querySelector({}).value", js(css)));
        assert_eq!(
            value.as_str(),
            Some(date.format("%Y-%m-%d").to_string().as_str()),
            "the date field {css} did not take the keys {keys}"
        );
    }

    /// Clicks the option of the select `select_css` whose visible text is `label`.
    fn pick(&self, select_css: &str, label: &str) {
        let option = self
            .browser
            .find_all(&format!("{select_css} option"))
            .into_iter()
            .find(|o| self.browser.text(o).trim() == label)
            .unwrap_or_else(|| panic!("no option «{label}» in {select_css}:\n{}", self.text()));
        self.browser.click(&option);
        let chosen = self.browser.execute(&format!(
            "return Array.from(document.querySelector({}).selectedOptions).map(o => o.text.trim())",
            js(select_css)
        ));
        assert!(
            chosen
                .as_array()
                .is_some_and(|c| c.iter().any(|t| t == label)),
            "option «{label}» of {select_css} is not selected after the click: {chosen}"
        );
    }

    /// The trimmed texts of the cells of every row matched by `rows_css`.
    fn table(&self, rows_css: &str) -> Vec<Vec<String>> {
        let value = self.browser.execute(&format!(
            "return Array.from(document.querySelectorAll({})).map(r => Array.from(r.cells).map(c => c.innerText.trim()))",
            js(rows_css)
        ));
        serde_json::from_value(value).expect("rows of cell texts")
    }

    fn click(&self, css: &str) {
        let el = self.find(css);
        self.browser.click(&el);
    }

    /// Waits until the page shows `text`; fails with the page otherwise.
    fn expect_text(&self, text: &str) {
        let shown = self
            .browser
            .wait_until(WAIT, |b| b.page_text().contains(text));
        assert!(
            shown,
            "«{text}» not shown at {}:\n{}",
            self.browser.current_url(),
            self.text()
        );
    }

    /// Waits until the address is `path` (a query string included, if given).
    fn expect_at(&self, path: &str) {
        let want = self.site.url(path);
        let there = self.browser.wait_until(WAIT, |b| b.current_url() == want);
        assert!(
            there,
            "not at {want} but at {}:\n{}",
            self.browser.current_url(),
            self.text()
        );
    }

    fn log_in(&self, login: &str, password: &str) {
        self.open("/users/login");
        self.type_into("input[name='login']", login);
        self.type_into("input[name='password']", password);
        self.click("form[action$='/users/login'] button[type='submit']");
        self.expect_text(&format!("добро пожаловать, {login}"));
    }

    fn log_out(&self) {
        self.click("form[action$='/users/logout'] button[type='submit']");
        self.expect_text("вы вышли из системы");
    }

    /// The refusal page of a role that may not be here.
    fn expect_forbidden(&self, path: &str) {
        self.open(path);
        assert_eq!(
            self.browser.title(),
            "403 - доступ запрещён",
            "{path} is not refused:\n{}",
            self.text()
        );
        assert!(
            self.browser
                .try_find("form[method='post'] button[name='submit']")
                .is_none()
        );
    }
}

/// A selector as a JavaScript string literal.
fn js(css: &str) -> String {
    serde_json::to_string(css).unwrap()
}

/// A student registered through the full form with a new mother typed in.
struct NewStudent {
    last: &'static str,
    first: &'static str,
    second: &'static str,
    birth: NaiveDate,
    mother_fio: &'static str,
    mother_phone: &'static str,
    mother_email: &'static str,
}

impl NewStudent {
    fn fio(&self) -> String {
        format!("{} {} {}", self.last, self.first, self.second)
            .trim()
            .to_string()
    }
}

/// Opens «добавить ученика» and fills the child's part as a person would: names, the date, the
/// school picked from the list, «телефон матери» as the contact.
fn fill_child(ui: &Ui, last: &str, first: &str, second: &str, birth: NaiveDate) {
    ui.open("/users/students");
    ui.click("a[href$='/users/register/student']");
    ui.expect_text("регистрация нового ученика");
    ui.type_into("#last_name", last);
    ui.type_into("#first_name", first);
    ui.type_into("#second_name", second);
    ui.type_date("#birth_date", birth);
    ui.type_into("#birth_place", "г. Барнаул");
    ui.type_into("#registration_place", "г. Барнаул, ул. Ленина, 1");
    ui.type_into("#actual_address", "г. Барнаул, ул. Ленина, 1");
    ui.pick("#school", "школа №42");
    ui.type_into("#grade", "5");
    ui.type_into("#shift", "1");
    ui.pick("#contact_phone", "телефон матери");
}

/// Fills «добавить ученика» (`fill_child`), «создать нового» for the mother (found by the filter
/// box) with her name, phone, e-mail and the e-mail channel; then submits.
fn register_student(ui: &Ui, who: &str, s: &NewStudent) {
    fill_child(ui, s.last, s.first, s.second, s.birth);
    ui.type_into("#mother_search", "созд");
    ui.pick("#mother", "создать нового");
    ui.type_into("#m_fio", s.mother_fio);
    ui.type_into("#m_phone", s.mother_phone);
    ui.type_into("#m_email", s.mother_email);
    ui.pick("#m_notification_types", "email");
    ui.shot(&format!("{who}-register"));
    submit_student(ui, &s.fio());
    ui.expect_text(&format!("родитель {} создан", s.mother_fio));
}

/// Registers a brother of `s` whose mother is the stored one, found by her surname: Enter in the
/// search box posts the form back with the parents found, what was typed kept.
fn register_brother(ui: &Ui, s: &NewStudent, first: &str) {
    let last = s.last.trim_end_matches('а');
    fill_child(ui, last, first, "", s.birth);
    let mother_surname = s.mother_fio.split(' ').next().unwrap();
    ui.type_into("#mother_search", mother_surname);
    let search = ui.find("#mother_search");
    ui.browser.send_keys(&search, "\u{E007}");
    ui.expect_text("найдено: 1 — выберите в списке");
    ui.pick("#mother", s.mother_fio);
    ui.shot("master-brother");
    submit_student(ui, &format!("{last} {first}"));
}

fn submit_student(ui: &Ui, fio: &str) {
    ui.click("form[action$='/users/register/student'] button[name='submit']");
    ui.expect_text(&format!("ученик {fio} создан."));
    ui.expect_at("/users/students");
}

/// The student row with its mother: (student id, contact phone, mother's fio, phone, email,
/// notification types), panicking unless there is exactly one such student linked as a mother.
fn student_with_mother(db: &TestDb, fio: &str) -> (u32, i32, String, String, String, i32) {
    let mut c = db.conn();
    let rows: Vec<(u32, i32, String, String, String, i32)> = c
        .exec(
            "SELECT s.id, s.contact_phone, p.fio, p.phone, p.email, p.notification_types
             FROM students s JOIN parent_of_students ps ON ps.student_id = s.id AND ps.is_mother = 1
             JOIN parents p ON p.id = ps.parent_id WHERE s.fio = ?",
            (fio,),
        )
        .unwrap();
    assert_eq!(rows.len(), 1, "{fio}: {rows:?}");
    rows.into_iter().next().unwrap()
}

/// The one row `sql` selects.
/// The student's membership in the group: (discount, enter month, exit month).
fn membership(db: &TestDb, student: u32, group: u32) -> Option<(i32, i32, i32)> {
    db.conn()
        .exec_first(
            "SELECT discount, enter_month, exit_month FROM student_in_groups WHERE student_id = ? AND group_id = ?",
            (student, group),
        )
        .unwrap()
}

/// From the groups list, the group's «ученики» button; then the student is found by surname
/// with the search above the form, ticked and saved.
fn add_to_group(ui: &Ui, who: &str, group: u32, group_name: &str, fio: &str) {
    ui.open("/structure/groups");
    ui.click(&format!("a[href$='/structure/students_in_group/{group}']"));
    ui.expect_text(&format!("ученики в {group_name}"));
    let surname = fio.split(' ').next().unwrap().to_lowercase();
    ui.type_into("#add_search", &surname);
    ui.click("form.member-search button[type='submit']");
    ui.expect_text("найдено по запросу");
    let shown = ui.browser.execute(
        "return Array.from(document.querySelectorAll('.found-students label')).map(l => l.textContent.trim())",
    );
    assert_eq!(shown, serde_json::json!([fio]), "the students found");
    ui.click(".found-students input[name='add']");
    ui.shot(&format!("{who}-add-to-group"));
    ui.click(&format!(
        "form[action$='/structure/students_in_group/{group}'] button[name='submit']"
    ));
    ui.expect_text(&format!("список учеников в группе {group_name} изменен."));
}

/// The students list searched by `query` typed into its search box: its rows.
fn search_students(ui: &Ui, query: &str) -> Vec<Vec<String>> {
    ui.open("/users/students");
    ui.type_into("form.search-box input[name='search']", query);
    ui.click("form.search-box button[type='submit']");
    ui.expect_text(&format!("по запросу \"{query}\""));
    ui.table("table tbody tr")
}

#[test]
fn issue_4_student_with_new_mother_joins_a_group_with_a_discount() {
    let db = TestDb::seeded();
    let robo = group_id(&db, "робо-71");
    let te2 = add_teacher(&db, "te2", "Второй Учитель");
    let foreign = add_group(&db, "чужая-81", "робо", te2, 8, 16);
    let site = ApacheSite::start(&db);
    let ui = Ui::start(&site, 4);

    // The master: the whole way, with the discount.
    ui.log_in("ma1", "12");
    let dasha = NewStudent {
        last: "Соколова",
        first: "Дарья",
        second: "Игоревна",
        birth: NaiveDate::from_ymd_opt(2012, 3, 15).unwrap(),
        mother_fio: "Соколова Ольга Петровна",
        mother_phone: "89131234567",
        mother_email: "olga@example.ru",
    };
    register_student(&ui, "master", &dasha);
    let (student, contact, mother_fio, mother_phone, mother_email, types) =
        student_with_mother(&db, &dasha.fio());
    assert_eq!(contact, 2, "the contact phone is the mother's");
    assert_eq!(
        (
            mother_fio.as_str(),
            mother_phone.as_str(),
            mother_email.as_str(),
            types
        ),
        (dasha.mother_fio, dasha.mother_phone, dasha.mother_email, 1)
    );
    let (login, birth): (String, NaiveDate) = query_one(
        &db,
        "SELECT su.login, s.birth_date FROM students s JOIN system_users su ON su.id = s.system_user_id WHERE s.id = ?",
        (student,),
    );
    assert_eq!(birth, dasha.birth);

    add_to_group(&ui, "master", robo, "робо-71", &dasha.fio());
    assert_eq!(membership(&db, student, robo), Some((0, 8, 16)));

    ui.open(&format!("/structure/group_details/{robo}"));
    let discount = format!("input[aria-label='скидка {}']", dasha.fio());
    ui.type_into(&discount, "250");
    ui.shot("master-discount");
    ui.click(&format!(
        "form[action$='/structure/group_details/{robo}'] button[name='submit']"
    ));
    ui.expect_text("скидки и месяцы входа/выхода в группе робо-71 изменены.");
    assert_eq!(membership(&db, student, robo), Some((250, 8, 16)));

    // A lower-case Cyrillic part of the name finds her, with her login, mother and group.
    let rows = search_students(&ui, "соколова д");
    ui.shot("master-search");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][..2], [dasha.fio(), login]);
    assert_eq!(rows[0][4], dasha.mother_fio);
    assert_eq!(rows[0][5], "робо-71");

    // Her brother, with the same mother found by her surname.
    register_brother(&ui, &dasha, "Илья");
    let (_, _, brothers_mother, ..) = student_with_mother(&db, "Соколов Илья");
    assert_eq!(brothers_mother, dasha.mother_fio);
    assert_eq!(
        query_one::<u32>(
            &db,
            "SELECT COUNT(*) FROM parents WHERE fio = ?",
            (dasha.mother_fio,)
        ),
        1,
        "no second mother"
    );
    ui.log_out();

    // The teacher: registering and his own group's members are his to change…
    ui.log_in("te1", "12");
    let petya = NewStudent {
        last: "Ёлкин",
        first: "Пётр",
        second: "",
        birth: NaiveDate::from_ymd_opt(2011, 11, 2).unwrap(),
        mother_fio: "Ёлкина Анна Сергеевна",
        mother_phone: "89609876543",
        mother_email: "anna@example.ru",
    };
    register_student(&ui, "teacher", &petya);
    let (pupil, ..) = student_with_mother(&db, &petya.fio());
    add_to_group(&ui, "teacher", robo, "робо-71", &petya.fio());
    assert_eq!(membership(&db, pupil, robo), Some((0, 8, 16)));

    // …a foreign group's member list is not: no «ученики» button, and 403 at its address…
    ui.open("/structure/groups");
    ui.find(&format!("a[href$='/structure/students_in_group/{robo}']"));
    let foreign_members = format!("/structure/students_in_group/{foreign}");
    assert!(
        ui.browser
            .try_find(&format!("a[href$='{foreign_members}']"))
            .is_none()
    );
    ui.expect_forbidden(&foreign_members);
    ui.shot("teacher-foreign-group-403");

    // …its details he may read (any teacher may), without a form…
    ui.open(&format!("/structure/group_details/{foreign}"));
    ui.expect_text("ученики в чужая-81 (детали)");
    assert!(
        ui.browser
            .try_find("form[action*='/group_details/']")
            .is_none()
    );

    // …and in his own group he moves months but sees the discount as text only.
    let exit = format!("select[aria-label='выход {}']", petya.fio());
    ui.open(&format!("/structure/group_details/{robo}"));
    assert!(
        ui.browser.try_find(&discount).is_none(),
        "a teacher got the discount field"
    );
    let rows = ui.table("table tbody tr");
    let row = rows.iter().find(|r| r[0] == dasha.fio()).expect("her row");
    assert_eq!(row[1], "250 ₽", "{row:?}");
    ui.pick(&exit, "апрель 2018");
    ui.shot("teacher-group-details");
    ui.click(&format!(
        "form[action$='/structure/group_details/{robo}'] button[name='submit']"
    ));
    ui.expect_text("месяцы входа/выхода в группе робо-71 изменены.");
    assert_eq!(membership(&db, pupil, robo), Some((0, 8, 15)));
    assert_eq!(membership(&db, student, robo), Some((250, 8, 16)));

    // The search works for him too.
    let rows = search_students(&ui, "ЁЛКИН");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        (rows[0][0].as_str(), rows[0][4].as_str()),
        (petya.fio().as_str(), petya.mother_fio)
    );
}

/// The attendance state stored for a student at a lesson, if any.
fn attendance(db: &TestDb, lesson: u32, student: u32) -> Option<i32> {
    db.conn()
        .exec_first(
            "SELECT state FROM attendings WHERE lesson_id = ? AND student_id = ?",
            (lesson, student),
        )
        .unwrap()
}

/// The cycling button of a grid cell and the state it shows.
fn cell_state(ui: &Ui, fio: &str, date: &str) -> String {
    let button = ui.find(&format!("button[aria-label^='{fio}, {date}:']"));
    ui.browser.text(&button)
}

fn click_cell(ui: &Ui, fio: &str, date: &str, times: usize) {
    let button = ui.find(&format!("button[aria-label^='{fio}, {date}:']"));
    for _ in 0..times {
        ui.browser.click(&button);
    }
}

#[test]
fn issue_5_attendance_and_a_confirmed_payment_reach_the_cabinet() {
    let db = TestDb::seeded();
    let robo = group_id(&db, "робо-71");
    let (te1, st1) = (teacher_id(&db, "te1"), student_id(&db, "st1"));
    let (alexey, vera) = ("Ученик Алексей Алексеевич", "Ученица Вера Олеговна");
    let st2 = add_student(&db, "st2", vera);
    add_member(&db, st2, robo, 0, 8, 16);
    // Two lessons in October 2017 (month 9), the seeded member's month with a 400 ₽ payment.
    let lesson = |date: &str| add_lesson(&db, robo, te1, date);
    let (first, second) = (lesson("2017-10-03"), lesson("2017-10-10"));
    let site = ApacheSite::start(&db);
    let ui = Ui::start(&site, 5);

    // The group's teacher marks the month: Алексей был, then болел; Вера был, and a cell clicked
    // round the whole cycle is «не был» again.
    ui.log_in("te1", "12");
    ui.open(&format!("/lessons/months/{robo}"));
    ui.click(&format!("a[href$='/lessons/{robo}/9']"));
    ui.expect_text("занятия в робо-71 за октябрь 2017");
    for (fio, date) in [(alexey, "2017-10-03"), (vera, "2017-10-10")] {
        assert_eq!(cell_state(&ui, fio, date), "не был");
    }
    click_cell(&ui, alexey, "2017-10-03", 1);
    click_cell(&ui, alexey, "2017-10-10", 2);
    click_cell(&ui, vera, "2017-10-03", 1);
    click_cell(&ui, vera, "2017-10-10", 3);
    let expected = [
        (alexey, "2017-10-03", "был"),
        (alexey, "2017-10-10", "болел"),
        (vera, "2017-10-03", "был"),
        (vera, "2017-10-10", "не был"),
    ];
    for (fio, date, state) in expected {
        assert_eq!(
            cell_state(&ui, fio, date),
            state,
            "{fio}, {date} before saving"
        );
    }
    ui.shot("teacher-grid-clicked");
    ui.click("#grid-form button[name='submit']");
    ui.expect_text("посещения и оплата в группе робо-71 за октябрь 2017 сохранены.");
    ui.expect_at(&format!("/lessons/{robo}/9"));

    // A fresh load of the page shows what was stored.
    ui.open(&format!("/lessons/{robo}/9"));
    for (fio, date, state) in expected {
        assert_eq!(
            cell_state(&ui, fio, date),
            state,
            "{fio}, {date} after reload"
        );
    }
    let present = &ui.table(".lessons-grid tfoot tr")[0];
    assert_eq!(
        present[..3],
        ["всего", "2", "0"],
        "the «был» count per lesson"
    );
    ui.shot("teacher-grid-reloaded");
    assert_eq!(attendance(&db, first, st1), Some(1));
    assert_eq!(attendance(&db, second, st1), Some(2));
    assert_eq!(attendance(&db, first, st2), Some(1));
    assert_eq!(attendance(&db, second, st2).unwrap_or(0), 0);
    let vera_payments: u32 = query_one(
        &db,
        "SELECT COUNT(*) FROM payments p JOIN student_in_groups sig ON sig.id = p.student_in_group_id WHERE sig.student_id = ?",
        (st2,),
    );
    assert_eq!(vera_payments, 0, "the untouched payment cell was written");
    ui.log_out();

    // The master takes the rest of October's money and confirms it.
    ui.log_in("ma1", "12");
    ui.open(&format!("/payments/group/{robo}"));
    ui.expect_text("робо-71. оплата");
    let sum = ui.find(&format!(
        "input[aria-label='{alexey}, октябрь 2017: сумма']"
    ));
    assert_eq!(ui.browser.attribute(&sum, "value").as_deref(), Some("400"));
    let key = ui
        .browser
        .attribute(&sum, "name")
        .unwrap()
        .trim_start_matches("p_")
        .to_string();
    ui.browser.clear(&sum);
    ui.browser.send_keys(&sum, "700");
    ui.click(&format!("input[name='conf_{key}']"));
    ui.shot("master-payment-confirming");
    ui.click("#save_form button[name='submit']");
    ui.expect_text("оплата в группе робо-71 сохранена.");
    assert!(
        ui.browser
            .try_find(&format!(
                "input[aria-label='{alexey}, октябрь 2017: сумма']"
            ))
            .is_none(),
        "a confirmed payment is still editable"
    );
    let grid = ui.table(".pay-grid tbody tr");
    let row = grid.iter().find(|r| r[0] == alexey).expect("his row");
    // Column 1 is September 2017 (the group's first month), column 2 October.
    assert!(row[2].starts_with("700 / 700 ₽"), "{row:?}");
    ui.shot("master-payment-confirmed");
    let (value, paid, comment): (i32, bool, String) = query_one(
        &db,
        "SELECT p.value, p.confirmed, p.comment FROM payments p JOIN student_in_groups sig ON sig.id = p.student_in_group_id
         WHERE sig.student_id = ? AND sig.group_id = ? AND p.month = 9",
        (st1, robo),
    );
    assert_eq!((value, paid, comment.as_str()), (700, true, "comment"));
    ui.log_out();

    // The student sees both in the cabinet, through the menu.
    ui.log_in("st1", "31082002");
    ui.click("nav a[href*='/student/lessons']");
    ui.expect_text("посещение");
    assert_eq!(
        ui.table("table tbody tr"),
        [
            ["10.10.2017", "робо-71", "болел"],
            ["03.10.2017", "робо-71", "был"]
        ],
        "the student's lessons"
    );
    ui.shot("student-cabinet-lessons");
    ui.click("nav a[href$='/student/payments']");
    ui.expect_at("/student/payments");
    ui.find("td.paid-ok-cell");
    let months = ui.table("table tbody tr");
    assert_eq!(months[0][2], "октябрь 2017");
    assert!(months[1][2].starts_with("700 / 700"), "{months:?}");
    assert!(months[1][1].starts_with("0 / 700"), "{months:?}");
    let checked = ui.browser.execute(
        "return Array.from(document.querySelectorAll('td.paid-ok-cell input[type=checkbox]')).map(c => c.checked)",
    );
    assert_eq!(
        checked,
        serde_json::json!([true, true]),
        "наличными and подтверждено of October"
    );
    assert_eq!(ui.browser.find_all("td.paid-ok-cell").len(), 1);
    ui.shot("student-cabinet-payments");
}
