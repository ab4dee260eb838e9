//! The screens the layout and accessibility checks open, on one scene: te1's group of this
//! month with st1 and more students of long names, and a lesson on every weekday of the month up
//! to today, so that both grids are wider than a phone and scroll inside their frame.

use crate::common;
use crate::common::fixture::*;
use chrono::{Datelike, NaiveDate, Weekday};
use common::TestDb;
use common::apache::ApacheSite;

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
        let today = chrono::Utc::now().date_naive();
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
