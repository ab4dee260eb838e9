//! People as the API shows them: `SystemUser`, `Master`/`Developer`/`Bot`,
//! `Teacher`, `StudentBrief`, `StudentFull` and `Parent`.

use super::groups::{GroupBrief, GroupBriefJson, briefs};
use crate::auth::{Caller, Role};
use crate::db::LikePage;
use crate::ids::{GroupId, StudentId, TeacherId};
use crate::lessons::store::held_by_teachers;
use crate::structure::store::groups::Briefs;
use crate::structure::store::members::groups_of_students;
use crate::users::store::parents::{OfStudent, of_students};
use crate::users::store::people::Account;
use crate::users::store::staff::{AppStaff, StaffOf, app_rows as staff_rows};
use crate::users::store::students::{AppStudent, StudentsOf, app_rows as student_rows};
use chrono::NaiveDate;
use mysql::Conn;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::HashMap;

/// The API's account type; a role name the code does not know counts as a student, as in the
/// original's fall-through.
pub fn account_type(role: Option<Role>) -> &'static str {
    match role {
        Some(Role::Developer) => "DEVELOPER",
        Some(Role::Master) => "MASTER",
        Some(Role::Teacher) => "TEACHER",
        Some(Role::Bot) => "BOT",
        Some(Role::Student) | None => "STUDENT",
    }
}

/// `SystemUser`.
pub fn system_user_json(a: &Account) -> Value {
    serde_json::to_value(SystemUserJson::of(a)).expect("an account always serialises")
}

/// `SystemUser` as the API writes it; the fields in the order of their names, as in every
/// object of the API.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SystemUserJson<'a> {
    account_type: &'static str,
    enabled: bool,
    id: u32,
    last_seen: &'a str,
    last_seen_where: i32,
    login: &'a str,
    system_role_name: &'a str,
}

impl<'a> SystemUserJson<'a> {
    fn of(a: &'a Account) -> Self {
        SystemUserJson {
            account_type: account_type(Role::from_db_name(&a.role_name)),
            enabled: a.enabled,
            id: a.id,
            last_seen: &a.last_seen,
            last_seen_where: a.last_seen_where,
            login: &a.login,
            system_role_name: &a.role_name,
        }
    }
}

/// `{fio, id, systemUser}`, and for teachers their phone, lessons done and groups, in the order
/// of the names. Written straight from these fields: a page of teachers holds hundreds of groups.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StaffJson<'a> {
    fio: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    groups: Option<Vec<GroupBriefJson>>,
    id: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    lessons_done_count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<&'a str>,
    system_user: SystemUserJson<'a>,
}

/// The staff rows with what the API shows of them: for teachers their lessons done by `today`
/// and groups (two more statements for all of them).
pub struct Staff {
    role: Role,
    rows: Vec<AppStaff>,
    done: HashMap<TeacherId, u64>,
    groups: Vec<GroupBrief>,
}

impl Staff {
    fn read(
        conn: &mut Conn,
        caller: &Caller,
        today: NaiveDate,
        role: Role,
        rows: Vec<AppStaff>,
    ) -> mysql::Result<Staff> {
        let (done, groups) = match role {
            Role::Teacher => {
                let ids: Vec<TeacherId> = rows.iter().map(|t| TeacherId(t.id)).collect();
                // The groups' kept sums (row 2) before the kept counts (row 3): see `db::kept`.
                let groups = match ids.is_empty() {
                    true => Vec::new(),
                    false => briefs(conn, caller, Briefs::OfTeachers(&ids))?,
                };
                let done = held_by_teachers(conn, &ids, today)?;
                (done, groups)
            }
            _ => Default::default(),
        };
        Ok(Staff {
            role,
            rows,
            done,
            groups,
        })
    }

