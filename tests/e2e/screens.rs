//! The screens the layout and accessibility checks open, on one scene: te1's group of this
//! month with st1 and more students of long names, and a lesson on every weekday of the month up
//! to today, so that both grids are wider than a phone and scroll inside their frame.

use crate::common;
use crate::common::fixture::*;
use chrono::{Datelike, NaiveDate, Weekday};
use common::TestDb;
use common::apache::ApacheSite;
use common::browser::{Browser, screenshot_path};

pub const LONG_NAMES: [&str; 4] = [
    "Константинопольская-Вознесенская Анастасия-Виктория Александровна",
    "Иванов Пётр Сергеевич",
    "Прохоренко-Кулебякина Елизавета Максимилиановна",
    "Ли Ян",
];

pub struct Scene {
    pub db: TestDb,
    pub site: ApacheSite,
    pub group: u32,
    /// Today's lesson of the group.
    pub lesson: u32,
    /// This month's number (months since January 2017).
    pub month: i32,
    pub st1: u32,
    /// st1's membership in the group.
    pub st1_member: u32,
}

impl Scene {
    pub fn new() -> Scene {
        let db = TestDb::seeded();
        let te1 = teacher_id(&db, "te1");
        let st1 = student_id(&db, "st1");
        // The site's day: the lesson of today is the one a teacher may still mark.
        let today = common::site_today();
        let month = (today.year() - 2017) * 12 + today.month0() as i32;
        let group = add_group(&db, "телефон-1", "робо", te1, month - 1, month + 1);
        let st1_member = add_member(&db, st1, group, 0, month - 1, month + 1);
        for (i, fio) in LONG_NAMES.iter().enumerate() {
            let student = add_student_without_login(&db, &format!("long{i}"), fio);
            add_member(&db, student, group, 0, month - 1, month + 1);
        }
        let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap();
        for day in first.iter_days().take_while(|d| *d < today) {
            if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                add_lesson(&db, group, te1, day.format("%Y-%m-%d").to_string());
            }
        }
        let lesson = add_lesson(&db, group, te1, today.format("%Y-%m-%d").to_string());
        let site = ApacheSite::start(&db);
        Scene {
            db,
            site,
            group,
            lesson,
            month,
            st1,
            st1_member,
        }
    }

    pub fn roll_call(&self) -> String {
        format!("/lessons/roll_call/{}", self.lesson)
    }

    pub fn month_payments(&self) -> String {
        format!("/payments/group/{}/month/{}", self.group, self.month)
    }

    pub fn month_grid(&self) -> String {
        format!("/lessons/{}/{}", self.group, self.month)
    }

    pub fn payments_grid(&self) -> String {
        format!("/payments/group/{}", self.group)
    }

    pub const GROUPS: &'static str = "/structure/groups";
    pub const TIMETABLE: &'static str = "/schedule/";
}

/// A screen to check: its name (for the screenshot), path, and the tap targets of its main
/// action path.
pub struct Screen {
    pub name: &'static str,
    pub path: String,
    pub targets: &'static str,
}

impl Scene {
    /// The screens a teacher works with, each with the controls a phone must let a finger hit.
    pub fn screens(&self) -> Vec<Screen> {
        let screen = |name, path, targets| Screen {
            name,
            path,
            targets,
        };
        vec![
            screen(
                "roll-call",
                self.roll_call(),
                ".roll-call-choices label, .roll-call-save button",
            ),
            screen(
                "month-payments",
                self.month_payments(),
                ".payment-card input[type='number'], .payment-card input[type='text'], .payment-check, .roll-call-save button",
            ),
            screen("groups", Scene::GROUPS.to_string(), "main .btn"),
            screen("timetable", Scene::TIMETABLE.to_string(), ".timetable-day"),
            screen(
                "month-grid",
                self.month_grid(),
                "select.att, .grid-wrap input[type='number'], .form-actions .btn",
            ),
            screen(
                "payments-grid",
                self.payments_grid(),
                "input.money, .pay-comment, .form-actions .btn",
            ),
        ]
    }
}

/// Opens each screen of the scene in `browser` (signed in), saves its screenshot as
/// `<device>-<name>.png`, and returns what is wrong with its layout: a page wider than the
/// window, text under 12 px, a tap target under `min_target` px (none is checked when it is 0),
/// and in a grid a name column over a third of the window, or a header row or name column that
/// scrolls away with the table.
pub fn layout_problems(
    browser: &Browser,
    scene: &Scene,
    device: &str,
    min_target: u32,
) -> Vec<String> {
    let mut found = Vec::new();
    for screen in scene.screens() {
        browser.goto(&scene.site.url(&screen.path));
        let text = browser.page_text();
        assert!(
            !text.contains("не найдено") && !text.contains("доступ запрещён"),
            "{}:\n{text}",
            screen.path
        );
        let mut problems = browser.layout_problems(screen.targets, min_target);
        if browser.try_find(".grid-wrap").is_some() {
            problems.extend(grid_problems(browser));
        }
        browser.screenshot(&screenshot_path(&format!("{device}-{}.png", screen.name)));
        found.extend(
            problems
                .into_iter()
                .map(|p| format!("{device} {}: {p}", screen.path)),
        );
    }
    found
}

/// The grid's frame scrolled to its far corner: the header row must still be at the frame's top
/// and the last row's name at its left; the name column is at most a third of the window wide.
fn grid_problems(browser: &Browser) -> Vec<String> {
    let found = browser.execute(
        "const out = [];
         const wrap = document.querySelector('.grid-wrap');
         const name = wrap.querySelector('tbody .sticky-col');
         const width = name.getBoundingClientRect().width;
         if (width > window.innerWidth / 3 + 1)
           out.push('name column ' + Math.round(width) + ' px wide on ' + window.innerWidth);
         wrap.scrollLeft = wrap.scrollWidth;
         wrap.scrollTop = wrap.scrollHeight;
         const frame = wrap.getBoundingClientRect();
         const head = wrap.querySelector('thead th:last-child').getBoundingClientRect();
         if (Math.abs(head.top - frame.top) > 2) out.push('the header row scrolled away');
         const last = wrap.querySelector('tbody tr:last-child .sticky-col').getBoundingClientRect();
         if (Math.abs(last.left - frame.left) > 2) out.push('the name column scrolled away');
         if (wrap.scrollLeft + wrap.clientWidth < wrap.scrollWidth - 1)
           out.push('the table cannot be scrolled to its last column');
         wrap.scrollLeft = 0;
         wrap.scrollTop = 0;
         return out;",
    );
    common::browser::strings(&found)
}
