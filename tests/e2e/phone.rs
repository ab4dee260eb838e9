//! The teacher's phone screens in headless Chromium at 390 × 844 through Apache: the roll call
//! reached from the index page and the payments of a month, driven by taps and checked in the
//! database, with no sideways scroll and no tap target under 44 px on their main path, and the
//! timetable as a list of days; then each screen of the day (the grids, the groups list too) fits
//! the screen with no text under 12 px.

use crate::common::browser::{Browser, screenshot_path};
use crate::common::db::*;
use crate::screens::{Scene, layout_problems};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

#[test]
fn a_teacher_takes_the_roll_and_enters_payments_on_a_phone() {
    let scene = Scene::new();
    let (db, site, lesson, month) = (&scene.db, &scene.site, scene.lesson, scene.month);
    let (st1, sig) = (scene.st1, scene.st1_member);
    let browser = Browser::start();
    browser.emulate_phone(390, 844);
    browser.log_in(site, "te1", "12");

    // The index offers today's lesson; a tap opens its roll call.
    let link = browser.find(&format!("a[href$='/lessons/roll_call/{lesson}']"));
    browser.screenshot(&screenshot_path("phone-index-te1.png"));
    assert_eq!(
        browser.phone_layout_problems(".roll-call-list .btn"),
        Vec::<String>::new()
    );
    browser.click(&link);
    assert!(browser.wait_until(WAIT, |b| b.page_text().contains("отметки")));
    let problems =
        browser.phone_layout_problems(".roll-call-choices label, .roll-call-save button");
    browser.screenshot(&screenshot_path("phone-roll-call.png"));
    assert_eq!(problems, Vec::<String>::new(), "the roll call on a phone");
    browser.click(&browser.find(&format!("label[for='m{st1}_2']")));
    browser.click(&browser.find(".roll-call-save button"));
    assert!(browser.wait_until(WAIT, |b| b.page_text().contains("болел 1")));
    let state: i32 = query_one(
        db,
        "SELECT state FROM attendings WHERE lesson_id = ? AND student_id = ?",
        (lesson, st1),
    );
    assert_eq!(state, 2, "the tap is saved");

    // The payments of this month, a card a student.
    browser.goto(&site.url(&scene.month_payments()));
    let calm = browser.execute(
        "const e = new Event('beforeunload', { cancelable: true }); window.dispatchEvent(e); return e.defaultPrevented",
    );
    assert_eq!(
        calm,
        serde_json::json!(false),
        "nothing typed yet: no warning"
    );
    let amount = browser.find(&format!("input[name='p_{month}_{sig}']"));
    assert_eq!(
        browser.attribute(&amount, "inputmode").as_deref(),
        Some("numeric")
    );
    let problems = browser.phone_layout_problems(
        ".payment-card input[type='number'], .payment-card input[type='text'], .payment-check, .roll-call-save button",
    );
    browser.screenshot(&screenshot_path("phone-month-payments.png"));
    assert_eq!(
        problems,
        Vec::<String>::new(),
        "the month's payments on a phone"
    );
    browser.clear(&amount);
    browser.send_keys(&amount, "350");
    // Typed but not saved: leaving the page asks first.
    let asks = browser.execute(
        "const e = new Event('beforeunload', { cancelable: true }); window.dispatchEvent(e); return e.defaultPrevented",
    );
    assert_eq!(
        asks,
        serde_json::json!(true),
        "a warning before leaving unsaved input"
    );
    browser.click(&browser.find(".roll-call-save button"));
    assert!(browser.wait_until(WAIT, |b| b.page_text().contains("сохранена")));
    let value: i32 = query_one(
        db,
        "SELECT value FROM payments WHERE student_in_group_id = ? AND month = ?",
        (sig, month),
    );
    assert_eq!(value, 350);

    // The timetable is a list of days on a phone: no seven columns to scroll.
    browser.goto(&site.url("/schedule/"));
    assert!(browser.wait_until(WAIT, |b| b.page_text().contains("расписание")));
    assert_eq!(
        browser.phone_layout_problems(".timetable-day"),
        Vec::<String>::new()
    );
    let shown = browser.execute(
        "return [getComputedStyle(document.querySelector('.timetable-days')).display,
                 getComputedStyle(document.querySelector('.timetable-grid')).display]",
    );
    assert_eq!(shown, serde_json::json!(["block", "none"]));
    browser.screenshot(&screenshot_path("phone-timetable.png"));

    // Every screen of the phone's day, the grids included, fits the screen's width.
    assert_eq!(
        layout_problems(&browser, &scene, "phone", 44),
        Vec::<String>::new()
    );
}

/// The month grid on a phone: a mark changed with the grid's frame scrolled sideways asks before
/// the page is left, and after the save the page and the frame are scrolled where they were.
#[test]
fn the_month_grid_keeps_its_place_after_a_save_on_a_phone() {
    let scene = Scene::new();
    let browser = Browser::start();
    browser.emulate_phone(390, 844);
    browser.log_in(&scene.site, "te1", "12");
    browser.goto(&scene.site.url(&scene.month_grid()));
    let mark = format!("select[name='a_{}_{}']", scene.lesson, scene.st1);
    let place = "const f = document.querySelector('.grid-wrap');
                 return [Math.round(window.scrollY), Math.round(f.scrollLeft), f.scrollWidth > f.clientWidth]";
    let before = browser.execute(
        "const f = document.querySelector('.grid-wrap'); f.scrollLeft = 150; window.scrollTo(0, 120);
         return [Math.round(window.scrollY), Math.round(f.scrollLeft), f.scrollWidth > f.clientWidth]",
    );
    assert_eq!(
        before,
        serde_json::json!([120, 150, true]),
        "the frame scrolls sideways"
    );
    // A phone's picker of options is not a page element to click: the choice is made as it
    // leaves it, a new value and a change event.
    browser.execute(&format!(
        "const s = document.querySelector({mark:?}); s.value = '1';
         s.dispatchEvent(new Event('change', {{ bubbles: true }}))"
    ));
    let asks = browser.execute(
        "const e = new Event('beforeunload', { cancelable: true }); window.dispatchEvent(e); return e.defaultPrevented",
    );
    assert_eq!(
        asks,
        serde_json::json!(true),
        "a warning before leaving the changed mark"
    );
    assert_eq!(browser.execute(place), before, "the click scrolled nothing");
    browser.click(&browser.find("#grid-form button[type='submit']"));
    let state = || -> i32 {
        query_one(
            &scene.db,
            "SELECT COALESCE(MAX(state), 0) FROM attendings WHERE lesson_id = ? AND student_id = ?",
            (scene.lesson, scene.st1),
        )
    };
    assert!(
        browser.wait_until(WAIT, |_| state() == 1),
        "the mark is saved"
    );
    assert!(
        browser.wait_until(WAIT, |b| b.execute("return document.readyState")
            == "complete")
    );
    assert_eq!(browser.execute(place), before, "back where it was");
    browser.screenshot(&screenshot_path("phone-month-grid-saved.png"));
}
