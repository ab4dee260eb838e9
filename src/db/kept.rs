//! Figures kept between requests in the table `debts_cache` (migrations 0013, 0020, 0021, 0023
//! and 0024; named when it kept only the debts), one row per body: row 0 the attendance marks of
//! the overview's year, row 1 the debts of every membership, row 2 the unconfirmed sum of every
//! group, row 3 the lessons of every teacher, row 4 the money of every group in a month and row 5
//! the payments received for each month of the overview's chart. Computing any of them reads
//! thousands of rows of the centre; most requests find them unchanged since the last computation.
//!
//! Every write that can change a kept figure raises its row's `version` in its own transaction:
//! the row locks order the writers as they commit. A mark's write raises row 0 alone
//! ([`marks_changed`]), since marks are written all day and no other figure counts them; every
//! other write (payments, memberships, groups, sections, a student's name or phone, lessons)
//! raises every row ([`changed`]), which keeps that rule simple: a lesson write makes the next
//! debtors page compute the debts again, a few milliseconds once.
//!
//! A reader takes the version with the body in its first read; a body computed afresh is stored
//! only while the version is still the one read (the `UPDATE` waits for a writer holding the
//! row, then sees its raise), so a stored body never misses a committed write. Writers lock the
//! rows in the order of their ids, and a request that stores several bodies stores them in that
//! order too, so that the two never wait for each other in a circle (a deadlock, which the
//! lifecycle would answer by running the request again).
//! Without a row nothing of it is cached and every request computes it.

use crate::month::Month;
use chrono::{Datelike, NaiveDate};
use mysql::Conn;
use mysql::prelude::Queryable;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The bodies the table keeps.
#[derive(Debug, Clone, Copy)]
pub enum Kept {
    /// The attendance marks of every group per day, from the first day of the overview's year to
    /// a day (`stats::store::DayMarks`), row 0: the next day counts the marks of the day before.
    Marks(NaiveDate),
    /// The debts up to a month (`payments::store::debts::DebtRow`), row 1.
    Debts(Month),
    /// The unconfirmed sum of every group that has one, good for any month, row 2.
    Unconfirmed,
    /// The lessons of every teacher, held by a day and all (`lessons::store::teacher_lessons`),
    /// row 3: the next day counts the lessons of the day before as held.
    TeacherLessons(NaiveDate),
    /// The money and people of every group's memberships in a month (`stats::store::MonthMoney`),
    /// row 4.
    MonthMoney(Month),
    /// The payments received for each month of the overview's chart ending with a month
    /// (`stats::store::received_by_month`), row 5.
    Received(Month),
}

impl Kept {
    fn id(self) -> u8 {
        match self {
            Kept::Marks(_) => 0,
            Kept::Debts(_) => 1,
            Kept::Unconfirmed => 2,
            Kept::TeacherLessons(_) => 3,
            Kept::MonthMoney(_) => 4,
            Kept::Received(_) => 5,
        }
    }

    /// The read of the row, as one text query (no statement to prepare on this connection).
    fn select(self) -> &'static str {
        match self {
            Kept::Marks(_) => "SELECT version, month, body FROM debts_cache WHERE id = 0",
            Kept::Debts(_) => "SELECT version, month, body FROM debts_cache WHERE id = 1",
            Kept::Unconfirmed => "SELECT version, month, body FROM debts_cache WHERE id = 2",
            Kept::TeacherLessons(_) => "SELECT version, month, body FROM debts_cache WHERE id = 3",
            Kept::MonthMoney(_) => "SELECT version, month, body FROM debts_cache WHERE id = 4",
            Kept::Received(_) => "SELECT version, month, body FROM debts_cache WHERE id = 5",
        }
    }

    /// The `month` column of a valid body: what it was computed for (a month, or a day counted
    /// from 1 January of the year 1); -1 marks none.
    fn month(self) -> i32 {
        match self {
            Kept::Debts(up_to) | Kept::MonthMoney(up_to) | Kept::Received(up_to) => up_to.0,
            Kept::Unconfirmed => 0,
            Kept::Marks(day) | Kept::TeacherLessons(day) => day.num_days_from_ce(),
        }
    }
}

/// What the cache holds of a body: its rows, or nothing valid.
enum Cached<Row> {
    Valid(Vec<Row>),
    /// Nothing valid: the version a body computed now is to be stored under.
    Stale(i64),
}

/// Every kept figure is to be computed again: the write may have changed any of them.
pub fn changed(conn: &mut Conn) -> mysql::Result<()> {
    conn.query_drop("UPDATE debts_cache SET version = version + 1, month = -1, body = ''")
}

/// The kept attendance marks are to be computed again: the write changed a mark.
pub fn marks_changed(conn: &mut Conn) -> mysql::Result<()> {
    conn.query_drop(
        "UPDATE debts_cache SET version = version + 1, month = -1, body = '' WHERE id = 0",
    )
}

/// The body of `kept`: the kept rows while they are valid, else the rows `compute` reads, kept
/// for the next request unless a write came in between.
pub fn or_computed<Row: Serialize + DeserializeOwned>(
    conn: &mut Conn,
    kept: Kept,
    compute: impl FnOnce(&mut Conn) -> mysql::Result<Vec<Row>>,
) -> mysql::Result<Vec<Row>> {
    match load(conn, kept)? {
        Cached::Valid(rows) => Ok(rows),
        Cached::Stale(version) => {
            let rows = compute(conn)?;
            store(conn, kept, version, &rows)?;
            Ok(rows)
        }
    }
}

/// The cached body of `kept`, if it is valid.
fn load<Row: DeserializeOwned>(conn: &mut Conn, kept: Kept) -> mysql::Result<Cached<Row>> {
    let row: Option<(i64, i32, Vec<u8>)> = conn.query_first(kept.select())?;
    Ok(match row {
        Some((version, month, body)) if month == kept.month() => {
            match serde_json::from_slice(&body) {
                Ok(rows) => Cached::Valid(rows),
                // A body an older binary wrote in another shape: computed again and replaced.
                Err(_) => Cached::Stale(version),
            }
        }
        Some((version, _, _)) => Cached::Stale(version),
        None => Cached::Stale(-1),
    })
}

/// Keeps `rows`, the body of `kept` computed from what `version` saw, unless a write came after
/// it.
fn store<Row: Serialize>(
    conn: &mut Conn,
    kept: Kept,
    version: i64,
    rows: &[Row],
) -> mysql::Result<()> {
    let body = serde_json::to_vec(rows).expect("cached rows always serialise");
    conn.exec_drop(
        "UPDATE debts_cache SET month = ?, body = ? WHERE id = ? AND version = ?",
        (kept.month(), body, kept.id(), version),
    )
}
