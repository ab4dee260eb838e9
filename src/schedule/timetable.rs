//! `/schedule/` (M, D, T): masters and developers edit the timetable in one POST; teachers
//! see it read-only with their own groups marked.

use super::shown;
use super::store::{self, DAYS, GroupName, Slot, TIME_CHARS};
use crate::app::{AppError, Ctx, Done, signed_in};
use crate::http::{Form, Response};
use crate::ids::TeacherId;
use crate::month::Month;
use minijinja::context;
use minijinja::value::Serde;
use serde::Serialize;
use std::collections::HashSet;

#[derive(Debug, Serialize)]
struct CellView {
    field: String,
    group_id: u32,
    name: String,
    link: String,
    mine: bool,
}

/// A lesson of a day in the phone's list: when, which group, whose.
#[derive(Debug, Serialize)]
struct DayItem {
    time: String,
    name: String,
    link: String,
    teacher_fio: String,
    mine: bool,
}

/// One day of the phone's list, with its lessons in the timetable's order of times.
#[derive(Debug, Serialize)]
struct DayView {
    name: &'static str,
    items: Vec<DayItem>,
}

/// The weekdays in full, for the phone's list (the grid's columns say `DAYS`).
const DAY_NAMES: [&str; 7] = [
    "понедельник",
    "вторник",
    "среда",
    "четверг",
    "пятница",
    "суббота",
    "воскресенье",
];

/// The timetable day by day, for screens too narrow for seven columns.
fn days(rows: &[RowView], groups: &[GroupName]) -> Vec<DayView> {
    DAY_NAMES
        .iter()
        .enumerate()
        .map(|(day, name)| DayView {
            name,
            items: rows
                .iter()
                .filter_map(|row| {
                    let cell = row.cells.get(day).filter(|c| c.group_id != 0)?;
                    let group = groups.iter().find(|g| g.id == cell.group_id)?;
                    Some(DayItem {
                        time: row.time.clone(),
                        name: cell.name.clone(),
                        link: cell.link.clone(),
                        teacher_fio: group.teacher_fio.clone(),
                        mine: cell.mine,
                    })
                })
                .collect(),
        })
        .collect()
}

#[derive(Debug, Serialize)]
struct RowView {
    id: u32,
    time: String,
    /// The field and the time the page showed when it was opened, posted back with a save.
    shown_time_field: String,
    shown_time: String,
    /// An `<input type="time">` only for times it can show; anything else stays editable text
    /// (a time input would post such a value back as empty).
    time_input: &'static str,
    cells: Vec<CellView>,
}

fn is_clock_time(s: &str) -> bool {
    let b = s.as_bytes();
    let two_digits = |i: usize| b[i].is_ascii_digit() && b[i + 1].is_ascii_digit();
    (b.len() == 5 || b.len() == 8)
        && two_digits(0)
        && b[2] == b':'
        && two_digits(3)
        && (b.len() == 5 || (b[5] == b':' && two_digits(6)))
}

fn rows(
    ctx: &Ctx,
    slots: &[Slot],
    shown: &[Slot],
    groups: &[GroupName],
    teacher_id: Option<TeacherId>,
) -> Vec<RowView> {
    slots
        .iter()
        .zip(shown)
        .map(|(slot, shown)| {
            let time = slot.time.clone().unwrap_or_default();
            let cells = slot
                .groups
                .iter()
                .enumerate()
                .map(|(day, id)| {
                    let group = id.and_then(|id| groups.iter().find(|g| g.id == id));
                    CellView {
                        field: format!("group_{}_{day}", slot.id),
                        group_id: group.map_or(0, |g| g.id),
                        name: group.map(|g| g.name.clone()).unwrap_or_default(),
                        link: group
                            .map(|g| crate::payments::groups_list_url(ctx, &g.name))
                            .unwrap_or_default(),
                        mine: group.is_some_and(|g| teacher_id == Some(g.teacher_id)),
                    }
                })
                .collect();
            RowView {
                id: slot.id,
                shown_time_field: shown::time_field(slot.id),
                shown_time: shown.time.clone().unwrap_or_default(),
                time_input: if time.is_empty() || is_clock_time(&time) {
                    "time"
                } else {
                    "text"
                },
                time,
                cells,
            }
        })
        .collect()
}

/// The groups a cell's list suggests: those not ended by `this` month, and those placed in any
/// cell. The centre's ended groups, five of six on the `large` demo data, made the page 1.7 MB; a
/// cell still takes any group by its name.
fn offered<'a>(
    slots: &[Slot],
    groups: &'a [GroupName],
    this: Month,
) -> impl Iterator<Item = &'a GroupName> {
    let placed: HashSet<u32> = slots
        .iter()
        .flat_map(|s| s.groups.iter().flatten().copied())
        .collect();
    groups
        .iter()
        .filter(move |g| g.end >= this || placed.contains(&g.id))
}

/// The page with `slots` in its boxes; `shown` is what the visitor's page showed when it was
/// opened (the stored timetable, unless a save is shown again with its errors).
fn render(
    ctx: &mut Ctx,
    slots: &[Slot],
    shown: &[Slot],
    groups: &[GroupName],
    errors: Vec<String>,
) -> Result<Response, AppError> {
    let user = signed_in(&ctx.user)?;
    let rows = rows(ctx, slots, shown, groups, user.teacher_id);
    let page = context! {
        editable => user.is_master,
        days => DAYS,
        day_list => Serde(days(&rows, groups)),
        rows => Serde(rows),
        group_names => Serde(offered(slots, groups, Month::of_date(ctx.today()))
            .map(|g| g.name.as_str())
            .collect::<Vec<_>>()),
        shown_groups_field => shown::GROUPS_FIELD,
        shown_groups => shown::encode_groups(shown),
        errors,
        time_chars => TIME_CHARS,
        action => ctx.url("/schedule/"),
    };
    ctx.render("schedule/timetable.html", page)
}

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let slots = store::slots(&mut ctx.db)?;
    let groups = store::groups(&mut ctx.db)?;
    render(ctx, &slots, &slots, &groups, Vec::new())
}

