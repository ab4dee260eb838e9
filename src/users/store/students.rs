//! Students: the list with its group filter, the row the forms edit, the
//! removability rule and the catalogs the forms choose from.

use crate::app::AppError;
use crate::app::list::{Condition, ListQuery, Sort};
use crate::auth::CurrentUser;
use crate::db::kept;
use crate::db::{LikePage, col, placeholders};
use crate::ids::{GroupId, StudentId, TeacherId};
use crate::users::store::people::{self, Person, PersonSort, take};
use chrono::{NaiveDate, NaiveDateTime};
use mysql::Conn;
use mysql::prelude::Queryable;
use serde::Serialize;
use std::collections::HashMap;

/// «89012223344 (мать)»: the number `students.contact_phone` points at (1 the student's own, 2
/// the mother's, 3 the father's) and who it belongs to, for a student aliased `x`.
const CONTACT_PHONE: &str = "CONCAT(COALESCE(CASE x.contact_phone
        WHEN 2 THEN (SELECT p.phone FROM parent_of_students ps JOIN parents p ON p.id = ps.parent_id
                     WHERE ps.student_id = x.id AND ps.is_mother = 1)
        WHEN 3 THEN (SELECT p.phone FROM parent_of_students ps JOIN parents p ON p.id = ps.parent_id
                     WHERE ps.student_id = x.id AND ps.is_mother = 0)
        ELSE x.phone END, ''),
    ' (', CASE x.contact_phone WHEN 2 THEN 'мать' WHEN 3 THEN 'отец' ELSE 'ученик' END, ')')";

/// Group memberships and attendance rows block a delete.
const USAGE: &str = "EXISTS(SELECT 1 FROM student_in_groups sig WHERE sig.student_id = x.id),
    EXISTS(SELECT 1 FROM attendings a WHERE a.student_id = x.id)";

fn blocker(in_groups: bool, attended: bool) -> Option<&'static str> {
    if in_groups {
        Some("ученик состоит в группах")
    } else if attended {
        Some("у ученика есть отметки посещения")
    } else {
        None
    }
}

#[derive(Debug, Serialize)]
pub struct Row {
    #[serde(flatten)]
    pub person: Person,
    pub filled: bool,
    #[serde(serialize_with = "crate::time::serialize_iso_date")]
    pub birth_date: NaiveDate,
    /// «<school> / <grade> / <shift>».
    pub school: String,
    pub parents: Vec<Link>,
    pub groups: Vec<Link>,
    pub contact_phone: String,
    pub blocked: Option<&'static str>,
}

/// A name that links to a list searched by it.
#[derive(Debug, Serialize)]
pub struct Link {
    pub name: String,
    pub search: String,
    /// A teacher's own group (red-orange).
    pub mine: bool,
}

/// The `ORDER BY` of a page, for `students x` joined to `system_users su`. Without a chosen
/// order: not filled in first, then by FIO.
fn order_by(sort: Option<Sort<PersonSort>>) -> String {
    match sort {
        None => "x.filled, x.fio, x.id".to_string(),
        Some(sort) => people::order_by(sort),
    }
}

/// Who the search finds, for `students x` alone: every word in the FIO or in the login, or, for
/// a search of phone digits, the number of a parent or the student's own. The logins are matched
/// in a subquery that the server reads once, not through a join of every student to its account
/// (on 3,000 students the count took 1.7 instead of 3.1 ms); without a search nothing is joined
/// (0.3 instead of 2.1 ms).
fn search(q: &ListQuery) -> Condition {
    let fio = q.words_in("x.fio");
    if q.search.is_empty() {
        return fio;
    }
    let login = q.words_in("a.login");
    let found = fio.or(Condition {
        sql: format!(
            "x.system_user_id IN (SELECT a.id FROM system_users a WHERE {})",
            login.sql
        ),
        params: login.params,
    });
    let Some(digits) = q.phone_digits() else {
        return found;
    };
    let pattern = format!("%{digits}%");
    found.or(Condition {
        sql: "(x.phone LIKE ? OR EXISTS(SELECT 1 FROM parent_of_students ps
                JOIN parents p ON p.id = ps.parent_id
                WHERE ps.student_id = x.id AND p.phone LIKE ?))"
            .to_string(),
        params: vec![pattern.clone().into(), pattern.into()],
    })
}

