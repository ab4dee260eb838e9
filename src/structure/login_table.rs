//! `GET /structure/login_table/<group_id>` (M, D, T): the members' logins with
//! the address of the site, meant to be printed and handed out.

use crate::app::access::group_for_read;
use crate::app::{AppError, Ctx};
use crate::http::Response;
use crate::ids::GroupId;
use crate::structure::store::{groups, members};
use minijinja::context;
use minijinja::value::Serde;

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let group_id = GroupId(ctx.params.id("group_id"));
    let group = group_for_read(ctx, group_id)?;
    let rows = members::logins(&mut ctx.db, group.id)?;
    // The original printed its own host name; this prints the one the page was opened on.
    let scheme = if ctx.req.https { "https" } else { "http" };
    let site = format!("{scheme}://{}{}/", ctx.req.host, ctx.config.site.url_prefix);
    ctx.render(
        "structure/login_table.html",
        context! {
            group => Serde(&group),
            group_search => groups::search_query(&group.name),
            rows => Serde(rows),
            site,
        },
    )
}
