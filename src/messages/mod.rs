//! Blueprint `messages`: internal messages between masters, teachers and students. A message is
//! one `message_details` row (body, time, the shared unread flag) and two `messages` rows, one in
//! each participant's mailbox (`forward` 1: owned by the sender; 0: owned by the recipient), so
//! the original reads them too.

pub mod dialogs_list;
pub mod messages_list;
pub mod store;

use crate::auth::Role;

/// Who may write to whom: masters and teachers to any master, teacher or
/// student; students to masters and teachers; never bots or developers, never oneself (checked
/// by the caller, who knows the ids).
pub fn may_write(sender: Role, receiver: Role) -> bool {
    let person = |r: Role| matches!(r, Role::Master | Role::Teacher | Role::Student);
    person(sender) && person(receiver) && !(sender == Role::Student && receiver == Role::Student)
}

/// «<fio> (<role>)» for masters and teachers, the bare FIO for students.
pub fn display_name(fio: &str, role: Option<Role>) -> String {
    match role {
        Some(r @ (Role::Master | Role::Teacher)) => format!("{fio} ({})", r.db_name()),
        _ => fio.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Role::{Bot, Developer, Master, Student, Teacher};

    #[test]
    fn who_may_write_to_whom() {
        for (from, to) in [
            (Master, Teacher),
            (Master, Student),
            (Teacher, Master),
            (Teacher, Teacher),
            (Student, Master),
            (Student, Teacher),
            (Master, Master),
        ] {
            assert!(may_write(from, to), "{from:?} → {to:?}");
        }
        for (from, to) in [
            (Student, Student),
            (Developer, Master),
            (Master, Developer),
            (Bot, Teacher),
            (Teacher, Bot),
        ] {
            assert!(!may_write(from, to), "{from:?} → {to:?}");
        }
    }
}