/// One page of students in the chosen order (not filled in first, then by FIO, without one);
/// only (past or present) members of `group_id` when it is set.
pub fn page(
    db: &mut Conn,
    q: &ListQuery,
    group_id: Option<GroupId>,
    me: &CurrentUser,
    now: NaiveDateTime,
) -> Result<(Vec<Row>, u64), AppError> {
    let found = search(q);
    let filter = format!(
        "{} AND (? IS NULL OR EXISTS(SELECT 1 FROM student_in_groups f WHERE f.student_id = x.id AND f.group_id = ?))",
        found.sql
    );
    let group = group_id;
    let total: u64 = db
        .exec_first(
            format!("SELECT COUNT(*) FROM students x WHERE {filter}"),
            found.params_then([group.into(), group.into()]),
        )?
        .unwrap_or(0);
    let (limit, offset) = q.limit();
    let sort = q.sort();
    let order = order_by(sort);
    // Only the order by last visit needs the accounts before the page is picked.
    let from = match sort.map(|s| s.key) {
        Some(PersonSort::LastSeen) => format!("students x {}", people::JOIN),
        _ => "students x".to_string(),
    };
    // The page is picked first (`STRAIGHT_JOIN` keeps it first), so that the contact phone and
    // the usage are computed for its 20 rows, not for every student before the sort.
    let found: Vec<mysql::Row> = db.exec(
        format!(
            "SELECT STRAIGHT_JOIN {}, x.filled, x.birth_date,
                CONCAT(sc.name, ' / ', x.grade, ' / ', x.shift), {CONTACT_PHONE}, {USAGE}
             FROM (SELECT x.id FROM {from} WHERE {filter} ORDER BY {order} LIMIT ? OFFSET ?) page
             JOIN students x ON x.id = page.id {} JOIN schools sc ON sc.id = x.school_id
             ORDER BY {order}",
            people::COLUMNS,
            people::JOIN,
        ),
        found.params_then([group.into(), group.into(), limit.into(), offset.into()]),
    )?;
    let ids: Vec<u32> = found.iter().map(|r| r.get(0).unwrap_or(0)).collect();
    let mut parents = parent_links(db, &ids)?;
    let mut groups = group_links(db, &ids, me)?;
    let mut rows = Vec::with_capacity(found.len());
    for mut r in found {
        let person = Person::from_row(&mut r, me.id, now);
        let id = person.id;
        rows.push(Row {
            filled: take(&mut r, 7),
            birth_date: take(&mut r, 8),
            school: take(&mut r, 9),
            contact_phone: take(&mut r, 10),
            blocked: blocker(take(&mut r, 11), take(&mut r, 12)),
            parents: parents.remove(&id).unwrap_or_default(),
            groups: groups.remove(&id).unwrap_or_default(),
            person,
        });
    }
    Ok((rows, total))
}

/// The parents of each of these students (mother first), in one query.
fn parent_links(db: &mut Conn, ids: &[u32]) -> Result<HashMap<u32, Vec<Link>>, AppError> {
    let mut links: HashMap<u32, Vec<Link>> = HashMap::new();
    if ids.is_empty() {
        return Ok(links);
    }
    let found: Vec<(u32, String)> = db.exec(
        format!(
            "SELECT ps.student_id, p.fio FROM parent_of_students ps JOIN parents p ON p.id = ps.parent_id
             WHERE ps.student_id IN ({}) ORDER BY ps.student_id, ps.is_mother DESC",
            placeholders(ids.len())
        ),
        ids.to_vec(),
    )?;
    for (student, name) in found {
        links.entry(student).or_default().push(Link {
            search: people::search_query(&name),
            name,
            mine: false,
        });
    }
    Ok(links)
}

/// The groups of each of these students in the "for current user" order (a teacher's own first,
/// then the latest start, then the name), in one query.
fn group_links(
    db: &mut Conn,
    ids: &[u32],
    me: &CurrentUser,
) -> Result<HashMap<u32, Vec<Link>>, AppError> {
    let mut links: HashMap<u32, Vec<Link>> = HashMap::new();
    if ids.is_empty() {
        return Ok(links);
    }
    let mut params: Vec<mysql::Value> = ids.iter().map(|id| (*id).into()).collect();
    params.push(me.teacher_id.into());
    let found: Vec<(u32, String, TeacherId)> = db.exec(
        format!(
            "SELECT sig.student_id, g.name, g.teacher_id
             FROM student_in_groups sig JOIN `groups` g ON g.id = sig.group_id
             WHERE sig.student_id IN ({})
             ORDER BY g.teacher_id <> ?, g.start_month DESC, g.name",
            placeholders(ids.len())
        ),
        params,
    )?;
    for (student, name, teacher_id) in found {
        links.entry(student).or_default().push(Link {
            search: people::search_query(&name),
            name,
            mine: me.teacher_id == Some(teacher_id),
        });
    }
    Ok(links)
}

