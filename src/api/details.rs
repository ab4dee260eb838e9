//! The `*_details/<id>` endpoints: one object by its details id (`students.id`, `teachers.id`, …,
//! never `system_users.id`), 404
//! when there is none.

use super::groups::{self, full_json};
use super::json::json;
use super::lists::sections_json;
use super::people::{staff_by_id, student_full};
use crate::app::{AppError, Ctx, authenticated};
use crate::auth::Role;
use crate::http::Response;
use crate::ids::GroupId;
use crate::structure::store::sections::Sections;
use serde_json::Value;

fn found(value: Option<Value>) -> Result<Response, AppError> {
    value.map(|v| json(200, &v)).ok_or(AppError::NotFound)
}

pub fn student(ctx: &mut Ctx) -> Result<Response, AppError> {
    let caller = authenticated(&ctx.caller)?;
    let id = ctx.params.id("student_id");
    found(student_full(&mut ctx.db, caller, id)?)
}

pub fn group(ctx: &mut Ctx) -> Result<Response, AppError> {
    let caller = authenticated(&ctx.caller)?;
    let id = GroupId(ctx.params.id("group_id"));
    let g = groups::group(&mut ctx.db, caller, id)?.ok_or(AppError::NotFound)?;
    let today = ctx.today();
    Ok(json(200, &full_json(&mut ctx.db, caller, &g, today)?))
}

pub fn section(ctx: &mut Ctx) -> Result<Response, AppError> {
    let caller = authenticated(&ctx.caller)?;
    let id = ctx.params.id("section_id");
    let sections = sections_json(&mut ctx.db, caller, Sections::One(id))?;
    found(sections.into_iter().next())
}

fn staff(ctx: &mut Ctx, role: Role, param: &str) -> Result<Response, AppError> {
    let caller = authenticated(&ctx.caller)?;
    let id = ctx.params.id(param);
    let today = ctx.today();
    found(staff_by_id(&mut ctx.db, caller, today, role, id)?.first_json(caller))
}

pub fn teacher(ctx: &mut Ctx) -> Result<Response, AppError> {
    staff(ctx, Role::Teacher, "teacher_id")
}

pub fn master(ctx: &mut Ctx) -> Result<Response, AppError> {
    staff(ctx, Role::Master, "master_id")
}

pub fn developer(ctx: &mut Ctx) -> Result<Response, AppError> {
    staff(ctx, Role::Developer, "developer_id")
}

pub fn bot(ctx: &mut Ctx) -> Result<Response, AppError> {
    staff(ctx, Role::Bot, "bot_id")
}
