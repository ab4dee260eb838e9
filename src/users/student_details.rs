//! `GET /users/student_details/<id>` (M, D, T): the student's card as staff see
//! it — name and state, login and last visit, profile, parents as links, memberships.

use crate::app::{AppError, Ctx, signed_in};
use crate::http::Response;
use crate::users::store::students;
use minijinja::context;
use minijinja::value::Serde;

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let id = ctx.params.id("id");
    let me = signed_in(&ctx.user)?;
    let header = students::header(&mut ctx.db, id, me, ctx.now)?.ok_or(AppError::NotFound)?;
    let (card, parents) = students::card(&mut ctx.db, id)?.ok_or(AppError::NotFound)?;
    let groups = students::memberships(&mut ctx.db, id, me, ctx.now)?;
    ctx.render(
        "users/student_details.html",
        context! {
            student => Serde(header),
            card => Serde(card),
            parents => Serde(parents),
            groups => Serde(groups),
        },
    )
}
