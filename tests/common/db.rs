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

/// The base tables of the test database, by name.
pub fn table_names(db: &TestDb) -> Vec<String> {
    query_rows(
        db,
        "SELECT table_name FROM information_schema.tables
         WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name",
        (),
    )
}

/// `CHECKSUM TABLE` of `tables` (names from the schema, never values) in one statement: each
/// table's name with its checksum, in the given order.
pub fn checksums<S: AsRef<str>>(db: &TestDb, tables: &[S]) -> Vec<(String, Option<i64>)> {
    let list: Vec<String> = tables.iter().map(|t| format!("`{}`", t.as_ref())).collect();
    let rows: Vec<(String, Option<i64>)> = db
        .conn()
        .query(format!("CHECKSUM TABLE {}", list.join(", ")))
        .unwrap();
    assert_eq!(rows.len(), tables.len());
    tables
        .iter()
        .zip(rows)
        .map(|(t, (_, sum))| (t.as_ref().to_string(), sum))
        .collect()
}

impl TestDb {
    /// Counts rows of a table (a quick "nothing was written" check); the table is one of the
    /// schema's, never a value.
    pub fn count(&self, table: &str) -> u64 {
        query_one(self, &format!("SELECT COUNT(*) FROM `{table}`"), ())
    }
}
