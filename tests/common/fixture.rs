//! Rows written straight into a test database: people of every role, groups, memberships and
//! lessons (`add_*`), and the ids of the stub fixture's rows by their names (`*_id`).

use super::TestDb;
use super::db::{exec, query_one};

/// The id of the row named `name` in `table` (`groups`, `sections`, `schools`, …; a table of the
/// schema, never a value).
pub fn id_by_name(db: &TestDb, table: &str, name: &str) -> u32 {
    query_one(
        db,
        &format!("SELECT id FROM `{table}` WHERE name = ?"),
        (name,),
    )
}

pub fn group_id(db: &TestDb, name: &str) -> u32 {
    id_by_name(db, "groups", name)
}

/// The stub's group робо-71 (months 8..16, September 2017 – May 2018, 800 ₽) and st1's membership
/// in it (discount 100 ₽).
pub fn robo_71(db: &TestDb) -> (u32, u32) {
    let g = group_id(db, "робо-71");
    let sig = query_one(
        db,
        "SELECT id FROM student_in_groups WHERE group_id = ?",
        (g,),
    );
    (g, sig)
}

/// A row of a table of names only (`schools`, `citizenships`); returns its id.
pub fn add_named(db: &TestDb, table: &str, name: &str) -> u32 {
    exec(
        db,
        &format!("INSERT INTO `{table}` (name) VALUES (?)"),
        (name,),
    )
}

pub fn parent_id(db: &TestDb, fio: &str) -> u32 {
    query_one(db, "SELECT id FROM parents WHERE fio = ?", (fio,))
}

/// A system user of `role`. With a `password` (set through `crmit set-password`) he can log in;
/// without, his hash is unusable (`unusable-LOGIN`): hashing a password costs a run of the CLI.
pub fn add_user(db: &TestDb, login: &str, role: &str, password: Option<&str>) -> u32 {
    let id = exec(
        db,
        "INSERT INTO system_users (login, password_hash, system_role_id, last_seen, enabled, last_seen_where, force_ask_to_login)
         SELECT ?, ?, id, UTC_TIMESTAMP(), 1, 1, 0 FROM system_roles WHERE name = ?",
        (login, format!("unusable-{login}"), role),
    );
    if let Some(password) = password {
        db.crmit_with_stdin(
            &["set-password", login, "--password-stdin"],
            &format!("{password}\n"),
        );
    }
    id
}

/// A person of `role` who never logs in here, with the details row that `details` inserts from
/// (fio, system user id); returns the details id.
pub fn add_person(db: &TestDb, login: &str, role: &str, details: &str, fio: &str) -> u32 {
    let user = add_user(db, login, role, None);
    exec(db, details, (fio, user))
}

/// A teacher who logs in with `12`; returns teachers.id.
pub fn add_teacher(db: &TestDb, login: &str, fio: &str) -> u32 {
    let user = add_user(db, login, "преподаватель", Some("12"));
    exec(
        db,
        "INSERT INTO teachers (fio, system_user_id, phone) VALUES (?, ?, '89011111111')",
        (fio, user),
    )
}

/// A master who logs in with `12`; returns masters.id.
pub fn add_master(db: &TestDb, login: &str, fio: &str) -> u32 {
    let user = add_user(db, login, "руководитель", Some("12"));
    exec(
        db,
        "INSERT INTO masters (fio, system_user_id) VALUES (?, ?)",
        (fio, user),
    )
}

/// The fields of a students row that tests vary; the rest is fixed (the stub's first school and
/// citizenship).
pub struct StudentRow<'a> {
    pub birth_date: &'a str,
    pub filled: bool,
    pub contact_phone: i32,
    pub phone: Option<&'a str>,
    pub grade: &'a str,
    pub shift: &'a str,
}

impl Default for StudentRow<'_> {
    fn default() -> Self {
        StudentRow {
            birth_date: "2010-01-02",
            filled: true,
            contact_phone: 1,
            phone: Some("89020000000"),
            grade: "1",
            shift: "1",
        }
    }
}

