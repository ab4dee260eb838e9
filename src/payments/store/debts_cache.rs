//! The debts of every membership kept between requests in the one row of `debts_cache`
//! (migration 0013). Computing them reads every membership and payment of the centre; most
//! requests find them unchanged since the last computation.
//!
//! Every write that can change a debt calls [`changed`] in its own transaction, which raises the
//! row's `version`: the row lock orders the writers as they commit. A reader takes the version
//! with the body in its first read; a body computed afresh is stored only while the version is
//! still the one read (the `UPDATE` waits for a writer holding the row, then sees its raise), so a
//! stored body never misses a committed write. Without the row nothing is cached and every
//! request computes the debts.

use crate::month::Month;
use mysql::Conn;
use mysql::prelude::Queryable;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// What the cache holds for a month: rows of the debts (`payments::store::debts::DebtRow`).
pub enum Cached<Row> {
    Valid(Vec<Row>),
    /// Nothing valid: the version a body computed now is to be stored under.
    Stale(i64),
}

/// The debts a write may have changed are to be computed again.
pub fn changed(conn: &mut Conn) -> mysql::Result<()> {
    conn.query_drop(
        "UPDATE debts_cache SET version = version + 1, month = -1, body = '' WHERE id = 1",
    )
}

/// The cached debts up to `up_to`, if they are valid.
pub fn load<Row: DeserializeOwned>(conn: &mut Conn, up_to: Month) -> mysql::Result<Cached<Row>> {
    let row: Option<(i64, i32, Vec<u8>)> =
        conn.query_first("SELECT version, month, body FROM debts_cache WHERE id = 1")?;
    Ok(match row {
        Some((version, month, body)) if month == up_to.0 => match serde_json::from_slice(&body) {
            Ok(rows) => Cached::Valid(rows),
            // A body an older binary wrote in another shape: computed again and replaced.
            Err(_) => Cached::Stale(version),
        },
        Some((version, _, _)) => Cached::Stale(version),
        None => Cached::Stale(-1),
    })
}

/// Keeps `rows`, the debts up to `up_to` computed from what `version` saw, unless a write came
/// after it.
pub fn store<Row: Serialize>(
    conn: &mut Conn,
    version: i64,
    up_to: Month,
    rows: &[Row],
) -> mysql::Result<()> {
    let body = serde_json::to_vec(rows).expect("debt rows always serialise");
    conn.exec_drop(
        "UPDATE debts_cache SET month = ?, body = ? WHERE id = 1 AND version = ?",
        (up_to.0, body, version),
    )
}
