//! The fields every registration and edit form starts with: «логин», «фио»,
//! «пароль» twice (registration only) and «включен».

use crate::app::AppError;
use crate::app::forms::{Field, FormView, Kind, check_length};
use crate::db;
use crate::http::Form;
use crate::users::{password_form, store};
use mysql::Conn;

pub const LOGIN: &str = "login";
pub const FIO: &str = "fio";
pub const ENABLED: &str = "enabled";

pub fn login_field() -> Field {
    Field::new(Kind::Text, LOGIN, "логин")
        .required()
        .max_length(64)
        .attr("required", "required")
        .attr("autocomplete", "off")
}

pub fn fio_field(label: &'static str) -> Field {
    Field::new(Kind::Text, FIO, label)
        .required()
        .max_length(255)
        .attr("required", "required")
}

/// «пароль» and «подтверждение пароля»; checked by [`password_form::validate`].
pub fn password_fields() -> Vec<Field> {
    vec![
        Field::new(Kind::Password, password_form::NEW, "пароль")
            .required()
            .max_length(255)
            .attr("autocomplete", "new-password"),
        Field::new(
            Kind::Password,
            password_form::CONFIRM,
            "подтверждение пароля",
        )
        .required()
        .max_length(255)
        .attr("autocomplete", "new-password"),
    ]
}

/// «включен», ticked on a new form.
pub fn enabled_field() -> Field {
    let mut f = Field::new(Kind::Checkbox, ENABLED, "включен");
    f.checked = true;
    f
}

/// Whether `login` looks like `^[a-z][a-z0-9_]*$`.
fn login_shape_ok(login: &str) -> bool {
    let mut bytes = login.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// The login rules: 1–64 characters, the allowed shape, and free (the account `except` — the one
/// being edited, or 0 — may keep its own). Returns the login when it passes.
pub fn check_login(
    db: &mut Conn,
    form: &mut FormView,
    submitted: &Form,
    except: u32,
) -> Result<Option<String>, AppError> {
    let login = submitted.str(LOGIN);
    check_length(form, LOGIN, login, 1, 64);
    if !login.is_empty() && !login_shape_ok(login) {
        form.error(LOGIN, "только буквы / цифры / подчеркивание");
    }
    if !form.field_mut(LOGIN).errors.is_empty() {
        return Ok(None);
    }
    if store::login_taken(db, login, except)? {
        form.error(LOGIN, TAKEN);
        return Ok(None);
    }
    Ok(Some(login.to_string()))
}

pub const TAKEN: &str = "логин уже Занят!";

/// The trimmed name, 1–255 characters.
pub fn check_fio(form: &mut FormView, submitted: &Form) -> Option<String> {
    let fio = submitted.str(FIO).trim();
    check_length(form, FIO, fio, 1, 255);
    form.field_mut(FIO)
        .errors
        .is_empty()
        .then(|| fio.to_string())
}

/// A write that hit the UNIQUE login key (another request took the login after the check) becomes
/// the field's error instead of a 500.
pub fn saved<T>(
    form: &mut FormView,
    result: Result<T, mysql::Error>,
) -> Result<Option<T>, AppError> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(e) if db::is_duplicate_key(&e) => {
            form.error(LOGIN, TAKEN);
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_shape() {
        for good in ["a", "ma1", "pet_r2", "z_"] {
            assert!(login_shape_ok(good), "{good}");
        }
        for bad in ["", "1a", "_a", "Ab", "a-b", "a b", "ива", "aé"] {
            assert!(!login_shape_ok(bad), "{bad}");
        }
    }
}
