//! People as the API shows them: `SystemUser`, `Master`/`Developer`/`Bot`,
//! `Teacher`, `StudentBrief`, `StudentFull` and `Parent`.

use super::groups::groups_where;
use super::sql::{PAGE, at};
use crate::auth::Caller;
use crate::auth::Role;
use crate::db::placeholders;
use chrono::NaiveDate;
use mysql::prelude::Queryable;
use mysql::{Conn, Params, Row, Value as Db};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};

/// The `SystemUser` columns, always aliased `su` (users) and `r` (roles); six columns.
pub const SU_COLUMNS: &str = "su.id, su.login,
    COALESCE(DATE_FORMAT(su.last_seen, '%Y-%m-%d %H:%i'), '0000-00-00 00:00'), su.last_seen_where,
    su.enabled, r.name";
pub const SU_JOIN: &str = "JOIN system_users su ON su.id = d.system_user_id
    JOIN system_roles r ON r.id = su.system_role_id";

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

/// `SystemUser` from the six `SU_COLUMNS` starting at column `i`.
pub fn system_user_json(row: &Row, i: usize) -> mysql::Result<Value> {
    let role_name: String = at(row, i + 5)?;
    Ok(json!({
        "accountType": account_type(Role::from_db_name(&role_name)),
        "enabled": at::<bool>(row, i + 4)?,
        "id": at::<u32>(row, i)?,
        "lastSeen": at::<String>(row, i + 2)?,
        "lastSeenWhere": at::<i32>(row, i + 3)?,
        "login": at::<String>(row, i + 1)?,
        "systemRoleName": role_name,
    }))
}

/// The staff tables whose rows the API shows as `{fio, id, systemUser}` (teachers with more).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Staff {
    Master,
    Teacher,
    Bot,
    Developer,
}

impl Staff {
    fn table(self) -> &'static str {
        match self {
            Staff::Master => "masters",
            Staff::Teacher => "teachers",
            Staff::Bot => "bots",
            Staff::Developer => "developers",
        }
    }
}

/// Staff rows matching a fixed condition on `d` (which may carry the ordering and paging).
fn staff_where(
    conn: &mut Conn,
    caller: &Caller,
    today: NaiveDate,
    kind: Staff,
    filter: &str,
    params: Vec<Db>,
) -> mysql::Result<Vec<Value>> {
    let phone = if kind == Staff::Teacher {
        "d.phone"
    } else {
        "''"
    };
    let sql = format!(
        "SELECT d.id, d.fio, {phone}, {SU_COLUMNS} FROM {} d {SU_JOIN} WHERE {filter}",
        kind.table()
    );
    let rows: Vec<Row> = conn.exec(sql, Params::Positional(params))?;
    let ids = rows
        .iter()
        .map(|row| at::<u32>(row, 0))
        .collect::<mysql::Result<Vec<_>>>()?;
    let mut teaching = match kind {
        Staff::Teacher => teaching(conn, caller, today, &ids)?,
        _ => HashMap::new(),
    };
    let mut out = Vec::with_capacity(rows.len());
    for (row, id) in rows.iter().zip(ids) {
        let mut v = json!({
            "fio": at::<String>(row, 1)?,
            "id": id,
            "systemUser": system_user_json(row, 3)?,
        });
        if kind == Staff::Teacher {
            let (done, groups) = teaching.remove(&id).unwrap_or_default();
            let obj = v.as_object_mut().expect("an object");
            obj.insert("phone".into(), at::<String>(row, 2)?.into());
            obj.insert("lessonsDoneCount".into(), done.into());
            obj.insert("groups".into(), Value::Array(groups));
        }
        out.push(v);
    }
    Ok(out)
}

/// Per teacher: lessons done by `today` and their groups (in the group order), with two queries
/// for all of `ids`.
fn teaching(
    conn: &mut Conn,
    caller: &Caller,
    today: NaiveDate,
    ids: &[u32],
) -> mysql::Result<HashMap<u32, (u64, Vec<Value>)>> {
    let mut by_teacher: HashMap<u32, (u64, Vec<Value>)> = HashMap::new();
    if ids.is_empty() {
        return Ok(by_teacher);
    }
    let in_list = placeholders(ids.len());
    let mut params: Vec<Db> = ids.iter().map(|id| Db::from(*id)).collect();
    params.push(today.into());
    let done: Vec<(u32, u64)> = conn.exec(
        format!(
            "SELECT teacher_id, COUNT(*) FROM lessons
             WHERE teacher_id IN ({in_list}) AND date <= ? GROUP BY teacher_id"
        ),
        params,
    )?;
    for (teacher, count) in done {
        by_teacher.entry(teacher).or_default().0 = count;
    }
    let filter = format!("g.teacher_id IN ({in_list})");
    let params = ids.iter().map(|id| Db::from(*id)).collect();
    for group in groups_where(conn, caller, &filter, params, "", vec![])? {
        let json = group.json(caller);
        by_teacher
            .entry(group.teacher_id.0)
            .or_default()
            .1
            .push(json);
    }
    Ok(by_teacher)
}

