//! Groups: a section taught by a teacher over at most 12 months. The
//! period rules keep every confirmed payment and every lesson inside the period; changing the
//! period pulls the members' months into it and drops unconfirmed payments left outside.

use super::members;
use crate::app::AppError;
use crate::app::access::can_write_group;
use crate::app::list::{Direction, ListQuery, Sort, SortKey};
use crate::auth::CurrentUser;
use crate::db::change_log::Change;
use crate::db::kept;
use crate::db::{LikePage, placeholders};
use crate::ids::{GroupId, StudentId, StudentInGroupId, TeacherId};
use crate::month::Month;
use chrono::NaiveDate;
use mysql::Conn;
use mysql::prelude::Queryable;
use serde::Serialize;

/// The table for [`crate::structure::names`]: quoted, `groups` is a reserved word.
pub const TABLE: &str = "`groups`";
pub const TAKEN: &str = "группа с Таким названием уже существует!";
/// A group lasts at most this many months, both ends included.
pub const MAX_MONTHS: i32 = 12;

/// (id, name) of every group in the "for current user" order: a teacher's own
/// groups first, then the latest start, then the name.
pub fn for_user(
    db: &mut Conn,
    teacher_id: Option<TeacherId>,
) -> Result<Vec<(u32, String)>, AppError> {
    Ok(db.exec(
        "SELECT id, name FROM `groups` ORDER BY teacher_id <> ?, start_month DESC, name, id",
        (teacher_id,),
    )?)
}

/// (id, FIO) of every teacher, by FIO.
pub fn teachers(db: &mut Conn) -> Result<Vec<(u32, String)>, AppError> {
    Ok(db.query("SELECT id, fio FROM teachers ORDER BY fio, id")?)
}

/// (id, name) of every section, by name.
pub fn sections(db: &mut Conn) -> Result<Vec<(u32, String)>, AppError> {
    Ok(db.query("SELECT id, name FROM sections ORDER BY name, id")?)
}

#[derive(Debug, Serialize)]
pub struct Row {
    pub id: u32,
    pub name: String,
    pub section: String,
    /// `search=<section>` for the sections list.
    pub search_section: String,
    pub teacher_fio: String,
    /// `search=<fio>` for the teachers list.
    pub search_teacher: String,
    pub teacher_enabled: bool,
    pub teacher_is_me: bool,
    pub members: u64,
    /// «<start> — <end>».
    pub period: String,
    pub unconfirmed: i64,
    pub writable: bool,
    /// Why the group cannot be deleted; `None` when it can.
    pub blocked: Option<&'static str>,
}

/// A group is removable only with no members and no lessons.
fn blocker(members: u64, lessons: u64) -> Option<&'static str> {
    if members > 0 {
        Some("в группе есть ученики")
    } else if lessons > 0 {
        Some("у группы есть занятия")
    } else {
        None
    }
}

/// `search=<text>`: a list link that finds `text`.
pub fn search_query(text: &str) -> String {
    serde_urlencoded::to_string([("search", text)]).unwrap_or_default()
}

/// The columns a staff member sorts the groups list by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupSort {
    Name,
    Start,
}

impl SortKey for GroupSort {
    const KEYS: &'static [(GroupSort, &'static str)] =
        &[(GroupSort::Name, "name"), (GroupSort::Start, "start")];
}

/// The `ORDER BY` of a page, for `groups g`; the id breaks ties so that a row never moves
/// between pages. Without a chosen order: the "for current user" order, whose placeholder takes
/// the current teacher.
fn order_by(sort: Option<Sort<GroupSort>>) -> &'static str {
    use Direction::{Asc, Desc};
    match sort.map(|s| (s.key, s.direction)) {
        None => "g.teacher_id <> ?, g.start_month DESC, g.name, g.id",
        Some((GroupSort::Name, Asc)) => "g.name, g.id",
        Some((GroupSort::Name, Desc)) => "g.name DESC, g.id DESC",
        Some((GroupSort::Start, Asc)) => "g.start_month, g.name, g.id",
        Some((GroupSort::Start, Desc)) => "g.start_month DESC, g.name DESC, g.id DESC",
    }
}