    /// The people in the list order.
    pub fn views(&self, caller: &Caller) -> Vec<StaffJson<'_>> {
        self.rows.iter().map(|s| self.view(s, caller)).collect()
    }

    /// The first person (the one of [`staff_by_id`]) as a value, if there is one.
    pub fn first_json(&self, caller: &Caller) -> Option<Value> {
        let first = self.rows.first()?;
        Some(serde_json::to_value(self.view(first, caller)).expect("a person always serialises"))
    }

    /// The group `id` among the teachers' groups read with them.
    pub fn group(&self, id: GroupId) -> Option<&GroupBrief> {
        self.groups.iter().find(|g| g.group.id == id)
    }

    fn view<'a>(&'a self, s: &'a AppStaff, caller: &Caller) -> StaffJson<'a> {
        let teacher = self.role == Role::Teacher;
        StaffJson {
            fio: &s.fio,
            groups: teacher.then(|| {
                self.groups
                    .iter()
                    .filter(|g| g.group.teacher_id.0 == s.id)
                    .map(|g| g.view(caller))
                    .collect()
            }),
            id: s.id,
            lessons_done_count: teacher
                .then(|| self.done.get(&TeacherId(s.id)).copied().unwrap_or(0)),
            phone: teacher.then_some(s.phone.as_str()),
            system_user: SystemUserJson::of(&s.account),
        }
    }
}

/// One page of a staff list, searched by fio.
pub fn staff_list(
    conn: &mut Conn,
    caller: &Caller,
    today: NaiveDate,
    role: Role,
    page: &LikePage,
) -> mysql::Result<Staff> {
    let rows = staff_rows(conn, role, StaffOf::Named(page))?;
    Staff::read(conn, caller, today, role, rows)
}

/// The person `id` of `role` (none, or one row) with what the API shows of them.
pub fn staff_by_id(
    conn: &mut Conn,
    caller: &Caller,
    today: NaiveDate,
    role: Role,
    id: u32,
) -> mysql::Result<Staff> {
    let rows = staff_rows(conn, role, StaffOf::One(id))?;
    Staff::read(conn, caller, today, role, rows)
}

/// `Parent`.
fn parent_json(p: &OfStudent) -> Value {
    let kinds: Vec<&str> = [(1, "email"), (2, "ВКонтакте"), (4, "sms")]
        .into_iter()
        .filter(|(bit, _)| p.notification_types & bit != 0)
        .map(|(_, name)| name)
        .collect();
    json!({
        "address": p.address,
        "email": p.email,
        "fio": p.fio,
        "homePhone": p.home_phone,
        "id": p.id,
        "notificationTypesString": kinds,
        "phone": p.phone,
        "vkLink": p.vk_link,
    })
}

/// The contact phone resolved: the student's own (may be NULL), the mother's or the father's; a
/// missing parent gives "" (the original crashed; src/api/README.md §7).
fn contact_phone(
    s: &AppStudent,
    parent: impl Fn(bool) -> Option<String>,
) -> (Option<String>, Option<&'static str>) {
    match s.profile.contact_phone {
        1 => (s.profile.phone.clone(), Some("ученик")),
        2 => (Some(parent(true).unwrap_or_default()), Some("мать")),
        3 => (Some(parent(false).unwrap_or_default()), Some("отец")),
        _ => (None, None),
    }
}