/// One membership of a student, for the details page.
#[derive(Debug, Serialize)]
pub struct Membership {
    pub group: String,
    pub group_search: String,
    /// The group of the current teacher.
    pub mine: bool,
    pub teacher: Person,
    pub teacher_search: String,
    /// Every membership the group ever had.
    pub members: u64,
    pub enter: String,
    pub exit: String,
}

/// The student's memberships in the "for current user" order: a teacher's own groups
/// first, then the latest start, then the name.
pub fn memberships(
    db: &mut Conn,
    student_id: u32,
    me: &CurrentUser,
    now: NaiveDateTime,
) -> Result<Vec<Membership>, AppError> {
    let found: Vec<mysql::Row> = db.exec(
        format!(
            "SELECT {}, g.name, g.teacher_id, sig.enter_month, sig.exit_month,
                (SELECT COUNT(*) FROM student_in_groups c WHERE c.group_id = g.id)
             FROM student_in_groups sig JOIN `groups` g ON g.id = sig.group_id
             JOIN teachers x ON x.id = g.teacher_id {}
             WHERE sig.student_id = ?
             ORDER BY g.teacher_id <> ?, g.start_month DESC, g.name",
            people::COLUMNS,
            people::JOIN
        ),
        (student_id, me.teacher_id),
    )?;
    Ok(found
        .into_iter()
        .map(|mut r| {
            let teacher = Person::from_row(&mut r, me.id, now);
            let group: String = take(&mut r, 7);
            let teacher_id: TeacherId = take(&mut r, 8);
            Membership {
                group_search: people::search_query(&group),
                group,
                mine: me.teacher_id == Some(teacher_id),
                teacher_search: people::search_query(&teacher.fio),
                teacher,
                enter: crate::month::Month(take(&mut r, 9)).name(),
                exit: crate::month::Month(take(&mut r, 10)).name(),
                members: take(&mut r, 11),
            }
        })
        .collect())
}

/// A student about to be deleted, locked, with the reason it must stay.
pub struct Locked {
    pub user_id: u32,
    pub fio: String,
    pub blocked: Option<&'static str>,
}

pub fn lock(db: &mut Conn, id: u32) -> Result<Option<Locked>, AppError> {
    let row: Option<(u32, String, bool, bool)> = db.exec_first(
        format!(
            "SELECT x.system_user_id, x.fio, {USAGE} FROM students x WHERE x.id = ? FOR UPDATE"
        ),
        (id,),
    )?;
    Ok(row.map(|(user_id, fio, g, a)| Locked {
        user_id,
        fio,
        blocked: blocker(g, a),
    }))
}

/// The header of the details page.
#[derive(Debug, Serialize)]
pub struct Header {
    #[serde(flatten)]
    pub person: Person,
    pub filled: bool,
}

pub fn header(
    db: &mut Conn,
    id: u32,
    me: &CurrentUser,
    now: NaiveDateTime,
) -> Result<Option<Header>, AppError> {
    let row: Option<mysql::Row> = db.exec_first(
        format!(
            "SELECT {}, x.filled FROM students x {} WHERE x.id = ?",
            people::COLUMNS,
            people::JOIN
        ),
        (id,),
    )?;
    Ok(row.map(|mut r| Header {
        person: Person::from_row(&mut r, me.id, now),
        filled: take(&mut r, 7),
    }))
}

/// What the full student form edits, besides the account.
#[derive(Debug, Clone)]
pub struct Profile {
    pub fio: String,
    pub birth_date: NaiveDate,
    pub birth_place: String,
    pub registration_place: String,
    pub actual_address: String,
    /// Empty texts are stored as NULL.
    pub additional_info: Option<String>,
    pub known_from: Option<String>,
    pub school_id: u32,
    pub citizenship_id: u32,
    pub grade: String,
    pub shift: String,
    pub phone: Option<String>,
    /// 1 the student's own phone, 2 the mother's, 3 the father's.
    pub contact_phone: i32,
    pub filled: bool,
}

/// The columns [`Profile::take`] reads, for `students x`.
const PROFILE_SELECT: &str = "x.fio, x.birth_date, x.birth_place, x.registration_place,
    x.actual_address, x.additional_info, x.known_from, x.school_id, x.citizenship_id, x.grade,
    x.shift, x.phone, x.contact_phone, x.filled";

