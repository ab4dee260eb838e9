//! `GET /structure/schools` and `/structure/citizenships` (M, D): names with their
//! number of students, search, 20 a page, edit and delete buttons.

use crate::app::list::ListQuery;
use crate::app::{AppError, Ctx};
use crate::http::Response;
use crate::structure::store::catalog::{self, Which};
use minijinja::context;
use minijinja::value::Serde;

pub fn get<C: Which>(ctx: &mut Ctx) -> Result<Response, AppError> {
    let c = &C::CATALOG;
    let q = ListQuery::parse(&ctx.query()?);
    let (rows, total) = catalog::page(&mut ctx.db, c, &q)?;
    let pages = q.pages(&ctx.url(c.list_path), total);
    ctx.render(
        "structure/catalog_list.html",
        context! {
            catalog => Serde(c),
            rows => Serde(rows),
            search => q.search,
            pages => Serde(pages),
        },
    )
}
