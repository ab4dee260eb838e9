//! The little of `parents` that the student forms need (web-ui.md §3.9): the choices of the
//! mother and father selects, a new parent typed into the form, and the student's two links.
//! The parents pages themselves live in the structure area.

use mysql::Conn;
use mysql::prelude::Queryable;

/// A parent as the new-parent block of the student form describes it, already normalised: the
/// optional texts trimmed, empty ones `None` (stored as NULL, like the original).
#[derive(Debug, Clone, Default)]
pub struct NewParent {
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

/// Every parent by FIO, for the selects.
pub fn choices(db: &mut Conn) -> mysql::Result<Vec<(u32, String)>> {
    db.query("SELECT id, fio FROM parents ORDER BY fio, id")
}

pub fn passport_taken(db: &mut Conn, passport: &str) -> mysql::Result<bool> {
    Ok(db
        .exec_first::<u32, _, _>(
            "SELECT id FROM parents WHERE passport = ? LIMIT 1",
            (passport,),
        )?
        .is_some())
}

/// Inserts the parent; its id.
pub fn insert(db: &mut Conn, p: &NewParent) -> mysql::Result<u32> {
    db.exec_drop(
        "INSERT INTO parents (fio, phone, email, passport, address, home_phone, vk_link, notification_types)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            &p.fio,
            &p.phone,
            &p.email,
            &p.passport,
            &p.address,
            &p.home_phone,
            &p.vk_link,
            p.notification_types,
        ),
    )?;
    Ok(db.last_insert_id() as u32)
}

/// The student's (mother, father) parent ids.
pub fn of_student(db: &mut Conn, student_id: u32) -> mysql::Result<(Option<u32>, Option<u32>)> {
    let links: Vec<(u32, bool)> = db.exec(
        "SELECT parent_id, is_mother FROM parent_of_students WHERE student_id = ?",
        (student_id,),
    )?;
    let find = |mother: bool| links.iter().find(|l| l.1 == mother).map(|l| l.0);
    Ok((find(true), find(false)))
}

/// Replaces the student's links by these (`None` = no such parent). Both old links go first, so
/// a parent may move from father to mother without tripping the unique keys.
pub fn link(
    db: &mut Conn,
    student_id: u32,
    mother: Option<u32>,
    father: Option<u32>,
) -> mysql::Result<()> {
    db.exec_drop(
        "DELETE FROM parent_of_students WHERE student_id = ?",
        (student_id,),
    )?;
    for (parent, is_mother) in [(mother, true), (father, false)] {
        if let Some(parent) = parent {
            db.exec_drop(
                "INSERT INTO parent_of_students (student_id, parent_id, is_mother) VALUES (?, ?, ?)",
                (student_id, parent, is_mother),
            )?;
        }
    }
    Ok(())
}