impl Profile {
    /// Reads the [`PROFILE_SELECT`] columns of a row.
    fn take(r: &mut mysql::Row) -> mysql::Result<Profile> {
        Ok(Profile {
            fio: col(r, "fio")?,
            birth_date: col(r, "birth_date")?,
            birth_place: col(r, "birth_place")?,
            registration_place: col(r, "registration_place")?,
            actual_address: col(r, "actual_address")?,
            additional_info: col(r, "additional_info")?,
            known_from: col(r, "known_from")?,
            school_id: col(r, "school_id")?,
            citizenship_id: col(r, "citizenship_id")?,
            grade: col(r, "grade")?,
            shift: col(r, "shift")?,
            phone: col(r, "phone")?,
            contact_phone: col(r, "contact_phone")?,
            filled: col(r, "filled")?,
        })
    }
}

/// The student `id` with its account id, locked for the rest of the request.
pub fn load(db: &mut Conn, id: u32) -> Result<Option<(u32, Profile)>, AppError> {
    let row: Option<mysql::Row> = db.exec_first(
        format!(
            "SELECT x.system_user_id, {PROFILE_SELECT} FROM students x WHERE x.id = ? FOR UPDATE"
        ),
        (id,),
    )?;
    let Some(mut row) = row else {
        return Ok(None);
    };
    Ok(Some((
        col(&mut row, "system_user_id")?,
        Profile::take(&mut row)?,
    )))
}

/// The columns the forms write, in the order of [`values`].
const PROFILE_COLUMNS: [&str; 14] = [
    "fio",
    "birth_date",
    "birth_place",
    "registration_place",
    "actual_address",
    "additional_info",
    "known_from",
    "school_id",
    "citizenship_id",
    "contact_phone",
    "grade",
    "phone",
    "shift",
    "filled",
];

fn values(p: &Profile) -> Vec<mysql::Value> {
    vec![
        p.fio.clone().into(),
        p.birth_date.into(),
        p.birth_place.clone().into(),
        p.registration_place.clone().into(),
        p.actual_address.clone().into(),
        p.additional_info.clone().into(),
        p.known_from.clone().into(),
        p.school_id.into(),
        p.citizenship_id.into(),
        p.contact_phone.into(),
        p.grade.clone().into(),
        p.phone.clone().into(),
        p.shift.clone().into(),
        p.filled.into(),
    ]
}

/// Inserts the student row of account `user_id`; its id.
pub fn insert(db: &mut Conn, user_id: u32, p: &Profile) -> Result<u32, mysql::Error> {
    let mut params = values(p);
    params.push(user_id.into());
    db.exec_drop(
        format!(
            "INSERT INTO students ({}, system_user_id) VALUES ({}?)",
            PROFILE_COLUMNS.join(", "),
            "?, ".repeat(PROFILE_COLUMNS.len())
        ),
        mysql::Params::Positional(params),
    )?;
    Ok(db.last_insert_id() as u32)
}

/// The debtors report shows the name and phone: the cached debts are computed again.
pub fn update(db: &mut Conn, id: u32, p: &Profile) -> Result<(), mysql::Error> {
    let mut params = values(p);
    params.push(id.into());
    let set: Vec<String> = PROFILE_COLUMNS.iter().map(|c| format!("{c} = ?")).collect();
    db.exec_drop(
        format!("UPDATE students SET {} WHERE id = ?", set.join(", ")),
        mysql::Params::Positional(params),
    )?;
    kept::changed(db)
}

/// Schools by name, for the form's select.
pub fn schools(db: &mut Conn) -> mysql::Result<Vec<(u32, String)>> {
    db.query("SELECT id, name FROM schools ORDER BY name, id")
}

/// Citizenships in id order (Россия first), for the form's select.
pub fn citizenships(db: &mut Conn) -> mysql::Result<Vec<(u32, String)>> {
    db.query("SELECT id, name FROM citizenships ORDER BY id")
}

/// The profile lines of the details page: the same lines as the student's own card on the home
/// page.
#[derive(Debug, Serialize)]
pub struct Card {
    pub birth_date: String,
    pub birth_place: String,
    pub registration_place: String,
    pub actual_address: String,
    pub additional_info: Option<String>,
    pub known_from: Option<String>,
    pub school: String,
    pub grade: String,
    pub shift: String,
    pub phone: Option<String>,
    pub contact_phone: String,
    pub citizenship: String,
}

/// A parent block (FIO, phone, the contacts that are set, the notification channels), mother
/// first.
#[derive(Debug, Serialize)]
pub struct ParentBlock {
    pub fio: String,
    pub search: String,
    pub phone: String,
    pub address: Option<String>,
    pub email: Option<String>,
    pub passport: Option<String>,
    pub vk_link: Option<String>,
    pub home_phone: Option<String>,
    /// «email / ВКонтакте», or «нет».
    pub notifications: String,
}

