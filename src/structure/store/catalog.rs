//! Schools and citizenships (M, D): two lists of unique names that students point at,
//! with identical pages. One implementation serves both; a `Catalog` holds what differs, and the
//! route table picks it with a type (`catalog_list::get::<Schools>`).

use crate::app::AppError;
use crate::app::list::{self, ListQuery};
use mysql::Conn;
use mysql::prelude::Queryable;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Catalog {
    /// The table (`schools`, `citizenships`): a constant, never input.
    #[serde(skip)]
    pub table: &'static str,
    /// The column of `students` that points at a row of `table`.
    #[serde(skip)]
    pub student_column: &'static str,
    pub list_path: &'static str,
    /// Add form; `<item_path>/<id>` is the edit form.
    pub item_path: &'static str,
    /// `<delete_path>/<id>`.
    pub delete_path: &'static str,
    pub title: &'static str,
    pub add_label: &'static str,
    /// «создание школы».
    pub genitive: &'static str,
    /// «школа <name> создана».
    pub noun: &'static str,
    /// «школу <name> нельзя удалить».
    pub accusative: &'static str,
    pub field_label: &'static str,
    pub taken: &'static str,
    pub created: &'static str,
    pub changed: &'static str,
    pub deleted: &'static str,
    /// Why a row with students cannot be deleted.
    pub in_use: &'static str,
}

/// Which catalog a handler serves.
pub trait Which {
    const CATALOG: Catalog;
}

pub struct Schools;
pub struct Citizenships;

impl Which for Schools {
    const CATALOG: Catalog = Catalog {
        table: "schools",
        student_column: "school_id",
        list_path: "/structure/schools",
        item_path: "/structure/school",
        delete_path: "/structure/delete_school",
        title: "школы",
        add_label: "добавить школу",
        genitive: "школы",
        noun: "школа",
        accusative: "школу",
        field_label: "название школы",
        taken: "школа с Таким названием уже существует!",
        created: "создана",
        changed: "изменена",
        deleted: "удалена",
        in_use: "в этой школе учатся ученики",
    };
}

impl Which for Citizenships {
    const CATALOG: Catalog = Catalog {
        table: "citizenships",
        student_column: "citizenship_id",
        list_path: "/structure/citizenships",
        item_path: "/structure/citizenship",
        delete_path: "/structure/delete_citizenship",
        title: "гражданства",
        add_label: "добавить гражданство",
        genitive: "гражданства",
        noun: "гражданство",
        accusative: "гражданство",
        field_label: "гражданство",
        taken: "гражданство с Таким названием уже существует!",
        created: "создано",
        changed: "изменено",
        deleted: "удалено",
        in_use: "это гражданство указано у учеников",
    };
}

#[derive(Debug, Serialize)]
pub struct Row {
    pub id: u32,
    pub name: String,
    pub students: u64,
}

/// One page of the list, ordered by name, and the number of rows matching the search.
pub fn page(db: &mut Conn, c: &Catalog, q: &ListQuery) -> Result<(Vec<Row>, u64), AppError> {
    let (table, column, cond) = (c.table, c.student_column, q.words_in("t.name"));
    let total = list::count_matching(db, &format!("{table} t"), "t.name", q)?;
    let (limit, offset) = q.limit();
    let rows = db.exec_map(
        format!(
            "SELECT t.id, t.name, (SELECT COUNT(*) FROM students s WHERE s.{column} = t.id)
             FROM {table} t WHERE {} ORDER BY t.name, t.id LIMIT ? OFFSET ?",
            cond.sql
        ),
        cond.params_then([limit.into(), offset.into()]),
        |(id, name, students)| Row { id, name, students },
    )?;
    Ok((rows, total))
}

pub fn name(db: &mut Conn, c: &Catalog, id: u32) -> Result<Option<String>, AppError> {
    Ok(db.exec_first(format!("SELECT name FROM {} WHERE id = ?", c.table), (id,))?)
}

/// The name of a row about to be deleted, locked: a student saved meanwhile waits for this
/// transaction (the foreign key check reads the row), so the "no students" answer stays true.
pub fn lock(db: &mut Conn, c: &Catalog, id: u32) -> Result<Option<String>, AppError> {
    Ok(db.exec_first(
        format!("SELECT name FROM {} WHERE id = ? FOR UPDATE", c.table),
        (id,),
    )?)
}

pub fn insert(db: &mut Conn, c: &Catalog, name: &str) -> Result<(), mysql::Error> {
    db.exec_drop(
        format!("INSERT INTO {} (name) VALUES (?)", c.table),
        (name,),
    )
}

pub fn rename(db: &mut Conn, c: &Catalog, id: u32, name: &str) -> Result<(), mysql::Error> {
    db.exec_drop(
        format!("UPDATE {} SET name = ? WHERE id = ?", c.table),
        (name, id),
    )
}

pub fn students(db: &mut Conn, c: &Catalog, id: u32) -> Result<u64, AppError> {
    Ok(db
        .exec_first(
            format!(
                "SELECT COUNT(*) FROM students WHERE {} = ?",
                c.student_column
            ),
            (id,),
        )?
        .unwrap_or(0))
}

pub fn delete(db: &mut Conn, c: &Catalog, id: u32) -> Result<(), AppError> {
    Ok(db.exec_drop(format!("DELETE FROM {} WHERE id = ?", c.table), (id,))?)
}
