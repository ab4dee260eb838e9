//! `GET /notifications/list` (M, D, T): masters see every notification (optionally one
//! sender's), teachers only their own; with the form that starts a new one for a group.

use super::store::{self, Filter};
use crate::app::list::ListQuery;
use crate::app::{AppError, Ctx, Refusal, signed_in};
use crate::http::Response;
use minijinja::context;
use minijinja::value::Serde;

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let user = signed_in(&ctx.user)?;
    let query = ctx.query()?;
    let list = ListQuery::parse(&query);
    // A malformed filter is "all", as the original's `type=int` default did.
    let sender_id: u32 = query.str("sender_id").trim().parse().unwrap_or(0);
    let filter = match (user.is_master, sender_id) {
        (false, _) => Filter::Sender(user.id),
        (true, 0) => Filter::All,
        (true, id) => Filter::Sender(id),
    };
    let tz = ctx.config.zone();
    let total = store::count(&mut ctx.db, filter)?;
    let rows = store::page(&mut ctx.db, filter, list.limit(), tz)?;
    // Anyone but a master on this page is a teacher, and sees only his own groups.
    let own_groups = match user.is_master {
        true => None,
        false => Some(
            user.teacher_id
                .ok_or(AppError::Refused(Refusal::NoTeacher))?,
        ),
    };
    let groups = store::groups(&mut ctx.db, own_groups)?;
    let senders = match user.is_master {
        true => store::senders(&mut ctx.db)?,
        false => Vec::new(),
    };
    let pages = list.pages(&ctx.url("/notifications/list"), total);
    ctx.render(
        "notifications/list.html",
        context! {
            notifications => Serde(rows),
            pages => Serde(pages),
            groups => Serde(groups),
            senders => Serde(senders),
            sender_id,
        },
    )
}
