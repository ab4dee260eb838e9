//! `/payments/group/<group_id>` (group writers): the payments of every member for every month
//! of the group, saved in one POST that writes only the cells the visitor changed. Only masters
//! and developers confirm; a confirmed payment is frozen for everybody else.

use super::cell_form::{CellFields, encode_shown, read_cell};
use super::store::{self, Cell, Member, PaymentsByCell, Saved, max_value};
use crate::app::access::{GroupRef, group_for_write};
use crate::app::{AppError, Ctx, Done, signed_in};
use crate::http::{Form, Response};
use crate::ids::GroupId;
use crate::month::Month;
use minijinja::context;
use minijinja::value::Serde;
use serde::Serialize;

/// «confirmed / paid or confirmed / cells», green when everything is confirmed.
#[derive(Debug, Clone, Copy, Default, Serialize)]
struct Count {
    confirmed: u32,
    paid: u32,
    all: u32,
}

impl Count {
    fn add(&mut self, cell: &Cell) {
        self.confirmed += u32::from(cell.confirmed);
        self.paid += u32::from(cell.is_paid());
        self.all += 1;
    }
}

#[derive(Debug, Serialize)]
pub(super) struct CellView {
    /// `<month>_<student-in-group id>`, the suffix of the cell's field names.
    key: String,
    label: String,
    in_period: bool,
    max: i32,
    /// Shown as confirmed: value, cash and comment are fixed text.
    confirmed: bool,
    value: String,
    cash: bool,
    comment: String,
    conf_ticked: bool,
    /// The hidden «was shown» state.
    shown: String,
}

#[derive(Debug, Serialize)]
pub(super) struct RowView {
    pub(super) member: Member,
    pub(super) cells: Vec<CellView>,
    total: Count,
}

/// The page's data from the database (also what its Excel download shows).
pub(super) struct Grid {
    pub(super) members: Vec<Member>,
    pub(super) payments: PaymentsByCell,
}

impl Grid {
    pub(super) fn load(ctx: &mut Ctx, group: &GroupRef) -> Result<Grid, AppError> {
        Ok(Grid {
            members: store::members(&mut ctx.db, group.id)?,
            payments: store::payments_of_group(&mut ctx.db, group.id)?,
        })
    }

    pub(super) fn stored(&self, member: &Member, month: Month) -> Option<&Cell> {
        self.payments.get(&(member.id, month)).map(|p| &p.cell)
    }

    /// Every cell inside a member's period: (member, month, its key, its maximum).
    fn cells<'a>(
        &'a self,
        group: &'a GroupRef,
    ) -> impl Iterator<Item = (&'a Member, Month, String, i32)> + 'a {
        group.months().flat_map(move |m| {
            self.members
                .iter()
                .filter(move |s| s.in_month(m))
                .map(move |s| {
                    (
                        s,
                        m,
                        format!("{}_{}", m.0, s.id),
                        max_value(group.price, s.discount),
                    )
                })
        })
    }
}

fn cell_label(member: &Member, month: Month) -> String {
    format!("{}, {}", member.fio, month.name())
}

/// The rows as stored, or — after refused input — as the visitor typed them.
pub(super) fn rows(group: &GroupRef, grid: &Grid, posted: Option<&Form>) -> Vec<RowView> {
    grid.members
        .iter()
        .map(|member| {
            let mut total = Count::default();
            let cells = group
                .months()
                .map(|m| {
                    let key = format!("{}_{}", m.0, member.id);
                    let stored = grid.stored(member, m).cloned().unwrap_or_default();
                    if member.in_month(m) {
                        total.add(&stored);
                    }
                    let mut view = CellView {
                        label: cell_label(member, m),
                        in_period: member.in_month(m),
                        max: max_value(group.price, member.discount),
                        confirmed: stored.confirmed,
                        value: stored.value.to_string(),
                        cash: stored.cash,
                        comment: stored.comment.clone(),
                        conf_ticked: stored.confirmed,
                        shown: encode_shown(&stored),
                        key,
                    };
                    if let Some(form) = posted {
                        echo_input(&mut view, form);
                    }
                    view
                })
                .collect();
            RowView {
                member: member.clone(),
                cells,
                total,
            }
        })
        .collect()
}

/// Puts the visitor's input back into a cell that is not fixed, keeping what it was shown as.
fn echo_input(view: &mut CellView, form: &Form) {
    let names = CellFields::with_key(&view.key);
    if let Some(shown) = form.get(&names.shown) {
        view.shown = shown.to_string();
    }
    if let Some(conf) = &names.confirm {
        view.conf_ticked = form.flag(conf);
    }
    if !view.confirmed {
        view.value = form.str(&names.value).to_string();
        view.cash = form.flag(&names.cash);
        view.comment = form.str(&names.comment).to_string();
    }
}

