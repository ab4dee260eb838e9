//! The «новый пароль» + «подтверждение» pair shared by the change and reset forms.

use crate::app::forms::{Field, FormView, Kind, check_length, check_required};
use crate::http::Form;

pub const NEW: &str = "password";
pub const CONFIRM: &str = "password_confirm";

pub fn fields() -> Vec<Field> {
    vec![
        Field::new(Kind::Password, NEW, "новый пароль")
            .required()
            .max_length(255),
        Field::new(Kind::Password, CONFIRM, "подтверждение нового пароля")
            .required()
            .max_length(255),
    ]
}

/// Checks the pair and returns the new password when it is acceptable.
pub fn validate(view: &mut FormView, form: &Form) -> Option<String> {
    let (new, confirm) = (form.str(NEW), form.str(CONFIRM));
    check_length(view, NEW, new, 1, 255);
    check_required(view, CONFIRM, confirm);
    if !confirm.is_empty() && new != confirm {
        view.error(CONFIRM, "пароли должны совпадать");
    }
    (!view.has_errors()).then(|| new.to_string())
}
