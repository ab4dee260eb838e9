//! `crmit seed-demo` (issue 3, item 6): the small data set on a migrated database has the
//! expected size and shape, is the same on every run for the same day, passes every integrity
//! check, keeps the stub logins working, and is refused on a database that has users.

use crate::common;

use common::db::{self, query_one};
use common::{TestDb, WebClient};

const TODAY: &str = "2025-11-20";

fn demo() -> TestDb {
    let db = TestDb::migrated();
    db.crmit_ok(&["seed-demo", "--size", "small", "--today", TODAY]);
    db
}

/// `CHECKSUM TABLE` of the tables whose rows are all generated (the stub users' password
/// hashes are salted at random, so `system_users` differs by design).
fn checksums(db: &TestDb) -> Vec<Option<i64>> {
    let tables = [
        "citizenships",
        "schools",
        "sections",
        "masters",
        "teachers",
        "students",
        "parents",
        "parent_of_students",
        "groups",
        "schedule_times",
        "schedule_groups",
        "student_in_groups",
        "lessons",
        "attendings",
        "payments",
        "notifications",
        "message_details",
        "messages",
    ];
    db::checksums(db, &tables)
        .into_iter()
        .map(|(_, sum)| sum)
        .collect()
}

#[test]
fn small_demo_is_realistic_deterministic_and_consistent() {
    let db = demo();
    for (table, range) in [
        ("students", 150..=160),
        ("parents", 150..=260),
        ("teachers", 5..=5),
        ("masters", 2..=2),
        ("groups", 17..=17),
        ("lessons", 500..=1000),
        ("attendings", 4_000..=10_000),
        ("payments", 800..=2_500),
        ("notifications", 75..=75),
        ("message_details", 250..=250),
        ("messages", 500..=500),
    ] {
        let n = db.count(table);
        assert!(range.contains(&n), "{table}: {n} rows, expected {range:?}");
    }

    let out = db.crmit(&["check-integrity"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert_eq!(stdout.trim(), "нет проблем");

    for (what, sql) in [
        (
            "notification bits without their address",
            "SELECT COUNT(*) FROM parents WHERE (notification_types & 1 AND email IS NULL)
               OR (notification_types & 2 AND vk_link IS NULL)",
        ),
        (
            "vk links not vk.com/<domain>",
            "SELECT COUNT(*) FROM parents WHERE vk_link NOT LIKE 'vk.com/_%'",
        ),
        (
            "phones not 89XXXXXXXXX",
            "SELECT COUNT(*) FROM parents WHERE phone NOT REGEXP '^89[0-9]{9}$'",
        ),
        (
            "timetable cells without lessons on their weekday",
            "SELECT COUNT(*) FROM schedule_groups sg WHERE NOT EXISTS (SELECT 1 FROM lessons l
               WHERE l.group_id = sg.group_id AND WEEKDAY(l.date) = sg.day_of_week)",
        ),
        (
            "lessons of timetabled groups on other weekdays",
            "SELECT COUNT(*) FROM lessons l WHERE EXISTS
               (SELECT 1 FROM schedule_groups sg WHERE sg.group_id = l.group_id)
               AND NOT EXISTS (SELECT 1 FROM schedule_groups sg
               WHERE sg.group_id = l.group_id AND sg.day_of_week = WEEKDAY(l.date))",
        ),
        (
            "attendance on or after the day",
            "SELECT COUNT(*) FROM attendings a JOIN lessons l ON l.id = a.lesson_id
               WHERE l.date >= '2025-11-20'",
        ),
        (
            "generated users with a password",
            "SELECT COUNT(*) FROM system_users WHERE password_hash NOT LIKE '!disabled-demo$%'
               AND login NOT IN ('ma1', 'te1', 'st1', 'dev1', 'dump_creator')",
        ),
    ] {
        assert_eq!(query_one::<u64>(&db, sql, ()), 0, "{what}");
    }
    for (what, sql) in [
        ("students with patronymics", "SELECT COUNT(*) FROM students WHERE fio REGEXP '(вич|вна|ич|чна)$'"),
        ("each attendance state", "SELECT COUNT(DISTINCT state) FROM attendings"),
        ("unconfirmed payments", "SELECT COUNT(*) FROM payments WHERE confirmed = 0"),
        ("cashless payments", "SELECT COUNT(*) FROM payments WHERE cash = 0"),
        ("notifications to one student", "SELECT COUNT(*) FROM notifications WHERE receiver_type = 2"),
        ("timetable slots with a time", "SELECT COUNT(*) FROM schedule_times WHERE time IS NOT NULL"),
        ("te1's current-group lessons", "SELECT COUNT(*) FROM lessons l JOIN teachers t ON t.id = l.teacher_id
             JOIN system_users u ON u.id = t.system_user_id WHERE u.login = 'te1' AND l.date >= '2025-09-01'"),
    ] {
        assert!(query_one::<u64>(&db, sql, ()) > 1, "{what}");
    }

    let mut web = WebClient::login(&db, "ma1", "12");
    assert_eq!(web.get("/").status, 200);
    WebClient::login(&db, "st1", "31082002");

    let again = demo();
    assert_eq!(checksums(&db), checksums(&again));

    let users = db.count("system_users");
    let out = db.crmit(&["seed-demo", "--size", "small"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("уже есть пользователи"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert_eq!(db.count("system_users"), users);
}
