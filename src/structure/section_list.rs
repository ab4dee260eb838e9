//! `GET /structure/sections` (M, D, T): sections by name with their price and
//! groups; masters and developers also get add, edit and delete. The original accepted a POST
//! here and answered it like a GET; so does this page.

use crate::app::list::ListQuery;
use crate::app::{AppError, Ctx, signed_in};
use crate::http::Response;
use crate::structure::store::sections;
use minijinja::context;
use minijinja::value::Serde;

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let me = signed_in(&ctx.user)?;
    let q = ListQuery::parse(&ctx.query()?);
    let (rows, total) = sections::page(&mut ctx.db, &q, me)?;
    let pages = q.pages(&ctx.url("/structure/sections"), total);
    ctx.render(
        "structure/section_list.html",
        context! { rows => Serde(rows), search => q.search, pages => Serde(pages) },
    )
}
