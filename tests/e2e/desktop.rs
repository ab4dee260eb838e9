//! A teacher's screens on a 1366 × 900 desktop in headless Chromium through Apache: the roll
//! call, a month's payments, the groups list, the timetable and both grids fit the window's width
//! (a grid scrolls inside its own frame), no text is under 12 px and links in tables are at least
//! 24 px high to hit.

use crate::common::browser::Browser;
use crate::screens::{Scene, layout_problems};

#[test]
fn a_teachers_screens_fit_a_desktop_window() {
    let scene = Scene::new();
    let browser = Browser::start();
    browser.emulate_screen(1366, 900, false);
    browser.log_in(&scene.site, "te1", "12");
    let mut problems = layout_problems(&browser, &scene, "desktop", 0);
    problems.extend(
        browser
            .layout_problems(".table td > a, .table th > a", 24)
            .into_iter()
            .map(|p| format!("desktop payments grid: {p}")),
    );
    assert_eq!(problems, Vec::<String>::new());
}
