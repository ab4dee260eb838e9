//! The integrity checks of the original's three report pages: rules the application keeps but
//! the database does not enforce. Each check is one bounded SQL query that returns only the rows
//! that break it, so a large healthy database costs a handful of queries. Dates are formatted by
//! the server and ints read as `i64`, so no stored value (a zero date, a huge month) can make a
//! check fail instead of reporting.

use crate::auth::Role;
use crate::month::Month;
use mysql::Conn;
use mysql::prelude::Queryable;

/// The three report pages; the CLI runs all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Main,
    AttendingsInOwnGroups,
    NotificationsAndMessages,
}

impl Check {
    pub const ALL: [Check; 3] = [
        Check::Main,
        Check::AttendingsInOwnGroups,
        Check::NotificationsAndMessages,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Check::Main => "проверка целостности",
            Check::AttendingsInOwnGroups => {
                "проверка целостности: ученики посещают занятия только своих групп"
            }
            Check::NotificationsAndMessages => "проверка целостности: уведомления и сообщения",
        }
    }

    /// Every problem found, as the exact Russian line the page shows.
    pub fn run(self, conn: &mut Conn) -> mysql::Result<Vec<String>> {
        match self {
            Check::Main => main_rules(conn),
            Check::AttendingsInOwnGroups => attendings_in_own_groups(conn),
            Check::NotificationsAndMessages => notifications_and_messages(conn),
        }
    }
}

/// «у мастера …», «неверное кол-во мастеров»: the words the messages use for each role.
fn role_words(role: Role) -> (&'static str, &'static str) {
    match role {
        Role::Master => ("мастера", "мастеров"),
        Role::Teacher => ("учителя", "учителей"),
        Role::Student => ("ученика", "учеников"),
        Role::Bot => ("бота", "ботов"),
        Role::Developer => ("разработчика", "разработчиков"),
    }
}

/// The month number of a stored date, computed by the server (works for any date, zero included).
const LESSON_MONTH: &str = "((YEAR(l.date) - 2017) * 12 + MONTH(l.date) - 1)";

fn main_rules(conn: &mut Conn) -> mysql::Result<Vec<String>> {
    let mut problems = Vec::new();
    roles_and_counts(conn, &mut problems)?;

    let groups: Vec<(i64, String, i64, i64)> = conn.query(
        "SELECT id, name, start_month, end_month FROM `groups`
         WHERE start_month > end_month OR end_month - start_month >= 12 ORDER BY id",
    )?;
    for (id, name, start, end) in groups {
        if start > end {
            problems.push(format!("группа id={id} ({name}) - конец раньше начала"));
        }
        if end - start >= 12 {
            problems.push(format!(
                "группа id={id} ({name}) функционирует больше 12 месяцев"
            ));
        }
    }

    let lessons: Vec<(i64, String, String)> = conn.query(format!(
        "SELECT l.id, g.name, DATE_FORMAT(l.date, '%d.%m.%Y')
         FROM lessons l JOIN `groups` g ON g.id = l.group_id
         WHERE {LESSON_MONTH} NOT BETWEEN g.start_month AND g.end_month ORDER BY l.id"
    ))?;
    for (id, group, date) in lessons {
        problems.push(format!(
            "занятие id={id} ({group} / {date}) выходит за рамки функционирования группы"
        ));
    }

    let attendings: Vec<(i64, String, String, String)> = conn.query(
        "SELECT a.id, COALESCE(s.fio, ''), COALESCE(DATE_FORMAT(l.date, '%d.%m.%Y'), ''),
            COALESCE(g.name, '')
         FROM attendings a
         LEFT JOIN students s ON s.id = a.student_id
         LEFT JOIN lessons l ON l.id = a.lesson_id
         LEFT JOIN `groups` g ON g.id = l.group_id
         WHERE a.state NOT IN (0, 1, 2) ORDER BY a.id",
    )?;
    for (id, fio, date, group) in attendings {
        problems.push(format!(
            "неизвестный статус посещения id={id} ({fio} / {date} / {group})"
        ));
    }

    let students: Vec<(i64, String, String)> = conn.query(
        "SELECT sig.id, COALESCE(s.fio, ''), g.name
         FROM student_in_groups sig
         JOIN `groups` g ON g.id = sig.group_id
         LEFT JOIN students s ON s.id = sig.student_id
         WHERE sig.enter_month < g.start_month OR sig.exit_month > g.end_month
            OR sig.enter_month > sig.exit_month
         ORDER BY sig.id",
    )?;
    for (id, fio, group) in students {
        problems.push(format!(
            "ученик в группе id={id} ({fio} / {group}) выходит за рамки функционирования группы"
        ));
    }

    let payments: Vec<(i64, String, String, i32, i64, i64)> = conn.query(
        "SELECT p.id, COALESCE(g.name, ''), COALESCE(s.fio, ''), p.month,
            p.month < sig.enter_month OR p.month > sig.exit_month,
            COALESCE(p.value < 0 OR p.value > sec.price - sig.discount, 0)
         FROM payments p
         JOIN student_in_groups sig ON sig.id = p.student_in_group_id
         LEFT JOIN `groups` g ON g.id = sig.group_id
         LEFT JOIN sections sec ON sec.id = g.section_id
         LEFT JOIN students s ON s.id = sig.student_id
         WHERE p.month < sig.enter_month OR p.month > sig.exit_month
            OR p.value < 0 OR p.value > sec.price - sig.discount
         ORDER BY p.id",
    )?;
    for (id, group, fio, month, outside, bad_value) in payments {
        let what = format!("id={id} ({group} / {fio} / {})", Month(month).name());
        if outside != 0 {
            problems.push(format!(
                "платеж {what} выходит за рамки нахождения ученика в группе"
            ));
        }
        if bad_value != 0 {
            problems.push(format!("неверная сумма платежа {what}"));
        }
    }

    // Valid bitmasks are 0..2^3: e-mail, VK and SMS.
    let parents: Vec<(i64, i64)> = conn.query(
        "SELECT id, notification_types FROM parents
         WHERE notification_types < 0 OR notification_types >= 8 ORDER BY id",
    )?;
    for (id, types) in parents {
        problems.push(format!(
            "у родителя id={id} неверные типы уведомлений: {types}"
        ));
    }
    Ok(problems)
}

