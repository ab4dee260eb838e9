//! Blueprint `structure` (web-ui.md §4): the centre's dictionaries and groups. So far: sections
//! (§4.5), schools and citizenships (§4.6).

pub mod catalog;
pub mod catalog_delete;
pub mod catalog_form;
pub mod catalog_list;
pub mod names;
pub mod section_delete;
pub mod section_form;
pub mod section_list;
pub mod sections;

use crate::app::forms::FormView;
use crate::app::{AppError, Ctx};
use crate::http::Response;
use minijinja::context;
use minijinja::value::Serde;

/// Flashes a success message, saying so when a read-only developer's change will be rolled back
/// (decisions.md §8: never claim a save that did not happen).
pub fn flash_done(ctx: &mut Ctx, message: String) {
    if ctx.read_only() {
        ctx.flash(format!("{message} (режим только чтения: не сохранено)"));
    } else {
        ctx.flash(message);
    }
}

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
    ctx.render(
        "structure/form_add_edit.html",
        context! { title, form => Serde(form) },
    )
}

/// «создать» on an add form, «сохранить» on an edit form.
pub fn submit_label(editing: bool) -> &'static str {
    if editing {
        "сохранить"
    } else {
        "создать"
    }
}
