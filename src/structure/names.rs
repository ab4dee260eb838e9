//! The «название» field shared by sections, schools and citizenships: 1–255 characters, unique in
//! its table. Uniqueness is asked with `=` in SQL, so it follows the column's collation exactly as
//! the UNIQUE key does (a change of case or trailing spaces does not make a new name).

use crate::app::AppError;
use crate::app::forms::{Field, FormView, Kind, check_length};
use crate::db;
use mysql::Conn;
use mysql::prelude::Queryable;

pub const FIELD: &str = "name";
pub const MAX: usize = 255;

pub fn field(label: &'static str) -> Field {
    Field::new(Kind::Text, FIELD, label)
        .required()
        .max_length(MAX)
        .attr("required", "required")
}

/// Checks the submitted name against `table` (a constant of the calling area, never input),
/// ignoring the row `except` (the one being edited; 0 on add). Returns the trimmed name, or `None`
/// after putting the error on the field.
pub fn check(
    db: &mut Conn,
    form: &mut FormView,
    table: &'static str,
    value: &str,
    except: u32,
    taken: &str,
) -> Result<Option<String>, AppError> {
    let name = value.trim();
    check_length(form, FIELD, name, 1, MAX);
    if !form.field_mut(FIELD).errors.is_empty() {
        return Ok(None);
    }
    let exists: Option<u32> = db.exec_first(
        format!("SELECT id FROM {table} WHERE name = ? AND id <> ? LIMIT 1"),
        (name, except),
    )?;
    if exists.is_some() {
        form.error(FIELD, taken);
        return Ok(None);
    }
    Ok(Some(name.to_string()))
}

/// The outcome of an INSERT or UPDATE of a named row: a duplicate that slipped past [`check`]
/// (another request saved the same name in between) becomes the field's error, not a 500.
pub fn saved<T>(
    form: &mut FormView,
    taken: &str,
    result: Result<T, mysql::Error>,
) -> Result<Option<T>, AppError> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(e) if db::is_duplicate_key(&e) => {
            form.error(FIELD, taken);
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}
