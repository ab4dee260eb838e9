//! The seven `*_list` endpoints: search, offset and count as in src/api/README.md §8.

use super::groups::{GroupBrief, briefs, list_json};
use super::json::json;
use super::json::list_page;
use super::people::{staff_list, students_list as students_page};
use crate::app::{AppError, Ctx, authenticated};
use crate::auth::{Caller, Role};
use crate::http::Response;
use crate::structure::store::groups::Briefs;
use crate::structure::store::sections::{Sections, priced};
use mysql::Conn;
use serde_json::{Value, json};

/// `Section` objects, each with its groups (read for all of them at once).
pub fn sections_json(
    conn: &mut Conn,
    caller: &Caller,
    which: Sections,
) -> mysql::Result<Vec<Value>> {
    let sections = priced(conn, which)?;
    let ids: Vec<u32> = sections.iter().map(|(id, _)| *id).collect();
    let groups = match ids.is_empty() {
        true => Vec::new(),
        false => briefs(conn, caller, Briefs::OfSections(&ids))?,
    };
    Ok(sections
        .into_iter()
        .map(|(id, s)| {
            let own: Vec<&GroupBrief> =
                groups.iter().filter(|g| g.group.section_id == id).collect();
            json!({
                "groups": own.iter().map(|g| g.json(caller)).collect::<Vec<_>>(),
                "id": id,
                "name": s.name,
                "price": s.price,
            })
        })
        .collect())
}

pub fn sections_list(ctx: &mut Ctx) -> Result<Response, AppError> {
    let caller = authenticated(&ctx.caller)?;
    let list = list_page(ctx)?;
    let sections = sections_json(&mut ctx.db, caller, Sections::Named(&list))?;
    Ok(json(200, &sections))
}

pub fn groups_list(ctx: &mut Ctx) -> Result<Response, AppError> {
    let caller = authenticated(&ctx.caller)?;
    let list = list_page(ctx)?;
    let groups = briefs(&mut ctx.db, caller, Briefs::Named(&list))?;
    Ok(json(200, &list_json(&groups, caller)))
}

fn staff(ctx: &mut Ctx, role: Role) -> Result<Response, AppError> {
    let caller = authenticated(&ctx.caller)?;
    let list = list_page(ctx)?;
    let today = ctx.today();
    let people = staff_list(&mut ctx.db, caller, today, role, &list)?;
    Ok(json(200, &people.views(caller)))
}

pub fn teachers_list(ctx: &mut Ctx) -> Result<Response, AppError> {
    staff(ctx, Role::Teacher)
}

pub fn masters_list(ctx: &mut Ctx) -> Result<Response, AppError> {
    staff(ctx, Role::Master)
}

pub fn bots_list(ctx: &mut Ctx) -> Result<Response, AppError> {
    staff(ctx, Role::Bot)
}

pub fn developers_list(ctx: &mut Ctx) -> Result<Response, AppError> {
    staff(ctx, Role::Developer)
}

pub fn students_list(ctx: &mut Ctx) -> Result<Response, AppError> {
    let caller = authenticated(&ctx.caller)?;
    let list = list_page(ctx)?;
    let students = students_page(&mut ctx.db, caller, &list)?;
    Ok(json(200, &students))
}
