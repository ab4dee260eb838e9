//! `GET /change_log` — «журнал изменений» (M, D): every change of payments, attendance marks,
//! memberships and accounts, newest first, 20 a page; filtered by student (`student_id`, the
//! student's page links here), group (`group_id`, the payments grid links here), user
//! (`user_id`) and local dates (`from`, `to`, both included). Times are shown in the centre's
//! zone.

use crate::app::list::ListQuery;
use crate::app::{AppError, Ctx};
use crate::db::change_log::{self, Filter, start_of};
use crate::http::Response;
use crate::ids::{GroupId, StudentId};
use crate::structure::store::groups;
use crate::time::format_datetime;
use chrono::{Days, NaiveDate};
use minijinja::context;
use minijinja::value::Serde;

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let query = ctx.query()?;
    let id = |name: &str| query.positive_id(name);
    let date = |name: &str| NaiveDate::parse_from_str(query.str(name).trim(), "%Y-%m-%d").ok();
    let zone = ctx.config.zone();
    let (from, to) = (date("from"), date("to"));
    let filter = Filter {
        student_id: id("student_id").map(StudentId),
        group_id: id("group_id").map(GroupId),
        user_id: id("user_id"),
        from: from.map(|d| start_of(d, zone)),
        to: to
            .and_then(|d| d.checked_add_days(Days::new(1)))
            .map(|d| start_of(d, zone)),
    };
    let list = ListQuery::parse(&query);
    let total = change_log::count(&mut ctx.db, &filter)?;
    let entries = change_log::page(&mut ctx.db, &filter, list.limit())?;
    let times: Vec<String> = entries
        .iter()
        .map(|e| format_datetime(e.changed_at, zone))
        .collect();
    let pages = list.pages(&ctx.url("/change_log"), total);
    let authors = change_log::authors(&mut ctx.db)?;
    let group_choices = groups::for_user(&mut ctx.db, None)?;
    ctx.render(
        "dev/change_log.html",
        context! {
            entries => Serde(&entries),
            times,
            total,
            pages => Serde(pages),
            authors,
            groups => group_choices,
            student_id => filter.student_id.map_or(0, u32::from),
            group_id => filter.group_id.map_or(0, u32::from),
            user_id => filter.user_id.unwrap_or(0),
            from => from.map(|d| d.to_string()).unwrap_or_default(),
            to => to.map(|d| d.to_string()).unwrap_or_default(),
        },
    )
}
