//! The timetable in the database: 20 `schedule_times` rows (a free-text time each) and at most
//! one group per (time, weekday) in `schedule_groups`.

use crate::ids::TeacherId;
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
}

/// Every group, ended ones included, newest start first, then by name.
pub fn groups(conn: &mut Conn) -> mysql::Result<Vec<GroupName>> {
    conn.query_map(
        "SELECT id, name, teacher_id FROM `groups` ORDER BY start_month DESC, name",
        |(id, name, teacher_id)| GroupName {
            id,
            name,
            teacher_id,
        },
    )
}
