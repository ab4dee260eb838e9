//! Blueprint `student`: the student's own cabinet — lessons with attendance,
//! payments, notifications. Every query starts from the logged-in student's memberships, so
//! nothing of another student can appear.

pub mod lessons;
pub mod notifications;
pub mod payments;
pub mod store;
