//! `GET, POST /structure/group` (add) and `/structure/group/<id>` (edit), M and D: section,
//! unique name, teacher and a period of at most 12 months picked as years 2017…2042 and months.

use crate::app::forms::{Field, FormView, Kind, check_choice};
use crate::app::{AppError, Ctx, Done};
use crate::http::{Form, Response};
use crate::ids::TeacherId;
use crate::month::{FIRST_YEAR, LAST_YEAR, Month};
use crate::structure::store::groups::{self, Group};
use crate::structure::{names, render_form, submit_label};

const WHAT: &str = "группы";
const SECTION: &str = "section_id";
const TEACHER: &str = "teacher_id";
const START_YEAR: &str = "start_year";
const START_MONTH: &str = "start_month";
const END_YEAR: &str = "end_year";
const END_MONTH: &str = "end_month";

fn select(name: &'static str, label: &'static str, options: Vec<(String, String)>) -> Field {
    Field::new(Kind::Select, name, label)
        .with_options(options)
        .required()
}

fn ids(rows: Vec<(u32, String)>) -> Vec<(String, String)> {
    rows.into_iter()
        .map(|(id, n)| (id.to_string(), n))
        .collect()
}

fn years() -> Vec<(String, String)> {
    (FIRST_YEAR..=LAST_YEAR)
        .map(|y| (y.to_string(), y.to_string()))
        .collect()
}

/// 1 … 12 with the month names («январь»).
fn months() -> Vec<(String, String)> {
    (0..12)
        .map(|m| {
            let name = Month(m).name();
            let word = name.split(' ').next().unwrap_or_default().to_string();
            ((m + 1).to_string(), word)
        })
        .collect()
}

fn view(ctx: &mut Ctx, id: Option<u32>) -> Result<FormView, AppError> {
    let action = match id {
        Some(id) => format!("/structure/group/{id}"),
        None => "/structure/group".to_string(),
    };
    let sections = ids(groups::sections(&mut ctx.db)?);
    let teachers = ids(groups::teachers(&mut ctx.db)?);
    let fields = vec![
        select(SECTION, "секция", sections),
        names::field("название"),
        select(TEACHER, "преподаватель", teachers).filterable(),
        select(START_YEAR, "начало. год", years()),
        select(START_MONTH, "начало. месяц", months()),
        select(END_YEAR, "конец. год", years()),
        select(END_MONTH, "конец. месяц", months()),
    ];
    let submit = submit_label(id.is_some());
    Ok(FormView::new(ctx.url(&action), submit, fields).with_cancel())
}

fn show_period(form: &mut FormView, start: Month, end: Month) {
    for (field, value) in [
        (START_YEAR, start.year().to_string()),
        (START_MONTH, (start.month0() + 1).to_string()),
        (END_YEAR, end.year().to_string()),
        (END_MONTH, (end.month0() + 1).to_string()),
    ] {
        form.field_mut(field).select(&value);
    }
}

pub fn add_get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let mut form = view(ctx, None)?;
    let this_month = Month::of_date(ctx.today());
    show_period(&mut form, this_month, this_month);
    render_form(ctx, WHAT, false, form)
}

pub fn add_post(ctx: &mut Ctx) -> Result<Response, AppError> {
    save(ctx, None)
}

pub fn edit_get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let id = ctx.params.id("id");
    let group = groups::find(&mut ctx.db, id)?.ok_or(AppError::NotFound)?;
    let mut form = view(ctx, Some(id))?;
    form.field_mut(SECTION)
        .select(&group.section_id.to_string());
    form.field_mut(names::FIELD).value = group.name;
    form.field_mut(TEACHER)
        .select(&group.teacher_id.to_string());
    show_period(&mut form, group.start, group.end);
    render_form(ctx, WHAT, true, form)
}

pub fn edit_post(ctx: &mut Ctx) -> Result<Response, AppError> {
    let id = ctx.params.id("id");
    groups::find(&mut ctx.db, id)?.ok_or(AppError::NotFound)?;
    save(ctx, Some(id))
}

/// A chosen id of a select whose options come from the database.
fn chosen_id(form: &mut FormView, submitted: &Form, field: &str) -> Option<u32> {
    let raw = submitted.str(field);
    check_choice(form, field, raw).then(|| raw.parse().ok())?
}

/// The month of a year select and a month select, both checked against their options.
fn chosen_month(form: &mut FormView, submitted: &Form, year: &str, month: &str) -> Option<Month> {
    let (y, m) = (submitted.str(year), submitted.str(month));
    let year_ok = check_choice(form, year, y);
    let month_ok = check_choice(form, month, m);
    if !(year_ok && month_ok) {
        return None;
    }
    Some(Month::from_year_month(y.parse().ok()?, m.parse().ok()?))
}

/// Reads and checks every field; `None` when the form has errors (they are on the fields).
fn check(
    ctx: &mut Ctx,
    form: &mut FormView,
    submitted: &Form,
    id: Option<u32>,
) -> Result<Option<Group>, AppError> {
    let section_id = chosen_id(form, submitted, SECTION);
    let teacher_id = chosen_id(form, submitted, TEACHER);
    let name = names::check(
        &mut ctx.db,
        form,
        groups::TABLE,
        submitted.str(names::FIELD),
        id.unwrap_or(0),
        groups::TAKEN,
    )?;
    let start = chosen_month(form, submitted, START_YEAR, START_MONTH);
    let end = chosen_month(form, submitted, END_YEAR, END_MONTH);
    let (Some(start), Some(end)) = (start, end) else {
        return Ok(None);
    };
    let used = match id {
        Some(id) => groups::used_months(&mut ctx.db, id)?,
        None => None,
    };
    if let Err(message) = groups::check_period(start, end, used) {
        form.error(END_MONTH, message);
    }
    let (Some(section_id), Some(teacher_id), Some(name)) = (section_id, teacher_id, name) else {
        return Ok(None);
    };
    if form.has_errors() {
        return Ok(None);
    }
    Ok(Some(Group {
        name,
        section_id,
        teacher_id: TeacherId(teacher_id),
        start,
        end,
    }))
}

/// Validates and writes, with the side effects of an edit in the same transaction; on any error
/// the form comes back with the visitor's input.
fn save(ctx: &mut Ctx, id: Option<u32>) -> Result<Response, AppError> {
    let submitted = ctx.form.clone();
    let mut form = view(ctx, id)?;
    form.fill(&submitted);
    let Some(group) = check(ctx, &mut form, &submitted, id)? else {
        return render_form(ctx, WHAT, id.is_some(), form);
    };
    let written = match id {
        Some(id) => groups::update(&mut ctx.db, id, &group),
        None => groups::insert(&mut ctx.db, &group),
    };
    if names::saved(&mut form, groups::TAKEN, written)?.is_none() {
        return render_form(ctx, WHAT, id.is_some(), form);
    }
    if let Some(id) = id {
        let today = ctx.today();
        let moved = groups::after_edit(&mut ctx.db, id, &group, today)?;
        ctx.log_changes(&moved)?;
    }
    let verb = if id.is_some() {
        "изменена"
    } else {
        "создана"
    };
    ctx.flash_done(Done::new(format!("группа {}", group.name), verb, ""));
    Ok(ctx.redirect("/structure/groups"))
}
