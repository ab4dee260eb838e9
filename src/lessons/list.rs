//! `GET /lessons/list` (M, D, T): lessons newest first, filtered by group, by the
//! lesson's teacher and by «date ≤ selected date», 20 a page.

use super::date_allowed;
use super::store::{self, ListFilter};
use crate::app::access::can_write_group;
use crate::app::list::ListQuery;
use crate::app::{AppError, Ctx, signed_in};
use crate::http::{Form, Response};
use crate::ids::{GroupId, TeacherId};
use crate::structure::store::groups;
use chrono::NaiveDate;
use minijinja::context;
use minijinja::value::Serde;
use serde::Serialize;

#[derive(Serialize)]
struct Row {
    #[serde(flatten)]
    lesson: store::ListedLesson,
    delete_shown: bool,
}

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let query = ctx.query()?;
    let filter = ListFilter {
        group_id: id_filter(&query, "group_id", "группа")?.map(GroupId),
        teacher_id: id_filter(&query, "teacher_id", "преподаватель")?.map(TeacherId),
        up_to: parse_date_filter(query.str("selected_date"))?,
    };
    let q = ListQuery::parse(&query);
    let user = signed_in(&ctx.user)?;
    let today = ctx.today();
    let total = store::count_listed(&mut ctx.db, &filter, today)?;
    let (limit, offset) = q.limit();
    let rows: Vec<Row> = store::list_page(&mut ctx.db, &filter, limit, offset)?
        .into_iter()
        .map(|lesson| Row {
            delete_shown: can_write_group(user, lesson.group_teacher_id)
                && date_allowed(user, lesson.date, today),
            lesson,
        })
        .collect();
    let groups = groups::for_user(&mut ctx.db, user.teacher_id)?;
    let teachers = store::teachers(&mut ctx.db)?;
    let pages = q.pages(&ctx.url("/lessons/list"), total);
    ctx.render(
        "lessons/list.html",
        context! {
            rows => Serde(rows),
            groups => groups,
            teachers => teachers,
            group_id => filter.group_id,
            teacher_id => filter.teacher_id,
            selected_date => filter.up_to.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
            pages => Serde(pages),
        },
    )
}

/// `?<name>=<id>`: empty, absent or 0 (the «все» option) is no filter.
fn id_filter(query: &Form, name: &str, label: &str) -> Result<Option<u32>, AppError> {
    match query.str(name).trim() {
        "" => Ok(None),
        text => text
            .parse()
            .map(|id| (id != 0).then_some(id))
            .map_err(|_| AppError::BadRequest(format!("фильтр «{label}»: нужен номер из списка"))),
    }
}

/// An HTML date input's value: empty means no filter.
fn parse_date_filter(text: &str) -> Result<Option<NaiveDate>, AppError> {
    match text.trim() {
        "" => Ok(None),
        text => super::parse_date(text).map(Some),
    }
}
