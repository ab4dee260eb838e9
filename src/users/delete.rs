//! `POST /users/delete_<role>/<id>` (masters, teachers: M, D; students: M, D, T; bots,
//! developers: D): refused with 409 and no change when the user may not go (a teacher with groups
//! or lessons, a student with memberships or attendance, oneself); otherwise the account goes
//! with everything that points at it, in the request's transaction, and the visitor returns to
//! the list they came from.

use crate::app::list::back_to_list;
use crate::app::{AppError, Ctx, Done};
use crate::auth::Role;
use crate::http::Response;
use crate::users::store;
use crate::users::store::staff::{self, Which};
use crate::users::store::students;

pub fn staff<W: Which>(ctx: &mut Ctx) -> Result<Response, AppError> {
    let staff = &W::STAFF;
    let id = ctx.params.id("id");
    let account = staff::find(&mut ctx.db, staff, id)?.ok_or(AppError::NotFound)?;
    let blocked = match staff.role {
        Role::Teacher => staff::teacher_blocker(&mut ctx.db, id)?,
        Role::Master | Role::Developer if account.user_id == ctx.user()?.id => {
            Some("нельзя удалить самого себя")
        }
        _ => None,
    };
    if let Some(reason) = blocked {
        return Err(AppError::Conflict(format!(
            "{} {} не удалён: {reason}",
            staff.noun, account.fio
        )));
    }
    store::delete_system_user(&mut ctx.db, account.user_id, staff.role)?;
    ctx.flash_done(Done::new(
        format!("{} {}", staff.noun, account.fio),
        "удалён",
        "",
    ));
    Ok(back_to_list(ctx, &staff.list_path()))
}

pub fn student(ctx: &mut Ctx) -> Result<Response, AppError> {
    let id = ctx.params.id("id");
    let student = students::lock(&mut ctx.db, id)?.ok_or(AppError::NotFound)?;
    if let Some(reason) = student.blocked {
        return Err(AppError::Conflict(format!(
            "ученик {} не удалён: {reason}",
            student.fio
        )));
    }
    store::delete_system_user(&mut ctx.db, student.user_id, Role::Student)?;
    ctx.flash_done(Done::new(format!("ученик {}", student.fio), "удалён", ""));
    Ok(back_to_list(ctx, "/users/students"))
}