/// One page of a staff list, searched by fio.
pub fn staff_list(
    conn: &mut Conn,
    caller: &Caller,
    today: NaiveDate,
    kind: Staff,
    list: &super::sql::ListQuery,
) -> mysql::Result<Vec<Value>> {
    staff_where(
        conn,
        caller,
        today,
        kind,
        &format!("LOWER(d.fio) LIKE LOWER(?) ORDER BY d.fio, d.id {PAGE}"),
        list.params(),
    )
}

pub fn staff_by_id(
    conn: &mut Conn,
    caller: &Caller,
    today: NaiveDate,
    kind: Staff,
    id: u32,
) -> mysql::Result<Option<Value>> {
    Ok(
        staff_where(conn, caller, today, kind, "d.id = ?", vec![id.into()])?
            .into_iter()
            .next(),
    )
}

/// Students, with the contact phone resolved: the student's own (may be NULL), the mother's or
/// the father's; a missing parent gives "" (the original crashed; src/api/README.md §7).
/// `PAGE_FILTER` picks the students (condition, order and limit) in a derived table first, so that the per-student attendance count
/// is computed for the rows of the page only, not for every student matching a search;
/// `STRAIGHT_JOIN` keeps that order (the optimizer otherwise starts from all system users).
const STUDENT_SELECT: &str =
    "SELECT STRAIGHT_JOIN d.id, d.fio, d.filled, d.grade, d.shift, d.contact_phone, d.phone,
    sc.id, sc.name,
    (SELECT COUNT(*) FROM attendings a WHERE a.student_id = d.id AND a.state = 1),
    d.birth_date, d.birth_place, d.registration_place, d.actual_address, d.additional_info,
    d.known_from, c.name,
    SU_COLUMNS
    FROM (SELECT d.id FROM students d WHERE PAGE_FILTER) page
    JOIN students d ON d.id = page.id
    JOIN schools sc ON sc.id = d.school_id JOIN citizenships c ON c.id = d.citizenship_id
    SU_JOIN
    ORDER BY d.filled, d.fio, d.id";
const STUDENT_SU_AT: usize = 17;

fn student_select(page_filter: &str) -> String {
    STUDENT_SELECT
        .replace("SU_COLUMNS", SU_COLUMNS)
        .replace("SU_JOIN", SU_JOIN)
        .replace("PAGE_FILTER", page_filter)
}

struct ParentRow {
    student_id: u32,
    is_mother: bool,
    json: Value,
    phone: String,
}

/// The parents of all these students in one query.
fn parents(conn: &mut Conn, student_ids: &[u32]) -> mysql::Result<Vec<ParentRow>> {
    let rows: Vec<Row> = conn.exec(
        format!(
            "SELECT ps.student_id, ps.is_mother, p.id, p.fio, p.phone, p.email, p.address,
                p.home_phone, p.vk_link, p.notification_types
             FROM parent_of_students ps JOIN parents p ON p.id = ps.parent_id
             WHERE ps.student_id IN ({})",
            placeholders(student_ids.len())
        ),
        student_ids.to_vec(),
    )?;
    rows.iter()
        .map(|row| {
            let bits: i64 = at(row, 9)?;
            let kinds: Vec<&str> = [(1, "email"), (2, "ВКонтакте"), (4, "sms")]
                .into_iter()
                .filter(|(bit, _)| bits & bit != 0)
                .map(|(_, name)| name)
                .collect();
            let phone: String = at(row, 4)?;
            Ok(ParentRow {
                student_id: at(row, 0)?,
                is_mother: at(row, 1)?,
                json: json!({
                    "address": at::<Option<String>>(row, 6)?,
                    "email": at::<Option<String>>(row, 5)?,
                    "fio": at::<String>(row, 3)?,
                    "homePhone": at::<Option<String>>(row, 7)?,
                    "id": at::<u32>(row, 2)?,
                    "notificationTypesString": kinds,
                    "phone": phone,
                    "vkLink": at::<Option<String>>(row, 8)?,
                }),
                phone,
            })
        })
        .collect()
}

