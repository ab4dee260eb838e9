//! `POST /users/logout` (any logged-in user; a POST with CSRF, where the original logged out on a
//! GET link).

use crate::app::{AppError, Ctx};
use crate::http::Response;

pub fn post(ctx: &mut Ctx) -> Result<Response, AppError> {
    ctx.session.log_out();
    ctx.flash("вы вышли из системы");
    Ok(ctx.redirect("/users/login"))
}
