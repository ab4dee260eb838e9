//! The debtors report and its Excel download on real MariaDB: the figures against a fixture
//! computed by hand (discounts, a 100% discount, an exit month, a group that ended, a future
//! group, missing payment rows, unconfirmed payments), the "up to month" filter, a teacher's view
//! (own groups only, another's group refused), and the downloaded file read back with calamine.

use crate::common;

use crate::common::{db::*, fixture::*};
use calamine::{Data, Reader, Xlsx};
use common::{TestDb, WebClient};
use mysql::prelude::Queryable;

/// 15 November 2019 in Barnaul: «this month» is November 2019 (month 34).
const NOW: &str = "2019-11-15 05:00:00";

struct Fixture {
    db: TestDb,
    te2: u32,
}

/// Sections «Робо» (1000 ₽) and «Веб» (500 ₽); te1 teaches «Д-робо» (Sep 2019 – May 2020) and
/// the future «Д-будущая» (from Jan 2020), te2 taught «Д-веб» (Sep 2018 – Feb 2019, ended).
/// Debts by November 2019, by hand:
/// - Алексеев in Д-робо: Sep paid 1000 (confirmed), Oct paid 400 unconfirmed → 600, Nov no row
///   → 1000: 1600.
/// - Борисов in Д-робо, discount 200, left after September: a row of 0 for Sep → 800.
/// - Васильев in Д-робо, discount 1000 (100%): owes nothing.
/// - Алексеев in Д-веб: Sep 2018 – Jan 2019 paid 500 each, Feb 2019 missing → 500.
/// - Алексеев in Д-будущая: nothing is due yet.
fn fixture() -> Fixture {
    let db = TestDb::seeded();
    exec(&db, "DELETE FROM payments", ());
    exec(&db, "DELETE FROM student_in_groups", ());
    exec(
        &db,
        "INSERT INTO sections (name, price) VALUES ('Д-Робо', 1000)",
        (),
    );
    exec(
        &db,
        "INSERT INTO sections (name, price) VALUES ('Д-Веб', 500)",
        (),
    );
    let te1 = teacher_id(&db, "te1");
    let te2 = add_person(
        &db,
        "te2",
        "преподаватель",
        "INSERT INTO teachers (fio, system_user_id, phone) VALUES (?, ?, '8900')",
        "Учитель Второй",
    );
    let g_robo = add_group(&db, "Д-робо", "Д-Робо", te1, 32, 40);
    let g_web = add_group(&db, "Д-веб", "Д-Веб", te2, 20, 25);
    let g_future = add_group(&db, "Д-будущая", "Д-Робо", te1, 36, 40);
    // Students with a system user; each his own phone, no parents unless added.
    let student = |login: &str, fio: &str| {
        let phone = format!("8900{login}");
        let row = StudentRow {
            birth_date: "2010-01-01",
            phone: Some(&phone),
            grade: "n/a",
            shift: "n/a",
            ..StudentRow::default()
        };
        add_student_row(&db, login, fio, None, row)
    };
    let a = student("da", "Алексеев Антон");
    let b = student("db", "Борисов Борис");
    let v = student("dv", "Васильев Василий");
    let a_robo = add_member(&db, a, g_robo, 0, 32, 40);
    add_payment(&db, a_robo, 32, 1000, true);
    add_payment(&db, a_robo, 33, 400, false);
    let b_robo = add_member(&db, b, g_robo, 200, 32, 32);
    add_payment(&db, b_robo, 32, 0, false);
    add_member(&db, v, g_robo, 1000, 32, 40);
    let a_web = add_member(&db, a, g_web, 0, 20, 25);
    for month in 20..25 {
        add_payment(&db, a_web, month, 500, true);
    }
    add_member(&db, a, g_future, 0, 36, 40);
    // A mother to call for Борисов.
    let mother = add_parent(&db, "Борисова Мария", "89005550000");
    add_child(&db, b, mother, true);
    exec(
        &db,
        "UPDATE students SET contact_phone = 2 WHERE id = ?",
        (b,),
    );
    // Two lessons of Д-робо: 10 November (Алексеев «был», Васильев «не был») and 1 October
    // (Алексеев «был»), outside the last four weeks.
    for (date, marks) in [
        ("2019-11-10", vec![(a, 1), (v, 0)]),
        ("2019-10-01", vec![(a, 1)]),
    ] {
        let lesson = add_lesson(&db, g_robo, te1, date);
        for (student, state) in marks {
            add_attending(&db, lesson, student, state);
        }
    }
    Fixture { db, te2 }
}

