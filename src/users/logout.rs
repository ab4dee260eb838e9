//! `POST /users/logout` (any logged-in user; a POST with CSRF, where the original logged out on a
//! GET link).

use crate::app::{AppError, Ctx};
use crate::auth::web_sessions;
use crate::http::Response;

pub fn post(ctx: &mut Ctx) -> Result<Response, AppError> {
    // The session's row goes: a copy of the cookie opens nothing any more.
    if let Some(me) = &ctx.user {
        web_sessions::end(&mut ctx.db, me.id, me.session_id)?;
    }
    ctx.session.log_out();
    ctx.flash("вы вышли из системы");
    Ok(ctx.redirect("/users/login"))
}
