//! The little of `parents` that the student forms need: the choices of the
//! mother and father selects and the student's two links. The parents themselves (and a new one
//! typed into the student form) are the structure area's `parents`.

use mysql::Conn;
use mysql::prelude::Queryable;

/// Every parent by FIO, for the selects.
pub fn choices(db: &mut Conn) -> mysql::Result<Vec<(u32, String)>> {
    db.query("SELECT id, fio FROM parents ORDER BY fio, id")
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