/// Per month and over everything: the footer of the grid.
fn month_totals(group: &GroupRef, grid: &Grid) -> (Vec<Count>, Count) {
    let mut all = Count::default();
    let months = group
        .months()
        .map(|m| {
            let mut count = Count::default();
            for member in grid.members.iter().filter(|s| s.in_month(m)) {
                let cell = grid.stored(member, m).cloned().unwrap_or_default();
                count.add(&cell);
                all.add(&cell);
            }
            count
        })
        .collect();
    (months, all)
}

fn render(
    ctx: &mut Ctx,
    group: &GroupRef,
    grid: &Grid,
    posted: Option<&Form>,
    errors: Vec<String>,
) -> Result<Response, AppError> {
    let user = signed_in(&ctx.user)?;
    let unconfirmed = match user.teacher_id {
        Some(teacher_id) => store::unconfirmed_sums(&mut ctx.db, teacher_id)?,
        None => Vec::new(),
    };
    let unconfirmed_total: i64 = unconfirmed.iter().map(|g| g.sum).sum();
    let (month_totals, grand_total) = month_totals(group, grid);
    let months: Vec<String> = group.months().map(Month::name).collect();
    let rows = rows(group, grid, posted);
    let page = context! {
        group => Serde(group),
        group_link => crate::payments::groups_list_url(ctx, &group.name),
        months,
        period => format!("{} — {}", group.start_month.name(), group.end_month.name()),
        rows => Serde(rows),
        month_totals => Serde(month_totals),
        grand_total => Serde(grand_total),
        can_confirm => user.is_master,
        unconfirmed => Serde(unconfirmed),
        unconfirmed_total,
        errors,
        action => ctx.url(&format!("/payments/group/{}", group.id)),
    };
    ctx.render("payments/group_grid.html", page)
}

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let group = group_for_write(ctx, GroupId(ctx.params.id("group_id")))?;
    let grid = Grid::load(ctx, &group)?;
    render(ctx, &group, &grid, None, Vec::new())
}

pub fn post(ctx: &mut Ctx) -> Result<Response, AppError> {
    let group = group_for_write(ctx, GroupId(ctx.params.id("group_id")))?;
    let form = ctx.form.clone();
    let grid = Grid::load(ctx, &group)?;
    let saved = match save(ctx, &group, &grid, &form, |_| true)? {
        Ok(saved) => saved,
        Err(errors) => return render(ctx, &group, &grid, Some(&form), errors),
    };
    ctx.flash_done(Done::new(
        format!("оплата в группе {}", group.name),
        "сохранена",
        ".",
    ));
    ctx.flash_not_saved(&saved.not_saved);
    Ok(ctx.redirect(&format!("/payments/group/{}", group.id)))
}

/// What a save did besides writing: the cells left alone, and the payments it confirmed.
pub(super) struct SavedCells {
    pub(super) not_saved: Vec<String>,
    /// «Иванов Иван, сентябрь 2019: 700 ₽» of each payment this save confirmed.
    pub(super) confirmed: Vec<String>,
}

/// Saves the posted cells of the months `months` keeps, only masters and developers confirming.
/// Every cell is read before anything is written: `Err` with every problem, and nothing saved.
pub(super) fn save(
    ctx: &mut Ctx,
    group: &GroupRef,
    grid: &Grid,
    form: &Form,
    months: impl Fn(Month) -> bool,
) -> Result<Result<SavedCells, Vec<String>>, AppError> {
    let can_confirm = ctx.user()?.is_master;
    let mut submitted = Vec::new();
    let mut errors = Vec::new();
    for (member, month, key, max) in grid.cells(group).filter(|c| months(c.1)) {
        let names = CellFields::with_key(&key);
        match read_cell(
            form,
            &names,
            (member.id, month),
            max,
            grid.stored(member, month),
        ) {
            Ok(cell) => submitted.push((cell_label(member, month), member.student_id, cell)),
            Err(message) => errors.push(format!("{}: {message}", cell_label(member, month))),
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let mut saved = SavedCells {
        not_saved: Vec::new(),
        confirmed: Vec::new(),
    };
    let mut logged = Vec::new();
    for (label, student, cell) in &submitted {
        let current = grid.payments.get(&(cell.student_in_group_id, cell.month));
        match store::save_cell(&mut ctx.db, current, cell, can_confirm)? {
            Saved::Unchanged => {}
            Saved::Written(change) => {
                if change.after.confirmed && !change.before.confirmed {
                    saved
                        .confirmed
                        .push(format!("{label}: {} ₽", change.after.value));
                }
                logged.push(change.entry(*student, group.id));
            }
            Saved::Stale => saved
                .not_saved
                .push(format!("{label} (изменено другим пользователем)")),
            Saved::Frozen => saved
                .not_saved
                .push(format!("{label} (платёж подтверждён)")),
        }
    }
    ctx.log_changes(&logged)?;
    Ok(Ok(saved))
}
