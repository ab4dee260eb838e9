//! `crmit migrate`: a fresh database gets the original schema plus ours, a live database of the
//! original is adopted without touching a row, and anything else is refused.

use crate::common;

use common::TestDb;
use mysql::prelude::Queryable;
use std::collections::BTreeMap;

const IDS: &[&str] = &[
    "0001_baseline",
    "0002_page_visits",
    "0003_access_token_hash_index",
    "0004_login_throttle",
    "0005_payments_unconfirmed_index",
    "0006_students_list_index",
    "0007_unread_messages_index",
    "0008_lessons_teacher_date_index",
    "0009_parents_list_index",
    "0010_payments_debts_index",
    "0011_change_log",
    "0012_attendings_marks_index",
    "0013_debts_cache",
    "0014_web_sessions",
    "0015_students_fio_index",
    "0016_attendings_dump_index",
    "0017_payments_month_index",
    "0018_messages_owner_index",
    "0019_students_search_index",
    "0020_unconfirmed_sums_cache",
    "0021_lessons_held_cache",
    "0022_attendings_student_marks_index",
    "0023_attendance_marks_cache",
    "0024_month_money_cache",
];
const OUR_TABLES: &[&str] = &[
    "change_log",
    "crmit_migrations",
    "login_throttle",
    "page_visits",
    "debts_cache",
    "web_sessions",
];
/// The indexes our migrations add to original tables: (table, the line the new key follows in
/// `SHOW CREATE TABLE`, the new key's line).
const ADDED_KEYS: &[(&str, &str, &str)] = &[
    (
        "access_tokens",
        "  KEY `ix_access_tokens_last_use` (`last_use`),\n",
        "  KEY `ix_access_tokens_token_hash` (`token_hash`),\n",
    ),
    (
        "attendings",
        "  KEY `ix_attendings_student_id` (`student_id`),\n",
        "  KEY `ix_attendings_marks` (`lesson_id`,`state`),\n  KEY `ix_attendings_marks_students` (`lesson_id`,`state`,`student_id`),\n  KEY `ix_attendings_student_marks` (`student_id`,`state`),\n",
    ),
    (
        "lessons",
        "  KEY `ix_lessons_teacher_id` (`teacher_id`),\n",
        "  KEY `ix_lessons_teacher_date` (`teacher_id`,`date`),\n",
    ),
    (
        "message_details",
        "  KEY `ix_message_details_send_time` (`send_time`),\n",
        "  KEY `ix_message_details_unread` (`unread`),\n",
    ),
    (
        "messages",
        "  KEY `ix_messages_receiver_id` (`receiver_id`),\n",
        "  KEY `ix_messages_owner_dialogs` (`owner_id`,`forward`,`message_details_id`,`receiver_id`),\n",
    ),
    (
        // The last key of the table: the comma goes before it.
        "parents",
        "  UNIQUE KEY `passport` (`passport`)",
        ",\n  KEY `ix_parents_list_order` (`fio`)",
    ),
    (
        "payments",
        "  KEY `ix_payments_student_in_group_id` (`student_in_group_id`),\n",
        "  KEY `ix_payments_unconfirmed` (`confirmed`,`student_in_group_id`,`value`),\n  KEY `ix_payments_debts` (`student_in_group_id`,`month`,`value`,`confirmed`),\n  KEY `ix_payments_month_value` (`month`,`value`),\n",
    ),
    (
        "students",
        "  KEY `school_id` (`school_id`),\n",
        "  KEY `ix_students_list_order` (`filled`,`fio`),\n  KEY `ix_students_fio` (`fio`),\n  KEY `ix_students_search` (`filled`,`fio`,`id`,`system_user_id`),\n",
    ),
];

fn tables(conn: &mut mysql::Conn) -> Vec<String> {
    conn.query("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name")
        .unwrap()
}

/// `SHOW CREATE TABLE` of every table, without the AUTO_INCREMENT counter (it depends on the rows).
fn schema(conn: &mut mysql::Conn) -> BTreeMap<String, String> {
    tables(conn)
        .into_iter()
        .map(|t| {
            let (_, ddl): (String, String) = conn
                .query_first(format!("SHOW CREATE TABLE `{t}`"))
                .unwrap()
                .unwrap();
            let ddl = ddl
                .split(' ')
                .filter(|w| !w.starts_with("AUTO_INCREMENT="))
                .collect::<Vec<_>>()
                .join(" ");
            (t, ddl)
        })
        .collect()
}

/// Every row of every table, as the server returns it (zero dates included).
fn contents(conn: &mut mysql::Conn) -> BTreeMap<String, Vec<Vec<mysql::Value>>> {
    tables(conn)
        .into_iter()
        .map(|t| {
            let rows: Vec<mysql::Row> = conn
                .query(format!("SELECT * FROM `{t}` ORDER BY 1"))
                .unwrap();
            (t, rows.into_iter().map(mysql::Row::unwrap).collect())
        })
        .collect()
}

