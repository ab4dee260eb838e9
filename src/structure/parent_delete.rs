//! `POST /structure/delete_parent/<id>` (M, D, T): refused with 409 while the
//! parent is linked to a student.

use crate::app::list;
use crate::app::{AppError, Ctx, Done};
use crate::http::Response;
use crate::structure::store::parents;

pub fn post(ctx: &mut Ctx) -> Result<Response, AppError> {
    let id = ctx.params.id("id");
    let (fio, children) = parents::lock(&mut ctx.db, id)?.ok_or(AppError::NotFound)?;
    if children > 0 {
        return Err(AppError::Conflict(format!(
            "родителя «{fio}» нельзя удалить: он указан у учеников ({children})"
        )));
    }
    parents::delete(&mut ctx.db, id)?;
    ctx.flash_done(Done::new(format!("родитель {fio}"), "удален", ""));
    Ok(list::back_to_list(ctx, "/structure/parents"))
}
