//! Lessons and attendance (the `/lessons/…` pages): the lessons list, the months of a group, the
//! month grid of attendance and payments, creating and deleting lessons, deleting empty past lessons and
//! filling a group's lessons from the timetable.

pub mod create;
pub mod delete;
pub mod delete_empty_past;
pub mod fill_by_schedule;
pub mod grid;
pub mod list;
pub mod months;
mod store;

use crate::app::AppError;
use crate::auth::CurrentUser;
use chrono::NaiveDate;

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