fn recorded(conn: &mut mysql::Conn) -> Vec<(String, String, String)> {
    conn.query("SELECT id, description, CAST(applied_at AS CHAR) FROM crmit_migrations ORDER BY id")
        .unwrap()
}

/// Rows in most of the original tables, including what a live database really holds: a legacy
/// access token with the zero `last_use` that Alembic 0022 gave old rows, NULLs, Cyrillic text.
fn insert_original_rows(db: &TestDb) {
    let mut conn = db.conn();
    for sql in [
        "INSERT INTO system_roles (id, name, details_table_name) VALUES (1, 'руководитель', 'masters'), \
         (2, 'преподаватель', 'teachers'), (3, 'ученик', 'students')",
        "INSERT INTO system_users (id, login, password_hash, system_role_id, last_seen, enabled, last_seen_where, \
         force_ask_to_login) VALUES (1, 'ma1', 'pbkdf2:sha256:50000$a$1', 1, '2019-02-28 13:36:00', 1, 2, 0), \
         (2, 'te1', 'pbkdf2:sha256:50000$b$2', 2, '2019-03-01 08:00:00', 0, 3, 1), \
         (3, 'st1', 'pbkdf2:sha256:50000$c$3', 3, '2019-03-02 09:00:00', 1, 1, 0)",
        "INSERT INTO masters (id, fio, system_user_id) VALUES (1, 'Мастер', 1)",
        "INSERT INTO teachers (id, fio, system_user_id, phone) VALUES (1, 'Учитель', 2, 'n/a')",
        "INSERT INTO schools (id, name) VALUES (1, 'Школа №1')",
        "INSERT INTO citizenships (id, name) VALUES (1, 'Россия')",
        "INSERT INTO students (id, fio, birth_date, birth_place, registration_place, actual_address, \
         additional_info, known_from, school_id, citizenship_id, system_user_id, phone, filled) \
         VALUES (1, 'Ученик', '2002-08-31', 'не указано', 'не указано', 'не указано', NULL, NULL, 1, 1, 3, NULL, 0)",
        "INSERT INTO parents (id, fio, phone, email, notification_types) VALUES (1, 'Мама', '+7 900', NULL, 3)",
        "INSERT INTO parent_of_students (student_id, parent_id, is_mother) VALUES (1, 1, 1)",
        "INSERT INTO sections (id, name, price) VALUES (1, 'Робототехника', 1500)",
        "INSERT INTO `groups` (id, name, section_id, teacher_id, start_month, end_month) VALUES (1, 'Р-1', 1, 1, 24, 32)",
        "INSERT INTO student_in_groups (id, student_id, group_id, discount, enter_month, exit_month) \
         VALUES (1, 1, 1, 100, 24, 32)",
        "INSERT INTO payments (student_in_group_id, month, value, cash, confirmed) VALUES (1, 25, 1400, 1, 0)",
        "INSERT INTO lessons (id, date, teacher_id, group_id) VALUES (1, '2019-02-04', 1, 1)",
        "INSERT INTO attendings (lesson_id, student_id, state) VALUES (1, 1, 2)",
        "INSERT INTO schedule_times (id, time) VALUES (1, '15:30'), (2, NULL)",
        "INSERT INTO schedule_groups (schedule_time_id, day_of_week, group_id) VALUES (1, 0, 1), (2, 6, NULL)",
        "INSERT INTO notifications (sender_id, receiver_type, receiver_id, subject, body, send_time, receivers) \
         VALUES (1, 1, 1, 'Тема', 'Текст', '2019-03-01 10:00:00', 'a@b.c\nvk.com/x')",
        "INSERT INTO message_details (id, body, send_time, unread) VALUES (1, 'Привет', '2019-03-04 11:00:00', 1)",
        "INSERT INTO messages (owner_id, receiver_id, message_details_id, forward) VALUES (1, 2, 1, 1), (2, 1, 1, 0)",
        // A strict server refuses the zero date; the original's live database holds it anyway.
        "SET SESSION sql_mode = ''",
        "INSERT INTO access_tokens (system_user_id, expires, token_hash, device, last_use, app_version) \
         VALUES (2, '2019-04-01 00:00:00', 'b''0123abcd''', '', '0000-00-00 00:00:00', '')",
    ] {
        conn.query_drop(sql)
            .unwrap_or_else(|e| panic!("{e}\n{sql}"));
    }
}

