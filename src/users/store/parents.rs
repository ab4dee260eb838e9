//! The little of `parents` that the student forms need: the parents the
//! mother and father selects offer and the student's two links. The parents themselves (and a new one
//! typed into the student form) are the structure area's `parents`.

use crate::app::list::{self, FOUND_AT_MOST, ListQuery};
use crate::db::{col, select_in};
use crate::ids::StudentId;
use mysql::Conn;
use mysql::prelude::Queryable;

/// The parents with these ids (the ones a form has chosen), by FIO.
pub fn named(db: &mut Conn, ids: &[u32]) -> mysql::Result<Vec<(u32, String)>> {
    select_in(
        db,
        "SELECT id, fio FROM parents WHERE id IN ({ids}) ORDER BY fio, id",
        ids,
    )
}

/// The parents whose FIO holds every word of `q`'s search, by FIO: at most [`FOUND_AT_MOST`],
/// and whether there are more. The student form asks for these instead of offering all 3,900
/// parents twice (620 KB of options on every visit).
pub fn found(db: &mut Conn, q: &ListQuery) -> mysql::Result<(Vec<(u32, String)>, bool)> {
    let words = q.words_in("fio");
    let found = db.exec(
        format!(
            "SELECT id, fio FROM parents WHERE {} ORDER BY fio, id LIMIT ?",
            words.sql
        ),
        words.params_then([(FOUND_AT_MOST as u64 + 1).into()]),
    )?;
    Ok(list::at_most(found))
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

/// A parent linked to a student, as the app shows them.
#[derive(Debug, Clone)]
pub struct OfStudent {
    pub student_id: StudentId,
    pub is_mother: bool,
    pub id: u32,
    pub fio: String,
    pub phone: String,
    pub email: Option<String>,
    pub address: Option<String>,
    pub home_phone: Option<String>,
    pub vk_link: Option<String>,
    /// Bits: 1 e-mail, 2 ВКонтакте, 4 sms.
    pub notification_types: i64,
}

/// The parents of all these students, in one statement.
pub fn of_students(db: &mut Conn, student_ids: &[StudentId]) -> mysql::Result<Vec<OfStudent>> {
    let rows: Vec<mysql::Row> = select_in(
        db,
        "SELECT ps.student_id, ps.is_mother, p.id, p.fio, p.phone, p.email, p.address,
            p.home_phone, p.vk_link, p.notification_types
         FROM parent_of_students ps JOIN parents p ON p.id = ps.parent_id
         WHERE ps.student_id IN ({ids})",
        student_ids,
    )?;
    rows.into_iter()
        .map(|mut r| {
            let r = &mut r;
            Ok(OfStudent {
                student_id: col(r, "student_id")?,
                is_mother: col(r, "is_mother")?,
                id: col(r, "id")?,
                fio: col(r, "fio")?,
                phone: col(r, "phone")?,
                email: col(r, "email")?,
                address: col(r, "address")?,
                home_phone: col(r, "home_phone")?,
                vk_link: col(r, "vk_link")?,
                notification_types: col(r, "notification_types")?,
            })
        })
        .collect()
}
