//! What every user list shows about a person: the name with its enabled flag and
//! "is it me", the login, and the last visit already rendered in Russian.

use crate::auth::user::SeenWhere;
use chrono::NaiveDateTime;
use serde::Serialize;

/// The columns [`Person::from_row`] reads, for a details table aliased `x` joined to
/// `system_users su`.
pub const COLUMNS: &str = "x.id, su.id, x.fio, su.login, su.enabled,
    NULLIF(su.last_seen, '0000-00-00 00:00:00'), su.last_seen_where";

pub const JOIN: &str = "JOIN system_users su ON su.id = x.system_user_id";

#[derive(Debug, Clone, Serialize)]
pub struct Person {
    /// The row id in the details table (masters.id, students.id, …): what the edit, delete and
    /// details URLs take.
    pub id: u32,
    pub user_id: u32,
    pub fio: String,
    pub login: String,
    pub enabled: bool,
    pub is_me: bool,
    /// «никогда», «5 минут назад», …
    pub last_seen: String,
    /// The last visit came from the Android app (a phone icon next to it).
    pub android: bool,
}

impl Person {
    /// Reads the first columns of `row`, selected as [`COLUMNS`].
    pub fn from_row(row: &mut mysql::Row, me: u32, now: NaiveDateTime) -> Person {
        let user_id: u32 = take(row, 1);
        let last_seen: Option<NaiveDateTime> = take(row, 5);
        let seen_where: i32 = take(row, 6);
        Person {
            id: take(row, 0),
            user_id,
            fio: take(row, 2),
            login: take(row, 3),
            enabled: take(row, 4),
            is_me: user_id == me,
            last_seen: last_seen_text(last_seen, seen_where, now),
            android: seen_where == SeenWhere::Android as i32,
        }
    }
}

/// «никогда» for a user registered and never seen since, otherwise the relative time.
fn last_seen_text(at: Option<NaiveDateTime>, seen_where: i32, now: NaiveDateTime) -> String {
    match at {
        Some(at) if seen_where != SeenWhere::Registration as i32 => crate::time::relative(at, now),
        _ => "никогда".to_string(),
    }
}

/// Column `i` of a row whose shape the query fixes.
pub fn take<T: mysql::prelude::FromValue>(row: &mut mysql::Row, i: usize) -> T {
    row.take(i).expect("column selected by the query")
}

/// `search=<text>`: a link to a list that finds this name.
pub fn search_query(text: &str) -> String {
    serde_urlencoded::to_string([("search", text)]).unwrap_or_default()
}