/// Students matching a fixed condition on `d` (`StudentBrief`, or `StudentFull` when `full`), in
/// the list order; the condition may end with the list order and a `LIMIT`.
/// Parents and groups of the whole page are read with one query each.
fn students_where(
    conn: &mut Conn,
    caller: &Caller,
    full: bool,
    filter: &str,
    params: Vec<Db>,
) -> mysql::Result<Vec<Value>> {
    let rows: Vec<Row> = conn.exec(student_select(filter), Params::Positional(params))?;
    let ids = rows
        .iter()
        .map(|row| at::<u32>(row, 0))
        .collect::<mysql::Result<Vec<_>>>()?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let parents = parents(conn, &ids)?;
    let in_ids = placeholders(ids.len());
    let memberships: HashSet<(u32, u32)> = conn
        .exec(
            format!(
                "SELECT student_id, group_id FROM student_in_groups WHERE student_id IN ({in_ids})"
            ),
            ids.clone(),
        )?
        .into_iter()
        .collect();
    let groups = groups_where(
        conn,
        caller,
        &format!("g.id IN (SELECT group_id FROM student_in_groups WHERE student_id IN ({in_ids}))"),
        ids.iter().map(|id| Db::from(*id)).collect(),
        "",
        vec![],
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for (row, id) in rows.iter().zip(ids) {
        let parent = |mother: bool| {
            parents
                .iter()
                .find(|p| p.student_id == id && p.is_mother == mother)
        };
        let (phone_number, phone_who): (Option<String>, Option<&str>) = match at::<i32>(row, 5)? {
            1 => (at(row, 6)?, Some("ученик")),
            2 => (
                Some(parent(true).map(|p| p.phone.clone()).unwrap_or_default()),
                Some("мать"),
            ),
            3 => (
                Some(parent(false).map(|p| p.phone.clone()).unwrap_or_default()),
                Some("отец"),
            ),
            _ => (None, None),
        };
        // Already in the group sorting order.
        let groups: Vec<Value> = groups
            .iter()
            .filter(|g| memberships.contains(&(id, g.id.0)))
            .map(|g| g.json(caller))
            .collect();
        let mut v = json!({
            "contactPhoneNumber": phone_number,
            "contactPhoneWho": phone_who,
            "filled": at::<bool>(row, 2)?,
            "fio": at::<String>(row, 1)?,
            "grade": at::<String>(row, 3)?,
            "groups": groups,
            "id": id,
            "lessonsAttendedCount": at::<u64>(row, 9)?,
            "shift": at::<String>(row, 4)?,
            "systemUser": system_user_json(row, STUDENT_SU_AT)?,
        });
        let obj = v.as_object_mut().expect("an object");
        if full {
            let birth: NaiveDate = at(row, 10)?;
            obj.insert("actualAddress".into(), at::<String>(row, 13)?.into());
            obj.insert(
                "additionalInfo".into(),
                at::<Option<String>>(row, 14)?.into(),
            );
            obj.insert(
                "birthDate".into(),
                birth.format("%Y-%m-%d").to_string().into(),
            );
            obj.insert("birthPlace".into(), at::<String>(row, 11)?.into());
            obj.insert("citizenshipName".into(), at::<String>(row, 16)?.into());
            obj.insert(
                "father".into(),
                parent(false).map_or(Value::Null, |p| p.json.clone()),
            );
            obj.insert("knownFrom".into(), at::<Option<String>>(row, 15)?.into());
            obj.insert(
                "mother".into(),
                parent(true).map_or(Value::Null, |p| p.json.clone()),
            );
            obj.insert("phone".into(), at::<Option<String>>(row, 6)?.into());
            obj.insert("registrationPlace".into(), at::<String>(row, 12)?.into());
            obj.insert(
                "school".into(),
                json!({"id": at::<u32>(row, 7)?, "name": at::<String>(row, 8)?}),
            );
        } else {
            obj.insert("schoolName".into(), at::<String>(row, 8)?.into());
        }
        out.push(v);
    }
    Ok(out)
}

/// One page of `students_list`: students not yet filled in first, then by fio.
pub fn students_list(
    conn: &mut Conn,
    caller: &Caller,
    list: &super::sql::ListQuery,
) -> mysql::Result<Vec<Value>> {
    students_where(
        conn,
        caller,
        false,
        &format!("LOWER(d.fio) LIKE LOWER(?) ORDER BY d.filled, d.fio, d.id {PAGE}"),
        list.params(),
    )
}

pub fn student_full(conn: &mut Conn, caller: &Caller, id: u32) -> mysql::Result<Option<Value>> {
    Ok(
        students_where(conn, caller, true, "d.id = ?", vec![id.into()])?
            .into_iter()
            .next(),
    )
}

/// A system user with their details row, whatever the role: `{detailsId, fio, systemUser}`.
/// A user without a details row (a broken database) shows id 0 and an empty fio.
pub fn owners_where(
    conn: &mut Conn,
    filter_and_order: &str,
    params: Vec<Db>,
) -> mysql::Result<Vec<(u32, Value)>> {
    let rows: Vec<Row> = conn.exec(
        format!(
            "SELECT COALESCE(m.id, t.id, s.id, b.id, dv.id, 0),
                COALESCE(m.fio, t.fio, s.fio, b.fio, dv.fio, ''), {SU_COLUMNS}
             FROM system_users su JOIN system_roles r ON r.id = su.system_role_id
             LEFT JOIN masters m ON m.system_user_id = su.id
             LEFT JOIN teachers t ON t.system_user_id = su.id
             LEFT JOIN students s ON s.system_user_id = su.id
             LEFT JOIN bots b ON b.system_user_id = su.id
             LEFT JOIN developers dv ON dv.system_user_id = su.id
             WHERE {filter_and_order}"
        ),
        Params::Positional(params),
    )?;
    rows.iter()
        .map(|row| {
            Ok((
                at(row, 2)?,
                json!({
                    "detailsId": at::<u32>(row, 0)?,
                    "fio": at::<String>(row, 1)?,
                    "systemUser": system_user_json(row, 2)?,
                }),
            ))
        })
        .collect()
}