/// Rules 1–3: every details row belongs to a user of its role, and the numbers agree. Roles are
/// matched by their exact name (BINARY, whatever the column's collation), as the rest of the
/// application identifies them; a user whose role is unknown or missing is reported instead of
/// breaking the page as in the original.
fn roles_and_counts(conn: &mut Conn, problems: &mut Vec<String>) -> mysql::Result<()> {
    let mut details_total = 0;
    let mut wrong_counts = Vec::new();
    for role in Role::ALL {
        let (one, many) = role_words(role);
        let wrong: Vec<(i64, String)> = conn.exec(
            format!(
                "SELECT d.id, d.fio FROM {table} d
                 LEFT JOIN system_users su ON su.id = d.system_user_id
                 LEFT JOIN system_roles r ON r.id = su.system_role_id
                 WHERE COALESCE(BINARY r.name = ?, 0) = 0 ORDER BY d.id",
                table = role.details_table()
            ),
            (role.db_name(),),
        )?;
        for (id, fio) in wrong {
            problems.push(format!("у {one} id={id} ({fio}) неверная системная роль"));
        }
        let (details, users): (i64, i64) = conn
            .exec_first(
                format!(
                    "SELECT (SELECT COUNT(*) FROM {table}),
                       (SELECT COUNT(*) FROM system_users su
                        JOIN system_roles r ON r.id = su.system_role_id WHERE BINARY r.name = ?)",
                    table = role.details_table()
                ),
                (role.db_name(),),
            )?
            .unwrap_or_default();
        if details != users {
            wrong_counts.push(format!("неверное кол-во {many}"));
        }
        details_total += details;
    }

    problems.extend(wrong_counts);
    let users: i64 = conn
        .query_first("SELECT COUNT(*) FROM system_users")?
        .unwrap_or_default();
    if users != details_total {
        problems.push("кол-во системных пользователей не равно кол-ву пользователей".into());
    }
    let [m, t, s, b, d] = Role::ALL.map(Role::db_name);
    let unknown: Vec<(i64, String, i64)> = conn.exec(
        "SELECT su.id, su.login, su.system_role_id
         FROM system_users su LEFT JOIN system_roles r ON r.id = su.system_role_id
         WHERE COALESCE(BINARY r.name IN (?, ?, ?, ?, ?), 0) = 0 ORDER BY su.id",
        (m, t, s, b, d),
    )?;
    for (id, login, role_id) in unknown {
        problems.push(format!(
            "у системного пользователя id={id} ({login}) неизвестная системная роль id={role_id}"
        ));
    }
    Ok(())
}

/// Rule 12. A student with attendance but no group at all is reported like any other stray
/// attendance (the original failed with a KeyError there).
fn attendings_in_own_groups(conn: &mut Conn) -> mysql::Result<Vec<String>> {
    let rows: Vec<(i64, String, String, String)> = conn.query(
        "SELECT a.id, COALESCE(s.fio, ''), DATE_FORMAT(l.date, '%d.%m.%Y'), COALESCE(g.name, '')
         FROM attendings a
         JOIN lessons l ON l.id = a.lesson_id
         LEFT JOIN `groups` g ON g.id = l.group_id
         LEFT JOIN students s ON s.id = a.student_id
         WHERE NOT EXISTS (SELECT 1 FROM student_in_groups sig
                           WHERE sig.student_id = a.student_id AND sig.group_id = l.group_id)
         ORDER BY a.id",
    )?;
    Ok(rows
        .into_iter()
        .map(|(id, fio, date, group)| {
            format!(
                "ученик посетил занятие группы, в которой не состоит; attending_id={id} ({fio} / {date} / {group})"
            )
        })
        .collect())
}