/// `StudentBrief`, or `StudentFull` when `full`, in the list order. Parents, memberships and
/// groups of all the students are read with one statement each.
fn students_json(
    conn: &mut Conn,
    caller: &Caller,
    full: bool,
    rows: Vec<AppStudent>,
) -> mysql::Result<Vec<Value>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<StudentId> = rows.iter().map(|s| s.id).collect();
    // Keyed by student, so a list of every student costs one lookup per student, not a scan of
    // all parents and all groups for each.
    let parents: HashMap<(StudentId, bool), OfStudent> = of_students(conn, &ids)?
        .into_iter()
        .map(|p| ((p.student_id, p.is_mother), p))
        .collect();
    let mut groups_of: HashMap<StudentId, Vec<GroupId>> = HashMap::new();
    for (student, group) in groups_of_students(conn, &ids)? {
        groups_of.entry(student).or_default().push(group);
    }
    let mut group_ids: Vec<GroupId> = groups_of.values().flatten().copied().collect();
    group_ids.sort_unstable();
    group_ids.dedup();
    let groups: Vec<GroupBrief> = match group_ids.is_empty() {
        true => Vec::new(),
        false => briefs(conn, caller, Briefs::Ids(&group_ids))?,
    };
    // Each group's place in the group sorting order, and its JSON, drawn once.
    let group_json: HashMap<GroupId, (usize, Value)> = groups
        .iter()
        .enumerate()
        .map(|(place, g)| (g.group.id, (place, g.json(caller))))
        .collect();
    Ok(rows
        .into_iter()
        .map(|s| {
            let parent = |mother: bool| parents.get(&(s.id, mother));
            let (phone_number, phone_who) =
                contact_phone(&s, |mother| parent(mother).map(|p| p.phone.clone()));
            let mut own: Vec<&(usize, Value)> = groups_of
                .get(&s.id)
                .into_iter()
                .flatten()
                .filter_map(|g| group_json.get(g))
                .collect();
            own.sort_unstable_by_key(|&&(place, _)| place);
            let own: Vec<Value> = own.into_iter().map(|(_, v)| v.clone()).collect();
            let mut v = json!({
                "contactPhoneNumber": phone_number,
                "contactPhoneWho": phone_who,
                "filled": s.profile.filled,
                "fio": s.profile.fio,
                "grade": s.profile.grade,
                "groups": own,
                "id": s.id,
                "lessonsAttendedCount": s.attended,
                "shift": s.profile.shift,
                "systemUser": system_user_json(&s.account),
            });
            let obj = v.as_object_mut().expect("an object");
            if full {
                let parent_or_null = |mother| parent(mother).map_or(Value::Null, parent_json);
                obj.insert("actualAddress".into(), s.profile.actual_address.into());
                obj.insert("additionalInfo".into(), s.profile.additional_info.into());
                let birth = s.profile.birth_date.format("%Y-%m-%d").to_string();
                obj.insert("birthDate".into(), birth.into());
                obj.insert("birthPlace".into(), s.profile.birth_place.into());
                obj.insert("citizenshipName".into(), s.citizenship.into());
                obj.insert("father".into(), parent_or_null(false));
                obj.insert("knownFrom".into(), s.profile.known_from.into());
                obj.insert("mother".into(), parent_or_null(true));
                obj.insert("phone".into(), s.profile.phone.into());
                obj.insert(
                    "registrationPlace".into(),
                    s.profile.registration_place.into(),
                );
                let school = json!({"id": s.profile.school_id, "name": s.school_name});
                obj.insert("school".into(), school);
            } else {
                obj.insert("schoolName".into(), s.school_name.into());
            }
            v
        })
        .collect())
}

/// One page of `students_list`: students not yet filled in first, then by fio.
pub fn students_list(
    conn: &mut Conn,
    caller: &Caller,
    page: &LikePage,
) -> mysql::Result<Vec<Value>> {
    let rows = student_rows(conn, StudentsOf::Named(page))?;
    students_json(conn, caller, false, rows)
}

pub fn student_full(conn: &mut Conn, caller: &Caller, id: u32) -> mysql::Result<Option<Value>> {
    let rows = student_rows(conn, StudentsOf::One(id))?;
    Ok(students_json(conn, caller, true, rows)?.into_iter().next())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::json::as_sorted_value;

    #[test]
    fn staff_and_their_groups_are_written_with_sorted_keys() {
        let account = Account {
            id: 7,
            login: "te\"1".into(),
            last_seen: "0000-00-00 00:00".into(),
            last_seen_where: 2,
            enabled: true,
            role_name: "teacher".into(),
        };
        let group = GroupBriefJson::example();
        let teacher = StaffJson {
            fio: "Иванов Иван",
            groups: Some(vec![group]),
            id: 3,
            lessons_done_count: Some(12),
            phone: Some("8 900"),
            system_user: SystemUserJson::of(&account),
        };
        let (direct, sorted) = as_sorted_value(&teacher);
        assert_eq!(direct, sorted);
        assert!(direct.contains("\"groups\":[{\"endMonth\":"), "{direct}");
        let master = StaffJson {
            groups: None,
            lessons_done_count: None,
            phone: None,
            ..teacher
        };
        let (direct, sorted) = as_sorted_value(&master);
        assert_eq!(direct, sorted);
        assert!(direct.starts_with("{\"fio\":\"Иванов Иван\",\"id\":3,\"systemUser\":{"));
    }
}
