//! Groups and lessons as the API shows them: `GroupBrief`, `GroupFull`, `ScheduleItem`,
//! `Lesson`, with the group sorting and masking rules of src/api/README.md §7.

use crate::app::access::can_write_group;
use crate::auth::{Actor, Caller};
use crate::ids::{GroupId, TeacherId};
use crate::lessons::store::ConductedLesson;
use crate::payments::store::unconfirmed_by_group;
use crate::schedule::store::days_of_group;
use crate::structure::store::groups::{self, Brief, Briefs, summary};
use chrono::NaiveDate;
use mysql::Conn;
use serde::Serialize;
use serde_json::{Value, json};

/// A group with the sum of its unconfirmed payments.
#[derive(Debug, Clone)]
pub struct GroupBrief {
    pub group: Brief,
    pub sum_not_confirmed: i64,
}

impl GroupBrief {
    /// `sumNotConfirmed` is -1 for a group the caller cannot write.
    pub fn view(&self, caller: &Caller) -> GroupBriefJson {
        let g = &self.group;
        let sum = if can_write_group(caller, g.teacher_id) {
            self.sum_not_confirmed
        } else {
            -1
        };
        GroupBriefJson {
            end_month: g.end_month.0,
            id: g.id,
            name: g.name.clone(),
            start_month: g.start_month.0,
            sum_not_confirmed: sum,
            teacher_fio: g.teacher_fio.clone(),
            teacher_id: g.teacher_id,
        }
    }

    /// [`Self::view`] as a value, for an answer built with `json!`.
    pub fn json(&self, caller: &Caller) -> Value {
        serde_json::to_value(self.view(caller)).expect("a group brief always serialises")
    }
}

/// `GroupBrief` as the API writes it. A list of hundreds of them is written straight from these
/// fields instead of building a map per group first (the teachers list built, wrote and freed
/// some 300 of them). The fields stand in the order of their names, the order in which every
/// object of the API has its keys (a test holds them to it).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupBriefJson {
    end_month: i32,
    id: GroupId,
    name: String,
    start_month: i32,
    sum_not_confirmed: i64,
    teacher_fio: String,
    teacher_id: TeacherId,
}

/// The groups `which` picks, in the group sorting order, each with its unconfirmed sum where the
/// caller may see it (one more statement for all of them).
pub fn briefs(conn: &mut Conn, caller: &Caller, which: Briefs) -> mysql::Result<Vec<GroupBrief>> {
    let found = groups::briefs(conn, which, caller.own_teacher_id())?;
    let writable: Vec<GroupId> = found
        .iter()
        .filter(|g| can_write_group(caller, g.teacher_id))
        .map(|g| g.id)
        .collect();
    let sums = unconfirmed_by_group(conn, &writable)?;
    Ok(found
        .into_iter()
        .map(|group| GroupBrief {
            sum_not_confirmed: sums.get(&group.id).copied().unwrap_or(0),
            group,
        })
        .collect())
}

pub fn group(conn: &mut Conn, caller: &Caller, id: GroupId) -> mysql::Result<Option<GroupBrief>> {
    Ok(briefs(conn, caller, Briefs::One(id))?.into_iter().next())
}

/// The groups as the API lists them.
pub fn list_json(groups: &[GroupBrief], caller: &Caller) -> Vec<GroupBriefJson> {
    groups.iter().map(|g| g.view(caller)).collect()
}

/// `GroupFull`: the brief plus section, schedule, students and lessons done by `today`.
pub fn full_json(
    conn: &mut Conn,
    caller: &Caller,
    g: &GroupBrief,
    today: NaiveDate,
) -> mysql::Result<Value> {
    let (section_name, students_count, lessons_done) = summary(conn, &g.group, today)?;
    let schedule: Vec<Value> = days_of_group(conn, g.group.id)?
        .into_iter()
        .map(|(day, time)| json!({"dayOfWeek": day, "time": time}))
        .collect();
    let mut v = g.json(caller);
    let obj = v.as_object_mut().expect("a group is an object");
    obj.insert("lessonsDoneCount".into(), lessons_done.into());
    obj.insert("schedule".into(), schedule.into());
    obj.insert("sectionId".into(), g.group.section_id.into());
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

#[cfg(test)]
impl GroupBriefJson {
    pub fn example() -> Self {
        GroupBriefJson {
            end_month: 20,
            id: GroupId(4),
            name: "робо-71".into(),
            start_month: 12,
            sum_not_confirmed: -1,
            teacher_fio: "Петров Пётр".into(),
            teacher_id: TeacherId(3),
        }
    }
}
