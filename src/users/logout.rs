//! `POST /users/logout` (web-ui.md §3.2; a POST with CSRF, decisions.md §9).

use crate::app::{AppError, Ctx};
use crate::http::Response;

pub fn post(ctx: &mut Ctx) -> Result<Response, AppError> {
    ctx.session.log_out();
    ctx.flash("вы вышли из системы");
    Ok(ctx.redirect("/users/login"))
}
