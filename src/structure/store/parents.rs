//! Parents: contacts of the students' mothers and fathers with the
//! channels notifications reach them by. Optional texts are stored as NULL, never `''`, as the
//! original stored them.

use crate::app::AppError;
use crate::app::list::{Condition, Direction, ListQuery, Sort, SortKey};
use crate::db::placeholders;
use crate::ids::GroupId;
use mysql::Conn;
use mysql::prelude::Queryable;
use serde::Serialize;
use std::collections::HashMap;

/// The notification channels by bit shift of `notification_types`: bit 0 e-mail, bit 1 VK,
/// bit 2 SMS (so valid masks are 0…7).
pub const CHANNELS: [&str; 3] = ["email", "ВКонтакте", "sms"];
pub const EMAIL_BIT: i32 = 1;
pub const VK_BIT: i32 = 2;

/// A parent as stored, already normalised: the optional texts trimmed, empty ones `None`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Parent {
    pub fio: String,
    pub phone: String,
    pub email: Option<String>,
    pub passport: Option<String>,
    pub address: Option<String>,
    pub home_phone: Option<String>,
    pub vk_link: Option<String>,
    /// Bitmask: 1 email, 2 VK, 4 sms.
    pub notification_types: i32,
}

/// The names of the channels set in `types`, in bit order.
pub fn channels(types: i32) -> Vec<&'static str> {
    CHANNELS
        .iter()
        .enumerate()
        .filter(|(shift, _)| types & (1 << shift) != 0)
        .map(|(_, name)| *name)
        .collect()
}

#[derive(Debug, Serialize)]
pub struct Row {
    pub id: u32,
    pub parent: Parent,
    pub channels: Vec<&'static str>,
    pub children: Vec<Child>,
}

#[derive(Debug, Serialize)]
pub struct Child {
    pub id: u32,
    pub fio: String,
    pub enabled: bool,
}

const COLUMNS: &str = "p.id, p.fio, p.phone, p.email, p.passport, p.address, p.home_phone, p.vk_link, p.notification_types";

type ParentRow = (
    u32,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    i32,
);

fn parent(r: ParentRow) -> (u32, Parent) {
    let (id, fio, phone, email, passport, address, home_phone, vk_link, notification_types) = r;
    let parent = Parent {
        fio,
        phone,
        email,
        passport,
        address,
        home_phone,
        vk_link,
        notification_types,
    };
    (id, parent)
}

/// The search on FIO and, when a group is given, only parents of the group's members.
fn filter(q: &ListQuery, group_id: Option<GroupId>) -> Condition {
    let words = q.words_in("p.fio");
    Condition {
        sql: format!(
            "{} AND (? IS NULL OR EXISTS(SELECT 1 FROM parent_of_students ps
                JOIN student_in_groups sig ON sig.student_id = ps.student_id
                WHERE ps.parent_id = p.id AND sig.group_id = ?))",
            words.sql
        ),
        params: words.params_then([group_id.into(), group_id.into()]),
    }
}

/// The column a staff member sorts the parents list by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParentSort {
    Fio,
}

impl SortKey for ParentSort {
    const KEYS: &'static [(ParentSort, &'static str)] = &[(ParentSort::Fio, "fio")];
}

/// The `ORDER BY` of a page (by FIO without a chosen order); the id breaks ties.
fn order_by(sort: Option<Sort<ParentSort>>) -> &'static str {
    match sort.map(|s| (s.key, s.direction)) {
        None | Some((ParentSort::Fio, Direction::Asc)) => "p.fio, p.id",
        Some((ParentSort::Fio, Direction::Desc)) => "p.fio DESC, p.id DESC",
    }
}