/// The groups a posted box may name, with their names lowercased once for the whole form.
struct Names<'a> {
    groups: &'a [GroupName],
    lower: Vec<String>,
}

impl<'a> Names<'a> {
    fn new(groups: &'a [GroupName]) -> Names<'a> {
        let lower = groups.iter().map(|g| g.name.to_lowercase()).collect();
        Names { groups, lower }
    }

    /// The group a cell's posted name means: none for an empty box, else the group of that
    /// name, letter case aside (as the database's unique key on names compares them); the name
    /// if there is no such group.
    fn posted<'r>(&self, raw: &'r str) -> Result<Option<u32>, &'r str> {
        let name = raw.trim();
        if name.is_empty() {
            return Ok(None);
        }
        let lower = name.to_lowercase();
        self.groups
            .iter()
            .position(|g| g.name == name)
            .or_else(|| self.lower.iter().position(|l| *l == lower))
            .map(|i| Some(self.groups[i].id))
            .ok_or(name)
    }
}

/// How a row is named in a message: by its time.
fn row_name(time: &Option<String>) -> &str {
    time.as_deref().unwrap_or("время не указано")
}

/// The timetable as posted (a missing field keeps the value the page showed, in `shown`; so does
/// an unknown group) and every problem found.
fn read(form: &Form, shown: &[Slot], groups: &[GroupName]) -> (Vec<Slot>, Vec<String>) {
    let mut errors = Vec::new();
    let names = Names::new(groups);
    let mut wanted = shown.to_vec();
    for slot in &mut wanted {
        if let Some(raw) = form.get(&format!("time_{}", slot.id)) {
            let time = raw.trim();
            if time.chars().count() > TIME_CHARS {
                errors.push(format!("время «{time}» длиннее {TIME_CHARS} символов"));
            }
            slot.time = (!time.is_empty()).then(|| time.to_string());
        }
        for (day, cell) in slot.groups.iter_mut().enumerate() {
            let Some(raw) = form.get(&format!("group_{}_{day}", slot.id)) else {
                continue;
            };
            match names.posted(raw) {
                Ok(group) => *cell = group,
                Err(name) => errors.push(format!(
                    "{}, {}: группы «{name}» нет",
                    row_name(&slot.time),
                    DAYS[day]
                )),
            }
        }
    }
    (wanted, errors)
}

pub fn post(ctx: &mut Ctx) -> Result<Response, AppError> {
    if !ctx.user()?.is_master {
        ctx.flash("вы не можете редактировать расписание.");
        return Ok(ctx.redirect("/schedule/"));
    }
    let form = &ctx.form;
    let stored = store::slots(&mut ctx.db)?;
    let groups = store::groups(&mut ctx.db)?;
    let shown = shown::decode(form, &stored);
    let (wanted, errors) = read(form, &shown, &groups);
    if !errors.is_empty() {
        return render(ctx, &wanted, &shown, &groups, errors);
    }
    // Only what the visitor changed is written, and only where nobody else changed it since the
    // page was opened.
    let mut not_saved = Vec::new();
    for ((stored, was), new) in stored.iter().zip(&shown).zip(&wanted) {
        let when = row_name(&new.time);
        if new.time != was.time {
            if stored.time == was.time {
                store::set_time(&mut ctx.db, new.id, new.time.as_deref())?;
            } else {
                not_saved.push(format!("время «{when}» (изменено другим пользователем)"));
            }
        }
        for (day, day_name) in DAYS.iter().enumerate() {
            if new.groups[day] == was.groups[day] {
                continue;
            }
            if stored.groups[day] == was.groups[day] {
                store::set_group(&mut ctx.db, new.id, day, new.groups[day])?;
            } else {
                not_saved.push(format!(
                    "{when}, {day_name} (изменено другим пользователем)"
                ));
            }
        }
    }
    ctx.flash_done(Done::new("расписание", "сохранено", "."));
    ctx.flash_not_saved(&not_saved);
    Ok(ctx.redirect("/schedule/"))
}

#[cfg(test)]
mod tests {
    use super::{GroupName, Names, is_clock_time};
    use crate::ids::TeacherId;
    use crate::month::Month;

    #[test]
    fn a_cell_names_its_group_in_any_letter_case() {
        let group = |id, name: &str| GroupName {
            id,
            name: name.to_string(),
            teacher_id: TeacherId(1),
            teacher_fio: String::new(),
            end: Month(0),
        };
        let groups = [group(1, "Робо-71"), group(2, "робо-7")];
        let names = Names::new(&groups);
        assert_eq!(names.posted("  "), Ok(None));
        assert_eq!(names.posted(" Робо-71 "), Ok(Some(1)));
        assert_eq!(names.posted("РОБО-7"), Ok(Some(2)));
        assert_eq!(names.posted(" робо "), Err("робо"));
        assert_eq!(names.posted("1"), Err("1"));
    }

    #[test]
    fn clock_times() {
        for ok in ["14:30", "09:05", "14:30:00"] {
            assert!(is_clock_time(ok), "{ok}");
        }
        for bad in ["", "9:05", "14.30", "14:3", "после обеда", "14:30:0"] {
            assert!(!is_clock_time(bad), "{bad}");
        }
    }
}
