//! Group statistics (`/stat/group/<id>`) through the CGI binary: every figure per month checked
//! against numbers computed by hand on a small group, the chart, and who may see it.

use crate::common;

use crate::common::fixture::*;
use common::{TestDb, WebClient};

/// Months 30..32 (July–September 2019) of a group of te1 in робо:
///
/// | member | months |
/// |---|---|
/// | A | 30–32 |
/// | B | 30–31 |
/// | C | 31–32 |
///
/// July: 2 lessons — A был, B болел; A был, B был.
/// August: 3 lessons — A, B, C был; A не был, C был; nobody marked.
/// September: no lessons.
/// Payments: July A 500 confirmed, B 0 (a row the grid made); August A 700, B 0 confirmed,
/// C 300; September none.
fn fixture(db: &TestDb) -> u32 {
    let te1 = teacher_id(db, "te1");
    let g = add_group(db, "стат-1", "робо", te1, 30, 32);
    let mut members = Vec::new();
    for (login, fio, enter, exit) in [
        ("sa", "Аа", 30, 32),
        ("sb", "Бб", 30, 31),
        ("sc", "Вв", 31, 32),
    ] {
        let student = add_student(db, login, fio);
        members.push((student, add_member(db, student, g, 0, enter, exit)));
    }
    let [(a, sa), (b, sb), (c, sc)] = members[..] else {
        unreachable!()
    };
    let lesson = |date: &str| add_lesson(db, g, te1, date);
    let mark = |lesson: u32, student: u32, state: i32| add_attending(db, lesson, student, state);
    let (l1, l2) = (lesson("2019-07-05"), lesson("2019-07-12"));
    mark(l1, a, 1);
    mark(l1, b, 2);
    mark(l2, a, 1);
    mark(l2, b, 1);
    let (l3, l4, _l5) = (
        lesson("2019-08-02"),
        lesson("2019-08-09"),
        lesson("2019-08-16"),
    );
    mark(l3, a, 1);
    mark(l3, b, 1);
    mark(l3, c, 1);
    mark(l4, a, 0);
    mark(l4, c, 1);
    let pay = |sig: u32, month: i32, value: i32, confirmed: bool| {
        add_payment(db, sig, month, value, confirmed);
    };
    pay(sa, 30, 500, true);
    pay(sb, 30, 0, false);
    pay(sa, 31, 700, false);
    pay(sb, 31, 0, true);
    pay(sc, 31, 300, false);
    g
}

/// The text of the table row of `month`: its cells without tags, one string per cell.
fn row(html: &str, group: u32, month: i32) -> Vec<String> {
    let start = html
        .find(&format!("href=\"/lessons/{group}/{month}\""))
        .unwrap_or_else(|| panic!("no row for {month}"));
    let end = html[start..].find("</tr>").unwrap() + start;
    html[start..end]
        .split("<td")
        .map(|cell| {
            // Every piece starts inside a tag (`<td …>` or the link's `<a …>`).
            let mut text = String::new();
            let mut in_tag = true;
            for ch in cell.chars() {
                match ch {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text.replace("&#x2f;", "/").trim().to_string()
        })
        .collect()
}

#[test]
fn figures_per_month_match_hand_computed_numbers() {
    let db = TestDb::seeded();
    let g = fixture(&db);
    let mut web = WebClient::login(&db, "te1", "12");
    let page = web.get(&format!("/stat/group/{g}"));
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert!(html.contains("<title>стат-1. статистика</title>"));
    // month (the link's tail), students, lessons, % attendance, payments.
    // July: 3 «был» / (2 students × 2 lessons) = 75 %; 1 confirmed, 1 paid or confirmed, 2 students.
    assert_eq!(
        row(&html, g, 30)[1..],
        ["2", "2", "75", "1 / 1 / 2"].map(String::from)
    );
    // August: 4 / (3 × 3) = 44.4 → 44 %; B's confirmed 0 counts as paid.
    assert_eq!(
        row(&html, g, 31)[1..],
        ["3", "3", "44", "1 / 3 / 3"].map(String::from)
    );
    // September: no lessons → 0 %.
    assert_eq!(
        row(&html, g, 32)[1..],
        ["2", "0", "0", "0 / 0 / 2"].map(String::from)
    );
    assert!(row(&html, g, 30)[0].ends_with("июль 2019"));
    // The chart: one pair of bars per month, heights in percent (paid share: 50, 100, 0).
    assert!(html.contains("<svg viewBox="));
    assert!(html.contains("июль 2019: посещаемость 75%"));
    assert!(html.contains("август 2019: посещаемость 44%"));
    assert!(html.contains("июль 2019: оплатили 50%"));
    assert!(html.contains("август 2019: оплатили 100%"));
    assert!(html.contains("сентябрь 2019: оплатили 0%"));
    assert!(html.contains("height=\"75\""));
}

#[test]
fn only_group_writers_see_statistics() {
    let db = TestDb::seeded();
    let g = fixture(&db);
    add_teacher(&db, "te2", "Другой Преподаватель");
    let mut other = WebClient::login(&db, "te2", "12");
    assert_eq!(other.get(&format!("/stat/group/{g}")).status, 403);
    let mut master = WebClient::login(&db, "ma1", "12");
    assert_eq!(master.get(&format!("/stat/group/{g}")).status, 200);
    assert_eq!(master.get("/stat/group/99999").status, 404);
    let mut student = WebClient::login(&db, "st1", "31082002");
    assert_eq!(student.get(&format!("/stat/group/{g}")).status, 403);
    // A group without members or lessons: zeros, no division by zero.
    let empty = add_group(&db, "стат-пусто", "веб", teacher_id(&db, "te1"), 40, 41);
    let html = master.get(&format!("/stat/group/{empty}")).text();
    assert_eq!(
        row(&html, empty, 40)[1..],
        ["0", "0", "0", "0 / 0 / 0"].map(String::from)
    );
}