/// One page of parents in the chosen order, each with the children linked to them, and the
/// number matching.
pub fn page(
    db: &mut Conn,
    q: &ListQuery,
    group_id: Option<GroupId>,
) -> Result<(Vec<Row>, u64), AppError> {
    let cond = filter(q, group_id);
    let total: u64 = db
        .exec_first(
            format!("SELECT COUNT(*) FROM parents p WHERE {}", cond.sql),
            cond.params.clone(),
        )?
        .unwrap_or(0);
    let (limit, offset) = q.limit();
    let found: Vec<ParentRow> = db.exec(
        format!(
            "SELECT {COLUMNS} FROM parents p WHERE {} ORDER BY {} LIMIT ? OFFSET ?",
            cond.sql,
            order_by(q.sort())
        ),
        cond.params_then([limit.into(), offset.into()]),
    )?;
    let parents: Vec<(u32, Parent)> = found.into_iter().map(parent).collect();
    let ids: Vec<u32> = parents.iter().map(|(id, _)| *id).collect();
    let mut children = children_of(db, &ids)?;
    let rows = parents
        .into_iter()
        .map(|(id, parent)| Row {
            id,
            channels: channels(parent.notification_types),
            parent,
            children: children.remove(&id).unwrap_or_default(),
        })
        .collect();
    Ok((rows, total))
}

/// The children of each of these parents by FIO, in one query.
fn children_of(db: &mut Conn, ids: &[u32]) -> Result<HashMap<u32, Vec<Child>>, AppError> {
    let mut children: HashMap<u32, Vec<Child>> = HashMap::new();
    if ids.is_empty() {
        return Ok(children);
    }
    let found: Vec<(u32, u32, String, bool)> = db.exec(
        format!(
            "SELECT ps.parent_id, s.id, s.fio, su.enabled FROM parent_of_students ps
             JOIN students s ON s.id = ps.student_id
             JOIN system_users su ON su.id = s.system_user_id
             WHERE ps.parent_id IN ({}) ORDER BY s.fio, s.id",
            placeholders(ids.len())
        ),
        ids.to_vec(),
    )?;
    for (parent, id, fio, enabled) in found {
        children
            .entry(parent)
            .or_default()
            .push(Child { id, fio, enabled });
    }
    Ok(children)
}

pub fn find(db: &mut Conn, id: u32) -> Result<Option<Parent>, AppError> {
    let row: Option<ParentRow> = db.exec_first(
        format!("SELECT {COLUMNS} FROM parents p WHERE p.id = ?"),
        (id,),
    )?;
    Ok(row.map(|r| parent(r).1))
}

/// Another parent (not `except`) already has this passport.
pub fn passport_taken(db: &mut Conn, passport: &str, except: u32) -> Result<bool, AppError> {
    let found: Option<u32> = db.exec_first(
        "SELECT id FROM parents WHERE passport = ? AND id <> ? LIMIT 1",
        (passport, except),
    )?;
    Ok(found.is_some())
}

/// The stored columns in the order of [`insert`] and [`update`].
fn values(p: &Parent) -> Vec<mysql::Value> {
    vec![
        p.fio.clone().into(),
        p.phone.clone().into(),
        p.email.clone().into(),
        p.passport.clone().into(),
        p.address.clone().into(),
        p.home_phone.clone().into(),
        p.vk_link.clone().into(),
        p.notification_types.into(),
    ]
}

/// Inserts the parent; its id.
pub fn insert(db: &mut Conn, p: &Parent) -> Result<u32, mysql::Error> {
    db.exec_drop(
        "INSERT INTO parents (fio, phone, email, passport, address, home_phone, vk_link, notification_types)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        values(p),
    )?;
    Ok(db.last_insert_id() as u32)
}

pub fn update(db: &mut Conn, id: u32, p: &Parent) -> Result<(), mysql::Error> {
    let mut params = values(p);
    params.push(id.into());
    db.exec_drop(
        "UPDATE parents SET fio = ?, phone = ?, email = ?, passport = ?, address = ?,
         home_phone = ?, vk_link = ?, notification_types = ? WHERE id = ?",
        params,
    )
}

/// The FIO of a parent about to be deleted and the number of students linked to it, the row
/// locked so that a student linked meanwhile waits for this transaction.
pub fn lock(db: &mut Conn, id: u32) -> Result<Option<(String, u64)>, AppError> {
    Ok(db.exec_first(
        "SELECT p.fio, (SELECT COUNT(*) FROM parent_of_students ps WHERE ps.parent_id = p.id)
         FROM parents p WHERE p.id = ? FOR UPDATE",
        (id,),
    )?)
}

pub fn delete(db: &mut Conn, id: u32) -> Result<(), AppError> {
    Ok(db.exec_drop("DELETE FROM parents WHERE id = ?", (id,))?)
}