/// The rows of the report's table: (FIO, group, months, debt) in page order.
fn table_rows(page: &str) -> Vec<(String, String, String, String)> {
    let body = page.split("<tbody>").nth(1).unwrap_or("");
    let body = body.split("</tbody>").next().unwrap_or("");
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            let cells: Vec<String> = row
                .split("<td")
                .skip(1)
                .map(|c| strip_tags(c.split_once('>').map_or("", |(_, v)| v)))
                .collect();
            (
                cells[0].clone(),
                cells[1].clone(),
                cells[2].clone(),
                cells[3].clone(),
            )
        })
        .collect()
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in html.split("</td>").next().unwrap_or("").chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(ch),
            _ => {}
        }
    }
    out.trim().to_string()
}

fn row(fio: &str, group: &str, months: &str, debt: i64) -> (String, String, String, String) {
    (fio.into(), group.into(), months.into(), debt.to_string())
}

/// Payments that must not count in full: one above the month's due (capped at the due), and
/// two for months outside the membership (before the group began, after it ended). Алексеев
/// still owes February 2019 in Д-веб, and nothing more.
#[test]
fn payments_above_the_due_or_outside_the_months_count_only_as_far_as_they_go() {
    let f = fixture();
    let mut c = f.db.conn();
    let a_web: u32 = c
        .query_first(
            "SELECT sig.id FROM student_in_groups sig JOIN `groups` g ON g.id = sig.group_id
             JOIN students s ON s.id = sig.student_id
             WHERE g.name = 'Д-веб' AND s.fio = 'Алексеев Антон'",
        )
        .unwrap()
        .unwrap();
    c.exec_drop(
        "UPDATE payments SET value = 900 WHERE student_in_group_id = ? AND month = 20",
        (a_web,),
    )
    .unwrap();
    add_payment(&f.db, a_web, 19, 500, true);
    add_payment(&f.db, a_web, 26, 500, true);
    let mut ma = WebClient::login_at(&f.db, NOW, "ma1", "12");
    let html = ma.get("/payments/debtors").text();
    assert_eq!(
        table_rows(&html)[2],
        row("Алексеев Антон", "Д-веб", "февраль 2019", 500),
        "{html}"
    );
    assert!(
        html.contains("долг по ноябрь 2019 включительно: <b>2900 ₽</b>, должников: <b>3</b>"),
        "{html}"
    );
}

#[test]
fn debts_match_the_figures_computed_by_hand() {
    let f = fixture();
    let mut ma = WebClient::login_at(&f.db, NOW, "ma1", "12");
    let page = ma.get("/payments/debtors");
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert_eq!(
        table_rows(&html),
        [
            row(
                "Алексеев Антон",
                "Д-робо",
                "октябрь 2019 (оплачено 400 ₽, не подтверждено), ноябрь 2019",
                1600
            ),
            row("Борисов Борис", "Д-робо", "сентябрь 2019", 800),
            row("Алексеев Антон", "Д-веб", "февраль 2019", 500),
        ]
    );
    assert!(
        html.contains("долг по ноябрь 2019 включительно: <b>2900 ₽</b>, должников: <b>3</b>"),
        "{html}"
    );
    assert!(html.contains("89005550000 (мать)"), "the number to call");
    assert!(html.contains("мать: Борисова Мария, 89005550000"));
    assert!(
        html.contains("<td class=\"num\">2</td><td class=\"num\">2400</td>"),
        "Д-робо's total"
    );

    // Up to October: November is not counted yet.
    let html = ma.get("/payments/debtors?up_to=33").text();
    assert_eq!(
        table_rows(&html),
        [
            row("Борисов Борис", "Д-робо", "сентябрь 2019", 800),
            row(
                "Алексеев Антон",
                "Д-робо",
                "октябрь 2019 (оплачено 400 ₽, не подтверждено)",
                600
            ),
            row("Алексеев Антон", "Д-веб", "февраль 2019", 500),
        ]
    );
    // A month after this one counts as this one.
    let later = ma.get("/payments/debtors?up_to=50").text();
    assert!(later.contains("<b>2900 ₽</b>"));
}

