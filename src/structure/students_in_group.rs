//! `GET, POST /structure/students_in_group/<group_id>` (group writers): who is
//! in the group. Works without JavaScript: members get a «убрать» checkbox; students to add are
//! found by name (`?search=`, words in any order, at most 30 shown) and get a «добавить»
//! checkbox. A member who has been present or has a confirmed payment («(f)») stays, whatever
//! the form says.

use crate::app::access::group_for_write;
use crate::app::list::{FOUND_AT_MOST, ListQuery};
use crate::app::{AppError, Ctx, Done};
use crate::http::Response;
use crate::ids::{GroupId, StudentId};
use crate::structure::store::{groups, members};
use minijinja::context;
use minijinja::value::Serde;

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let group_id = GroupId(ctx.params.id("group_id"));
    let group = group_for_write(ctx, group_id)?;
    let in_group = members::of_group(&mut ctx.db, group.id)?;
    let search = ListQuery::parse(&ctx.query()?);
    let (found, more) = match search.search.is_empty() {
        true => (Vec::new(), false),
        false => members::others_found(&mut ctx.db, group.id, &search)?,
    };
    let fixed: Vec<bool> = in_group.iter().map(members::Member::fixed).collect();
    ctx.render(
        "structure/students_in_group.html",
        context! {
            group => Serde(&group),
            group_search => groups::search_query(&group.name),
            members => Serde(&in_group),
            fixed,
            search => search.search,
            found => Serde(found),
            more,
            found_at_most => FOUND_AT_MOST,
        },
    )
}

/// Student ids of a multi-valued field; anything but an id is a bad request.
fn ids(values: Vec<&str>) -> Result<Vec<StudentId>, AppError> {
    values
        .into_iter()
        .map(|v| {
            v.trim()
                .parse()
                .map_err(|_| AppError::BadRequest(format!("неверный номер ученика: «{v}»")))
        })
        .collect()
}

pub fn post(ctx: &mut Ctx) -> Result<Response, AppError> {
    let group_id = GroupId(ctx.params.id("group_id"));
    let group = group_for_write(ctx, group_id)?;
    let form = &ctx.form;
    let add = ids(form.all("add"))?;
    let remove = ids(form.all("remove"))?;
    let current = members::of_group(&mut ctx.db, group.id)?;
    let others = members::others(&mut ctx.db, group.id)?;
    let mut logged = Vec::new();
    for student_id in add {
        if current.iter().any(|m| m.member.student_id == student_id) {
            continue;
        }
        if !others.iter().any(|(id, _)| *id == student_id) {
            return Err(AppError::BadRequest(format!(
                "нет ученика с номером {student_id}"
            )));
        }
        logged.push(members::add(&mut ctx.db, &group, student_id)?);
    }
    for m in current
        .iter()
        .filter(|m| remove.contains(&m.member.student_id))
    {
        let fio = &m.member.fio;
        if m.attended {
            ctx.flash(format!(
                "нельзя удалить {fio} из группы {}, так как он посещал занятия!",
                group.name
            ));
        } else if m.paid {
            ctx.flash(format!(
                "нельзя удалить {fio} из группы {}, так как он вносил подтвержденную оплату!",
                group.name
            ));
        } else {
            logged.push(members::remove(&mut ctx.db, &m.member, group.id)?);
        }
    }
    ctx.log_changes(&logged)?;
    let what = format!("список учеников в группе {}", group.name);
    ctx.flash_done(Done::new(what, "изменен", "."));
    Ok(ctx.redirect("/structure/groups"))
}
