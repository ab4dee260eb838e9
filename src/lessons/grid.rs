//! `GET, POST /lessons/<group_id>/<month_number>` (M, D, T): the month grid — students of
//! the month × lessons of the month. Group writers mark attendance and enter the month's payments;
//! other teachers only look. Four queries read the whole grid, whatever its size.
//!
//! The save writes only the cells the visitor changed, and never a cell someone else changed
//! after the page was opened: the page carries what it showed (a hidden `shown` list of marks
//! and each payment's `was_<sigId>`, as on the payments page, whose store and cell form it uses).

use super::parse_state;
use super::store::{self, Lesson};
use crate::app::access::{GroupRef, group_for_read, group_for_write};
use crate::app::{AppError, Ctx, Done, signed_in};
use crate::http::{Form, Response};
use crate::ids::{GroupId, StudentId, StudentInGroupId};
use crate::month::Month;
use crate::payments::cell_form::{CellFields, encode_shown, read_cell};
use crate::payments::store::{self as pay, Member, Payment, Saved, Submitted, max_value};
use minijinja::context;
use minijinja::value::Serde;
use serde::Serialize;
use std::collections::HashMap;

/// The month's lessons, members, payments and marks (also what its Excel download shows).
pub(super) struct Grid {
    pub(super) lessons: Vec<Lesson>,
    /// Members during the month, by FIO.
    pub(super) members: Vec<Member>,
    pub(super) payments: HashMap<StudentInGroupId, Payment>,
    /// (lesson id, student id) → state; a missing row is 0.
    states: HashMap<(u32, StudentId), i32>,
}

impl Grid {
    pub(super) fn load(ctx: &mut Ctx, group: &GroupRef, month: Month) -> Result<Grid, AppError> {
        let mut members = pay::members(&mut ctx.db, group.id)?;
        members.retain(|m| m.in_month(month));
        Ok(Grid {
            lessons: store::lessons_in_month(&mut ctx.db, group.id, month)?,
            members,
            payments: pay::payments_in_month(&mut ctx.db, group.id, month)?,
            states: store::attendance_in_month(&mut ctx.db, group.id, month)?,
        })
    }

    pub(super) fn state(&self, lesson_id: u32, student_id: StudentId) -> i32 {
        self.states
            .get(&(lesson_id, student_id))
            .copied()
            .unwrap_or(0)
    }

    /// The hidden `shown` field: `<lessonId>_<studentId>:<state>` for every mark that is not 0.
    pub(super) fn shown_marks(&self) -> String {
        let mut marks: Vec<String> = self
            .states
            .iter()
            .filter(|(_, state)| **state != 0)
            .map(|((l, s), state)| format!("{l}_{s}:{state}"))
            .collect();
        marks.sort();
        marks.join(",")
    }
}

/// The marks a page showed, from its `shown` field (None when the form has none).
fn decode_marks(raw: Option<&str>) -> Option<HashMap<(u32, StudentId), i32>> {
    raw?.split(',')
        .filter(|item| !item.is_empty())
        .map(|item| {
            let (cell, state) = item.split_once(':')?;
            Some((lesson_and_student(cell)?, state.parse().ok()?))
        })
        .collect()
}

#[derive(Serialize)]
struct Column {
    id: u32,
    day: String,
    date: String,
    /// The lesson's teacher when it is not the group's current one (a substitute): FIO and the
    /// teachers list query that finds him.
    substitute: Option<(String, String)>,
    present: u32,
    /// The delete button is shown (it is disabled while `present` > 0).
    delete_shown: bool,
}

#[derive(Serialize)]
struct CellView {
    /// The input name, `a_<lessonId>_<studentId>`.
    name: String,
    state: i32,
}

#[derive(Serialize)]
struct PayView {
    max: i32,
    /// Confirmed: shown as text, never changed here.
    confirmed: bool,
    value: String,
    cash: bool,
    comment: String,
    /// The hidden «was shown» state (`was_<sigId>`).
    shown: String,
}

#[derive(Serialize)]
struct RowView {
    member: Member,
    cells: Vec<CellView>,
    pay: PayView,
}

fn cell_fields(sig_id: StudentInGroupId) -> CellFields {
    CellFields {
        value: format!("p_{sig_id}"),
        cash: format!("c_{sig_id}"),
        comment: format!("comment_{sig_id}"),
        confirm: None,
        shown: format!("was_{sig_id}"),
    }
}

