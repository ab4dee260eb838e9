//! Small pieces shared by the API's queries: reading columns of a row and the lists' search and
//! paging (src/api/README.md §8).

use super::json::Query;
use crate::app::{AppError, Ctx};
use mysql::Row;
use mysql::prelude::FromValue;

/// Column `i` of a row, converted; a type mismatch is a database error, never a panic.
pub fn at<T: FromValue>(row: &Row, i: usize) -> mysql::Result<T> {
    match row.get_opt::<T, usize>(i) {
        Some(Ok(v)) => Ok(v),
        Some(Err(e)) => Err(mysql::Error::FromValueError(e.0)),
        None => Err(mysql::Error::FromValueError(mysql::Value::NULL)),
    }
}

/// `search`, `offset` and `count` of the `*_list` endpoints.
#[derive(Debug, Clone)]
pub struct ListQuery {
    /// The LIKE pattern `%search%`. The search text is not escaped: `%` and `_` in it are
    /// wildcards, as in the original (`search=%` matches every row).
    pub pattern: String,
    pub limit: u64,
    pub offset: u64,
}

impl ListQuery {
    pub fn of(ctx: &Ctx) -> Result<ListQuery, AppError> {
        let q = Query::of(ctx)?;
        Ok(ListQuery {
            pattern: format!("%{}%", q.str("search").unwrap_or("")),
            // No count means every row: MySQL's own idiom for "no limit".
            limit: q.non_negative("count")?.unwrap_or(u64::MAX),
            offset: q.non_negative("offset")?.unwrap_or(0),
        })
    }
}

impl ListQuery {
    /// The parameters of `LOWER(col) LIKE LOWER(?) … LIMIT ? OFFSET ?`.
    pub fn params(&self) -> Vec<mysql::Value> {
        vec![
            self.pattern.clone().into(),
            self.limit.into(),
            self.offset.into(),
        ]
    }
}

/// Appended to a list query whose last parameters are the limit and the offset.
pub const PAGE: &str = "LIMIT ? OFFSET ?";