/// A student with the `row`'s fields, logging in with `password` (see [`add_user`]); returns
/// students.id.
pub fn add_student_row(
    db: &TestDb,
    login: &str,
    fio: &str,
    password: Option<&str>,
    row: StudentRow,
) -> u32 {
    let user = add_user(db, login, "ученик", password);
    exec(
        db,
        "INSERT INTO students (fio, birth_date, birth_place, registration_place, actual_address, school_id,
           citizenship_id, system_user_id, contact_phone, grade, phone, shift, filled)
         SELECT ?, ?, 'bp', 'rp', 'aa', (SELECT MIN(id) FROM schools), (SELECT MIN(id) FROM citizenships),
           ?, ?, ?, ?, ?, ?",
        (
            fio,
            row.birth_date,
            user,
            row.contact_phone,
            row.grade,
            row.phone,
            row.shift,
            row.filled,
        ),
    )
}

/// A student who logs in with `12`; returns students.id.
pub fn add_student(db: &TestDb, login: &str, fio: &str) -> u32 {
    add_student_row(db, login, fio, Some("12"), StudentRow::default())
}

/// A student who never logs in (no password to hash, so many are quick to make), his profile
/// copied from the first student's (st1 of the stub); returns students.id.
pub fn add_student_without_login(db: &TestDb, login: &str, fio: &str) -> u32 {
    add_person(
        db,
        login,
        "ученик",
        "INSERT INTO students (fio, birth_date, birth_place, registration_place, actual_address, additional_info,
           known_from, school_id, citizenship_id, system_user_id, contact_phone, grade, phone, shift, filled)
         SELECT ?, birth_date, birth_place, registration_place, actual_address, NULL, NULL, school_id,
           citizenship_id, ?, 1, grade, phone, shift, 1 FROM students ORDER BY id LIMIT 1",
        fio,
    )
}

/// A group of the section `section` taught by `teacher_id`; returns its id.
pub fn add_group(
    db: &TestDb,
    name: &str,
    section: &str,
    teacher_id: u32,
    start: i32,
    end: i32,
) -> u32 {
    exec(
        db,
        "INSERT INTO `groups` (name, section_id, teacher_id, start_month, end_month)
         SELECT ?, id, ?, ?, ? FROM sections WHERE name = ?",
        (name, teacher_id, start, end, section),
    )
}

/// Puts a student into a group; returns the student_in_groups id.
pub fn add_member(
    db: &TestDb,
    student_id: u32,
    group_id: u32,
    discount: i32,
    enter: i32,
    exit: i32,
) -> u32 {
    exec(
        db,
        "INSERT INTO student_in_groups (student_id, group_id, discount, enter_month, exit_month) VALUES (?, ?, ?, ?, ?)",
        (student_id, group_id, discount, enter, exit),
    )
}

/// The id in the role's details table (`teachers`, `masters`, `bots`, …) of the account `login`;
/// the table is one of the schema's, never a value.
pub fn details_id(db: &TestDb, table: &str, login: &str) -> u32 {
    query_one(
        db,
        &format!(
            "SELECT x.id FROM `{table}` x JOIN system_users su ON su.id = x.system_user_id WHERE su.login = ?"
        ),
        (login,),
    )
}

pub fn teacher_id(db: &TestDb, login: &str) -> u32 {
    details_id(db, "teachers", login)
}

pub fn student_id(db: &TestDb, login: &str) -> u32 {
    details_id(db, "students", login)
}

pub fn user_id(db: &TestDb, login: &str) -> u32 {
    query_one(db, "SELECT id FROM system_users WHERE login = ?", (login,))
}

