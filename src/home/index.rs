//! `GET /` (everyone): greeting, app sessions, and the student's own card.

use super::student_card;
use crate::app::{AppError, Ctx};
use crate::http::Response;
use crate::time::format_datetime;
use crate::users::store;
use minijinja::context;
use minijinja::value::Serde;

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let Some(user) = ctx.user.clone() else {
        return ctx.render("home/index.html", context! { hide_acting_as => true });
    };
    let tz = ctx.config.zone();
    let show = |t: Option<chrono::NaiveDateTime>| {
        t.map(|t| format_datetime(t, tz))
            .unwrap_or_else(|| "—".into())
    };
    let tokens: Vec<_> = store::app_sessions(&mut ctx.db, user.id, ctx.now)?
        .into_iter()
        .map(|s| {
            context! { id => s.id, device => s.device, app_version => s.app_version,
            last_use => show(s.last_use), expires => show(s.expires) }
        })
        .collect();
    let card = match user.student_id {
        Some(student_id) => student_card::load(&mut ctx.db, student_id)?,
        None => None,
    };
    ctx.render(
        "home/index.html",
        context! {
            hide_acting_as => true,
            tokens,
            student_card => Serde(card.as_ref().map(|c| &c.card)),
            parents => Serde(card.as_ref().map(|c| &c.parents)),
            groups => Serde(card.as_ref().map(|c| &c.groups)),
        },
    )
}
