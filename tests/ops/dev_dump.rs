//! The dump (the original's JSON document) through the real binary: the web
//! `/dump` document, and `crmit dump` writing the same document to disk with rotation.

use crate::common;

use crate::common::db::{exec, query_one};
use crate::common::fixture::{add_attending, add_lesson};
use common::{TestDb, WebClient};
use mysql::prelude::Queryable;
use serde_json::Value;
use std::path::Path;

/// Adds lessons (inserted out of date order) with attendance in every state to робо-71.
fn add_lessons(db: &TestDb) -> (u32, u32) {
    let (group, teacher, student): (u32, u32, u32) = query_one(
        db,
        "SELECT g.id, g.teacher_id, s.id FROM `groups` g, students s WHERE g.name = 'робо-71'",
        (),
    );
    let later = add_lesson(db, group, teacher, "2017-10-12");
    let earlier = add_lesson(db, group, teacher, "2017-10-05");
    for (lesson, state) in [(earlier, 1), (later, 2)] {
        add_attending(db, lesson, student, state);
    }
    exec(
        db,
        "INSERT INTO payments (student_in_group_id, month, value, cash, confirmed, comment)
         SELECT id, 8, 0, 0, 1, 'ok \"да\"' FROM student_in_groups",
        (),
    );
    (earlier, later)
}

fn without_created_at(mut doc: Value) -> Value {
    doc.as_object_mut().unwrap().remove("created_at");
    doc
}

#[test]
fn web_dump_is_the_originals_document() {
    let db = TestDb::seeded();
    let (earlier, later) = add_lessons(&db);
    let resp = WebClient::login(&db, "ma1", "12").get("/dump");
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(resp.header("content-type"), Some("application/json"));
    let body = resp.text();
    assert!(body.ends_with("}\n") && !body.ends_with("\n\n"));
    assert!(!body.contains("\\u04"), "Cyrillic must be raw UTF-8");
    let doc: Value = serde_json::from_str(&body).unwrap();
    // serde_json's map is sorted and prints compactly: the same text again proves sorted keys at
    // every level and no spaces.
    assert_eq!(format!("{doc}\n"), body);

    let created = doc["created_at"].as_str().unwrap();
    assert!(
        chrono::NaiveDateTime::parse_from_str(created, "%a, %d %b %Y %H:%M:%S GMT").is_ok(),
        "{created}"
    );
    let sections = doc["sections"].as_array().unwrap();
    let names: Vec<&str> = sections
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["робо", "веб"]);
    let group = &sections[0]["groups"][0];
    assert_eq!(group["name"], "робо-71");
    assert_eq!(group["teacher_fio"], "Учитель Петр Петрович");
    let student = &group["students"][0];
    assert_eq!(student["fio"], "Ученик Алексей Алексеевич");
    assert_eq!(student["discount"], 100);
    let payments = student["payments"].as_array().unwrap();
    assert_eq!(payments.len(), 2);
    // Month numbers count from January 2017: 8 is September, 9 October.
    assert_eq!(payments[0]["month"], "сентябрь 2017");
    assert_eq!(payments[0]["comment"], "ok \"да\"");
    assert_eq!(payments[0]["cash"], false);
    assert_eq!(payments[0]["confirmed"], true);
    assert_eq!(payments[1]["month"], "октябрь 2017");
    assert_eq!(payments[1]["value"], 400);
    assert_eq!(payments[1]["comment"], "comment");
    let lessons = group["lessons"].as_array().unwrap();
    assert_eq!(lessons[0]["id"], earlier);
    assert_eq!(lessons[0]["date"], "2017-10-05");
    assert_eq!(
        lessons[0]["attendings"],
        serde_json::json!([{"state": "был", "student_fio": "Ученик Алексей Алексеевич"}])
    );
    assert_eq!(lessons[1]["id"], later);
    assert_eq!(lessons[1]["attendings"][0]["state"], "болел");
    // веб-61 has neither students nor lessons.
    assert_eq!(sections[1]["groups"][0]["students"], serde_json::json!([]));
    assert_eq!(sections[1]["groups"][0]["lessons"], serde_json::json!([]));

    // Developers may save it too.
    assert_eq!(WebClient::login(&db, "dev1", "12").get("/dump").status, 200);
}

