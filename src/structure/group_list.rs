//! `GET /structure/groups` (M, D, T): groups in the "for current user" order or sorted by name
//! or start month,
//! filtered by teacher and by a search on the name; the money and member columns for writers.

use crate::app::list::ListQuery;
use crate::app::{AppError, Ctx, signed_in};
use crate::http::Response;
use crate::ids::TeacherId;
use crate::structure::list_filter;
use crate::structure::store::groups;
use minijinja::context;
use minijinja::value::Serde;

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let me = signed_in(&ctx.user)?;
    let query = ctx.query()?;
    let q = ListQuery::parse(&query);
    let teachers = groups::teachers(&mut ctx.db)?;
    let (teacher_id, teacher_fio) = list_filter(&query, "teacher_id", &teachers)?.unzip();
    let teacher_id = teacher_id.map(TeacherId);
    let (rows, total) = groups::page(&mut ctx.db, &q, teacher_id, me)?;
    let url = ctx.url("/structure/groups");
    let pages = q.pages(&url, total);
    ctx.render(
        "structure/group_list.html",
        context! {
            rows => Serde(rows),
            sorts => Serde(q.sort_links::<groups::GroupSort>(&url)),
            search => q.search,
            teachers => Serde(teachers),
            teacher_id => teacher_id.map_or(0, u32::from),
            teacher_fio => teacher_fio.unwrap_or_default(),
            pages => Serde(pages),
        },
    )
}
