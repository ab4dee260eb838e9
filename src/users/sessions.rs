//! `/users/sessions` «мои сеансы» (every signed-in user): the browsers signed in to the site and,
//! for staff, the mobile-app sessions, each with «завершить», and «завершить все, кроме этого».

use crate::app::{AppError, Ctx};
use crate::auth::session;
use crate::auth::web_sessions;
use crate::http::Response;
use crate::time::format_datetime;
use crate::users::store;
use minijinja::context;

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let (me, this, is_student) = ctx.user().map(|u| (u.id, u.session_id, u.is_student))?;
    let tz = ctx.config.zone();
    let show = |t: Option<chrono::NaiveDateTime>| {
        t.map(|t| format_datetime(t, tz))
            .unwrap_or_else(|| "—".into())
    };
    // Rows whose password changed are dead already: they are not shown.
    let tag = session::password_tag(ctx.key(), &ctx.user()?.password_hash);
    let browsers: Vec<_> = web_sessions::of_user(&mut ctx.db, me, ctx.now)?
        .into_iter()
        .filter(|s| s.password_tag == tag)
        .map(|s| {
            context! { id => s.id, browser => s.browser, created => show(Some(s.created)),
            last_seen => show(Some(s.last_seen)), remember => s.remember, this => s.id == this }
        })
        .collect();
    let tokens: Vec<_> = match is_student {
        true => Vec::new(),
        false => store::app_sessions(&mut ctx.db, me, ctx.now)?
            .into_iter()
            .map(|s| {
                context! { id => s.id, device => s.device, app_version => s.app_version,
                last_use => show(s.last_use), expires => show(s.expires) }
            })
            .collect(),
    };
    ctx.render("users/sessions.html", context! { browsers, tokens })
}

/// Ends one of the user's own browser sessions (this one too: then the user is signed out).
pub fn post_end(ctx: &mut Ctx) -> Result<Response, AppError> {
    let (me, this) = ctx.user().map(|u| (u.id, u.session_id))?;
    let id = ctx.params.id("session_id");
    if !web_sessions::end(&mut ctx.db, me, id)? {
        return Err(AppError::NotFound);
    }
    if id == this {
        ctx.session.log_out();
        ctx.flash("вы вышли из системы");
        return Ok(ctx.redirect("/users/login"));
    }
    ctx.flash("сеанс завершен");
    Ok(ctx.redirect("/users/sessions"))
}

pub fn post_end_others(ctx: &mut Ctx) -> Result<Response, AppError> {
    let (me, this) = ctx.user().map(|u| (u.id, u.session_id))?;
    web_sessions::end_all_but(&mut ctx.db, me, Some(this))?;
    ctx.flash("все другие сеансы на сайте завершены");
    Ok(ctx.redirect("/users/sessions"))
}
