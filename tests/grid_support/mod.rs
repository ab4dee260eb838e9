//! Helpers for the payments, timetable and cabinet tests: extra people and memberships written
//! straight into the test database, and reading a rendered form back as a browser would post it.
#![allow(dead_code)]

use crate::common::TestDb;
use mysql::prelude::Queryable;

pub fn exec(db: &TestDb, sql: &str, params: impl Into<mysql::Params>) -> u32 {
    let mut c = db.conn();
    c.exec_drop(sql, params).unwrap();
    c.last_insert_id() as u32
}

pub fn query_one<T: mysql::prelude::FromValue>(
    db: &TestDb,
    sql: &str,
    params: impl Into<mysql::Params>,
) -> T {
    let mut c = db.conn();
    let v: Option<T> = c.exec_first(sql, params).unwrap();
    v.unwrap_or_else(|| panic!("no row: {sql}"))
}

pub fn group_id(db: &TestDb, name: &str) -> u32 {
    query_one(db, "SELECT id FROM `groups` WHERE name = ?", (name,))
}

/// A system user of `role` with password `password` (set through `crmit set-password`).
fn add_user(db: &TestDb, login: &str, role: &str, password: &str) -> u32 {
    let id = exec(
        db,
        "INSERT INTO system_users (login, password_hash, system_role_id, last_seen, enabled, last_seen_where, force_ask_to_login)
         SELECT ?, ?, id, UTC_TIMESTAMP(), 1, 1, 0 FROM system_roles WHERE name = ?",
        (login, format!("placeholder-{login}"), role),
    );
    db.crmit_with_stdin(
        &["set-password", login, "--password-stdin"],
        &format!("{password}\n"),
    );
    id
}

/// A teacher who logs in with `12`; returns teachers.id.
pub fn add_teacher(db: &TestDb, login: &str, fio: &str) -> u32 {
    let user = add_user(db, login, "преподаватель", "12");
    exec(
        db,
        "INSERT INTO teachers (fio, system_user_id, phone) VALUES (?, ?, '89011111111')",
        (fio, user),
    )
}

/// A master who logs in with `12`; returns masters.id.
pub fn add_master(db: &TestDb, login: &str, fio: &str) -> u32 {
    let user = add_user(db, login, "руководитель", "12");
    exec(
        db,
        "INSERT INTO masters (fio, system_user_id) VALUES (?, ?)",
        (fio, user),
    )
}

/// A student who logs in with `12`; returns students.id.
pub fn add_student(db: &TestDb, login: &str, fio: &str) -> u32 {
    let user = add_user(db, login, "ученик", "12");
    exec(
        db,
        "INSERT INTO students (fio, birth_date, birth_place, registration_place, actual_address, school_id,
           citizenship_id, system_user_id, contact_phone, grade, phone, shift, filled)
         SELECT ?, '2010-01-02', 'bp', 'rp', 'aa', (SELECT MIN(id) FROM schools), (SELECT MIN(id) FROM citizenships),
           ?, 1, '1', '89020000000', '1', 1",
        (fio, user),
    )
}

/// A group of the section `section` taught by `teacher_id`; returns its id.
pub fn add_group(
    db: &TestDb,
    name: &str,
    section: &str,
    teacher_id: u32,
    start: i32,
    end: i32,
) -> u32 {
    exec(
        db,
        "INSERT INTO `groups` (name, section_id, teacher_id, start_month, end_month)
         SELECT ?, id, ?, ?, ? FROM sections WHERE name = ?",
        (name, teacher_id, start, end, section),
    )
}

/// Puts a student into a group; returns the student_in_groups id.
pub fn add_member(
    db: &TestDb,
    student_id: u32,
    group_id: u32,
    discount: i32,
    enter: i32,
    exit: i32,
) -> u32 {
    exec(
        db,
        "INSERT INTO student_in_groups (student_id, group_id, discount, enter_month, exit_month) VALUES (?, ?, ?, ?, ?)",
        (student_id, group_id, discount, enter, exit),
    )
}

