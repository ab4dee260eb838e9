//! The seven `*_list` endpoints: search, offset and count as in src/api/README.md §8.

use super::groups::{groups_json, groups_where, list_json};
use super::json::json;
use super::people::{Staff, staff_list, students_list as students_page};
use super::sql::{ListQuery, PAGE, at};
use crate::app::{AppError, Ctx, authenticated};
use crate::auth::Caller;
use crate::http::Response;
use mysql::prelude::Queryable;
use mysql::{Conn, Params, Row, Value as Db};
use serde_json::{Value, json};

/// `Section` objects for sections matching a fixed condition (with ordering and paging).
pub fn sections_where(
    conn: &mut Conn,
    caller: &Caller,
    filter: &str,
    params: Vec<Db>,
) -> mysql::Result<Vec<Value>> {
    let rows: Vec<Row> = conn.exec(
        format!("SELECT id, name, price FROM sections WHERE {filter}"),
        Params::Positional(params),
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let id: u32 = at(row, 0)?;
        out.push(json!({
            "groups": groups_json(conn, caller, "g.section_id = ?", vec![id.into()])?,
            "id": id,
            "name": at::<String>(row, 1)?,
            "price": at::<i64>(row, 2)?,
        }));
    }
    Ok(out)
}

pub fn sections_list(ctx: &mut Ctx) -> Result<Response, AppError> {
    let caller = authenticated(&ctx.caller)?;
    let list = ListQuery::of(ctx)?;
    let sections = sections_where(
        &mut ctx.db,
        caller,
        &format!("LOWER(name) LIKE LOWER(?) ORDER BY name, id {PAGE}"),
        list.params(),
    )?;
    Ok(json(200, &sections.into()))
}

pub fn groups_list(ctx: &mut Ctx) -> Result<Response, AppError> {
    let caller = authenticated(&ctx.caller)?;
    let list = ListQuery::of(ctx)?;
    let groups = groups_where(
        &mut ctx.db,
        caller,
        "LOWER(g.name) LIKE LOWER(?)",
        vec![list.pattern.clone().into()],
        PAGE,
        vec![list.limit.into(), list.offset.into()],
    )?;
    Ok(json(200, &list_json(&groups, caller)))
}

fn staff(ctx: &mut Ctx, kind: Staff) -> Result<Response, AppError> {
    let caller = authenticated(&ctx.caller)?;
    let list = ListQuery::of(ctx)?;
    let today = ctx.today();
    let people = staff_list(&mut ctx.db, caller, today, kind, &list)?;
    Ok(json(200, &people.into()))
}

pub fn teachers_list(ctx: &mut Ctx) -> Result<Response, AppError> {
    staff(ctx, Staff::Teacher)
}

pub fn masters_list(ctx: &mut Ctx) -> Result<Response, AppError> {
    staff(ctx, Staff::Master)
}

pub fn bots_list(ctx: &mut Ctx) -> Result<Response, AppError> {
    staff(ctx, Staff::Bot)
}

pub fn developers_list(ctx: &mut Ctx) -> Result<Response, AppError> {
    staff(ctx, Staff::Developer)
}

pub fn students_list(ctx: &mut Ctx) -> Result<Response, AppError> {
    let caller = authenticated(&ctx.caller)?;
    let list = ListQuery::of(ctx)?;
    let students = students_page(&mut ctx.db, caller, &list)?;
    Ok(json(200, &students.into()))
}