fn dump_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn cli_dump_writes_the_web_document_and_keeps_the_newest() {
    let db = TestDb::seeded();
    add_lessons(&db);
    db.append_config("[dump]\ndir = \"saved/dumps\"\nkeep = 2");
    let dir = db.dir.path().join("saved/dumps");
    std::fs::create_dir_all(&dir).unwrap();
    for old in ["2000-01-01 00:00:00.json", "2000-01-02 00:00:00.json"] {
        std::fs::write(dir.join(old), "{}\n").unwrap();
    }
    std::fs::write(dir.join("notes.txt"), "not a dump").unwrap();

    let out = db.crmit_ok(&["dump"]);
    assert!(out.contains("дамп записан"), "{out}");
    let files = dump_files(&dir);
    assert_eq!(files.len(), 3, "{files:?}");
    assert_eq!(files[0], "2000-01-02 00:00:00.json");
    assert_eq!(files[2], "notes.txt");
    let written = &files[1];
    let stem = written.strip_suffix(".json").unwrap();
    assert!(
        chrono::NaiveDateTime::parse_from_str(stem, "%Y-%m-%d %H:%M:%S").is_ok(),
        "{written}"
    );

    let saved = std::fs::read_to_string(dir.join(written)).unwrap();
    assert!(saved.ends_with("}\n"));
    let web = WebClient::login(&db, "ma1", "12").get("/dump").text();
    let saved: Value = serde_json::from_str(&saved).unwrap();
    let web: Value = serde_json::from_str(&web).unwrap();
    assert!(saved["created_at"].as_str().unwrap().ends_with(" GMT"));
    assert_eq!(without_created_at(saved), without_created_at(web));

    // One second later the oldest of the two is replaced.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    db.crmit_ok(&["dump"]);
    let files = dump_files(&dir);
    assert_eq!(files.len(), 3, "{files:?}");
    assert_eq!(&files[0], written);
    assert!(files[1] > *written);
}

#[test]
fn cli_dump_failure_is_one_line_and_non_zero() {
    let db = TestDb::seeded();
    std::fs::write(db.dir.path().join("blocker"), "a file, not a directory").unwrap();
    db.append_config("[dump]\ndir = \"blocker/dumps\"");
    let out = db.crmit(&["dump"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("crmit: не удалось создать каталог"),
        "{stderr}"
    );
    assert!(!db.dir.path().join("blocker/dumps").exists());
}

#[test]
fn bad_stored_values_stay_visible_instead_of_failing() {
    // The original answered 500 for an attendance state outside 0..=2; a backup should not.
    let db = TestDb::seeded();
    let (earlier, _) = add_lessons(&db);
    let mut c = db.conn();
    c.exec_drop(
        "UPDATE attendings SET state = 7 WHERE lesson_id = ?",
        (earlier,),
    )
    .unwrap();
    c.query_drop("UPDATE payments SET month = -5 WHERE value = 0")
        .unwrap();
    c.query_drop("SET SESSION sql_mode = ''").unwrap();
    c.query_drop("UPDATE lessons SET date = '0000-00-00' WHERE id <> 0 ORDER BY id LIMIT 1")
        .unwrap();

    let resp = WebClient::login(&db, "ma1", "12").get("/dump");
    assert_eq!(resp.status, 200, "{}", resp.text());
    let doc: Value = serde_json::from_str(&resp.text()).unwrap();
    let group = &doc["sections"][0]["groups"][0];
    let states: Vec<&str> = group["lessons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["attendings"][0]["state"].as_str().unwrap())
        .collect();
    assert!(states.contains(&"неизвестный статус 7"), "{states:?}");
    assert_eq!(group["lessons"][0]["date"], "0000-00-00");
    assert_eq!(group["students"][0]["payments"][0]["month"], "август 2016");

    let out = db.crmit(&["check-integrity"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(
        printed.contains("неизвестный статус посещения id="),
        "{printed}"
    );
    assert!(
        printed.contains("(робо-71 / 00.00.0000) выходит за рамки"),
        "{printed}"
    );
    assert!(
        printed.contains("/ август 2016) выходит за рамки нахождения"),
        "{printed}"
    );
}
