//! `POST /structure/delete_school/<id>` and `/structure/delete_citizenship/<id>` (M, D): refused
//! with 409 while students point at the row.

use crate::app::list;
use crate::app::{AppError, Ctx, Done};
use crate::http::Response;
use crate::structure::store::catalog::{self, Which};

pub fn post<C: Which>(ctx: &mut Ctx) -> Result<Response, AppError> {
    let c = &C::CATALOG;
    let id = ctx.params.id("id");
    let name = catalog::lock(&mut ctx.db, c, id)?.ok_or(AppError::NotFound)?;
    let students = catalog::students(&mut ctx.db, c, id)?;
    if students > 0 {
        return Err(AppError::Conflict(format!(
            "{} «{name}» нельзя удалить: {} ({students})",
            c.accusative, c.in_use
        )));
    }
    catalog::delete(&mut ctx.db, c, id)?;
    ctx.flash_done(Done::new(format!("{} {name}", c.noun), c.deleted, ""));
    Ok(list::back_to_list(ctx, c.list_path))
}
