//! The student's own card on the home page: profile, parents, groups.

use crate::ids::StudentId;
use crate::month::Month;
use mysql::Conn;
use mysql::prelude::Queryable;
use serde::Serialize;

#[derive(Serialize)]
pub struct Card {
    pub card: Profile,
    pub parents: Vec<Parent>,
    pub groups: Vec<Group>,
}

#[derive(Serialize)]
pub struct Profile {
    login: String,
    birth_date: String,
    birth_place: String,
    registration_place: String,
    actual_address: String,
    additional_info: Option<String>,
    known_from: Option<String>,
    school: String,
    grade: String,
    shift: String,
    phone: Option<String>,
    contact_phone: String,
    citizenship: String,
}

#[derive(Serialize)]
pub struct Parent {
    fio: String,
    phone: String,
    address: Option<String>,
    email: Option<String>,
    passport: Option<String>,
    vk_link: Option<String>,
    home_phone: Option<String>,
    notifications: String,
    #[serde(skip)]
    is_mother: bool,
}

#[derive(Serialize)]
pub struct Group {
    name: String,
    teacher_fio: String,
    teacher_phone: String,
    period: String,
}

// The parents' rows are read as a tuple typed like the query's columns, in its order.
#[allow(clippy::type_complexity)]
pub fn load(conn: &mut Conn, student_id: StudentId) -> mysql::Result<Option<Card>> {
    let row: Option<mysql::Row> = conn.exec_first(
        "SELECT su.login, s.birth_date, s.birth_place, s.registration_place, s.actual_address, s.additional_info,
                s.known_from, sc.name, s.grade, s.shift, s.phone, s.contact_phone, c.name
         FROM students s JOIN system_users su ON su.id = s.system_user_id
         JOIN schools sc ON sc.id = s.school_id JOIN citizenships c ON c.id = s.citizenship_id
         WHERE s.id = ?",
        (student_id,),
    )?;
    let Some(mut r) = row else { return Ok(None) };
    let parents: Vec<Parent> = conn.exec_map(
        "SELECT p.fio, p.phone, p.address, p.email, p.passport, p.vk_link, p.home_phone, p.notification_types, ps.is_mother
         FROM parent_of_students ps JOIN parents p ON p.id = ps.parent_id WHERE ps.student_id = ? ORDER BY ps.is_mother DESC",
        (student_id,),
        |(fio, phone, address, email, passport, vk_link, home_phone, types, is_mother): (String, String, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>, i32, bool)| Parent {
            fio, phone, address, email, passport, vk_link, home_phone, notifications: channel_names(types), is_mother,
        },
    )?;
    let groups = conn.exec_map(
        "SELECT g.name, t.fio, t.phone, sig.enter_month, sig.exit_month
         FROM student_in_groups sig JOIN `groups` g ON g.id = sig.group_id JOIN teachers t ON t.id = g.teacher_id
         WHERE sig.student_id = ? ORDER BY g.start_month DESC, g.name",
        (student_id,),
        |(name, teacher_fio, teacher_phone, enter, exit): (String, String, String, i32, i32)| Group {
            name, teacher_fio, teacher_phone, period: format!("{} — {}", Month(enter).name(), Month(exit).name()),
        },
    )?;
    let phone: Option<String> = take(&mut r, 10);
    let contact_phone = contact_phone(take(&mut r, 11), phone.as_deref(), &parents);
    let birth_date: chrono::NaiveDate = take(&mut r, 1);
    Ok(Some(Card {
        card: Profile {
            login: take(&mut r, 0),
            birth_date: birth_date.format("%Y-%m-%d").to_string(),
            birth_place: take(&mut r, 2),
            registration_place: take(&mut r, 3),
            actual_address: take(&mut r, 4),
            additional_info: take(&mut r, 5),
            known_from: take(&mut r, 6),
            school: take(&mut r, 7),
            grade: take(&mut r, 8),
            shift: take(&mut r, 9),
            phone,
            contact_phone,
            citizenship: take(&mut r, 12),
        },
        parents,
        groups,
    }))
}

/// Column `i` of a row whose shape the query fixes.
fn take<T: mysql::prelude::FromValue>(row: &mut mysql::Row, i: usize) -> T {
    row.take(i).expect("column selected by the query")
}

/// «89012223344 (мать)»: the number chosen by `students.contact_phone` (1 student, 2 mother, 3 father).
fn contact_phone(choice: i32, own: Option<&str>, parents: &[Parent]) -> String {
    let parent_phone = |mother: bool| {
        parents
            .iter()
            .find(|p| p.is_mother == mother)
            .map(|p| p.phone.clone())
    };
    let (number, who) = match choice {
        2 => (parent_phone(true), "мать"),
        3 => (parent_phone(false), "отец"),
        _ => (own.map(str::to_string), "ученик"),
    };
    format!("{} ({who})", number.unwrap_or_default())
}

/// «email / ВКонтакте» from the notification bitmask, or «нет».
fn channel_names(types: i32) -> String {
    let names: Vec<&str> = [(1, "email"), (2, "ВКонтакте"), (4, "sms")]
        .into_iter()
        .filter(|(bit, _)| types & bit != 0)
        .map(|(_, n)| n)
        .collect();
    if names.is_empty() {
        "нет".into()
    } else {
        names.join(" / ")
    }
}