#[test]
fn fresh_database_gets_the_original_schema_and_ours() {
    let reference = TestDb::empty();
    reference.load_original_schema();
    let expected = schema(&mut reference.conn());

    let db = TestDb::empty();
    db.crmit_ok(&["migrate"]);
    let mut conn = db.conn();
    let mut actual = schema(&mut conn);

    for (table, _, key) in ADDED_KEYS {
        let ddl = actual.get_mut(*table).expect("table created");
        assert!(ddl.contains(key), "index {key} missing:\n{ddl}");
        *ddl = ddl.replace(key, "");
    }
    assert_eq!(
        expected.len(),
        27,
        "original_schema.sql has 26 tables + alembic_version"
    );
    for (table, ddl) in &expected {
        assert_eq!(
            actual.get(table),
            Some(ddl),
            "SHOW CREATE TABLE {table} differs from original_schema.sql"
        );
    }
    for table in OUR_TABLES {
        assert!(actual.contains_key(*table), "{table} missing");
    }
    assert_eq!(
        actual.len(),
        expected.len() + OUR_TABLES.len(),
        "unexpected tables: {:?}",
        actual.keys()
    );
    assert!(actual["page_visits"].contains("UNIQUE KEY `ix_page_visits_page_name` (`page_name`)"));
    assert!(actual["login_throttle"].contains("UNIQUE KEY `scope_subject` (`scope`,`subject`)"));

    let versions: Vec<String> = conn
        .query("SELECT version_num FROM alembic_version")
        .unwrap();
    assert_eq!(versions, ["2c04d7e752c7"]);
    let ids: Vec<String> = recorded(&mut conn)
        .into_iter()
        .map(|(id, _, _)| id)
        .collect();
    assert_eq!(ids, IDS);
}

#[test]
fn live_original_database_is_adopted_without_changing_a_row() {
    let db = TestDb::empty();
    db.load_original_schema();
    insert_original_rows(&db);
    let mut conn = db.conn();
    let rows_before = contents(&mut conn);
    let schema_before = schema(&mut conn);
    assert!(rows_before["access_tokens"].len() == 1 && rows_before["messages"].len() == 2);

    db.crmit_ok(&["migrate"]);

    let rows_after = contents(&mut conn);
    for (table, rows) in &rows_before {
        assert_eq!(&rows_after[table], rows, "rows of {table} changed");
    }
    let zero: Option<String> = conn
        .query_first("SELECT CAST(last_use AS CHAR) FROM access_tokens WHERE id = 1")
        .unwrap();
    assert_eq!(zero.as_deref(), Some("0000-00-00 00:00:00"));

    let recorded = recorded(&mut conn);
    let ids: Vec<&str> = recorded.iter().map(|(id, _, _)| id.as_str()).collect();
    assert_eq!(ids, IDS);
    assert!(
        recorded[0].1.contains("принята") && recorded[0].1.contains("2c04d7e752c7"),
        "{:?}",
        recorded[0]
    );
    // Our tables start empty, but for the record of the migrations and the six rows of
    // `debts_cache` (the marks, the debts, the unconfirmed sums, the lessons held, the month's
    // money, the money received by month), which hold nothing yet.
    for table in OUR_TABLES {
        assert_eq!(
            rows_after[*table].is_empty(),
            !["crmit_migrations", "debts_cache"].contains(table),
            "{table}"
        );
    }
    let kept: Vec<(u8, i64, i32, Vec<u8>)> = conn
        .query("SELECT id, version, month, body FROM debts_cache ORDER BY id")
        .unwrap();
    let empty = |id| (id, 0, -1, Vec::new());
    assert_eq!(
        kept,
        [empty(0), empty(1), empty(2), empty(3), empty(4), empty(5)]
    );

    // The original tables kept their definitions, and the result is the same schema a fresh
    // database gets: the adopted database is indistinguishable from a new one.
    let schema_after = schema(&mut conn);
    for (table, ddl) in &schema_before {
        let ddl = match ADDED_KEYS.iter().find(|(t, _, _)| t == table) {
            Some((_, after, key)) => ddl.replace(after, &format!("{after}{key}")),
            None => ddl.clone(),
        };
        assert_eq!(schema_after[table], ddl, "definition of {table} changed");
    }
    let fresh = TestDb::migrated();
    assert_eq!(schema_after, schema(&mut fresh.conn()));
}

#[test]
fn second_run_changes_nothing() {
    let db = TestDb::migrated();
    let mut conn = db.conn();
    let schema_before = schema(&mut conn);
    let recorded_before = recorded(&mut conn);
    // applied_at has one-second resolution: make a re-applied migration visible.
    std::thread::sleep(std::time::Duration::from_millis(1100));

    db.crmit_ok(&["migrate"]);

    assert_eq!(schema(&mut conn), schema_before);
    assert_eq!(recorded(&mut conn), recorded_before);
    let versions: Vec<String> = conn
        .query("SELECT version_num FROM alembic_version")
        .unwrap();
    assert_eq!(versions, ["2c04d7e752c7"]);
}

