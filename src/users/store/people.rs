//! What every user list shows about a person: the name with its enabled flag and
//! "is it me", the login, and the last visit already rendered in Russian.

use crate::app::list::{Direction, Sort, SortKey};
use crate::auth::user::SeenWhere;
use crate::db::col;
use chrono::NaiveDateTime;
use mysql::Conn;
use mysql::prelude::Queryable;
use serde::Serialize;

/// The columns [`Person::from_row`] reads, for a details table aliased `x` joined to
/// `system_users su`.
pub const COLUMNS: &str = "x.id, su.id, x.fio, su.login, su.enabled,
    NULLIF(su.last_seen, '0000-00-00 00:00:00'), su.last_seen_where";

/// The columns a staff member sorts a list of people by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonSort {
    Fio,
    LastSeen,
}

impl SortKey for PersonSort {
    const KEYS: &'static [(PersonSort, &'static str)] = &[
        (PersonSort::Fio, "fio"),
        (PersonSort::LastSeen, "last_seen"),
    ];
    fn first_direction(self) -> Direction {
        match self {
            PersonSort::Fio => Direction::Asc,
            PersonSort::LastSeen => Direction::Desc,
        }
    }
}

/// The `ORDER BY` of a sorted list of people, for a details table `x` joined to `system_users
/// su`; the id breaks ties so that a row never moves between pages. A visit is sorted as `NULL`
/// (before every visit) when there was none: a zero date, or the registration
/// (`SeenWhere::Registration`) as the only one.
pub fn order_by(sort: Sort<PersonSort>) -> String {
    let key = match sort.key {
        PersonSort::Fio => "x.fio",
        PersonSort::LastSeen => {
            "CASE WHEN su.last_seen_where = 1 THEN NULL
                ELSE NULLIF(su.last_seen, '0000-00-00 00:00:00') END"
        }
    };
    match sort.direction {
        Direction::Asc => format!("{key}, x.id"),
        Direction::Desc => format!("{key} DESC, x.id DESC"),
    }
}

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

/// A user's account as the app shows it (`SystemUser`).
#[derive(Debug, Clone)]
pub struct Account {
    pub id: u32,
    pub login: String,
    /// `YYYY-MM-DD HH:MM`; the zero date of old rows as `0000-00-00 00:00`.
    pub last_seen: String,
    pub last_seen_where: i32,
    pub enabled: bool,
    pub role_name: String,
}

/// The columns [`Account::take`] reads, for `system_users su` joined to `system_roles r`.
pub const ACCOUNT_COLUMNS: &str = "su.id AS su_id, su.login AS su_login,
    COALESCE(DATE_FORMAT(su.last_seen, '%Y-%m-%d %H:%i'), '0000-00-00 00:00') AS su_last_seen,
    su.last_seen_where AS su_last_seen_where, su.enabled AS su_enabled, r.name AS su_role";

/// Joins the account of a details table aliased `x`.
pub const ACCOUNT_JOIN: &str = "JOIN system_users su ON su.id = x.system_user_id
    JOIN system_roles r ON r.id = su.system_role_id";

impl Account {
    /// Reads the [`ACCOUNT_COLUMNS`] of a row.
    pub fn take(row: &mut mysql::Row) -> mysql::Result<Account> {
        Ok(Account {
            id: col(row, "su_id")?,
            login: col(row, "su_login")?,
            last_seen: col(row, "su_last_seen")?,
            last_seen_where: col(row, "su_last_seen_where")?,
            enabled: col(row, "su_enabled")?,
            role_name: col(row, "su_role")?,
        })
    }
}

/// A user with the id and name of their details row, whatever the role.
#[derive(Debug, Clone)]
pub struct Owner {
    /// 0 (and an empty name) for a user without a details row, in a broken database.
    pub details_id: u32,
    pub fio: String,
    pub account: Account,
}

/// Which users [`owners`] reads.
#[derive(Debug, Clone, Copy)]
pub enum Owners {
    /// Everyone seen since registering, the latest visit first.
    Seen,
    /// Everyone holding an app token, by account id.
    WithTokens,
}

pub fn owners(db: &mut Conn, which: Owners) -> mysql::Result<Vec<Owner>> {
    let filter = match which {
        Owners::Seen => "su.last_seen_where != 1 ORDER BY su.last_seen DESC, su.id",
        Owners::WithTokens => "su.id IN (SELECT system_user_id FROM access_tokens) ORDER BY su.id",
    };
    let rows: Vec<mysql::Row> = db.exec(
        format!(
            "SELECT COALESCE(m.id, t.id, s.id, b.id, dv.id, 0) AS details_id,
            COALESCE(m.fio, t.fio, s.fio, b.fio, dv.fio, '') AS fio, {ACCOUNT_COLUMNS}
         FROM system_users su JOIN system_roles r ON r.id = su.system_role_id
         LEFT JOIN masters m ON m.system_user_id = su.id
         LEFT JOIN teachers t ON t.system_user_id = su.id
         LEFT JOIN students s ON s.system_user_id = su.id
         LEFT JOIN bots b ON b.system_user_id = su.id
         LEFT JOIN developers dv ON dv.system_user_id = su.id
         WHERE {filter}"
        ),
        (),
    )?;
    rows.into_iter()
        .map(|mut row| {
            Ok(Owner {
                details_id: col(&mut row, "details_id")?,
                fio: col(&mut row, "fio")?,
                account: Account::take(&mut row)?,
            })
        })
        .collect()
}
