//! `GET /users/masters`, `/users/teachers` (M, D, T), `/users/bots` and `/users/developers` (D):
//! 20 a page, ordered by name or sorted by name or last visit; masters and teachers are searched by name (the bots and
//! developers lists have no search box, as in the original).

use crate::app::list::ListQuery;
use crate::app::{AppError, Ctx, signed_in};
use crate::http::Response;
use crate::users::store::people::PersonSort;
use crate::users::store::staff::{self, Which};
use minijinja::context;
use minijinja::value::Serde;

pub fn get<W: Which>(ctx: &mut Ctx) -> Result<Response, AppError> {
    let staff = &W::STAFF;
    let me = signed_in(&ctx.user)?;
    let mut q = ListQuery::parse(&ctx.query()?);
    if !staff.searchable {
        q.search.clear();
    }
    let (rows, total) = staff::page(&mut ctx.db, staff, &q, me, ctx.now)?;
    let url = ctx.url(&staff.list_path());
    let pages = q.pages(&url, total);
    ctx.render(
        "users/staff_list.html",
        context! {
            staff => Serde(staff),
            rows => Serde(rows),
            sorts => Serde(q.sort_links::<PersonSort>(&url)),
            search => q.search,
            pages => Serde(pages),
        },
    )
}
