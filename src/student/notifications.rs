//! `/student/notifications` (students only): notifications to the student's groups (also those
//! sent before the student joined) and to the student's own memberships, newest first, without
//! the receivers' addresses.

use crate::app::list::ListQuery;
use crate::app::{AppError, Ctx};
use crate::http::Response;
use crate::notifications::store;
use minijinja::context;
use minijinja::value::Serde;

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let student_id = super::me(ctx)?;
    let tz = ctx.config.zone();
    let list = ListQuery::parse(&ctx.query()?);
    let (notifications, total) = store::for_student(&mut ctx.db, student_id, list.limit(), tz)?;
    let pages = list.pages(&ctx.url("/student/notifications"), total);
    ctx.render(
        "student/notifications.html",
        context! { notifications => Serde(notifications), pages => Serde(pages) },
    )
}
