//! The tests' SQL against their own database: always with bound parameters, so a value (a login, a
//! Cyrillic name, a date) is never spliced into the statement text.

use super::TestDb;
use mysql::prelude::{FromRow, Queryable};

/// Runs one statement; the id of the row it inserted (0 when it inserted none).
pub fn exec(db: &TestDb, sql: &str, params: impl Into<mysql::Params>) -> u32 {
    let mut c = db.conn();
    c.exec_drop(sql, params).unwrap();
    c.last_insert_id() as u32
}

/// The first row of a query (one value or a tuple); panics when there is none.
pub fn query_one<T: FromRow>(db: &TestDb, sql: &str, params: impl Into<mysql::Params>) -> T {
    let mut c = db.conn();
    let v: Option<T> = c.exec_first(sql, params).unwrap();
    v.unwrap_or_else(|| panic!("no row: {sql}"))
}

/// Every row of a query.
pub fn query_rows<T: FromRow>(db: &TestDb, sql: &str, params: impl Into<mysql::Params>) -> Vec<T> {
    db.conn().exec(sql, params).unwrap()
}