/// The rows as stored, or — after refused input — as the visitor left them.
fn rows(group: &GroupRef, grid: &Grid, posted: Option<&Form>) -> Vec<RowView> {
    grid.members
        .iter()
        .map(|member| {
            let cells = grid
                .lessons
                .iter()
                .map(|l| {
                    let name = format!("a_{}_{}", l.id, member.student_id);
                    let posted_state = posted.and_then(|f| f.get(&name)).and_then(parse_state);
                    CellView {
                        state: posted_state.unwrap_or_else(|| grid.state(l.id, member.student_id)),
                        name,
                    }
                })
                .collect();
            let stored = grid
                .payments
                .get(&member.id)
                .map(|p| p.cell.clone())
                .unwrap_or_default();
            let mut pay = PayView {
                max: max_value(group.price, member.discount),
                confirmed: stored.confirmed,
                value: stored.value.to_string(),
                cash: stored.cash,
                comment: stored.comment.clone(),
                shown: encode_shown(&stored),
            };
            if let Some(form) = posted {
                let names = cell_fields(member.id);
                if let Some(shown) = form.get(&names.shown) {
                    pay.shown = shown.to_string();
                }
                if !pay.confirmed && form.has(&names.value) {
                    pay.value = form.str(&names.value).to_string();
                    pay.cash = form.flag(&names.cash);
                    pay.comment = form.str(&names.comment).to_string();
                }
            }
            RowView {
                member: member.clone(),
                cells,
                pay,
            }
        })
        .collect()
}

fn render(
    ctx: &mut Ctx,
    group: &GroupRef,
    month: Month,
    grid: &Grid,
    posted: Option<&Form>,
    errors: Vec<String>,
) -> Result<Response, AppError> {
    let today = ctx.today();
    let user = signed_in(&ctx.user)?;
    let columns: Vec<Column> = grid
        .lessons
        .iter()
        .map(|l| Column {
            id: l.id,
            day: l.date.format("%-d").to_string(),
            date: l.date.format("%Y-%m-%d").to_string(),
            substitute: (l.teacher_id != group.teacher_id)
                .then(|| (l.teacher_fio.clone(), store::search_query(&l.teacher_fio))),
            present: l.present,
            delete_shown: group.writable && super::date_allowed(user, l.date, today),
        })
        .collect();
    let shown = match posted.and_then(|f| f.get("shown")) {
        Some(raw) => raw.to_string(),
        None => grid.shown_marks(),
    };
    let prev = Month(month.0 - 1);
    let next = Month(month.0 + 1);
    let status = if errors.is_empty() { 200 } else { 400 };
    ctx.render_status(
        status,
        "lessons/grid.html",
        context! {
            group => Serde(group),
            month => month.0,
            month_name => month.name(),
            prev => group.has_month(prev).then(|| (prev.0, prev.name())),
            next => group.has_month(next).then(|| (next.0, next.name())),
            columns => Serde(columns),
            rows => Serde(rows(group, grid, posted)),
            shown,
            errors,
        },
    )
}

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let group = group_for_read(ctx, GroupId(ctx.params.id("group_id")))?;
    let month = group.month(ctx.params.id("month_number"))?;
    let grid = Grid::load(ctx, &group, month)?;
    render(ctx, &group, month, &grid, None, Vec::new())
}

/// What one submit asks for, read and validated before anything is written.
struct Changes {
    /// (lesson id, student id, state) that differ from what the page showed.
    marks: Vec<(u32, StudentId, i32)>,
    /// Marks someone else changed after the page was opened: left alone.
    stale_marks: usize,
    /// (FIO, student, the cell) of each member's payment.
    payments: Vec<(String, StudentId, Submitted)>,
}

pub fn post(ctx: &mut Ctx) -> Result<Response, AppError> {
    let group = group_for_write(ctx, GroupId(ctx.params.id("group_id")))?;
    let month = group.month(ctx.params.id("month_number"))?;
    let grid = Grid::load(ctx, &group, month)?;
    let form = ctx.form.clone();
    let not_saved = match save(ctx, &group, month, &grid, &form)? {
        Ok(not_saved) => not_saved,
        Err(errors) => return render(ctx, &group, month, &grid, Some(&form), errors),
    };
    let what = format!(
        "посещения и оплата в группе {} за {}",
        group.name,
        month.name()
    );
    ctx.flash_done(Done::new(what, "сохранены", "."));
    ctx.flash_not_saved(&not_saved);
    Ok(ctx.redirect(&format!("/lessons/{}/{}", group.id, month.0)))
}