/// One page of groups in the chosen order ("for current user" without one), filtered by a
/// search on the name and, when `teacher_id` is given, by the teacher; and the number matching.
/// The page is picked first (kept first by `STRAIGHT_JOIN`), so that the three sums run for its
/// rows only.
pub fn page(
    db: &mut Conn,
    q: &ListQuery,
    teacher_id: Option<TeacherId>,
    me: &CurrentUser,
) -> Result<(Vec<Row>, u64), AppError> {
    let words = q.words_in("g.name");
    let cond = format!("{} AND (? IS NULL OR g.teacher_id = ?)", words.sql);
    let filter = words.params_then([teacher_id.into(), teacher_id.into()]);
    let total: u64 = db
        .exec_first(
            format!("SELECT COUNT(*) FROM `groups` g WHERE {cond}"),
            filter.clone(),
        )?
        .unwrap_or(0);
    let (limit, offset) = q.limit();
    let sort = q.sort();
    let order = order_by(sort);
    // The order's own parameter, once for the page and once for the rows.
    let me_in_order: Vec<mysql::Value> = match sort {
        None => vec![me.teacher_id.into()],
        Some(_) => Vec::new(),
    };
    type Found = (
        u32,
        String,
        String,
        TeacherId,
        String,
        bool,
        u32,
        i32,
        i32,
        u64,
        i64,
        u64,
    );
    let mut params = filter;
    params.extend(me_in_order.iter().cloned());
    params.extend([limit.into(), offset.into()]);
    params.extend(me_in_order);
    let found: Vec<Found> = db.exec(
        format!(
            "SELECT STRAIGHT_JOIN g.id, g.name, s.name, g.teacher_id, t.fio, su.enabled, su.id,
                g.start_month, g.end_month,
                (SELECT COUNT(*) FROM student_in_groups sig WHERE sig.group_id = g.id),
                (SELECT CAST(COALESCE(SUM(p.value), 0) AS SIGNED) FROM payments p
                    JOIN student_in_groups sig ON sig.id = p.student_in_group_id
                    WHERE sig.group_id = g.id AND p.confirmed = 0),
                (SELECT COUNT(*) FROM lessons l WHERE l.group_id = g.id)
             FROM (SELECT g.id FROM `groups` g WHERE {cond}
                   ORDER BY {order} LIMIT ? OFFSET ?) page
             JOIN `groups` g ON g.id = page.id
             JOIN sections s ON s.id = g.section_id
             JOIN teachers t ON t.id = g.teacher_id
             JOIN system_users su ON su.id = t.system_user_id
             ORDER BY {order}"
        ),
        params,
    )?;
    let rows = found
        .into_iter()
        .map(|r| {
            let (id, name, section, teacher, fio, enabled, user_id, start, end, members) =
                (r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9);
            Row {
                id,
                name,
                search_section: search_query(&section),
                section,
                search_teacher: search_query(&fio),
                teacher_fio: fio,
                teacher_enabled: enabled,
                teacher_is_me: user_id == me.id,
                members,
                period: format!("{} — {}", Month(start).name(), Month(end).name()),
                unconfirmed: r.10,
                writable: can_write_group(me, teacher),
                blocked: blocker(members, r.11),
            }
        })
        .collect();
    Ok((rows, total))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub name: String,
    pub section_id: u32,
    pub teacher_id: TeacherId,
    pub start: Month,
    pub end: Month,
}

pub fn find(db: &mut Conn, id: u32) -> Result<Option<Group>, AppError> {
    let row: Option<(String, u32, TeacherId, i32, i32)> = db.exec_first(
        "SELECT name, section_id, teacher_id, start_month, end_month FROM `groups` WHERE id = ?",
        (id,),
    )?;
    Ok(row.map(|(name, section_id, teacher_id, start, end)| Group {
        name,
        section_id,
        teacher_id,
        start: Month(start),
        end: Month(end),
    }))
}

/// The first and last month that has a confirmed payment or a lesson of the group: the period
/// must keep covering them.
pub fn used_months(db: &mut Conn, id: u32) -> Result<Option<(Month, Month)>, AppError> {
    let row: Option<(Option<i64>, Option<i64>)> = db.exec_first(
        "SELECT MIN(m), MAX(m) FROM (
            SELECT p.month AS m FROM payments p
                JOIN student_in_groups sig ON sig.id = p.student_in_group_id
                WHERE sig.group_id = ? AND p.confirmed = 1
            UNION ALL
            SELECT (YEAR(l.date) - 2017) * 12 + MONTH(l.date) - 1 FROM lessons l
                WHERE l.group_id = ?) used",
        (id, id),
    )?;
    Ok(match row {
        Some((Some(first), Some(last))) => Some((Month(first as i32), Month(last as i32))),
        _ => None,
    })
}

