//! `GET /structure/parents` (M, D, T): parents by FIO with their children and
//! channels, filtered by a search and by a group (the parents of its members).

use crate::app::list::ListQuery;
use crate::app::{AppError, Ctx, signed_in};
use crate::http::Response;
use crate::ids::GroupId;
use crate::structure::list_filter;
use crate::structure::store::{groups, parents};
use minijinja::context;
use minijinja::value::Serde;

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let me = signed_in(&ctx.user)?;
    let query = ctx.query()?;
    let q = ListQuery::parse(&query);
    let groups = groups::for_user(&mut ctx.db, me.teacher_id)?;
    let (group_id, group_name) = list_filter(&query, "group_id", &groups)?.unzip();
    let group_id = group_id.map(GroupId);
    let (rows, total) = parents::page(&mut ctx.db, &q, group_id)?;
    let url = ctx.url("/structure/parents");
    let pages = q.pages(&url, total);
    ctx.render(
        "structure/parent_list.html",
        context! {
            rows => Serde(rows),
            sorts => Serde(q.sort_links::<parents::ParentSort>(&url)),
            search => q.search,
            groups => Serde(groups),
            group_id => group_id.map_or(0, u32::from),
            group_name => group_name.unwrap_or_default(),
            pages => Serde(pages),
        },
    )
}