/// A second teacher `te2` (T2) with password `12` (a Werkzeug 0.14 hash), given the stub group
/// `веб-61`, so that te1 and te2 each own one group. Returns T2's teachers.id.
pub fn add_second_teacher(db: &TestDb) -> u32 {
    let user = exec(
        db,
        "INSERT INTO system_users (login, password_hash, system_role_id, last_seen, enabled, last_seen_where, force_ask_to_login)
         SELECT 'te2', 'pbkdf2:sha256:50000$ouK6YFIU$0854a31baf9e69b0291a24b5a030073a84dcea03c46589dbcfd2788dee0ee7e5',
                id, UTC_TIMESTAMP(), 1, 1, 0 FROM system_roles WHERE name = 'преподаватель'",
        (),
    );
    let t2 = exec(
        db,
        "INSERT INTO teachers (fio, system_user_id, phone) VALUES ('Учитель Второй', ?, '8900')",
        (user,),
    );
    exec(
        db,
        "UPDATE `groups` SET teacher_id = ? WHERE name = 'веб-61'",
        (t2,),
    );
    t2
}

/// The stub fixture's one payment of September.
pub fn payment_p1(db: &TestDb) -> u32 {
    query_one(db, "SELECT id FROM payments WHERE month = 9", ())
}

/// A lesson of the group on the date (`"YYYY-MM-DD"` or a `NaiveDate`), conducted by the teacher;
/// returns its id.
pub fn add_lesson(db: &TestDb, group: u32, teacher: u32, date: impl Into<mysql::Value>) -> u32 {
    exec(
        db,
        "INSERT INTO lessons (date, teacher_id, group_id) VALUES (?, ?, ?)",
        (date.into(), teacher, group),
    )
}

/// A mark of the student at the lesson (`state` 0 «не был», 1 «был», 2 «уважительная»); returns
/// its id.
pub fn add_attending(db: &TestDb, lesson: u32, student: u32, state: i32) -> u32 {
    exec(
        db,
        "INSERT INTO attendings (lesson_id, student_id, state) VALUES (?, ?, ?)",
        (lesson, student, state),
    )
}

/// A cash payment of the membership for the month, without a comment; returns its id.
pub fn add_payment(db: &TestDb, member: u32, month: i32, value: i32, confirmed: bool) -> u32 {
    exec(
        db,
        "INSERT INTO payments (student_in_group_id, month, value, cash, confirmed, comment) VALUES (?, ?, ?, 1, ?, '')",
        (member, month, value, confirmed),
    )
}

/// The fields of a parents row that tests vary.
pub struct ParentRow<'a> {
    pub phone: &'a str,
    pub email: Option<&'a str>,
    pub vk_link: Option<&'a str>,
    pub notification_types: i32,
}

impl Default for ParentRow<'_> {
    fn default() -> Self {
        ParentRow {
            phone: "89010000000",
            email: None,
            vk_link: None,
            notification_types: 0,
        }
    }
}

/// A parent of no student yet with the `row`'s fields; returns parents.id.
pub fn add_parent_row(db: &TestDb, fio: &str, row: ParentRow) -> u32 {
    exec(
        db,
        "INSERT INTO parents (fio, phone, email, vk_link, notification_types) VALUES (?, ?, ?, ?, ?)",
        (
            fio,
            row.phone,
            row.email,
            row.vk_link,
            row.notification_types,
        ),
    )
}

/// A parent reached by phone only (no e-mail, no VK, no notifications); returns parents.id.
pub fn add_parent(db: &TestDb, fio: &str, phone: &str) -> u32 {
    add_parent_row(
        db,
        fio,
        ParentRow {
            phone,
            ..ParentRow::default()
        },
    )
}

/// Makes `parent` the student's mother (`is_mother`) or father.
pub fn add_child(db: &TestDb, student: u32, parent: u32, is_mother: bool) {
    exec(
        db,
        "INSERT INTO parent_of_students (student_id, parent_id, is_mother) VALUES (?, ?, ?)",
        (student, parent, is_mother),
    );
}