/// Rules 13–19.
fn notifications_and_messages(conn: &mut Conn) -> mysql::Result<Vec<String>> {
    let mut problems = Vec::new();
    let (master, teacher, student, bot, developer) = (
        Role::Master.db_name(),
        Role::Teacher.db_name(),
        Role::Student.db_name(),
        Role::Bot.db_name(),
        Role::Developer.db_name(),
    );

    // BINARY: roles are identified by their exact name, whatever the column's collation.
    let notifications: Vec<(i64, i64, i64, i64)> = conn.exec(
        "SELECT * FROM (
           SELECT n.id,
             COALESCE(BINARY r.name IN (?, ?), 0) AS sender_ok,
             n.receiver_type,
             CASE n.receiver_type
               WHEN 1 THEN EXISTS (SELECT 1 FROM `groups` g WHERE g.id = n.receiver_id)
               WHEN 2 THEN EXISTS (SELECT 1 FROM student_in_groups s WHERE s.id = n.receiver_id)
               ELSE 0 END AS receiver_ok
           FROM notifications n
           LEFT JOIN system_users su ON su.id = n.sender_id
           LEFT JOIN system_roles r ON r.id = su.system_role_id
         ) x WHERE sender_ok = 0 OR receiver_ok = 0 ORDER BY id",
        (master, teacher),
    )?;
    for (id, sender_ok, receiver_type, receiver_ok) in notifications {
        if sender_ok == 0 {
            problems.push(format!("неверная роль у отправителя уведомления id={id}"));
        }
        match (receiver_type, receiver_ok != 0) {
            (1 | 2, true) => {}
            (1, false) => problems.push(format!(
                "уведомление id={id} отправлено несуществующей группе"
            )),
            (2, false) => problems.push(format!(
                "увед-е id={id} отправлено несуществующему студенту в группе"
            )),
            _ => problems.push(format!("неверный receiver_type у уведомления id={id}")),
        }
    }

    let (messages, details): (i64, i64) = conn
        .query_first(
            "SELECT (SELECT COUNT(*) FROM messages), (SELECT COUNT(*) FROM message_details)",
        )?
        .unwrap_or_default();
    if messages != 2 * details {
        problems.push("неверное кол-во сообщений / деталей сообщений".into());
    }

    let bad_messages: Vec<(i64, i64, i64, i64)> = conn.exec(
        "SELECT * FROM (
           SELECT m.id,
             m.owner_id = m.receiver_id AS to_self,
             COALESCE(BINARY ro.name = ? AND BINARY rr.name = ?, 0) AS students,
             COALESCE(BINARY ro.name IN (?, ?), 0) OR COALESCE(BINARY rr.name IN (?, ?), 0)
               AS bot_or_developer
           FROM messages m
           LEFT JOIN system_users o ON o.id = m.owner_id
           LEFT JOIN system_roles ro ON ro.id = o.system_role_id
           LEFT JOIN system_users rc ON rc.id = m.receiver_id
           LEFT JOIN system_roles rr ON rr.id = rc.system_role_id
         ) x WHERE to_self OR students OR bot_or_developer ORDER BY id",
        (student, student, bot, developer, bot, developer),
    )?;
    for (id, to_self, students, bot_or_developer) in bad_messages {
        if to_self != 0 {
            problems.push(format!("сообщение id={id} отправлено самому себе"));
        }
        if students != 0 {
            problems.push(format!("сообщение id={id} отправлено между учениками"));
        }
        if bot_or_developer != 0 {
            problems.push(format!(
                "сообщение id={id} ссылается на бота или разработчика"
            ));
        }
    }

    // The two rows of a message: the lower id is the first, as the original read them.
    let bad_details: Vec<(i64, i64, i64, i64)> = conn.query(
        "SELECT * FROM (
           SELECT d.id, d.n,
             COALESCE(a.forward = b.forward, 0) AS same_direction,
             COALESCE(NOT (a.owner_id = b.receiver_id AND a.receiver_id = b.owner_id), 0)
               AS not_mirrored
           FROM (SELECT md.id, COUNT(m.id) AS n, MIN(m.id) AS first_id, MAX(m.id) AS last_id
                 FROM message_details md LEFT JOIN messages m ON m.message_details_id = md.id
                 GROUP BY md.id) d
           LEFT JOIN messages a ON a.id = d.first_id AND d.n = 2
           LEFT JOIN messages b ON b.id = d.last_id AND d.n = 2
         ) x WHERE n <> 2 OR same_direction OR not_mirrored ORDER BY id",
    )?;
    for (id, count, same_direction, not_mirrored) in bad_details {
        if count != 2 {
            problems.push(format!(
                "на детали о сообщений id={id} ссылается неверное кол-во сообщений"
            ));
            continue;
        }
        if same_direction != 0 {
            problems.push(format!(
                "на детали о сообщений id={id} ссылаются сообщения в одном направлении"
            ));
        }
        if not_mirrored != 0 {
            problems.push(format!(
                "на детали о сообщений id={id} ссылаются сообщения между разными юзерами"
            ));
        }
    }
    Ok(problems)
}
