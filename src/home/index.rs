//! `GET /` (everyone): greeting, the overview, a link to the sessions, and the student's own card.

use super::student_card;
use crate::app::{AppError, Ctx};
use crate::http::Response;
use minijinja::context;
use minijinja::value::Serde;

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let Some(user) = ctx.user.clone() else {
        return ctx.render("home/index.html", context! { hide_acting_as => true });
    };
    let card = match user.student_id {
        Some(student_id) => student_card::load(&mut ctx.db, student_id)?,
        None => None,
    };
    ctx.render(
        "home/index.html",
        context! {
            hide_acting_as => true,
            student_card => Serde(card.as_ref().map(|c| &c.card)),
            parents => Serde(card.as_ref().map(|c| &c.parents)),
            groups => Serde(card.as_ref().map(|c| &c.groups)),
        },
    )
}
