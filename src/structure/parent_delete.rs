//! `POST /structure/delete_parent/<id>` (web-ui.md §4.7, §1.10): refused with 409 while the
//! parent is linked to a student.

use crate::app::list;
use crate::app::{AppError, Ctx};
use crate::http::Response;
use crate::structure::{flash_done, parents};

pub fn post(ctx: &mut Ctx) -> Result<Response, AppError> {
    let id = ctx.params.id("id");
    let (fio, children) = parents::lock(&mut ctx.db, id)?.ok_or(AppError::NotFound)?;
    if children > 0 {
        return Err(AppError::Conflict(format!(
            "родителя «{fio}» нельзя удалить: он указан у учеников ({children})"
        )));
    }
    parents::delete(&mut ctx.db, id)?;
    flash_done(ctx, format!("родитель {fio} удален"));
    Ok(list::back_to_list(ctx, "/structure/parents"))
}
