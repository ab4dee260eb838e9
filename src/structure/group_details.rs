//! `GET, POST /structure/group_details/<group_id>`: the members' months of
//! entering and leaving and their discounts. Any staff member may look; group writers change
//! the months, masters and developers also the discounts. A member's months cannot be moved
//! past his presences or confirmed payments.

use crate::app::access::{GroupRef, group_for_read, group_for_write};
use crate::app::{AppError, Ctx, Done};
use crate::http::{Form, Response};
use crate::ids::GroupId;
use crate::month::Month;
use crate::structure::store::groups;
use crate::structure::store::members::{self, Member};
use minijinja::context;
use minijinja::value::Serde;
use serde::Serialize;

#[derive(Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    member: &'a Member,
    enter_name: String,
    exit_name: String,
    /// (month number, name) choices of the enter and exit selects.
    enter_choices: Vec<(i32, String)>,
    exit_choices: Vec<(i32, String)>,
}

fn choices(from: Month, to: Month) -> Vec<(i32, String)> {
    (from.0..=to.0).map(|m| (m, Month(m).name())).collect()
}

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let group_id = GroupId(ctx.params.id("group_id"));
    let group = group_for_read(ctx, group_id)?;
    let list = members::of_group(&mut ctx.db, group.id)?;
    let rows: Vec<Row> = list
        .iter()
        .map(|m| {
            let (first, last) = match m.used {
                Some((first, last)) => (first, last),
                None => (group.end_month, group.start_month),
            };
            Row {
                member: m,
                enter_name: m.member.enter_month.name(),
                exit_name: m.member.exit_month.name(),
                enter_choices: choices(group.start_month, first.min(group.end_month)),
                exit_choices: choices(last.max(group.start_month), group.end_month),
            }
        })
        .collect();
    let master = ctx.user()?.is_master;
    ctx.render(
        "structure/group_details.html",
        context! {
            group => Serde(&group),
            group_search => groups::search_query(&group.name),
            rows => Serde(rows),
            master,
        },
    )
}

/// A month number as submitted; missing or not a number reads as 0, like the original.
fn month_field(form: &Form, name: &str) -> Month {
    Month(form.str(name).trim().parse().unwrap_or(0))
}

/// The enter month if it lies within the group period and not after the member's first presence
/// or confirmed payment (checked in the original's order), or the message why not.
fn check_enter(g: &GroupRef, m: &Member, enter: Month) -> Result<Month, &'static str> {
    if enter < g.start_month {
        Err("ученик не может войти раньше начала группы")
    } else if enter > g.end_month {
        Err("ученик не может войти позже конца группы")
    } else if m.used.is_some_and(|(first, _)| enter > first) {
        Err("ученик не может войти позже посещения или оплаты")
    } else {
        Ok(enter)
    }
}

fn check_exit(g: &GroupRef, m: &Member, exit: Month) -> Result<Month, &'static str> {
    if exit < g.start_month {
        Err("ученик не может выйти раньше начала группы")
    } else if exit > g.end_month {
        Err("ученик не может выйти позже конца группы")
    } else if m.used.is_some_and(|(_, last)| exit < last) {
        Err("ученик не может выйти раньше посещения или оплаты")
    } else {
        Ok(exit)
    }
}

/// The discount if it is a whole number of rubles from 0 to the section price.
fn check_discount(g: &GroupRef, raw: &str) -> Result<i32, &'static str> {
    match raw.trim().parse::<i64>() {
        Err(_) => Err("скидка должна быть целым числом"),
        Ok(d) if d > i64::from(g.price) => Err("скидка не может быть больше стоимости"),
        Ok(d) if d < 0 => Err("скидка не может быть меньше нуля!"),
        Ok(d) => Ok(d as i32),
    }
}

pub fn post(ctx: &mut Ctx) -> Result<Response, AppError> {
    let group_id = GroupId(ctx.params.id("group_id"));
    let group = group_for_write(ctx, group_id)?;
    let master = ctx.user()?.is_master;
    let form = &ctx.form;
    let mut logged = Vec::new();
    for m in members::of_group(&mut ctx.db, group.id)? {
        let sig = m.member.id;
        let (enter_name, exit_name) = (format!("enter_{sig}"), format!("exit_{sig}"));
        // A member who joined after the page was opened has no fields: left as he is.
        if !form.has(&enter_name) && !form.has(&exit_name) {
            continue;
        }
        let fio = m.member.fio.clone();
        let exit = month_field(form, &exit_name);
        let enter = month_field(form, &enter_name).min(exit);
        let enter = check_enter(&group, &m, enter).unwrap_or_else(|message| {
            ctx.session.flash(format!("{message} ({fio})"));
            m.member.enter_month
        });
        let exit = check_exit(&group, &m, exit).unwrap_or_else(|message| {
            ctx.session.flash(format!("{message} ({fio})"));
            m.member.exit_month
        });
        // Kept months can still cross when only one of them was accepted.
        let mut member = m.member.clone();
        if enter <= exit {
            logged.extend(members::set_months(
                &mut ctx.db,
                &member,
                group.id,
                enter,
                exit,
            )?);
            (member.enter_month, member.exit_month) = (enter, exit);
        } else {
            ctx.session
                .flash(format!("вход не может быть позже выхода ({fio})"));
        }
        let discount_name = format!("d_{sig}");
        if master && form.has(&discount_name) {
            match check_discount(&group, form.str(&discount_name)) {
                Ok(d) => logged.extend(members::set_discount(&mut ctx.db, &member, group.id, d)?),
                Err(message) => ctx.session.flash(format!("{message} ({fio})")),
            }
        }
    }
    ctx.log_changes(&logged)?;
    let what = if master {
        "скидки и месяцы входа/выхода"
    } else {
        "месяцы входа/выхода"
    };
    ctx.flash_done(Done::new(
        format!("{what} в группе {}", group.name),
        "изменены",
        ".",
    ));
    Ok(ctx.redirect("/structure/groups"))
}
