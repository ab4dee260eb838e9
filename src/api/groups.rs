//! Groups and lessons as the API shows them: `GroupBrief`, `GroupFull`, `ScheduleItem`,
//! `Lesson`, with the group sorting and masking rules of src/api/README.md §7.

use crate::app::access::can_write_group;
use crate::auth::Caller;
use crate::ids::{GroupId, TeacherId};
use crate::lessons::store::ConductedLesson;
use crate::month::Month;
use chrono::NaiveDate;
use mysql::prelude::Queryable;
use mysql::{Conn, Params, Value as Db};
use serde_json::{Value, json};
use std::collections::HashMap;

const GROUP_SELECT: &str = "SELECT g.id, g.name, g.teacher_id, t.fio, g.start_month, g.end_month,
    g.section_id
    FROM `groups` g JOIN teachers t ON t.id = g.teacher_id";

/// `sort_groups`: the caller's own groups first (teachers), newest first, then by name.
const GROUP_ORDER: &str = "ORDER BY g.teacher_id != ?, g.start_month DESC, g.name, g.id";

#[derive(Debug, Clone)]
pub struct GroupBrief {
    pub id: GroupId,
    pub name: String,
    pub teacher_id: TeacherId,
    pub teacher_fio: String,
    pub start_month: Month,
    pub end_month: Month,
    pub sum_not_confirmed: i64,
    pub section_id: u32,
}

type GroupRow = (GroupId, String, TeacherId, String, i32, i32, u32);

impl GroupBrief {
    fn of_row((id, name, teacher_id, teacher_fio, start, end, section_id): GroupRow) -> GroupBrief {
        GroupBrief {
            id,
            name,
            teacher_id,
            teacher_fio,
            start_month: Month(start),
            end_month: Month(end),
            sum_not_confirmed: 0,
            section_id,
        }
    }

    /// Every month of the group period, in order.
    pub fn months(&self) -> impl Iterator<Item = Month> + use<> {
        (self.start_month.0..=self.end_month.0).map(Month)
    }

    /// `sumNotConfirmed` is -1 for a group the caller cannot write.
    pub fn json(&self, caller: &Caller) -> Value {
        let sum = if can_write_group(caller, self.teacher_id) {
            self.sum_not_confirmed
        } else {
            -1
        };
        json!({
            "endMonth": self.end_month.0,
            "id": self.id,
            "name": self.name,
            "startMonth": self.start_month.0,
            "sumNotConfirmed": sum,
            "teacherFio": self.teacher_fio,
            "teacherId": self.teacher_id,
        })
    }
}

/// Groups matching `filter` (a fixed SQL condition on `g`, with its parameters), in the group
/// sorting order, then `suffix` (paging) with its parameters.
pub fn groups_where(
    conn: &mut Conn,
    caller: &Caller,
    filter: &str,
    mut params: Vec<Db>,
    suffix: &str,
    suffix_params: Vec<Db>,
) -> mysql::Result<Vec<GroupBrief>> {
    params.push(caller.teacher_id().into());
    params.extend(suffix_params);
    let mut groups = conn.exec_map(
        format!("{GROUP_SELECT} WHERE {filter} {GROUP_ORDER} {suffix}"),
        Params::Positional(params),
        GroupBrief::of_row,
    )?;
    add_unconfirmed_sums(conn, caller, &mut groups)?;
    Ok(groups)
}

/// Sets each group's sum of unconfirmed payments where the caller may see it, all in one query:
/// a subquery per group took 10.8 ms for the 302 groups of the `large` demo data, this 2 ms.
fn add_unconfirmed_sums(
    conn: &mut Conn,
    caller: &Caller,
    groups: &mut [GroupBrief],
) -> mysql::Result<()> {
    let ids: Vec<GroupId> = groups
        .iter()
        .filter(|g| can_write_group(caller, g.teacher_id))
        .map(|g| g.id)
        .collect();
    if ids.is_empty() {
        return Ok(());
    }
    let sums: HashMap<GroupId, i64> = conn
        .exec::<(GroupId, i64), _, _>(
            format!(
                "SELECT sig.group_id, CAST(SUM(p.value) AS SIGNED) FROM student_in_groups sig
                 JOIN payments p ON p.student_in_group_id = sig.id AND p.confirmed = 0
                 WHERE sig.group_id IN ({}) GROUP BY sig.group_id",
                crate::db::placeholders(ids.len())
            ),
            ids,
        )?
        .into_iter()
        .collect();
    for g in groups {
        g.sum_not_confirmed = sums.get(&g.id).copied().unwrap_or(0);
    }
    Ok(())
}

pub fn group(conn: &mut Conn, caller: &Caller, id: GroupId) -> mysql::Result<Option<GroupBrief>> {
    Ok(
        groups_where(conn, caller, "g.id = ?", vec![id.into()], "", vec![])?
            .into_iter()
            .next(),
    )
}

/// The groups as a JSON list.
pub fn list_json(groups: &[GroupBrief], caller: &Caller) -> Value {
    Value::Array(groups.iter().map(|g| g.json(caller)).collect())
}

pub fn groups_json(
    conn: &mut Conn,
    caller: &Caller,
    filter: &str,
    params: Vec<Db>,
) -> mysql::Result<Value> {
    let groups = groups_where(conn, caller, filter, params, "", vec![])?;
    Ok(list_json(&groups, caller))
}

/// `GroupFull`: the brief plus section, schedule, students and lessons done by `today`.
pub fn full_json(
    conn: &mut Conn,
    caller: &Caller,
    g: &GroupBrief,
    today: NaiveDate,
) -> mysql::Result<Value> {
    let (section_name, students_count, lessons_done): (String, u64, u64) = conn
        .exec_first(
            "SELECT s.name,
                (SELECT COUNT(*) FROM student_in_groups WHERE group_id = ?),
                (SELECT COUNT(*) FROM lessons WHERE group_id = ? AND date <= ?)
             FROM sections s WHERE s.id = ?",
            (g.id, g.id, today, g.section_id),
        )?
        .unwrap_or_default();
    let schedule: Vec<Value> = conn.exec_map(
        "SELECT sg.day_of_week, st.time FROM schedule_groups sg
         JOIN schedule_times st ON st.id = sg.schedule_time_id
         WHERE sg.group_id = ?
         ORDER BY sg.day_of_week, COALESCE(st.time, '25:59'), st.id",
        (g.id,),
        |(day, time): (i32, Option<String>)| json!({"dayOfWeek": day, "time": time}),
    )?;
    let mut v = g.json(caller);
    let obj = v.as_object_mut().expect("a group is an object");
    obj.insert("lessonsDoneCount".into(), lessons_done.into());
    obj.insert("schedule".into(), schedule.into());
    obj.insert("sectionId".into(), g.section_id.into());
    obj.insert("sectionName".into(), section_name.into());
    obj.insert("studentsCount".into(), students_count.into());
    Ok(v)
}

/// `Lesson`.
pub fn lesson_json(l: &ConductedLesson) -> Value {
    json!({
        "id": l.id,
        "date": l.date.format("%Y-%m-%d").to_string(),
        "groupId": l.group_id,
        "groupName": l.group_name,
        "teacherId": l.teacher_id,
        "anotherTeacherFio": l.another_teacher_fio,
    })
}

/// The lessons as a JSON list.
pub fn lessons_json(lessons: &[ConductedLesson]) -> Value {
    Value::Array(lessons.iter().map(lesson_json).collect())
}