#[test]
fn a_teacher_sees_only_his_own_groups() {
    let f = fixture();
    let mut te1 = WebClient::login_at(&f.db, NOW, "te1", "12");
    let html = te1.get("/payments/debtors").text();
    let fios: Vec<String> = table_rows(&html).into_iter().map(|r| r.1).collect();
    assert_eq!(fios, ["Д-робо", "Д-робо"]);
    assert!(html.contains("<b>2400 ₽</b>"));
    assert!(!html.contains("Д-веб"), "not even in the group choice");
    // Asking for another teacher's group or teacher changes nothing of that.
    let web: u32 =
        f.db.conn()
            .query_first("SELECT id FROM `groups` WHERE name = 'Д-веб'")
            .unwrap()
            .unwrap();
    assert_eq!(
        te1.get(&format!("/payments/debtors?group_id={web}")).status,
        403
    );
    assert_eq!(
        te1.get(&format!("/payments/debtors/xlsx?group_id={web}"))
            .status,
        403
    );
    let html = te1
        .get(&format!("/payments/debtors?teacher_id={}", f.te2))
        .text();
    assert!(html.contains("<b>2400 ₽</b>"), "{html}");
    assert!(table_rows(&html).iter().all(|r| r.1 == "Д-робо"));
}

#[test]
fn the_excel_download_holds_the_same_rows() {
    let f = fixture();
    let mut ma = WebClient::login_at(&f.db, NOW, "ma1", "12");
    let resp = ma.get("/payments/debtors/xlsx?up_to=34");
    assert_eq!(resp.status, 200);
    assert_eq!(
        resp.header("content-type"),
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    );
    let disposition = resp.header("content-disposition").unwrap();
    assert!(
        disposition.contains("filename*=UTF-8''%D0%B4%D0%BE%D0%BB%D0%B6%D0%BD%D0%B8%D0%BA%D0%B8"),
        "{disposition}"
    );
    let mut book: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(resp.body.clone())).expect("an xlsx file");
    let names = book.sheet_names();
    assert_eq!(names, ["должники по ноябрь 2019"]);
    let range = book.worksheet_range(&names[0]).unwrap();
    let cells: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    let text = |s: &str| Data::String(s.into());
    assert_eq!(cells[0][0], text("ФИО"));
    assert_eq!(cells[0][4], text("долг"));
    assert_eq!(
        cells[1][..5],
        [
            text("Алексеев Антон"),
            text("Д-робо"),
            text("октябрь 2019 (оплачено 400 ₽, не подтверждено), ноябрь 2019"),
            Data::Float(2.0),
            Data::Float(1600.0),
        ]
    );
    assert_eq!(cells[2][4], Data::Float(800.0));
    assert_eq!(cells[2][5], text("89005550000 (мать)"));
    assert_eq!(cells[3][..2], [text("Алексеев Антон"), text("Д-веб")]);
    assert_eq!(cells[4][0], text("всего"));
    assert_eq!(cells[4][4], Data::Float(2900.0));
    assert_eq!(cells.len(), 5);
}

