//! A teacher's screens on a 1366 × 900 desktop in headless Chromium through Apache: the roll
//! call, a month's payments, the groups list, the timetable and both grids fit the window's width
//! (a grid scrolls inside its own frame), no text is under 12 px and links in tables are at least
//! 24 px high to hit. A master's timetable fits too, and a group typed into it is saved.

use crate::common::browser::{Browser, strings};
use crate::common::db::query_one;
use crate::screens::{Scene, layout_problems};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

/// The scene and a browser with a 1366 × 900 window, signed in as `login` (password «12»).
fn signed_in_at_desktop(login: &str) -> (Scene, Browser) {
    let scene = Scene::new();
    let browser = Browser::start();
    browser.emulate_screen(1366, 900, false);
    browser.log_in(&scene.site, login, "12");
    (scene, browser)
}

#[test]
fn a_teachers_screens_fit_a_desktop_window() {
    let (scene, browser) = signed_in_at_desktop("te1");
    let mut problems = layout_problems(&browser, &scene, "desktop", 0);
    problems.extend(
        browser
            .layout_problems(".table td > a, .table th > a", 24)
            .into_iter()
            .map(|p| format!("desktop payments grid: {p}")),
    );
    assert_eq!(problems, Vec::<String>::new());
}

/// The master's timetable at a desktop's width: seven columns of boxes that fit the window, each
/// suggesting the groups of one shared list; a group typed into a box is saved.
#[test]
fn a_master_types_a_group_into_the_timetable() {
    let (scene, browser) = signed_in_at_desktop("ma1");
    browser.goto(&scene.site.url("/schedule/"));
    let boxes = browser.find_all(".timetable-grid input[list='timetable-groups']");
    assert_eq!(boxes.len(), 140);
    assert_eq!(
        browser.layout_problems(".timetable-grid input[list]", 0),
        Vec::<String>::new()
    );
    let (narrowest, suggested) = (
        browser.execute(
            "return Math.min(...[...document.querySelectorAll('.timetable-grid input[list]')]
                .map(i => Math.round(i.getBoundingClientRect().width)))",
        ),
        browser.execute(
            "return [...document.querySelector('.timetable-grid input[list]').list.options]
                .map(o => o.value)",
        ),
    );
    assert!(
        narrowest.as_i64().unwrap() >= 60,
        "a box {narrowest} px wide"
    );
    assert!(
        strings(&suggested).contains(&"телефон-1".to_string()),
        "{suggested}"
    );

    let first = &boxes[0];
    let field = browser.attribute(first, "name").unwrap();
    browser.send_keys(first, "телефон-1");
    browser.click(&browser.find(".timetable-grid [type='submit']"));
    assert!(browser.wait_until(WAIT, |b| b.page_text().contains("расписание сохранено")));
    let slot: u32 = field.split('_').nth(1).unwrap().parse().unwrap();
    let group: Option<u32> = query_one(
        &scene.db,
        "SELECT group_id FROM schedule_groups WHERE schedule_time_id = ? AND day_of_week = 0",
        (slot,),
    );
    assert_eq!(group, Some(scene.group));
}
