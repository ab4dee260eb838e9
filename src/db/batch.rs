//! Statements that travel as SQL text, several in one round trip.
//!
//! A CGI request opens a fresh connection, so each prepared statement costs two round trips (a
//! prepare and an execute) and each text statement one. The bookkeeping around every request
//! (session settings, `last_seen`, the transaction, the visit count) is a handful of writes
//! whose values are ids, instants and constants of the program: they are queued here and sent
//! together, one round trip where they took up to nine. Values are typed [`Literal`]s, drawn by
//! this module; nothing from a request's input can reach the text.

use super::DbError;
use chrono::NaiveDateTime;
use mysql::Conn;
use mysql::prelude::Queryable;
use std::fmt::Write;

/// A value in a queued statement.
#[derive(Debug, Clone, Copy)]
pub enum Literal {
    Int(i64),
    /// An instant, naive UTC as stored, to the microsecond (as a bound value would carry it).
    At(NaiveDateTime),
    /// A constant of the program (say a route's pattern), drawn as a hex string literal so
    /// that no character of it can end the literal.
    Text(&'static str),
}

impl From<u32> for Literal {
    fn from(v: u32) -> Literal {
        Literal::Int(v.into())
    }
}

impl From<i32> for Literal {
    fn from(v: i32) -> Literal {
        Literal::Int(v.into())
    }
}

impl From<NaiveDateTime> for Literal {
    fn from(v: NaiveDateTime) -> Literal {
        Literal::At(v)
    }
}

impl Literal {
    fn draw(&self, out: &mut String) {
        // Writing into a String cannot fail.
        let _ = match self {
            Literal::Int(v) => write!(out, "{v}"),
            Literal::At(at) => write!(out, "TIMESTAMP'{}'", at.format("%Y-%m-%d %H:%M:%S%.6f")),
            Literal::Text(text) => {
                out.push_str("_utf8mb4 X'");
                for b in text.bytes() {
                    let _ = write!(out, "{b:02X}");
                }
                out.push('\'');
                Ok(())
            }
        };
    }
}

/// The queued statements, in order.
#[derive(Debug, Default)]
pub struct Batch {
    statements: Vec<String>,
}

/// A queued statement that failed, and why; the ones after it were not run.
#[derive(Debug)]
pub struct Failed {
    /// The failed statement was the last one queued.
    pub last: bool,
    pub error: DbError,
}

impl From<Failed> for DbError {
    fn from(f: Failed) -> DbError {
        f.error
    }
}

impl Batch {
    /// Queues `statement` with each `?` replaced by the next of `values`.
    ///
    /// # Panics
    /// When the count of `?` and of values differ: the statement is a constant of the program,
    /// so a mismatch is a bug that the first test through it finds.
    pub fn push(&mut self, statement: &'static str, values: &[Literal]) -> &mut Batch {
        let mut parts = statement.split('?');
        let mut sql = String::with_capacity(statement.len() + 16 * values.len());
        sql.push_str(parts.next().unwrap_or_default());
        let mut values = values.iter();
        for part in parts {
            values
                .next()
                .expect("a value for every ? of a queued statement")
                .draw(&mut sql);
            sql.push_str(part);
        }
        assert!(
            values.next().is_none(),
            "a ? for every value of a queued statement"
        );
        self.statements.push(sql);
        self
    }

    /// Sends the queued statements in one round trip and empties the queue. The server runs them
    /// in order and stops at the first that fails.
    pub fn run(&mut self, conn: &mut Conn) -> Result<(), DbError> {
        Ok(self.run_reporting(conn)?)
    }

    /// [`Batch::run`], telling which statement failed.
    pub fn run_reporting(&mut self, conn: &mut Conn) -> Result<(), Failed> {
        let statements = std::mem::take(&mut self.statements);
        if statements.is_empty() {
            return Ok(());
        }
        let last = statements.len() - 1;
        let failed = |index, error| Failed {
            last: index == last,
            error,
        };
        let mut results = conn
            .query_iter(statements.join(";\n"))
            .map_err(|e| failed(0, e))?;
        let mut index = 0;
        while let Some(set) = results.iter() {
            for row in set {
                row.map_err(|e| failed(index, e))?;
            }
            index += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drawn(statement: &'static str, values: &[Literal]) -> String {
        let mut batch = Batch::default();
        batch.push(statement, values);
        batch.statements.pop().unwrap()
    }

    #[test]
    fn values_are_drawn_as_typed_literals() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 7)
            .unwrap()
            .and_hms_micro_opt(2, 1, 53, 519_981)
            .unwrap();
        assert_eq!(
            drawn(
                "UPDATE t SET a = ?, b = ? WHERE id = ?",
                &[at.into(), 2.into(), 3u32.into()]
            ),
            "UPDATE t SET a = TIMESTAMP'2026-12-07 02:01:53.519981', b = 2 WHERE id = 3"
        );
    }

    #[test]
    fn text_cannot_leave_its_literal() {
        assert_eq!(
            drawn("INSERT INTO t VALUES (?)", &[Literal::Text("a'; DROP")]),
            "INSERT INTO t VALUES (_utf8mb4 X'61273B2044524F50')"
        );
    }

    #[test]
    #[should_panic(expected = "a value for every ?")]
    fn a_missing_value_is_a_bug() {
        drawn("SELECT ?, ?", &[1.into()]);
    }
}