/// The period rules, in the original's order: start not after end, at most 12 months, and (when
/// editing) no lesson or confirmed payment outside the period; `used` is [`used_months`] then.
pub fn check_period(
    start: Month,
    end: Month,
    used: Option<(Month, Month)>,
) -> Result<(), &'static str> {
    if start > end {
        return Err("начало не может быть позже конца!");
    }
    if end.0 - start.0 >= MAX_MONTHS {
        return Err("группа не может существовать больше 12 месяцев!");
    }
    if let Some((first, last)) = used {
        if start > first {
            return Err("существуют занятия или платежи до месяца начала!");
        }
        if end < last {
            return Err("существуют занятия или платежи после месяца конца!");
        }
    }
    Ok(())
}

pub fn insert(db: &mut Conn, g: &Group) -> Result<(), mysql::Error> {
    db.exec_drop(
        "INSERT INTO `groups` (name, section_id, teacher_id, start_month, end_month)
         VALUES (?, ?, ?, ?, ?)",
        (&g.name, g.section_id, g.teacher_id, g.start.0, g.end.0),
    )
}

/// A new group has no members: no debt changes. A group is deleted only without members.
pub fn update(db: &mut Conn, id: u32, g: &Group) -> Result<(), mysql::Error> {
    db.exec_drop(
        "UPDATE `groups` SET name = ?, section_id = ?, teacher_id = ?, start_month = ?,
         end_month = ? WHERE id = ?",
        (&g.name, g.section_id, g.teacher_id, g.start.0, g.end.0, id),
    )?;
    kept::changed(db)
}

/// What an edit does besides saving the row: members' months pulled into the period,
/// unconfirmed payments outside it deleted, lessons after `today` given the group's teacher.
/// Returns the change log's entries of the members whose months moved.
pub fn after_edit(
    db: &mut Conn,
    id: u32,
    g: &Group,
    today: NaiveDate,
) -> Result<Vec<Change>, AppError> {
    let (start, end) = (g.start.0, g.end.0);
    let moved: Vec<(StudentInGroupId, StudentId, i32, i32, i32)> = db.exec(
        "SELECT id, student_id, enter_month, exit_month, discount FROM student_in_groups
         WHERE group_id = ? AND (enter_month < ? OR enter_month > ? OR exit_month < ? OR exit_month > ?)",
        (id, start, end, start, end),
    )?;
    let clamp = |m: i32| Month(m.clamp(start, end));
    let changes = moved
        .into_iter()
        .map(|(sig, student, enter, exit, discount)| {
            let was = members::describe(Month(enter), Month(exit), discount);
            let now = members::describe(clamp(enter), clamp(exit), discount);
            members::change(sig, student, GroupId(id), was, now)
        })
        .collect();
    db.exec_drop(
        "UPDATE student_in_groups
         SET enter_month = LEAST(GREATEST(enter_month, ?), ?),
             exit_month = LEAST(GREATEST(exit_month, ?), ?)
         WHERE group_id = ?",
        (start, end, start, end, id),
    )?;
    db.exec_drop(
        "DELETE p FROM payments p JOIN student_in_groups sig ON sig.id = p.student_in_group_id
         WHERE sig.group_id = ? AND p.confirmed = 0 AND (p.month < ? OR p.month > ?)",
        (id, start, end),
    )?;
    db.exec_drop(
        "UPDATE lessons SET teacher_id = ? WHERE group_id = ? AND date > ?",
        (g.teacher_id, id, today),
    )?;
    Ok(changes)
}

/// The name of a group about to be deleted and why it must stay, the row locked so that a
/// member or lesson added meanwhile waits for this transaction.
pub fn lock(db: &mut Conn, id: u32) -> Result<Option<(String, Option<&'static str>)>, AppError> {
    let row: Option<(String, u64, u64)> = db.exec_first(
        "SELECT g.name,
            (SELECT COUNT(*) FROM student_in_groups sig WHERE sig.group_id = g.id),
            (SELECT COUNT(*) FROM lessons l WHERE l.group_id = g.id)
         FROM `groups` g WHERE g.id = ? FOR UPDATE",
        (id,),
    )?;
    Ok(row.map(|(name, members, lessons)| (name, blocker(members, lessons))))
}

