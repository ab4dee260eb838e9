//! Sections: a name, a monthly price, the groups that teach it.

use crate::app::AppError;
use crate::app::list::{self, ListQuery};
use crate::auth::CurrentUser;
use crate::db::kept;
use crate::db::{LikePage, placeholders};
use crate::ids::TeacherId;
use mysql::Conn;
use mysql::prelude::Queryable;
use serde::Serialize;
use std::collections::HashMap;

pub const TABLE: &str = "sections";
pub const TAKEN: &str = "секция с Таким названием уже существует!";

#[derive(Debug, Serialize)]
pub struct Row {
    pub id: u32,
    pub name: String,
    pub price: i32,
    pub groups: Vec<GroupRef>,
    /// Why the section cannot be deleted; `None` when it can.
    pub blocked: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct GroupRef {
    pub name: String,
    /// `search=<name>`: the groups list finds it.
    pub search_group: String,
    /// A teacher's own group.
    pub mine: bool,
    pub teacher_fio: String,
    /// `search=<fio>`: the teachers list finds the teacher.
    pub search_teacher: String,
    pub teacher_enabled: bool,
    /// The teacher is the current user.
    pub teacher_is_me: bool,
}

/// A section is removable only with no groups and no candidates' preferences.
fn blocker(has_groups: bool, has_preferences: bool) -> Option<&'static str> {
    if has_groups {
        Some("у секции есть группы")
    } else if has_preferences {
        Some("секцию выбрали кандидаты")
    } else {
        None
    }
}

const USAGE: &str = "EXISTS(SELECT 1 FROM `groups` g WHERE g.section_id = s.id),
     EXISTS(SELECT 1 FROM section_preferences p WHERE p.section_id = s.id)";

/// One page of sections ordered by name, each with its groups, and the number matching the search.
pub fn page(db: &mut Conn, q: &ListQuery, me: &CurrentUser) -> Result<(Vec<Row>, u64), AppError> {
    let cond = q.words_in("s.name");
    let total = list::count_matching(db, "sections s", "s.name", q)?;
    let (limit, offset) = q.limit();
    let found: Vec<(u32, String, i32, bool, bool)> = db.exec(
        format!(
            "SELECT s.id, s.name, s.price, {USAGE} FROM sections s WHERE {}
             ORDER BY s.name, s.id LIMIT ? OFFSET ?",
            cond.sql
        ),
        cond.params_then([limit.into(), offset.into()]),
    )?;
    let ids: Vec<u32> = found.iter().map(|f| f.0).collect();
    let mut groups = groups(db, &ids, me)?;
    let rows = found
        .into_iter()
        .map(|(id, name, price, has_groups, has_preferences)| Row {
            id,
            name,
            price,
            groups: groups.remove(&id).unwrap_or_default(),
            blocked: blocker(has_groups, has_preferences),
        })
        .collect();
    Ok((rows, total))
}

/// The groups of each of these sections in the "for current user" order: a teacher's own
/// first, then the latest start, then the name; one query for the page.
fn groups(
    db: &mut Conn,
    section_ids: &[u32],
    me: &CurrentUser,
) -> Result<HashMap<u32, Vec<GroupRef>>, AppError> {
    let mut by_section: HashMap<u32, Vec<GroupRef>> = HashMap::new();
    if section_ids.is_empty() {
        return Ok(by_section);
    }
    let mut params: Vec<mysql::Value> = section_ids.iter().map(|id| (*id).into()).collect();
    params.push(me.teacher_id.into());
    let rows: Vec<(u32, String, TeacherId, String, bool, u32)> = db.exec(
        format!(
            "SELECT g.section_id, g.name, g.teacher_id, t.fio, su.enabled, su.id
             FROM `groups` g
             JOIN teachers t ON t.id = g.teacher_id
             JOIN system_users su ON su.id = t.system_user_id
             WHERE g.section_id IN ({})
             ORDER BY g.teacher_id <> ?, g.start_month DESC, g.name",
            placeholders(section_ids.len())
        ),
        params,
    )?;
    for (section, name, teacher_id, teacher_fio, teacher_enabled, user_id) in rows {
        by_section.entry(section).or_default().push(GroupRef {
            search_group: search_query(&name),
            name,
            mine: me.teacher_id == Some(teacher_id),
            search_teacher: search_query(&teacher_fio),
            teacher_fio,
            teacher_enabled,
            teacher_is_me: user_id == me.id,
        });
    }
    Ok(by_section)
}

fn search_query(text: &str) -> String {
    serde_urlencoded::to_string([("search", text)]).unwrap_or_default()
}

pub struct Section {
    pub name: String,
    pub price: i32,
}

pub fn find(db: &mut Conn, id: u32) -> Result<Option<Section>, AppError> {
    let row: Option<(String, i32)> =
        db.exec_first("SELECT name, price FROM sections WHERE id = ?", (id,))?;
    Ok(row.map(|(name, price)| Section { name, price }))
}

/// Which sections [`priced`] reads.
pub enum Sections<'a> {
    One(u32),
    Named(&'a LikePage),
}

/// The sections `which` picks, by name.
pub fn priced(db: &mut Conn, which: Sections) -> mysql::Result<Vec<(u32, Section)>> {
    let (filter, params) = match which {
        Sections::One(id) => ("id = ?".into(), vec![id.into()]),
        Sections::Named(page) => page.filter("name", "name, id"),
    };
    db.exec_map(
        format!("SELECT id, name, price FROM sections WHERE {filter}"),
        params,
        |(id, name, price)| (id, Section { name, price }),
    )
}

/// A section about to be deleted, locked, with the reason it must stay. The lock makes a group
/// saved meanwhile wait for this transaction (its foreign key check reads the row).
pub fn lock(db: &mut Conn, id: u32) -> Result<Option<(String, Option<&'static str>)>, AppError> {
    let row: Option<(String, bool, bool)> = db.exec_first(
        format!("SELECT s.name, {USAGE} FROM sections s WHERE s.id = ? FOR UPDATE"),
        (id,),
    )?;
    Ok(row.map(|(name, g, p)| (name, blocker(g, p))))
}

pub fn insert(db: &mut Conn, name: &str, price: i32) -> Result<(), mysql::Error> {
    db.exec_drop(
        "INSERT INTO sections (name, price) VALUES (?, ?)",
        (name, price),
    )
}

/// Existing payments keep their values when the price changes, as in the original; the dues
/// change. (A new section has no groups, and one is deleted only without groups.)
pub fn update(db: &mut Conn, id: u32, name: &str, price: i32) -> Result<(), mysql::Error> {
    db.exec_drop(
        "UPDATE sections SET name = ?, price = ? WHERE id = ?",
        (name, price, id),
    )?;
    kept::changed(db)
}

pub fn delete(db: &mut Conn, id: u32) -> Result<(), AppError> {
    Ok(db.exec_drop("DELETE FROM sections WHERE id = ?", (id,))?)
}