pub fn card(db: &mut Conn, id: u32) -> Result<Option<(Card, Vec<ParentBlock>)>, AppError> {
    let row: Option<mysql::Row> = db.exec_first(
        format!(
            "SELECT x.birth_date, x.birth_place, x.registration_place, x.actual_address,
                x.additional_info, x.known_from, sc.name, x.grade, x.shift, x.phone,
                {CONTACT_PHONE}, c.name
             FROM students x JOIN schools sc ON sc.id = x.school_id
             JOIN citizenships c ON c.id = x.citizenship_id WHERE x.id = ?"
        ),
        (id,),
    )?;
    let Some(mut r) = row else { return Ok(None) };
    let birth: NaiveDate = take(&mut r, 0);
    let card = Card {
        birth_date: birth.format("%Y-%m-%d").to_string(),
        birth_place: take(&mut r, 1),
        registration_place: take(&mut r, 2),
        actual_address: take(&mut r, 3),
        additional_info: take(&mut r, 4),
        known_from: take(&mut r, 5),
        school: take(&mut r, 6),
        grade: take(&mut r, 7),
        shift: take(&mut r, 8),
        phone: take(&mut r, 9),
        contact_phone: take(&mut r, 10),
        citizenship: take(&mut r, 11),
    };
    let found: Vec<mysql::Row> = db.exec(
        "SELECT p.fio, p.phone, p.address, p.email, p.passport, p.vk_link, p.home_phone,
            COALESCE(NULLIF(CONCAT_WS(' / ',
                IF(p.notification_types & 1, 'email', NULL),
                IF(p.notification_types & 2, 'ВКонтакте', NULL),
                IF(p.notification_types & 4, 'sms', NULL)), ''), 'нет')
         FROM parent_of_students ps JOIN parents p ON p.id = ps.parent_id
         WHERE ps.student_id = ? ORDER BY ps.is_mother DESC",
        (id,),
    )?;
    let parents = found
        .into_iter()
        .map(|mut r| {
            let fio: String = take(&mut r, 0);
            ParentBlock {
                search: people::search_query(&fio),
                fio,
                phone: take(&mut r, 1),
                address: take(&mut r, 2),
                email: take(&mut r, 3),
                passport: take(&mut r, 4),
                vk_link: take(&mut r, 5),
                home_phone: take(&mut r, 6),
                notifications: take(&mut r, 7),
            }
        })
        .collect();
    Ok(Some((card, parents)))
}

/// A student as the app shows them: the profile with its school's and citizenship's names.
#[derive(Debug, Clone)]
pub struct AppStudent {
    pub id: StudentId,
    pub profile: Profile,
    pub school_name: String,
    pub citizenship: String,
    /// Lessons marked «был».
    pub attended: u64,
    pub account: people::Account,
}

/// Which students [`app_rows`] reads.
pub enum StudentsOf<'a> {
    One(u32),
    /// A page of a search on the name: not yet filled in first, then by name.
    Named(&'a LikePage),
}

/// The students `which` picks, in the list order. The page is picked in a derived table first,
/// so that the attendance count runs for its rows only, not for every student matching a
/// search; `STRAIGHT_JOIN` keeps that order (the optimizer otherwise starts from all accounts).
pub fn app_rows(db: &mut Conn, which: StudentsOf) -> mysql::Result<Vec<AppStudent>> {
    let (filter, params) = match which {
        StudentsOf::One(id) => ("x.id = ?".into(), vec![id.into()]),
        StudentsOf::Named(page) => page.filter("x.fio", "x.filled, x.fio, x.id"),
    };
    let rows: Vec<mysql::Row> = db.exec(
        format!(
            "SELECT STRAIGHT_JOIN x.id, {PROFILE_SELECT}, sc.name AS school_name,
                (SELECT COUNT(*) FROM attendings a WHERE a.student_id = x.id AND a.state = 1)
                    AS attended,
                c.name AS citizenship, {}
             FROM (SELECT x.id FROM students x WHERE {filter}) page
             JOIN students x ON x.id = page.id
             JOIN schools sc ON sc.id = x.school_id JOIN citizenships c ON c.id = x.citizenship_id
             {}
             ORDER BY x.filled, x.fio, x.id",
            people::ACCOUNT_COLUMNS,
            people::ACCOUNT_JOIN,
        ),
        params,
    )?;
    rows.into_iter()
        .map(|mut r| {
            let r = &mut r;
            Ok(AppStudent {
                id: col(r, "id")?,
                profile: Profile::take(r)?,
                school_name: col(r, "school_name")?,
                citizenship: col(r, "citizenship")?,
                attended: col(r, "attended")?,
                account: people::Account::take(r)?,
            })
        })
        .collect()
}
