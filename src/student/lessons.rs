//! `/student/lessons` (students only): the lessons of the student's groups within each
//! membership's months, with the student's attendance, newest first, 20 a page.

use super::own_groups;
use crate::app::list::ListQuery;
use crate::app::{AppError, Ctx};
use crate::http::Response;
use chrono::{Datelike, NaiveDate};
use minijinja::context;
use minijinja::value::Serde;
use mysql::prelude::Queryable;
use serde::Serialize;

#[derive(Debug, Serialize)]
struct LessonRow {
    date: String,
    group: String,
    state: i32,
}

/// The memberships' lessons: a lesson counts when its month lies in [enter, exit].
const LESSONS_FROM: &str = "FROM student_in_groups sig
     JOIN lessons l ON l.group_id = sig.group_id
       AND (YEAR(l.date) - 2017) * 12 + MONTH(l.date) - 1 BETWEEN sig.enter_month AND sig.exit_month
     JOIN `groups` g ON g.id = sig.group_id
     LEFT JOIN attendings a ON a.lesson_id = l.id AND a.student_id = sig.student_id
     WHERE sig.student_id = ? AND (? = 0 OR sig.group_id = ?) AND (? IS NULL OR l.date <= ?)";

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let student_id = ctx.user()?.student_id;
    let query = ctx.query()?;
    let group_id: u32 = match query.str("group_id").trim() {
        "" => 0,
        raw => raw
            .parse()
            .map_err(|_| AppError::BadRequest("группа указана неверно".into()))?,
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
    let filter = (student_id, group_id, group_id, selected_date, selected_date);
    let total: u64 = ctx
        .db
        .exec_first(format!("SELECT COUNT(*) {LESSONS_FROM}"), filter)?
        .unwrap_or(0);
    let (limit, offset) = list.limit();
    let (s, g1, g2, d1, d2) = filter;
    let lessons: Vec<LessonRow> = ctx.db.exec_map(
        format!(
            "SELECT l.date, g.name, COALESCE(a.state, 0) {LESSONS_FROM}
             ORDER BY l.date DESC, l.id DESC LIMIT ? OFFSET ?"
        ),
        (s, g1, g2, d1, d2, limit, offset),
        |(date, group, state): (NaiveDate, String, i32)| LessonRow {
            date: date.format("%Y-%m-%d").to_string(),
            group,
            state,
        },
    )?;
    let groups = own_groups(ctx)?;
    let pages = list.pages(&ctx.url("/student/lessons"), total);
    let page = context! {
        lessons => Serde(lessons),
        groups => Serde(groups),
        group_id,
        selected_date => selected_date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        pages => Serde(pages),
        action => ctx.url("/student/lessons"),
    };
    ctx.render("student/lessons.html", page)
}
