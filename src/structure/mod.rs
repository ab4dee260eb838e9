//! Blueprint `structure` (the `/structure/…` pages): the centre's dictionaries and groups —
//! sections, schools and citizenships, parents, groups and their members (students in group,
//! group details, login table).

pub mod catalog_delete;
pub mod catalog_form;
pub mod catalog_list;
pub mod group_delete;
pub mod group_details;
pub mod group_form;
pub mod group_list;
pub mod login_table;
pub mod names;
pub mod parent_delete;
pub mod parent_form;
pub mod parent_list;
pub mod section_delete;
pub mod section_form;
pub mod section_list;
pub mod store;
pub mod students_in_group;

use crate::app::forms::FormView;
use crate::app::{AppError, Ctx, form_page};
use crate::http::Response;

/// The shared add/edit page: «создание <what>» or «редактирование <what>».
pub fn render_form(
    ctx: &mut Ctx,
    what: &str,
    editing: bool,
    form: FormView,
) -> Result<Response, AppError> {
    let title = match editing {
        true => format!("редактирование {what}"),
        false => format!("создание {what}"),
    };
    form_page::render(ctx, &title, &title, form)
}

/// «создать» on an add form, «сохранить» on an edit form.
pub fn submit_label(editing: bool) -> &'static str {
    if editing {
        "сохранить"
    } else {
        "создать"
    }
}

/// A list's select filter `?<name>=<id>` among `choices`: 0, missing or not a number is «все»
/// (the original's `type=int` with default 0) and gives `None`; an id that is not a choice is
/// 404. Returns the id and the chosen label.
pub fn list_filter(
    query: &crate::http::Form,
    name: &str,
    choices: &[(u32, String)],
) -> Result<Option<(u32, String)>, AppError> {
    let id: u32 = query.str(name).trim().parse().unwrap_or(0);
    if id == 0 {
        return Ok(None);
    }
    let (_, label) = choices
        .iter()
        .find(|(choice, _)| *choice == id)
        .ok_or(AppError::NotFound)?;
    Ok(Some((id, label.clone())))
}
