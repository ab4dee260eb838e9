//! `GET /payments/debtors` (M, D, T): who owes for which months up to a month, with the debt,
//! the number to call and the parents; largest debt first, 20 a page, totals per group and in
//! all. Filtered by section, group, teacher and "up to month"; the filters stay in the page
//! links and in the Excel download. A teacher sees only his own groups: the teacher filter is
//! his, and another teacher's group is a 403.

use super::debts::{self, Report};
use super::store::Scope;
use crate::app::access::group_for_read;
use crate::app::list::{ListQuery, PER_PAGE};
use crate::app::{AppError, Ctx, Refusal};
use crate::http::{Form, Response};
use crate::ids::{GroupId, TeacherId};
use crate::month::Month;
use crate::structure::store::groups;
use minijinja::context;
use minijinja::value::Serde;

/// How many months back the "up to month" choice reaches.
const MONTHS_OFFERED: i32 = 24;

/// The report's filters as the query string gives them.
pub struct Filters {
    pub scope: Scope,
    pub up_to: Month,
}

/// The filters of the request, checked against who asks.
pub fn filters(ctx: &mut Ctx, query: &Form) -> Result<Filters, AppError> {
    let id = |name: &str| query.positive_id(name);
    let this_month = Month::of_date(ctx.today());
    let up_to = match query.str("up_to").trim().parse::<i32>() {
        Ok(m) => Month(m.clamp(0, this_month.0)),
        Err(_) => this_month,
    };
    let me = ctx.user()?;
    let own = (!me.is_master).then_some(me.teacher_id);
    let scope = Scope {
        section_id: id("section_id"),
        group_id: id("group_id").map(GroupId),
        // A teacher's report is his own groups' (a teacher without a teachers row has none).
        teacher_id: own.unwrap_or(id("teacher_id").map(TeacherId)),
    };
    if let Some(group) = scope.group_id
        && own.is_some()
        && !group_for_read(ctx, group)?.writable
    {
        return Err(AppError::Refused(Refusal::OtherTeachersGroup));
    }
    Ok(Filters { scope, up_to })
}

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let query = ctx.query()?;
    let f = filters(ctx, &query)?;
    let list = ListQuery::parse(&query);
    let first = (list.page as usize - 1) * PER_PAGE as usize;
    let report: Report = debts::report(
        &mut ctx.db,
        f.up_to,
        f.scope,
        first..first + PER_PAGE as usize,
    )?;
    let (is_master, own) = ctx.user().map(|me| (me.is_master, me.teacher_id))?;
    let group_options = match (is_master, own) {
        (true, _) => groups::for_user(&mut ctx.db, None)?,
        (false, Some(own)) => groups::of_teacher(&mut ctx.db, own)?,
        (false, None) => Vec::new(),
    };
    let sections = groups::sections(&mut ctx.db)?;
    let teachers = match is_master {
        true => groups::teachers(&mut ctx.db)?,
        false => Vec::new(),
    };
    let this_month = Month::of_date(ctx.today());
    let months: Vec<(i32, String)> = (0..MONTHS_OFFERED)
        .map(|back| Month(this_month.0 - back))
        .filter(|m| m.0 >= 0)
        .map(|m| (m.0, m.name()))
        .collect();
    let pages = list.pages(&ctx.url("/payments/debtors"), report.count as u64);
    let export = serde_urlencoded::to_string(export_pairs(&f))
        .map(|q| ctx.url(&format!("/payments/debtors/xlsx?{q}")))
        .unwrap_or_default();
    ctx.render(
        "payments/debtors.html",
        context! {
            report => Serde(&report),
            months_text => report.debtors.iter().map(|d| debts::months_text(&d.months)).collect::<Vec<_>>(),
            pages => Serde(pages),
            sections, teachers, groups => group_options, months,
            section_id => f.scope.section_id.unwrap_or(0),
            group_id => f.scope.group_id.map_or(0, u32::from),
            teacher_id => f.scope.teacher_id.map_or(0, u32::from),
            up_to => f.up_to.0,
            up_to_name => f.up_to.name(),
            export,
        },
    )
}

/// The query of the same report's download.
fn export_pairs(f: &Filters) -> [(&'static str, String); 4] {
    [
        ("section_id", f.scope.section_id.unwrap_or(0).to_string()),
        (
            "group_id",
            f.scope.group_id.map_or(0, u32::from).to_string(),
        ),
        (
            "teacher_id",
            f.scope.teacher_id.map_or(0, u32::from).to_string(),
        ),
        ("up_to", f.up_to.0.to_string()),
    ]
}