/// The figure cards of the overview page, tags stripped.
fn figures(page: &str) -> Vec<String> {
    page.split("<div class=\"figure\">")
        .skip(1)
        .map(|f| {
            strip_tags(&f.replace("</div>", "</td>"))
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn the_overview_matches_the_figures_computed_by_hand() {
    let f = fixture();
    // A lesson of te2's Д-веб in January 2019, Алексеев «не был»: in the master's months, not
    // in te1's.
    let g_web: u32 = query_one(&f.db, "SELECT id FROM `groups` WHERE name = 'Д-веб'", ());
    let student: u32 = query_one(
        &f.db,
        "SELECT id FROM students WHERE fio = 'Алексеев Антон'",
        (),
    );
    let lesson = add_lesson(&f.db, g_web, f.te2, "2019-01-15");
    add_attending(&f.db, lesson, student, 0);
    let mut ma = WebClient::login_at(&f.db, NOW, "ma1", "12");
    let page = ma.get("/stat/dashboard").text();
    // November 2019: Алексеев (1000 ₽ due, nothing paid) and Васильев (100 % discount) in
    // Д-робо; Борисов left, Д-веб ended, Д-будущая has not begun.
    assert_eq!(
        figures(&page),
        [
            "оплата за ноябрь 2019 0 ₽ из 1000 ₽ (подтверждено 0 ₽)",
            "долг по ноябрь 2019 2900 ₽ должники: 3",
            "в этом месяце 2 учеников в 1 группах",
            "посещаемость за 4 недели 50% отметок «был»",
        ]
    );
    for month in [
        "<tr><td>октябрь 2019</td><td class=\"num\">400</td><td class=\"num\">100%</td></tr>",
        "<tr><td>ноябрь 2019</td><td class=\"num\">0</td><td class=\"num\">50%</td></tr>",
        "<tr><td>сентябрь 2019</td><td class=\"num\">1000</td><td class=\"num\">нет занятий</td></tr>",
        "<tr><td>декабрь 2018</td><td class=\"num\">500</td><td class=\"num\">нет занятий</td></tr>",
        "<tr><td>январь 2019</td><td class=\"num\">500</td><td class=\"num\">0%</td></tr>",
    ] {
        assert!(page.contains(month), "{month}\n{page}");
    }
    assert_eq!(page.matches("<tr><td>").count(), 12, "twelve months");

    let svg = ma.get("/stat/dashboard.svg");
    assert_eq!(
        svg.header("content-type"),
        Some("image/svg+xml; charset=utf-8")
    );
    assert!(svg.text().contains(
        "сводка за ноябрь 2019: получено 0 ₽ из 1000 ₽, подтверждено 0 ₽; долг 2900 ₽ у 3; учеников 2, групп 1; посещаемость за 4 недели 50%"
    ));
    assert!(
        ma.get("/").text().contains("/stat/dashboard.svg"),
        "the index shows it"
    );

    // A teacher's overview covers his own groups: Д-веб's debt is not his.
    let mut te1 = WebClient::login_at(&f.db, NOW, "te1", "12");
    let page = te1.get("/stat/dashboard").text();
    assert_eq!(figures(&page)[1], "долг по ноябрь 2019 2400 ₽ должники: 2");
    // Nor are its payments and its lesson.
    for month in [
        "<tr><td>октябрь 2019</td><td class=\"num\">400</td><td class=\"num\">100%</td></tr>",
        "<tr><td>январь 2019</td><td class=\"num\">0</td><td class=\"num\">нет занятий</td></tr>",
        "<tr><td>декабрь 2018</td><td class=\"num\">0</td><td class=\"num\">нет занятий</td></tr>",
    ] {
        assert!(page.contains(month), "{month}\n{page}");
    }
}

/// A master in a real Chromium through Apache: the menu's «должники», a group picked in the
/// filter, the page showing that group's debtors only, and the Excel link of the same filter.
#[test]
fn a_master_filters_the_debtors_by_group_and_downloads_them_in_a_browser() {
    use common::apache::ApacheSite;
    use common::browser::{Browser, screenshot_path};
    let wait = std::time::Duration::from_secs(20);
    let f = fixture();
    let site = ApacheSite::start(&f.db);
    let b = Browser::start();
    b.goto(&site.url("/users/login"));
    b.send_keys(&b.find("input[name='login']"), "ma1");
    b.send_keys(&b.find("input[name='password']"), "12");
    b.click(&b.find("form[action$='/users/login'] button[type='submit']"));
    assert!(b.wait_until(wait, |b| b.page_text().contains("добро пожаловать, ma1")));
    b.click(&b.find("nav a[href$='/payments/debtors']"));
    assert!(b.wait_until(wait, |b| b.title() == "должники"));
    let option = b
        .find_all("#group_id option")
        .into_iter()
        .find(|o| b.text(o).trim() == "Д-робо")
        .expect("Д-робо among the groups");
    b.click(&option);
    b.click(&b.find("form.filters button[type='submit']"));
    assert!(b.wait_until(wait, |b| b.current_url().contains("group_id=")));
    let groups = b.execute(
        "return Array.from(document.querySelectorAll('table tbody tr')).slice(0, 2).map(r => r.cells[1].innerText.trim())",
    );
    assert_eq!(
        groups,
        serde_json::json!(["Д-робо", "Д-робо"]),
        "{}",
        b.page_text()
    );
    b.screenshot(&screenshot_path("debtors-by-group.png"));
    let excel = b
        .attribute(&b.find("a[href*='/payments/debtors/xlsx']"), "href")
        .unwrap();
    assert!(excel.contains("group_id="), "{excel}");
    // The browser fetches the file with its session, as a click would.
    let fetched = b.execute(&format!(
        "var x = new XMLHttpRequest(); x.open('GET', {excel:?}, false);
         x.overrideMimeType('text/plain; charset=x-user-defined'); x.send();
         return [x.status, x.getResponseHeader('content-type'), x.responseText.substring(0, 2)];"
    ));
    assert_eq!(
        fetched,
        serde_json::json!([
            200,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "PK"
        ])
    );
}

/// The only sheet of a downloaded `.xlsx`: its name and its cells.
fn sheet(resp: &common::CgiResponse) -> (String, Vec<Vec<Data>>) {
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(
        resp.header("content-type"),
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    );
    let mut book: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(resp.body.clone())).expect("an xlsx file");
    let names = book.sheet_names();
    assert_eq!(names.len(), 1);
    let range = book.worksheet_range(&names[0]).unwrap();
    (names[0].clone(), range.rows().map(|r| r.to_vec()).collect())
}

/// A page's links as the browser reads them (the templates escape `/` and `&`).
fn unescape(html: &str) -> String {
    html.replace("&#x2f;", "/").replace("&amp;", "&")
}

fn text(s: &str) -> Data {
    Data::String(s.into())
}

fn money(n: i64) -> Data {
    Data::Float(n as f64)
}

/// The file name of a download (`filename*`), decoded.
fn file_name(resp: &common::CgiResponse) -> String {
    let disposition = resp.header("content-disposition").unwrap();
    let encoded = disposition.split("filename*=UTF-8''").nth(1).unwrap();
    let bytes: Vec<u8> = {
        let raw = encoded.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < raw.len() {
            if raw[i] == b'%' {
                out.push(u8::from_str_radix(&encoded[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(raw[i]);
                i += 1;
            }
        }
        out
    };
    String::from_utf8(bytes).unwrap()
}

/// Д-робo's payments grid (September 2019 – May 2020) as a file: a column per month, empty outside
/// a member's period, the member's paid / confirmed / due, and the column sums; the page shows
/// the same amounts. A teacher of another group gets the page's 403.
#[test]
fn the_payments_grid_downloads_with_the_amounts_of_the_page() {
    let f = fixture();
    let robo = group_id(&f.db, "Д-робо");
    let mut ma = WebClient::login_at(&f.db, NOW, "ma1", "12");
    let page = unescape(&ma.get(&format!("/payments/group/{robo}")).text());
    assert!(
        page.contains(&format!("/payments/group/{robo}/xlsx\">Excel")),
        "{page}"
    );
    assert!(
        page.contains("value=\"400\""),
        "Алексеев's October on the page"
    );
    let resp = ma.get(&format!("/payments/group/{robo}/xlsx"));
    assert_eq!(file_name(&resp), "оплата Д-робо 2019-2020.xlsx");
    let (name, cells) = sheet(&resp);
    assert_eq!(name, "оплата Д-робо 2019-2020");
    let months = [
        "сентябрь 2019",
        "октябрь 2019",
        "ноябрь 2019",
        "декабрь 2019",
        "январь 2020",
        "февраль 2020",
        "март 2020",
        "апрель 2020",
        "май 2020",
    ];
    let mut header = vec![text("ученик")];
    header.extend(months.iter().map(|m| text(m)));
    header.extend(["оплачено", "подтверждено", "к оплате"].map(text));
    assert_eq!(cells[0], header);
    let mut alekseev = vec![text("Алексеев Антон"), money(1000), money(400)];
    alekseev.extend(std::iter::repeat_n(money(0), 7));
    alekseev.extend([money(1400), money(1000), money(9000)]);
    assert_eq!(cells[1], alekseev);
    let mut borisov = vec![text("Борисов Борис"), money(0)];
    borisov.extend(std::iter::repeat_n(Data::Empty, 8));
    borisov.extend([money(0), money(0), money(800)]);
    assert_eq!(cells[2], borisov);
    let mut vasiliev = vec![text("Васильев Василий")];
    vasiliev.extend(std::iter::repeat_n(money(0), 12));
    assert_eq!(cells[3], vasiliev);
    let mut total = vec![text("всего"), money(1000), money(400)];
    total.extend(std::iter::repeat_n(money(0), 7));
    total.extend([money(1400), money(1000), money(9800)]);
    assert_eq!(cells[4], total);
    assert_eq!(cells.len(), 5);

    let web = group_id(&f.db, "Д-веб");
    let mut te1 = WebClient::login_at(&f.db, NOW, "te1", "12");
    assert_eq!(te1.get(&format!("/payments/group/{web}")).status, 403);
    assert_eq!(te1.get(&format!("/payments/group/{web}/xlsx")).status, 403);
    assert_eq!(te1.get(&format!("/payments/group/{robo}/xlsx")).status, 200);
}

/// November 2019 of Д-робо as a file: the members of the month (Борисов left in September), a
/// mark per lesson, the «был» count per row and per lesson, and — for the group's writers only,
/// as on the page — the month's payment and comment.
#[test]
fn the_month_grid_downloads_with_the_marks_of_the_page() {
    let f = fixture();
    let robo = group_id(&f.db, "Д-робо");
    let mut ma = WebClient::login_at(&f.db, NOW, "ma1", "12");
    let page = unescape(&ma.get(&format!("/lessons/{robo}/34")).text());
    assert!(
        page.contains(&format!("/lessons/{robo}/34/xlsx\">Excel")),
        "{page}"
    );
    let resp = ma.get(&format!("/lessons/{robo}/34/xlsx"));
    assert_eq!(file_name(&resp), "посещения Д-робо ноябрь 2019.xlsx");
    let (name, cells) = sheet(&resp);
    assert_eq!(name, "посещения Д-робо ноябрь 2019");
    assert_eq!(
        cells,
        [
            vec![
                text("ученик"),
                text("10.11.2019"),
                text("был"),
                text("оплата"),
                text("комментарий")
            ],
            vec![
                text("Алексеев Антон"),
                text("был"),
                Data::Float(1.0),
                money(0),
                Data::Empty
            ],
            vec![
                text("Васильев Василий"),
                text("не был"),
                Data::Float(0.0),
                money(0),
                Data::Empty
            ],
            vec![
                text("всего"),
                Data::Float(1.0),
                Data::Float(1.0),
                Data::Empty,
                Data::Empty
            ],
        ]
    );
    // October: Алексеев's unconfirmed 400 ₽ and Борисов, who was still a member.
    let (_, october) = sheet(&ma.get(&format!("/lessons/{robo}/33/xlsx")));
    assert_eq!(october[1][0], text("Алексеев Антон"));
    assert_eq!(october[1][3], money(400));

    // A teacher who does not teach Д-веб sees its marks but not its money, on the page and in the file.
    let web = group_id(&f.db, "Д-веб");
    let mut te1 = WebClient::login_at(&f.db, NOW, "te1", "12");
    assert!(
        !te1.get(&format!("/lessons/{web}/20"))
            .text()
            .contains("<th>оплата</th>")
    );
    let (_, theirs) = sheet(&te1.get(&format!("/lessons/{web}/20/xlsx")));
    assert_eq!(theirs[0], [text("ученик"), text("был")]);
    assert_eq!(theirs[1], [text("Алексеев Антон"), Data::Float(0.0)]);
    assert_eq!(ma.get(&format!("/lessons/{robo}/99/xlsx")).status, 404);
}

/// The students list as a file keeps the page's filters and order, with the birth date as a date.
#[test]
fn the_students_list_downloads_with_its_filters() {
    let f = fixture();
    let robo = group_id(&f.db, "Д-робо");
    let mut ma = WebClient::login_at(&f.db, NOW, "ma1", "12");
    let page = unescape(&ma.get(&format!("/users/students?group_id={robo}")).text());
    let link = format!("/users/students/xlsx?search=&group_id={robo}\">Excel");
    assert!(page.contains(&link), "{page}");
    let on_page: Vec<String> = page
        .split("/users/student_details/")
        .skip(1)
        .map(|a| strip_tags(&format!("<{a}")))
        .collect();
    let resp = ma.get(&format!("/users/students/xlsx?search=&group_id={robo}"));
    assert_eq!(file_name(&resp), "ученики Д-робо.xlsx");
    let (_, cells) = sheet(&resp);
    assert_eq!(
        cells[0][..4],
        [
            text("ФИО"),
            text("заполнен"),
            text("логин"),
            text("дата рождения")
        ]
    );
    let in_file: Vec<String> = cells[1..].iter().map(|r| r[0].to_string()).collect();
    assert_eq!(
        in_file,
        ["Алексеев Антон", "Борисов Борис", "Васильев Василий"]
    );
    assert_eq!(on_page, in_file, "the same rows in the same order");
    // 1 January 2010 is day 40179 of Excel's calendar.
    match &cells[1][3] {
        Data::DateTime(d) => assert_eq!(d.as_f64(), 40179.0),
        other => panic!("not a date: {other:?}"),
    }
    assert_eq!(cells[2][7], text("89005550000 (мать)"));
    assert_eq!(cells[2][5], text("Борисова Мария"));
    assert_eq!(cells[1][6], text("Д-будущая\nД-робо\nД-веб"));

    let searched = ma.get("/users/students/xlsx?search=%D0%91%D0%BE%D1%80");
    assert_eq!(file_name(&searched), "ученики «Бор».xlsx");
    let (_, cells) = sheet(&searched);
    assert_eq!(cells.len(), 2);
    assert_eq!(cells[1][0], text("Борисов Борис"));
}

/// The text and the size in points of every page of a PDF, read back with a PDF reader.
fn pdf_pages(pdf: &[u8]) -> Vec<(String, (f32, f32))> {
    let doc = lopdf::Document::load_mem(pdf).expect("a PDF");
    doc.get_pages()
        .iter()
        .map(|(&number, &id)| {
            let page = doc.get_dictionary(id).unwrap();
            let media = page.get(b"MediaBox").unwrap().as_array().unwrap();
            let size: Vec<f32> = media.iter().map(|v| v.as_float().unwrap()).collect();
            let text = doc.extract_text(&[number]).unwrap();
            (text, (size[2] - size[0], size[3] - size[1]))
        })
        .collect()
}

/// The month grid and the payments grid print from Chromium as journals: A4 landscape, a
/// header naming the group, its teacher, the period and when it was printed, and no menu or
/// buttons. The PDFs are kept beside the screenshots for a look.
#[test]
fn the_grids_print_as_journals_on_a4_landscape() {
    use common::apache::ApacheSite;
    use common::browser::{Browser, screenshot_path};
    let wait = std::time::Duration::from_secs(20);
    let f = fixture();
    let robo = group_id(&f.db, "Д-робо");
    let teacher: String = f
        .db
        .conn()
        .query_first(
            "SELECT t.fio FROM teachers t JOIN system_users su ON su.id = t.system_user_id WHERE su.login = 'te1'",
        )
        .unwrap()
        .unwrap();
    let site = ApacheSite::start(&f.db);
    let b = Browser::start();
    b.goto(&site.url("/users/login"));
    b.send_keys(&b.find("input[name='login']"), "ma1");
    b.send_keys(&b.find("input[name='password']"), "12");
    b.click(&b.find("form[action$='/users/login'] button[type='submit']"));
    assert!(b.wait_until(wait, |b| b.page_text().contains("добро пожаловать")));
    for (path, title, period, file) in [
        (
            format!("/lessons/{robo}/34"),
            "журнал посещений",
            "ноябрь 2019".to_string(),
            "journal-attendance.pdf",
        ),
        (
            format!("/payments/group/{robo}"),
            "ведомость оплаты",
            "сентябрь 2019 — май 2020".to_string(),
            "journal-payments.pdf",
        ),
    ] {
        b.goto(&site.url(&path));
        assert!(b.wait_until(wait, |b| b.page_text().contains("Алексеев")));
        let pdf = b.print_pdf();
        std::fs::write(screenshot_path(file), &pdf).unwrap();
        // The printable width of A4 landscape (297 mm less two 10 mm margins) at 96 px per inch:
        // nothing may stick out of it, since the printout would cut it off.
        b.command(
            "POST",
            &b.session_path("/window/rect"),
            Some(serde_json::json!({"width": 1047, "height": 794})),
        );
        b.emulate_print_media(true);
        let overflow = b.execute(
            "const e = document.documentElement; return [e.scrollWidth, e.clientWidth, \
             document.querySelector('.table-grid').getBoundingClientRect().right];",
        );
        let [scroll, client, right] = [0, 1, 2].map(|i| overflow[i].as_f64().unwrap());
        assert!(
            scroll <= client && right <= client,
            "{path}: {scroll} / {right} px in {client}"
        );
        b.screenshot(&screenshot_path(&file.replace(".pdf", ".png")));
        b.emulate_print_media(false);
        let pages = pdf_pages(&pdf);
        assert_eq!(pages.len(), 1, "{path}: one sheet");
        let (text, (width, height)) = &pages[0];
        // A4 is 841.9 × 595.3 points.
        assert!(
            (width - 841.9).abs() < 2.0 && (height - 595.3).abs() < 2.0,
            "{path}: {width} × {height}"
        );
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for wanted in [
            title,
            "Д-робо",
            teacher.as_str(),
            period.as_str(),
            "напечатано ",
            "Алексеев Антон",
        ] {
            assert!(flat.contains(wanted), "{path}: no «{wanted}» in {flat}");
        }
        if title == "журнал посещений" {
            assert!(flat.contains("Алексеев Антон был 0 / 1000 ₽"), "{flat}");
            assert!(flat.contains("Васильев Василий не был"), "{flat}");
        } else {
            assert!(
                flat.contains(
                    "Алексеев Антон 1000 / 1000 ₽ наличными подтверждено 400 / 1000 ₽ наличными 0 / 1000 ₽"
                ),
                "{flat}"
            );
        }
        for unwanted in ["сохранить", "выход", "Excel", "должники", "действуете"]
        {
            assert!(
                !flat.contains(unwanted),
                "{path}: «{unwanted}» printed: {flat}"
            );
        }
    }
}