/// Saves the marks and payments a grid or roll call submitted, as one transaction with the
/// request: `Err` with every problem when the form has one (nothing is written); otherwise the
/// changes are logged, and the cells someone else changed meanwhile are left alone and named.
pub(super) fn save(
    ctx: &mut Ctx,
    group: &GroupRef,
    month: Month,
    grid: &Grid,
    form: &Form,
) -> Result<Result<Vec<String>, Vec<String>>, AppError> {
    let changes = match read_changes(form, grid, group, month) {
        Ok(changes) => changes,
        Err(errors) => return Ok(Err(errors)),
    };
    store::save_states(&mut ctx.db, &changes.marks)?;
    let mut logged: Vec<_> = changes
        .marks
        .iter()
        .filter_map(|&(lesson, student, state)| {
            let date = grid.lessons.iter().find(|l| l.id == lesson)?.date;
            let old = grid.state(lesson, student);
            Some(super::mark_change(
                lesson,
                date,
                student,
                group.id,
                (old, state),
            ))
        })
        .collect();
    let mut not_saved = Vec::new();
    if changes.stale_marks > 0 {
        not_saved.push(format!(
            "отметок, изменённых другим пользователем: {}",
            changes.stale_marks
        ));
    }
    for (fio, student, cell) in &changes.payments {
        let current = grid.payments.get(&cell.student_in_group_id);
        match pay::save_cell(&mut ctx.db, current, cell, false)? {
            Saved::Unchanged => {}
            Saved::Written(change) => logged.push(change.entry(*student, group.id)),
            Saved::Stale => not_saved.push(format!("оплата {fio} (изменена другим пользователем)")),
            Saved::Frozen => not_saved.push(format!("оплата {fio} (платёж подтверждён)")),
        }
    }
    ctx.log_changes(&logged)?;
    Ok(Ok(not_saved))
}

/// Reads the submitted grid. Every problem is reported; any problem means nothing is written.
fn read_changes(
    form: &Form,
    grid: &Grid,
    group: &GroupRef,
    month: Month,
) -> Result<Changes, Vec<String>> {
    let shown = decode_marks(form.get("shown"));
    let mut errors = Vec::new();
    let mut changes = Changes {
        marks: Vec::new(),
        stale_marks: 0,
        payments: Vec::new(),
    };
    for (key, value) in form.pairs() {
        if let Some(rest) = key.strip_prefix("a_") {
            let Some((lesson, student)) = lesson_and_student(rest) else {
                errors.push(format!("неизвестное поле формы «{key}»"));
                continue;
            };
            if !grid.lessons.iter().any(|l| l.id == lesson)
                || !grid.members.iter().any(|m| m.student_id == student)
            {
                errors.push(
                    "отметка относится к занятию или ученику не из этой группы и месяца".into(),
                );
                continue;
            }
            let Some(state) = parse_state(value) else {
                errors.push(format!(
                    "недопустимое состояние посещения «{value}»: допустимы 0 (не был), 1 (был), 2 (болел)"
                ));
                continue;
            };
            let stored = grid.state(lesson, student);
            let was = shown
                .as_ref()
                .map_or(stored, |s| s.get(&(lesson, student)).copied().unwrap_or(0));
            if state == was {
                continue;
            }
            if was != stored {
                changes.stale_marks += 1;
            } else {
                changes.marks.push((lesson, student, state));
            }
        } else if let Some(rest) = ["p_", "c_", "comment_", "was_"]
            .iter()
            .find_map(|p| key.strip_prefix(p))
        {
            let known = rest
                .parse::<StudentInGroupId>()
                .is_ok_and(|sig| grid.members.iter().any(|m| m.id == sig));
            if !known {
                errors.push(
                    "оплата относится к ученику, который не занимается в группе в этом месяце"
                        .into(),
                );
            }
        }
    }
    for member in &grid.members {
        let names = cell_fields(member.id);
        // A form without this member's payment fields leaves the payment alone.
        if !form.has(&names.value) && !form.has(&names.shown) {
            continue;
        }
        let stored = grid.payments.get(&member.id).map(|p| &p.cell);
        let max = max_value(group.price, member.discount);
        match read_cell(form, &names, (member.id, month), max, stored) {
            Ok(cell) => changes
                .payments
                .push((member.fio.clone(), member.student_id, cell)),
            Err(message) => errors.push(format!("{}: {message}", member.fio)),
        }
    }
    errors.dedup();
    if errors.is_empty() {
        Ok(changes)
    } else {
        Err(errors)
    }
}

/// `<lesson id>_<student id>`, the suffix of a mark's field name.
fn lesson_and_student(text: &str) -> Option<(u32, StudentId)> {
    let (a, b) = text.split_once('_')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_marks_decode() {
        let marks = decode_marks(Some("3_7:1,4_7:2")).unwrap();
        assert_eq!(marks.get(&(3, StudentId(7))), Some(&1));
        assert_eq!(marks.get(&(4, StudentId(7))), Some(&2));
        assert_eq!(decode_marks(Some("")), Some(HashMap::new()));
        assert_eq!(decode_marks(Some("3_7")), None);
        assert_eq!(decode_marks(None), None);
    }
}
