//! Lessons and attendance (the `/lessons/…` pages): the lessons list, the months of a group, the
//! month grid of attendance and payments, creating and deleting lessons, deleting empty past lessons and
//! filling a group's lessons from the timetable.

pub mod create;
pub mod delete;
pub mod delete_empty_past;
pub mod fill_by_schedule;
pub mod grid;
pub mod grid_xlsx;
pub mod list;
pub mod months;
pub mod roll_call;
pub mod store;

use crate::app::AppError;
use crate::auth::CurrentUser;
use crate::db::change_log::{Change, Kind};
use crate::ids::{GroupId, StudentId};
use chrono::NaiveDate;

/// «не был» / «был» / «болел»; a stored value outside 0..=2 (which made the original fail) is
/// kept visible («неизвестный статус N») instead of failing a dump or a log.
pub fn state_word(state: i64) -> String {
    match state {
        0 => "не был".into(),
        1 => "был".into(),
        2 => "болел".into(),
        other => format!("неизвестный статус {other}"),
    }
}

/// The change log's entry of a mark on a lesson.
pub fn mark_change(
    lesson_id: u32,
    date: NaiveDate,
    student: StudentId,
    group: GroupId,
    (old, new): (i32, i32),
) -> Change {
    Change {
        kind: Kind::Attendance,
        table: "attendings",
        row_id: lesson_id,
        student_id: Some(student),
        group_id: Some(group),
        what: format!("посещение {}", date.format("%d.%m.%Y")),
        old: state_word(old.into()),
        new: state_word(new.into()),
    }
}

/// A posted attendance state (`attendings.state`): only 0 «не был», 1 «был» or 2 «болел»
/// (the original stored any integer). A missing row counts as 0.
fn parse_state(text: &str) -> Option<i32> {
    text.trim().parse().ok().filter(|s| (0..=2).contains(s))
}

/// Whether `user`, a writer of the group, may create or delete its lessons dated `date`: masters
/// and developers any day, teachers only today or later. A lesson with «был» marks is never
/// removable.
fn date_allowed(user: &CurrentUser, date: NaiveDate, today: NaiveDate) -> bool {
    user.is_master || date >= today
}

/// A date as an HTML date input sends it (`YYYY-MM-DD`).
fn parse_date(text: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::BadRequest(format!("«{text}» — не дата (нужна ГГГГ-ММ-ДД)")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_three_states() {
        assert_eq!(parse_state("0"), Some(0));
        assert_eq!(parse_state(" 2 "), Some(2));
        for bad in ["3", "-1", "", "1.0", "был"] {
            assert_eq!(parse_state(bad), None, "{bad}");
        }
    }
}
