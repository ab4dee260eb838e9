//! `/student/lessons` (students only): the lessons of the student's groups within each
//! membership's months, with the student's attendance, newest first, 20 a page.

use super::store;
use crate::app::list::ListQuery;
use crate::app::{AppError, Ctx};
use crate::http::Response;
use crate::ids::GroupId;
use chrono::{Datelike, NaiveDate};
use minijinja::context;
use minijinja::value::Serde;
use serde::Serialize;

#[derive(Debug, Serialize)]
struct LessonRow {
    date: String,
    group: String,
    state: i32,
}

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let student_id = super::me(ctx)?;
    let query = ctx.query()?;
    // Empty or 0 (the «все» option): every group.
    let group_id: Option<GroupId> = match query.str("group_id").trim() {
        "" | "0" => None,
        raw => Some(
            raw.parse()
                .map_err(|_| AppError::BadRequest("группа указана неверно".into()))?,
        ),
    };
    // A four-digit year: what a date column can compare with.
    let selected_date: Option<NaiveDate> = match query.str("selected_date").trim() {
        "" => None,
        raw => Some(
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .ok()
                .filter(|d| (1000..=9999).contains(&d.year()))
                .ok_or_else(|| {
                    AppError::BadRequest("дата указана неверно: нужен формат ГГГГ-ММ-ДД".into())
                })?,
        ),
    };
    let list = ListQuery::parse(&query);
    let total = store::lessons_count(&mut ctx.db, student_id, group_id, selected_date)?;
    let lessons: Vec<LessonRow> = store::lessons(
        &mut ctx.db,
        student_id,
        group_id,
        selected_date,
        list.limit(),
    )?
    .into_iter()
    .map(|(date, group, state)| LessonRow {
        date: date.format("%Y-%m-%d").to_string(),
        group,
        state,
    })
    .collect();
    let groups = store::own_groups(&mut ctx.db, student_id)?;
    let pages = list.pages(&ctx.url("/student/lessons"), total);
    let page = context! {
        lessons => Serde(lessons),
        groups => Serde(groups),
        group_id => group_id.map_or(0, u32::from),
        selected_date => selected_date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        pages => Serde(pages),
        action => ctx.url("/student/lessons"),
    };
    ctx.render("student/lessons.html", page)
}