/// Deletes the group with the notifications sent to it, and empties its timetable cells
/// (the original failed on the foreign key there).
pub fn delete(db: &mut Conn, id: u32) -> Result<(), AppError> {
    db.exec_drop(
        "DELETE FROM notifications WHERE receiver_type = 1 AND receiver_id = ?",
        (id,),
    )?;
    db.exec_drop(
        "UPDATE schedule_groups SET group_id = NULL WHERE group_id = ?",
        (id,),
    )?;
    db.exec_drop("DELETE FROM `groups` WHERE id = ?", (id,))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_rules() {
        assert_eq!(check_period(Month(8), Month(19), None), Ok(()));
        assert_eq!(
            check_period(Month(8), Month(20), None),
            Err("группа не может существовать больше 12 месяцев!")
        );
        assert_eq!(
            check_period(Month(9), Month(8), None),
            Err("начало не может быть позже конца!")
        );
        let used = Some((Month(10), Month(12)));
        assert_eq!(check_period(Month(10), Month(12), used), Ok(()));
        assert_eq!(
            check_period(Month(11), Month(12), used),
            Err("существуют занятия или платежи до месяца начала!")
        );
        assert_eq!(
            check_period(Month(10), Month(11), used),
            Err("существуют занятия или платежи после месяца конца!")
        );
    }
}

/// (id, name) of a teacher's own groups, the latest start first.
pub fn of_teacher(db: &mut Conn, teacher_id: TeacherId) -> Result<Vec<(u32, String)>, AppError> {
    Ok(db.exec(
        "SELECT id, name FROM `groups` WHERE teacher_id = ? ORDER BY start_month DESC, name, id",
        (teacher_id,),
    )?)
}

/// A group with its teacher and section ids, as the app lists it.
#[derive(Debug, Clone)]
pub struct Brief {
    pub id: GroupId,
    pub name: String,
    pub teacher_id: TeacherId,
    pub teacher_fio: String,
    pub start_month: Month,
    pub end_month: Month,
    pub section_id: u32,
}

impl Brief {
    /// Every month of the group period, in order.
    pub fn months(&self) -> impl Iterator<Item = Month> + use<> {
        (self.start_month.0..=self.end_month.0).map(Month)
    }
}

/// Which groups [`briefs`] reads.
pub enum Briefs<'a> {
    One(GroupId),
    OfSections(&'a [u32]),
    OfTeachers(&'a [TeacherId]),
    Ids(&'a [GroupId]),
    Named(&'a LikePage),
}

/// Groups in the app's order: `own`'s groups first (a teacher's), the latest start first, then
/// by name.
pub fn briefs(db: &mut Conn, which: Briefs, own: Option<TeacherId>) -> mysql::Result<Vec<Brief>> {
    let (filter, mut params, page): (String, Vec<mysql::Value>, Option<&LikePage>) = match which {
        Briefs::One(id) => ("g.id = ?".into(), vec![id.into()], None),
        Briefs::OfSections(ids) => (
            format!("g.section_id IN ({})", placeholders(ids.len())),
            ids.iter().map(|&id| id.into()).collect(),
            None,
        ),
        Briefs::OfTeachers(ids) => (
            format!("g.teacher_id IN ({})", placeholders(ids.len())),
            ids.iter().map(|&id| id.into()).collect(),
            None,
        ),
        Briefs::Ids(ids) => (
            format!("g.id IN ({})", placeholders(ids.len())),
            ids.iter().map(|&id| id.into()).collect(),
            None,
        ),
        Briefs::Named(page) => (
            "LOWER(g.name) LIKE LOWER(?)".into(),
            vec![page.pattern.clone().into()],
            Some(page),
        ),
    };
    params.push(own.into());
    let paging = match page {
        Some(page) => {
            params.extend([page.limit.into(), page.offset.into()]);
            "LIMIT ? OFFSET ?"
        }
        None => "",
    };
    db.exec_map(
        format!(
            "SELECT g.id, g.name, g.teacher_id, t.fio, g.start_month, g.end_month, g.section_id
             FROM `groups` g JOIN teachers t ON t.id = g.teacher_id
             WHERE {filter} ORDER BY g.teacher_id <=> ? DESC, g.start_month DESC, g.name, g.id
             {paging}"
        ),
        params,
        |(id, name, teacher_id, teacher_fio, start, end, section_id)| Brief {
            id,
            name,
            teacher_id,
            teacher_fio,
            start_month: Month(start),
            end_month: Month(end),
            section_id,
        },
    )
}

/// What the app shows of a group beyond its brief: the section's name, the number of members
/// and of lessons held by `today`.
pub fn summary(db: &mut Conn, g: &Brief, today: NaiveDate) -> mysql::Result<(String, u64, u64)> {
    Ok(db
        .exec_first(
            "SELECT s.name,
                (SELECT COUNT(*) FROM student_in_groups WHERE group_id = ?),
                (SELECT COUNT(*) FROM lessons WHERE group_id = ? AND date <= ?)
             FROM sections s WHERE s.id = ?",
            (g.id, g.id, today, g.section_id),
        )?
        .unwrap_or_default())
}
