//! Groups and lessons as the API shows them: `GroupBrief`, `GroupFull`, `ScheduleItem`,
//! `Lesson`, with the group sorting and masking rules of src/api/README.md §7.

use crate::app::access::can_write_group;
use crate::auth::{Actor, Caller};
use crate::ids::GroupId;
use crate::lessons::store::ConductedLesson;
use crate::payments::store::unconfirmed_by_group;
use crate::schedule::store::days_of_group;
use crate::structure::store::groups::{self, Brief, Briefs, summary};
use chrono::NaiveDate;
use mysql::Conn;
use serde_json::{Value, json};

/// A group with the sum of its unconfirmed payments.
#[derive(Debug, Clone)]
pub struct GroupBrief {
    pub group: Brief,
    pub sum_not_confirmed: i64,
}

impl GroupBrief {
    /// `sumNotConfirmed` is -1 for a group the caller cannot write.
    pub fn json(&self, caller: &Caller) -> Value {
        let g = &self.group;
        let sum = if can_write_group(caller, g.teacher_id) {
            self.sum_not_confirmed
        } else {
            -1
        };
        json!({
            "endMonth": g.end_month.0,
            "id": g.id,
            "name": g.name,
            "startMonth": g.start_month.0,
            "sumNotConfirmed": sum,
            "teacherFio": g.teacher_fio,
            "teacherId": g.teacher_id,
        })
    }
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

/// The groups as a JSON list.
pub fn list_json(groups: &[GroupBrief], caller: &Caller) -> Value {
    Value::Array(groups.iter().map(|g| g.json(caller)).collect())
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
