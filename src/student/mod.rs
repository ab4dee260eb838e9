//! Blueprint `student`: the student's own cabinet — lessons with attendance,
//! payments, notifications. Every query starts from the logged-in student's memberships, so
//! nothing of another student can appear.

pub mod lessons;
pub mod notifications;
pub mod payments;

use crate::app::{AppError, Ctx};
use crate::ids::StudentId;
use mysql::prelude::Queryable;
use serde::Serialize;

/// One of the student's groups, for the filter.
#[derive(Debug, Clone, Serialize)]
pub struct OwnGroup {
    pub id: u32,
    pub name: String,
}

/// The logged-in student (the cabinet's routes admit students only).
pub fn me(ctx: &Ctx) -> Result<StudentId, AppError> {
    ctx.user()?.student_id.ok_or(AppError::Forbidden)
}

/// The student's groups, newest start first, then by name.
pub fn own_groups(ctx: &mut Ctx) -> Result<Vec<OwnGroup>, AppError> {
    let student_id = me(ctx)?;
    Ok(ctx.db.exec_map(
        "SELECT g.id, g.name FROM student_in_groups sig JOIN `groups` g ON g.id = sig.group_id
         WHERE sig.student_id = ? ORDER BY g.start_month DESC, g.name",
        (student_id,),
        |(id, name)| OwnGroup { id, name },
    )?)
}