#[test]
fn interrupted_runs_are_finished_by_the_next_one() {
    let db = TestDb::migrated();
    let mut conn = db.conn();
    let schema_before = schema(&mut conn);

    // Statements of 0003–0009 ran but were not recorded: they must be tolerated, not fail.
    conn.query_drop("DELETE FROM crmit_migrations WHERE id IN ('0003_access_token_hash_index', '0004_login_throttle', '0005_payments_unconfirmed_index', '0006_students_list_index', '0007_unread_messages_index', '0008_lessons_teacher_date_index',
         '0009_parents_list_index')")
        .unwrap();
    db.crmit_ok(&["migrate"]);
    assert_eq!(recorded(&mut conn).len(), IDS.len());
    assert_eq!(schema(&mut conn), schema_before);

    // A first run that stopped inside the baseline: crmit_migrations exists, nothing is recorded.
    conn.query_drop("DELETE FROM crmit_migrations").unwrap();
    conn.query_drop("DROP TABLE messages, message_details")
        .unwrap();
    db.crmit_ok(&["migrate"]);
    assert_eq!(recorded(&mut conn).len(), IDS.len());
    assert_eq!(schema(&mut conn), schema_before);
    assert_eq!(db.count("alembic_version"), 1);
}

/// Runs `migrate` expecting a refusal; returns the reason printed.
fn refused(db: &TestDb) -> String {
    let out = db.crmit(&["migrate"]);
    let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
    assert!(
        !out.status.success(),
        "migrate should have refused: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(
        stderr.lines().count(),
        1,
        "expected a one-line reason, got:\n{stderr}"
    );
    stderr
}

#[test]
fn other_alembic_revision_is_refused_and_nothing_is_created() {
    let db = TestDb::empty();
    db.load_original_schema();
    let mut conn = db.conn();
    conn.query_drop("UPDATE alembic_version SET version_num = '5b623504e9ee'")
        .unwrap();
    let schema_before = schema(&mut conn);

    let reason = refused(&db);
    assert!(
        reason.contains("5b623504e9ee") && reason.contains("2c04d7e752c7"),
        "{reason}"
    );
    assert_eq!(schema(&mut conn), schema_before);

    conn.query_drop("DELETE FROM alembic_version").unwrap();
    let reason = refused(&db);
    assert!(
        reason.contains("alembic_version") && reason.contains("2c04d7e752c7"),
        "{reason}"
    );
    assert_eq!(schema(&mut conn), schema_before);
}

#[test]
fn foreign_database_is_refused() {
    let db = TestDb::empty();
    let mut conn = db.conn();
    conn.query_drop("CREATE TABLE wordpress_posts (id int PRIMARY KEY)")
        .unwrap();
    let reason = refused(&db);
    assert!(reason.contains("wordpress_posts"), "{reason}");
    assert_eq!(tables(&mut conn), ["wordpress_posts"]);

    // The right Alembic revision but not crmit's tables.
    conn.query_drop("CREATE TABLE alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY)")
        .unwrap();
    conn.query_drop("INSERT INTO alembic_version VALUES ('2c04d7e752c7')")
        .unwrap();
    let reason = refused(&db);
    assert!(reason.contains("system_users"), "{reason}");
    assert_eq!(tables(&mut conn), ["alembic_version", "wordpress_posts"]);
}

#[test]
fn database_newer_than_the_binary_is_refused() {
    let db = TestDb::migrated();
    let mut conn = db.conn();
    conn.query_drop("INSERT INTO crmit_migrations VALUES ('9999_future', 'from a newer crmit', UTC_TIMESTAMP())")
        .unwrap();
    let reason = refused(&db);
    assert!(reason.contains("9999_future"), "{reason}");
}

#[test]
fn status_lists_pending_then_applied() {
    let db = TestDb::empty();
    let before = db.crmit_ok(&["migrate", "--status"]);
    for id in IDS {
        let line = before
            .lines()
            .find(|l| l.contains(id))
            .unwrap_or_else(|| panic!("{id} not listed:\n{before}"));
        assert!(line.contains("pending"), "{line}");
    }
    assert!(
        tables(&mut db.conn()).is_empty(),
        "--status must not create anything"
    );

    db.crmit_ok(&["migrate"]);
    let after = db.crmit_ok(&["migrate", "--status"]);
    for id in IDS {
        let line = after
            .lines()
            .find(|l| l.contains(id))
            .unwrap_or_else(|| panic!("{id} not listed:\n{after}"));
        assert!(line.contains("applied"), "{line}");
    }
}
