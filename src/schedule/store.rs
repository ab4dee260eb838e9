//! The timetable in the database: 20 `schedule_times` rows (a free-text time each) and at most
//! one group per (time, weekday) in `schedule_groups`.

use crate::ids::{GroupId, TeacherId};
use crate::month::Month;
use mysql::Conn;
use mysql::prelude::Queryable;
use serde::Serialize;

pub const DAYS: [&str; 7] = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"];
/// `schedule_times.time` holds up to 8 characters.
pub const TIME_CHARS: usize = 8;

/// One row of the timetable.
#[derive(Debug, Clone, Serialize)]
pub struct Slot {
    pub id: u32,
    pub time: Option<String>,
    /// The group of each weekday, Monday first.
    pub groups: [Option<u32>; 7],
}

/// Every slot, by time with empty times last (compared as '25:59'), then by id, as the original
/// ordered them.
pub fn slots(conn: &mut Conn) -> mysql::Result<Vec<Slot>> {
    let mut slots: Vec<Slot> = conn.query_map(
        "SELECT id, time FROM schedule_times ORDER BY COALESCE(time, '25:59'), id",
        |(id, time)| Slot {
            id,
            time,
            groups: [None; 7],
        },
    )?;
    let cells: Vec<(u32, usize, u32)> = conn.query(
        "SELECT schedule_time_id, day_of_week, group_id FROM schedule_groups
         WHERE group_id IS NOT NULL AND day_of_week BETWEEN 0 AND 6",
    )?;
    for (slot_id, day, group) in cells {
        if let Some(slot) = slots.iter_mut().find(|s| s.id == slot_id) {
            slot.groups[day] = Some(group);
        }
    }
    Ok(slots)
}

pub fn set_time(conn: &mut Conn, slot_id: u32, time: Option<&str>) -> mysql::Result<()> {
    conn.exec_drop(
        "UPDATE schedule_times SET time = ? WHERE id = ?",
        (time, slot_id),
    )
}

pub fn set_group(
    conn: &mut Conn,
    slot_id: u32,
    day: usize,
    group_id: Option<u32>,
) -> mysql::Result<()> {
    conn.exec_drop(
        "INSERT INTO schedule_groups (schedule_time_id, day_of_week, group_id) VALUES (?, ?, ?)
         ON DUPLICATE KEY UPDATE group_id = VALUES(group_id)",
        (slot_id, day, group_id),
    )
}

/// A group as the timetable names it.
#[derive(Debug, Clone, Serialize)]
pub struct GroupName {
    pub id: u32,
    pub name: String,
    pub teacher_id: TeacherId,
    pub teacher_fio: String,
    /// The group's last month.
    pub end: Month,
}

/// Every group, ended ones included, newest start first, then by name.
pub fn groups(conn: &mut Conn) -> mysql::Result<Vec<GroupName>> {
    conn.query_map(
        "SELECT g.id, g.name, g.teacher_id, t.fio, g.end_month FROM `groups` g
         JOIN teachers t ON t.id = g.teacher_id ORDER BY g.start_month DESC, g.name",
        |(id, name, teacher_id, teacher_fio, end)| GroupName {
            id,
            name,
            teacher_id,
            teacher_fio,
            end: Month(end),
        },
    )
}

/// (weekday, time) of each timetable cell of the group, by day, then by time as text with empty
/// times last (compared as '25:59'), then by slot.
pub fn days_of_group(
    conn: &mut Conn,
    group_id: GroupId,
) -> mysql::Result<Vec<(i32, Option<String>)>> {
    conn.exec(
        "SELECT sg.day_of_week, st.time FROM schedule_groups sg
         JOIN schedule_times st ON st.id = sg.schedule_time_id
         WHERE sg.group_id = ?
         ORDER BY sg.day_of_week, COALESCE(st.time, '25:59'), st.id",
        (group_id,),
    )
}

/// A filled timetable cell with its group, as the app's timetable shows it.
#[derive(Debug, Clone)]
pub struct Cell {
    pub id: u32,
    pub day_of_week: i32,
    pub time: Option<String>,
    pub group_id: GroupId,
    pub group_name: String,
    pub teacher_id: TeacherId,
}

/// Every filled cell (of `teacher`'s groups only, when given), by day, then by the time as text
/// with empty times last, then by slot and cell.
pub fn cells(conn: &mut Conn, teacher: Option<TeacherId>) -> mysql::Result<Vec<Cell>> {
    conn.exec_map(
        "SELECT sg.id, sg.day_of_week, st.time, g.id, g.name, g.teacher_id
         FROM schedule_groups sg JOIN schedule_times st ON st.id = sg.schedule_time_id
         JOIN `groups` g ON g.id = sg.group_id
         WHERE ? IS NULL OR g.teacher_id = ?
         ORDER BY sg.day_of_week, COALESCE(st.time, '25:59'), st.id, sg.id",
        (teacher, teacher),
        |(id, day_of_week, time, group_id, group_name, teacher_id)| Cell {
            id,
            day_of_week,
            time,
            group_id,
            group_name,
            teacher_id,
        },
    )
}