pub fn teacher_id(db: &TestDb, login: &str) -> u32 {
    query_one(
        db,
        "SELECT t.id FROM teachers t JOIN system_users su ON su.id = t.system_user_id WHERE su.login = ?",
        (login,),
    )
}

pub fn student_id(db: &TestDb, login: &str) -> u32 {
    query_one(
        db,
        "SELECT s.id FROM students s JOIN system_users su ON su.id = s.system_user_id WHERE su.login = ?",
        (login,),
    )
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let marker = format!(" {name}=\"");
    let start = tag.find(&marker)? + marker.len();
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

fn has_flag(tag: &str, name: &str) -> bool {
    tag.split(|c: char| c.is_whitespace() || c == '>')
        .any(|w| w == name)
}

/// What a browser posts for the form that contains `marker` (e.g. its action): inputs with their
/// values (ticked, enabled checkboxes only) and selects with their selected option, inside the
/// form and, when it has an id, anywhere on the page with `form="<id>"` (the month grid's cells).
pub fn form_fields(html: &str, marker: &str) -> Vec<(String, String)> {
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} in page"));
    let form_start = html[..start].rfind("<form").unwrap();
    let form_end = html[start..].find("</form>").unwrap() + start;
    let form = &html[form_start..form_end];
    let mut fields = Vec::new();
    if let Some(id) = attr(&form[..=form.find('>').unwrap()], "id") {
        let outside = format!("{}{}", &html[..form_start], &html[form_end..]);
        let marker = format!(" form=\"{id}\"");
        collect_fields(&outside, |tag| tag.contains(&marker), &mut fields);
    }
    collect_fields(form, |_| true, &mut fields);
    fields
}

/// The fields of the tags in `fragment` that `belongs` accepts.
fn collect_fields(
    fragment: &str,
    belongs: impl Fn(&str) -> bool,
    fields: &mut Vec<(String, String)>,
) {
    let mut rest = fragment;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let end = rest.find('>').unwrap();
        let tag = &rest[..=end];
        if belongs(tag) {
            push_field(tag, rest, fields);
        }
        rest = &rest[end + 1..];
    }
}

/// The field of one tag (`rest` starts with it: a select's options follow), if it posts one.
fn push_field(tag: &str, rest: &str, fields: &mut Vec<(String, String)>) {
    if tag.starts_with("<input") && !has_flag(tag, "disabled") {
        let name = attr(tag, "name");
        let kind = attr(tag, "type").unwrap_or_else(|| "text".into());
        if let Some(name) = name {
            let value = attr(tag, "value").unwrap_or_default();
            if kind != "checkbox" || has_flag(tag, "checked") {
                fields.push((
                    name,
                    if kind == "checkbox" && value.is_empty() {
                        "on".into()
                    } else {
                        value
                    },
                ));
            }
        }
    } else if tag.starts_with("<select") && !has_flag(tag, "disabled") {
        let name = attr(tag, "name").unwrap();
        let close = rest.find("</select>").unwrap();
        let body = &rest[..close];
        let selected = body
            .split("<option")
            .skip(1)
            .find(|o| has_flag(&format!(" {o}"), "selected"))
            .or_else(|| body.split("<option").nth(1))
            .and_then(|o| attr(&format!(" {o}"), "value"))
            .unwrap_or_default();
        fields.push((name, selected));
    } else if tag.starts_with("<button") {
        if let (Some(name), Some(value)) = (attr(tag, "name"), attr(tag, "value")) {
            fields.push((name, value));
        }
    }
}

/// Replaces (or adds, or with `None` removes) one field of a collected form.
pub fn set_field(fields: &mut Vec<(String, String)>, name: &str, value: Option<&str>) {
    fields.retain(|(n, _)| n != name);
    if let Some(v) = value {
        fields.push((name.to_string(), v.to_string()));
    }
}

pub fn as_refs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}
