//! Users: login and logout, passwords, mobile-app sessions, and the people pages (`/users/…`):
//! lists, registration and edit forms, student details and deletes.

pub mod account_form;
pub mod change_password;
pub mod delete;
pub mod force_change_password;
pub mod login;
pub mod logout;
pub mod logout_app;
pub mod password_form;
pub mod sessions;
pub mod staff_form;
pub mod staff_list;
pub mod store;
pub mod student_details;
pub mod student_fast;
pub mod student_form;
pub mod student_list;
pub mod student_list_xlsx;
pub mod translit;

use crate::app::forms::FormView;
use crate::app::{AppError, Ctx, form_page};
use crate::http::Response;

/// The registration or edit page of one kind of user (`class` is «руководителя», «ученика», …).
pub fn render_form(
    ctx: &mut Ctx,
    class: &str,
    editing: bool,
    form: FormView,
) -> Result<Response, AppError> {
    let (title, heading) = match editing {
        true => (
            format!("редактирование {class}"),
            format!("редактирование {class}"),
        ),
        false => (
            format!("регистрация {class}"),
            format!("регистрация нового {class}"),
        ),
    };
    form_page::render(ctx, &title, &heading, form)
}
