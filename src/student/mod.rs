//! Blueprint `student`: the student's own cabinet — lessons with attendance,
//! payments, notifications. Every query starts from the logged-in student's memberships, so
//! nothing of another student can appear.

pub mod lessons;
pub mod notifications;
pub mod payments;
pub mod store;

use crate::app::{AppError, Ctx, Refusal};
use crate::ids::StudentId;

/// The logged-in student (the cabinet's routes admit students only).
pub fn me(ctx: &Ctx) -> Result<StudentId, AppError> {
    ctx.user()?
        .student_id
        .ok_or(AppError::Refused(Refusal::NoStudent))
}
