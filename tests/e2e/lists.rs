//! The students and groups lists on a 390 × 844 phone through Apache: a card per row with the
//! name first and every figure under its label, action buttons that say what they do, the sort
//! headers as buttons above the cards, no sideways scroll and no tap target under 44 px.

use crate::common;
use crate::common::fixture::*;
use common::TestDb;
use common::apache::ApacheSite;
use common::browser::{Browser, screenshot_path};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

/// Everything a finger taps in a list's cards.
const TARGETS: &str = ".list-cards td a, .list-cards td .btn, .list-cards th.sortable a";

/// Opens `path`, screenshots it as `shot` and checks its cards; the first card's texts.
fn check_cards(
    browser: &Browser,
    site: &ApacheSite,
    path: &str,
    heading: &str,
    shot: &str,
) -> serde_json::Value {
    browser.goto(&site.url(path));
    assert!(browser.wait_until(WAIT, |b| b.page_text().contains(heading)));
    browser.screenshot(&screenshot_path(shot));
    assert_eq!(
        browser.phone_layout_problems(TARGETS),
        Vec::<String>::new(),
        "{path}"
    );
    let card = browser.execute(
        "const row = document.querySelector('.list-cards tbody tr');
         const cells = [...row.querySelectorAll('td')].filter(td => td.offsetHeight > 0);
         return {
           row: getComputedStyle(row).display,
           head: getComputedStyle(document.querySelector('.list-cards thead th:not(.sortable)')).display,
           first: cells[0].className,
           labels: cells.map(td => getComputedStyle(td, '::before').content),
           buttons: [...row.querySelectorAll('td.actions .btn')].map(b => b.textContent.trim()),
         };",
    );
    assert_eq!(card["row"], "block", "{path}: a row is a card");
    assert_eq!(card["head"], "none", "{path}: the header row is hidden");
    assert!(
        card["first"].as_str().unwrap().contains("card-title"),
        "{path}: the name first"
    );
    let buttons = card["buttons"].as_array().unwrap();
    assert!(!buttons.is_empty(), "{path}: {card}");
    for b in buttons {
        let text = b.as_str().unwrap();
        assert!(
            text.chars().filter(|c| c.is_alphabetic()).count() >= 4,
            "{path}: the button «{text}» says what it does"
        );
    }
    card
}

#[test]
fn the_students_and_groups_lists_are_cards_on_a_phone() {
    let db = TestDb::seeded();
    let st1 = student_id(&db, "st1");
    let mother = add_parent(&db, "Мама Ученика Длинной Фамилией", "89005556677");
    add_child(&db, st1, mother, true);
    let site = ApacheSite::start(&db);
    let browser = Browser::start();
    browser.emulate_phone(390, 844);
    browser.log_in(&site, "ma1", "12");

    let card = check_cards(
        &browser,
        &site,
        "/users/students",
        "ученики",
        "phone-students-list.png",
    );
    let labels = card["labels"].to_string();
    for label in [
        "логин: ",
        "дата рождения: ",
        "телефон для связи: ",
        "последний визит: ",
    ] {
        assert!(labels.contains(label), "{label} in {labels}");
    }
    assert!(browser.page_text().contains("31.08.2002"));
    // A tap on the sort button sorts by name, newest visits by the other.
    browser.click(&browser.find("th.sortable a[href*='sort=fio']"));
    assert!(browser.wait_until(WAIT, |b| b.current_url().contains("sort=fio&order=asc")));
    let sorted = browser.find("th[aria-sort='ascending']");
    assert!(browser.text(&sorted).contains("ФИО"));

    let card = check_cards(
        &browser,
        &site,
        "/structure/groups",
        "группы",
        "phone-groups-list.png",
    );
    let labels = card["labels"].to_string();
    for label in [
        "секция: ",
        "преподаватель: ",
        "учеников: ",
        "период: ",
        "не подтверждено: ",
    ] {
        assert!(labels.contains(label), "{label} in {labels}");
    }
}
