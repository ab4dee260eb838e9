//! The page that is one form under a heading (`templates/form.html`): the add and edit pages of
//! every area, the login page and the password pages.

use super::forms::FormView;
use super::{AppError, Ctx};
use crate::http::Response;
use minijinja::context;
use minijinja::value::Serde;

/// Renders `form` with `title` in the browser's tab and `heading` above the form.
pub fn render(
    ctx: &mut Ctx,
    title: &str,
    heading: &str,
    form: FormView,
) -> Result<Response, AppError> {
    ctx.render(
        "form.html",
        context! { title, heading, form => Serde(form) },
    )
}
