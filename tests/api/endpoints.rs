//! REST API v1.1.0 endpoints (src/api/README.md §10) through the CGI binary: lists with search and
//! paging, details and masking, auto-created attendings and payments, the write endpoints'
//! rules, cabinet, schedule, developer overviews, and a replay of the Android app's calls.

use crate::common;

use crate::common::api::*;
use crate::common::db::*;
use crate::common::fixture::*;
use common::{CgiRequest, TestDb};
use serde_json::{Value, json};

const SYSTEM_USER: &[&str] = &[
    "accountType",
    "enabled",
    "id",
    "lastSeen",
    "lastSeenWhere",
    "login",
    "systemRoleName",
];
const GROUP_BRIEF: &[&str] = &[
    "endMonth",
    "id",
    "name",
    "startMonth",
    "sumNotConfirmed",
    "teacherFio",
    "teacherId",
];
const TEACHER: &[&str] = &[
    "fio",
    "groups",
    "id",
    "lessonsDoneCount",
    "phone",
    "systemUser",
];
const PERSON: &[&str] = &["fio", "id", "systemUser"];
const SECTION: &[&str] = &["groups", "id", "name", "price"];
const STUDENT_BRIEF: &[&str] = &[
    "contactPhoneNumber",
    "contactPhoneWho",
    "filled",
    "fio",
    "grade",
    "groups",
    "id",
    "lessonsAttendedCount",
    "schoolName",
    "shift",
    "systemUser",
];
const LESSON: &[&str] = &[
    "anotherTeacherFio",
    "date",
    "groupId",
    "groupName",
    "id",
    "teacherId",
];
const ATTENDING: &[&str] = &["id", "lessonId", "state", "studentFio", "studentId"];
const PAYMENT: &[&str] = &[
    "cash",
    "comment",
    "confirmed",
    "groupId",
    "groupName",
    "id",
    "monthNumber",
    "needToPay",
    "studentFio",
    "studentId",
    "studentInGroupId",
    "value",
];

/// The object's keys, in the order emitted (sorted).
fn keys(v: &Value) -> Vec<&str> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect()
}

fn fios(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|x| x["fio"].as_str().unwrap())
        .collect()
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

fn is_minute(s: &str) -> bool {
    s.len() == 16 && is_date(&s[..10]) && &s[10..11] == " " && &s[13..14] == ":"
}

fn check_system_user(v: &Value) {
    assert_eq!(keys(v), SYSTEM_USER);
    assert!(is_minute(v["lastSeen"].as_str().unwrap()), "{v}");
    assert!(v["enabled"].is_boolean());
}

#[test]
fn paging_and_search() {
    let db = TestDb::seeded();
    for (login, fio) in [("tb", "Bbb"), ("ta", "Aaa"), ("tc", "Ccc")] {
        add_person(
            &db,
            login,
            "преподаватель",
            "INSERT INTO teachers (fio, system_user_id, phone) VALUES (?, ?, '1')",
            fio,
        );
    }
    let t = valid_token(&db, "ma1");
    let list = |q: &str| ok_json(&get(&db, &format!("/teachers_list{q}"), &t));
    let all = ["Aaa", "Bbb", "Ccc", "Учитель Петр Петрович"];
    assert_eq!(fios(&list("")), all);
    assert_eq!(fios(&list("?offset=1&count=1")), ["Bbb"]);
    assert_eq!(fios(&list("?count=0")), Vec::<&str>::new());
    assert_eq!(fios(&list("?offset=abc&count=xyz")), all);
    assert_eq!(fios(&list("?offset=3")), ["Учитель Петр Петрович"]);
    assert_eq!(fios(&list("?offset=10&count=100")), Vec::<&str>::new());
    assert_eq!(fios(&list("?offset=+1&count=1_0")), &all[1..]);
    assert_eq!(
        fios(&list("?count=2&count=1")),
        &all[..2],
        "first value wins"
    );
    assert_eq!(fios(&list("?search=&offset=0&count=100")), all);
    // Cyrillic, case-insensitive, percent-encoded or raw.
    let petr = ["Учитель Петр Петрович"];
    assert_eq!(fios(&list("?search=%D0%9F%D0%95%D0%A2%D0%A0")), petr);
    assert_eq!(fios(&list("?search=петр")), petr);
    assert_eq!(fios(&list("?search=b+b")), Vec::<&str>::new());
    // `%` and `_` are wildcards, as in the original.
    assert_eq!(fios(&list("?search=%25")), all);
    assert_eq!(fios(&list("?search=_")), all);
    assert_eq!(fios(&list("?search=A_a")), ["Aaa"]);
    // Negative numbers are malformed input.
    assert_plain(&get(&db, "/teachers_list?count=-1", &t), 400, "bad request");
    assert_plain(
        &get(&db, "/teachers_list?offset=-1", &t),
        400,
        "bad request",
    );

    let teachers = list("");
    for teacher in teachers.as_array().unwrap() {
        assert_eq!(keys(teacher), TEACHER);
        check_system_user(&teacher["systemUser"]);
    }
    let te1 = &teachers[3];
    assert_eq!(te1["groups"].as_array().unwrap().len(), 2);
    assert_eq!(keys(&te1["groups"][0]), GROUP_BRIEF);
    assert_eq!(te1["phone"], "89012223344");
    assert_eq!(te1["systemUser"]["accountType"], "TEACHER");
    assert_eq!(te1["systemUser"]["systemRoleName"], "преподаватель");

    let sections = ok_json(&get(&db, "/sections_list?search=%D0%B2", &t));
    assert_eq!(sections.as_array().unwrap().len(), 1);
    assert_eq!(keys(&sections[0]), SECTION);
    assert_eq!(
        (sections[0]["name"].as_str(), sections[0]["price"].as_i64()),
        (Some("веб"), Some(900))
    );
    assert_eq!(sections[0]["groups"][0]["name"], "веб-61");
    let masters = ok_json(&get(&db, "/masters_list", &t));
    assert_eq!(keys(&masters[0]), PERSON);
    assert_eq!(masters[0]["systemUser"]["accountType"], "MASTER");
    let groups = ok_json(&get(
        &db,
        "/groups_list?search=%D1%80%D0%BE%D0%B1&count=5",
        &t,
    ));
    assert_eq!(groups.as_array().unwrap().len(), 1);
    assert_eq!(groups[0]["sumNotConfirmed"], 400);
}

#[test]
fn students_order_contacts_and_details() {
    let db = TestDb::seeded();
    add_student_row(
        &db,
        "sx",
        "Аааа",
        None,
        StudentRow {
            filled: true,
            contact_phone: 2,
            phone: Some("1"),
            grade: "5",
            shift: "2",
            ..StudentRow::default()
        },
    );
    add_student_row(
        &db,
        "sy",
        "Яяяя",
        None,
        StudentRow {
            filled: false,
            contact_phone: 1,
            phone: None,
            grade: "5",
            shift: "2",
            ..StudentRow::default()
        },
    );
    let web = group_id(&db, "веб-61");
    let st1: u32 = query_one(
        &db,
        "SELECT id FROM students WHERE fio = ?",
        ("Ученик Алексей Алексеевич",),
    );
    add_member(&db, st1, web, 0, 8, 9);
    let t = valid_token(&db, "te1");
    let list = ok_json(&get(&db, "/students_list?offset=0&count=100&search=", &t));
    assert_eq!(fios(&list), ["Яяяя", "Аааа", "Ученик Алексей Алексеевич"]);
    for s in list.as_array().unwrap() {
        assert_eq!(keys(s), STUDENT_BRIEF);
        check_system_user(&s["systemUser"]);
    }
    assert_eq!(list[0]["contactPhoneNumber"], Value::Null);
    assert_eq!(list[0]["contactPhoneWho"], "ученик");
    assert_eq!(list[0]["filled"], false);
    // Mother chosen but missing: "" (the original crashed with a 500).
    assert_eq!(list[1]["contactPhoneNumber"], "");
    assert_eq!(list[1]["contactPhoneWho"], "мать");
    let st1 = &list[2];
    assert_eq!(st1["contactPhoneNumber"], "89023334455");
    assert_eq!(st1["schoolName"], "школа №42");
    let names: Vec<&str> = st1["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["веб-61", "робо-71"],
        "each student's own groups, sorted"
    );
    assert_eq!(list[0]["groups"], json!([]));
    assert_eq!(list[1]["groups"], json!([]));
    assert_eq!(st1["systemUser"]["accountType"], "STUDENT");

    // Full details with parents.
    let id = st1["id"].as_u64().unwrap();
    let mother = add_parent_row(
        &db,
        "Мама",
        ParentRow {
            phone: "8911",
            email: Some("m@x.ru"),
            notification_types: 5,
            ..ParentRow::default()
        },
    );
    add_child(&db, id as u32, mother, true);
    exec(
        &db,
        "UPDATE students SET contact_phone = 2 WHERE id = ?",
        (id,),
    );
    let full = ok_json(&get(&db, &format!("/student_details/{id}"), &t));
    assert_eq!(
        keys(&full),
        [
            "actualAddress",
            "additionalInfo",
            "birthDate",
            "birthPlace",
            "citizenshipName",
            "contactPhoneNumber",
            "contactPhoneWho",
            "father",
            "filled",
            "fio",
            "grade",
            "groups",
            "id",
            "knownFrom",
            "lessonsAttendedCount",
            "mother",
            "phone",
            "registrationPlace",
            "school",
            "shift",
            "systemUser"
        ]
    );
    assert_eq!(full["birthDate"], "2002-08-31");
    assert_eq!(full["contactPhoneNumber"], "8911");
    assert_eq!(full["father"], Value::Null);
    assert_eq!(
        full["mother"],
        json!({"address": null, "email": "m@x.ru", "fio": "Мама", "homePhone": null,
               "id": full["mother"]["id"], "notificationTypesString": ["email", "sms"],
               "phone": "8911", "vkLink": null})
    );
    assert_eq!(keys(&full["school"]), ["id", "name"]);
    assert_eq!(full["citizenshipName"], "Россия");
    assert_plain(&get(&db, "/student_details/999999", &t), 404, "not found");
}

#[test]
fn group_sorting_and_masking() {
    let db = TestDb::seeded();
    let t2 = add_second_teacher(&db);
    let (g1, g2) = (group_id(&db, "робо-71"), group_id(&db, "веб-61"));
    let te2 = valid_token(&db, "te2");
    let names = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|g| g["name"].as_str().unwrap().to_string())
            .collect()
    };
    exec(
        &db,
        "UPDATE `groups` SET start_month = 9 WHERE id = ?",
        (g1,),
    );
    assert_eq!(
        names(&ok_json(&get(&db, "/groups_list", &te2))),
        ["веб-61", "робо-71"]
    );
    let ma = valid_token(&db, "ma1");
    assert_eq!(
        names(&ok_json(&get(&db, "/groups_list", &ma))),
        ["робо-71", "веб-61"]
    );
    exec(
        &db,
        "UPDATE `groups` SET start_month = 8 WHERE id = ?",
        (g1,),
    );
    assert_eq!(
        names(&ok_json(&get(&db, "/groups_list", &ma))),
        ["веб-61", "робо-71"]
    );

    let foreign = ok_json(&get(&db, &format!("/group_details/{g1}"), &te2));
    assert_eq!(foreign["sumNotConfirmed"], -1);
    let own = ok_json(&get(&db, &format!("/group_details/{g2}"), &te2));
    assert_eq!(own["teacherId"], t2);
    assert_eq!(own["sumNotConfirmed"], 0);
    let te1 = valid_token(&db, "te1");
    let g = ok_json(&get(&db, &format!("/group_details/{g1}"), &te1));
    assert_eq!(
        keys(&g),
        [
            "endMonth",
            "id",
            "lessonsDoneCount",
            "name",
            "schedule",
            "sectionId",
            "sectionName",
            "startMonth",
            "studentsCount",
            "sumNotConfirmed",
            "teacherFio",
            "teacherId"
        ]
    );
    assert_eq!(g["sumNotConfirmed"], 400);
    assert_eq!(
        (g["sectionName"].as_str(), g["studentsCount"].as_u64()),
        (Some("робо"), Some(1))
    );
    assert_eq!(g["schedule"], json!([]));

    let sig = ok_json(&get(&db, &format!("/students_in_group/{g1}"), &te2));
    assert_eq!(sig[0]["discount"], -1);
    let sig = ok_json(&get(&db, &format!("/students_in_group/{g1}"), &te1));
    assert_eq!(
        keys(&sig[0]),
        [
            "discount",
            "enterMonth",
            "exitMonth",
            "groupId",
            "id",
            "lessonsAttendedCount",
            "studentFio",
            "studentId",
            "systemUserEnabled"
        ]
    );
    assert_eq!(sig[0]["discount"], 100);
    assert_eq!(
        (sig[0]["enterMonth"].as_i64(), sig[0]["exitMonth"].as_i64()),
        (Some(8), Some(16))
    );
    assert_eq!(sig[0]["systemUserEnabled"], true);
    assert_plain(
        &get(&db, "/students_in_group/999999", &te1),
        404,
        "not found",
    );
    assert_plain(
        &get(&db, "/lessons_in_group/999999", &te1),
        404,
        "not found",
    );

    // Lessons of a group, by date; a substitute teacher is named.
    add_lesson(&db, g1, t2, "2017-10-12");
    let t1 = teacher_id(&db, "te1");
    add_lesson(&db, g1, t1, "2017-10-05");
    let lessons = ok_json(&get(&db, &format!("/lessons_in_group/{g1}"), &te2));
    assert_eq!(keys(&lessons[0]), LESSON);
    assert_eq!(lessons[0]["date"], "2017-10-05");
    assert_eq!(lessons[0]["anotherTeacherFio"], Value::Null);
    assert_eq!(lessons[1]["anotherTeacherFio"], "Учитель Второй");
    assert_eq!(lessons[1]["teacherId"], t2);
    assert_eq!(lessons[1]["groupName"], "робо-71");
}

#[test]
fn lesson_details_creates_attendings() {
    let db = TestDb::seeded();
    let g1 = group_id(&db, "робо-71");
    let t1 = teacher_id(&db, "te1");
    let s2 = add_student_row(
        &db,
        "s2",
        "Второй Ученик",
        None,
        StudentRow {
            filled: true,
            contact_phone: 1,
            phone: Some("5"),
            grade: "5",
            shift: "2",
            ..StudentRow::default()
        },
    );
    add_member(&db, s2, g1, 0, 12, 16);
    let lesson = add_lesson(&db, g1, t1, "2017-10-05");
    let te1 = valid_token(&db, "te1");
    let v = ok_json(&get(&db, &format!("/lesson_details/{lesson}"), &te1));
    assert_eq!(keys(&v), ["attendings", "group", "lesson", "teacher"]);
    assert_eq!(v["attendings"].as_array().unwrap().len(), 1);
    assert_eq!(keys(&v["attendings"][0]), ATTENDING);
    assert_eq!(v["attendings"][0]["state"], 0);
    assert_eq!(
        v["attendings"][0]["studentFio"],
        "Ученик Алексей Алексеевич"
    );
    assert_eq!(v["lesson"]["id"], lesson);
    assert_eq!(keys(&v["teacher"]), TEACHER);
    assert_eq!(v["teacher"]["lessonsDoneCount"], 1);
    assert_eq!(keys(&v["group"]), GROUP_BRIEF);
    ok_json(&get(&db, &format!("/lesson_details/{lesson}"), &te1));
    assert_eq!(db.count("attendings"), 1);
    // In December both students belong; a developer's call still writes (explicit commit).
    let december = add_lesson(&db, g1, t1, "2018-01-10");
    let dev = valid_token(&db, "dev1");
    let v = ok_json(&get(&db, &format!("/lesson_details/{december}"), &dev));
    let names: Vec<&str> = v["attendings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["studentFio"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Второй Ученик", "Ученик Алексей Алексеевич"]);
    assert_eq!(db.count("attendings"), 3);
    // The group is the same whether its own teacher or another held the lesson.
    let own_group = v["group"].clone();
    assert_eq!(own_group["id"], g1);
    let t2 = add_second_teacher(&db);
    let substitute = add_lesson(&db, g1, t2, "2018-01-17");
    let v = ok_json(&get(&db, &format!("/lesson_details/{substitute}"), &dev));
    assert_eq!(v["group"], own_group);
    assert_eq!(v["lesson"]["anotherTeacherFio"], "Учитель Второй");
    assert_eq!(v["teacher"]["id"], t2);
    assert_eq!(v["attendings"].as_array().unwrap().len(), 2);
    assert_plain(&get(&db, "/lesson_details/999999", &te1), 404, "not found");
}

#[test]
fn save_attending_state_rules() {
    let db = TestDb::seeded();
    add_second_teacher(&db);
    let g1 = group_id(&db, "робо-71");
    let lesson = add_lesson(&db, g1, teacher_id(&db, "te1"), "2017-10-05");
    let te1 = valid_token(&db, "te1");
    ok_json(&get(&db, &format!("/lesson_details/{lesson}"), &te1));
    let id: u32 = query_one(&db, "SELECT id FROM attendings", ());
    let state = || -> i32 { query_one(&db, "SELECT state FROM attendings", ()) };
    let save = |token: &str, body: Value| post(&db, "/save_attending_state", token, &body);
    assert_plain(
        &save(&te1, json!({"attendingId": id, "attendingState": 1})),
        200,
        "ok",
    );
    assert_eq!(state(), 1);
    assert_plain(
        &save(&te1, json!({"attendingId": id, "attendingState": 3})),
        400,
        "bad request",
    );
    assert_plain(
        &save(&te1, json!({"attendingState": 2})),
        400,
        "bad request",
    );
    assert_plain(
        &save(&te1, json!({"attendingId": id, "attendingState": 1.0})),
        400,
        "bad request",
    );
    assert_plain(
        &save(
            &te1,
            json!({"attendingId": id.to_string(), "attendingState": " 2 "}),
        ),
        200,
        "ok",
    );
    assert_eq!(state(), 2);
    assert_plain(
        &save(&te1, json!({"attendingId": 999999, "attendingState": 1})),
        404,
        "not found",
    );
    let te2 = valid_token(&db, "te2");
    assert_plain(
        &save(&te2, json!({"attendingId": id, "attendingState": 0})),
        403,
        "access denied",
    );
    let dev = valid_token(&db, "dev1");
    assert_plain(
        &save(&dev, json!({"attendingId": id, "attendingState": 0})),
        200,
        "ok",
    );
    assert_eq!(state(), 2, "a read-only developer's write is rolled back");
    let form = db.cgi(&CgiRequest::post_form(
        &with_token("/save_attending_state", &te1),
        &[("attendingId", &id.to_string()), ("attendingState", "0")],
    ));
    assert_plain(&form, 400, "bad request");
    assert_eq!(state(), 2);
}

#[test]
fn payments_are_created_and_saved() {
    let db = TestDb::seeded();
    add_second_teacher(&db);
    let g1 = group_id(&db, "робо-71");
    let te2 = valid_token(&db, "te2");
    assert_plain(
        &get(&db, &format!("/payments/{g1}"), &te2),
        403,
        "access denied",
    );
    assert_eq!(db.count("payments"), 1);
    let te1 = valid_token(&db, "te1");
    let v = ok_json(&get(&db, &format!("/payments/{g1}"), &te1));
    assert_eq!(keys(&v), ["group", "payments"]);
    assert_eq!(v["group"]["sumNotConfirmed"], 400);
    let payments = v["payments"].as_array().unwrap();
    assert_eq!(payments.len(), 9);
    assert_eq!(db.count("payments"), 9);
    let p1 = payments.iter().find(|p| p["monthNumber"] == 9).unwrap();
    assert_eq!(keys(p1), PAYMENT);
    assert_eq!(
        (p1["value"].as_i64(), p1["comment"].as_str()),
        (Some(400), Some("comment"))
    );
    assert_eq!(p1["needToPay"], 700);
    let other = payments.iter().find(|p| p["monthNumber"] == 10).unwrap();
    assert_eq!(
        (
            &other["value"],
            &other["cash"],
            &other["confirmed"],
            &other["comment"]
        ),
        (&json!(0), &json!(true), &json!(false), &json!(""))
    );
    ok_json(&get(&db, &format!("/payments/{g1}"), &te1));
    assert_eq!(db.count("payments"), 9);
    // A member of three of the group's months gets those three, and no other.
    let late = add_student_without_login(&db, "late1", "Поздний Пётр");
    let (start, end): (i32, i32) = query_one(
        &db,
        "SELECT start_month, end_month FROM `groups` WHERE id = ?",
        (g1,),
    );
    exec(
        &db,
        "INSERT INTO student_in_groups (student_id, group_id, discount, enter_month, exit_month)
         VALUES (?, ?, 0, ?, ?)",
        (late, g1, start + 2, start + 4),
    );
    let v = ok_json(&get(&db, &format!("/payments/{g1}"), &te1));
    let mut months: Vec<i64> = v["payments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["studentId"] == late)
        .map(|p| p["monthNumber"].as_i64().unwrap())
        .collect();
    months.sort_unstable();
    assert!(
        end > start + 4,
        "the seeded group spans more than five months"
    );
    assert_eq!(months, [start + 2, start + 3, start + 4].map(i64::from));
    assert_eq!(db.count("payments"), 12);
    assert_plain(&get(&db, "/payments/999999", &te1), 404, "not found");

    let p1 = payment_p1(&db);
    let row = || -> (i64, String, bool, bool) {
        query_one(
            &db,
            "SELECT value, comment, cash, confirmed FROM payments WHERE id = ?",
            (p1,),
        )
    };
    let save = |token: &str, body: Value| post(&db, "/save_payment", token, &body);
    let full = |value: Value, comment: Value, cash: Value, confirmed: Value| json!({"paymentId": p1, "value": value, "comment": comment, "cash": cash, "confirmed": confirmed});
    assert_plain(
        &save(
            &te1,
            full(json!(99999), json!("x"), json!("True"), json!(true)),
        ),
        200,
        "ok",
    );
    assert_eq!(
        row(),
        (700, "x".into(), true, false),
        "clamped; a teacher cannot confirm"
    );
    assert_plain(
        &save(
            &te1,
            full(
                json!(-5),
                json!("ж".repeat(40)),
                json!("true"),
                json!(false),
            ),
        ),
        200,
        "ok",
    );
    assert_eq!(row(), (0, "ж".repeat(32), false, false));
    assert_plain(
        &save(&te1, json!({"paymentId": p1, "value": "250"})),
        200,
        "ok",
    );
    assert_eq!(
        row(),
        (250, String::new(), false, false),
        "no partial update"
    );
    assert_plain(
        &save(&te1, full(json!(5), json!(7), json!(true), json!(false))),
        400,
        "bad request",
    );
    assert_plain(&save(&te1, json!({"paymentId": p1})), 400, "bad request");
    assert_plain(
        &save(&te1, json!({"paymentId": p1, "value": 5.0})),
        400,
        "bad request",
    );
    assert_plain(
        &save(&te1, json!({"paymentId": 999999, "value": 5})),
        404,
        "not found",
    );
    assert_plain(
        &save(&te1, json!({"paymentId": 999999})),
        400,
        "bad request",
    );
    assert_plain(
        &save(&te2, full(json!(1), json!(""), json!(true), json!(false))),
        403,
        "access denied",
    );

    let ma = valid_token(&db, "ma1");
    assert_plain(
        &save(&ma, full(json!(300), json!("ok"), json!(true), json!(true))),
        200,
        "ok",
    );
    assert_eq!(row(), (300, "ok".into(), true, true));
    assert_plain(
        &save(&te1, full(json!(1), json!(""), json!(true), json!(true))),
        403,
        "access denied",
    );
    let dev = valid_token(&db, "dev1");
    assert_plain(
        &save(
            &dev,
            full(json!(1), json!("dev"), json!(false), json!(false)),
        ),
        200,
        "ok",
    );
    assert_eq!(
        row(),
        (300, "ok".into(), true, true),
        "a developer's write is rolled back"
    );
    assert_plain(
        &save(
            &ma,
            full(json!(300), json!("ok"), json!(true), json!(false)),
        ),
        200,
        "ok",
    );
    assert!(!row().3, "a master can un-confirm");
}

#[test]
fn payments_for_developer_are_kept() {
    let db = TestDb::seeded();
    let g1 = group_id(&db, "робо-71");
    let dev = valid_token(&db, "dev1");
    ok_json(&get(&db, &format!("/payments/{g1}"), &dev));
    assert_eq!(db.count("payments"), 9);
}

#[test]
fn cabinet_info_lists_conducted_lessons() {
    let db = TestDb::seeded();
    let g1 = group_id(&db, "робо-71");
    let t1 = teacher_id(&db, "te1");
    let mut ids = Vec::new();
    for date in [
        "2018-01-01",
        "2018-01-03",
        "2018-01-02",
        "2018-01-05",
        "2018-01-04",
        "2099-01-01",
    ] {
        ids.push(add_lesson(&db, g1, t1, date));
    }
    let te1 = valid_token(&db, "te1");
    let body = json!({"device": "dev", "appVersion": "1.3.2", "lastLessonsCount": 3});
    let v = ok_json(&post(&db, "/cabinet_info", &te1, &body));
    assert_eq!(keys(&v), ["actualAppBuildCode", "fio", "lastLessons"]);
    assert_eq!(v["actualAppBuildCode"], 9);
    assert_eq!(v["fio"], "Учитель Петр Петрович");
    let dates: Vec<&str> = v["lastLessons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2018-01-05", "2018-01-04", "2018-01-03"]);
    assert_eq!(keys(&v["lastLessons"][0]), LESSON);
    let (device, version): (String, String) = mysql::prelude::Queryable::query_first(
        &mut db.conn(),
        "SELECT device, app_version FROM access_tokens",
    )
    .unwrap()
    .unwrap();
    assert_eq!((device.as_str(), version.as_str()), ("dev", "1.3.2"));
    let count = |body: Value| {
        ok_json(&post(&db, "/cabinet_info", &te1, &body))["lastLessons"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(count(json!({"device": "d", "appVersion": "1"})), 5);
    assert_eq!(
        count(json!({"device": "d", "appVersion": "1", "lastLessonsCount": "abc"})),
        5
    );
    assert_eq!(
        count(json!({"device": "d", "appVersion": "1", "lastLessonsCount": 0})),
        0
    );
    assert_plain(
        &post(&db, "/cabinet_info", &te1, &json!({"appVersion": "1"})),
        400,
        "bad request",
    );
    assert_plain(
        &post(
            &db,
            "/cabinet_info",
            &te1,
            &json!({"device": "d", "appVersion": "1", "lastLessonsCount": -1}),
        ),
        400,
        "bad request",
    );
    // Another teacher's substitution counts for the one who conducted it; masters see all.
    let ma = valid_token(&db, "ma1");
    let v = ok_json(&post(
        &db,
        "/cabinet_info",
        &ma,
        &json!({"device": "m", "appVersion": "1"}),
    ));
    assert_eq!(v["lastLessons"].as_array().unwrap().len(), 5);
    assert_eq!(v["fio"], "Руководитель Иван Иванович");
    // A developer's device is not stored.
    let dev = valid_token(&db, "dev1");
    ok_json(&post(
        &db,
        "/cabinet_info",
        &dev,
        &json!({"device": "zzz", "appVersion": "1"}),
    ));
    let stored: u64 = query_one(
        &db,
        "SELECT COUNT(*) FROM access_tokens WHERE device = 'zzz'",
        (),
    );
    assert_eq!(stored, 0);
}

#[test]
fn schedule_order_and_filter() {
    let db = TestDb::seeded();
    let t2 = add_second_teacher(&db);
    let (g1, g2) = (group_id(&db, "робо-71"), group_id(&db, "веб-61"));
    exec(
        &db,
        "INSERT INTO schedule_times (id, time) VALUES (101, '10:00'), (102, '9:00'), (103, NULL), (104, '08:00')",
        (),
    );
    exec(
        &db,
        "INSERT INTO schedule_groups (schedule_time_id, day_of_week, group_id) VALUES
         (102, 0, ?), (103, 0, ?), (104, 1, ?), (101, 0, ?), (101, 2, NULL), (103, 3, NULL)",
        (g2, g1, g2, g1),
    );
    let t = valid_token(&db, "te1");
    let v = ok_json(&get(&db, "/schedule", &t));
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 4);
    assert_eq!(
        keys(&items[0]),
        [
            "dayOfWeek",
            "groupId",
            "groupName",
            "id",
            "teacherId",
            "time"
        ]
    );
    let order: Vec<(i64, Value)> = items
        .iter()
        .map(|i| (i["dayOfWeek"].as_i64().unwrap(), i["time"].clone()))
        .collect();
    assert_eq!(
        order,
        [
            (0, json!("10:00")),
            (0, Value::Null),
            (0, json!("9:00")),
            (1, json!("08:00"))
        ]
    );
    assert_eq!(items[2]["groupName"], "веб-61");
    assert_eq!(items[2]["teacherId"], t2);
    let only = ok_json(&get(&db, &format!("/schedule?teacherId={t2}"), &t));
    assert_eq!(only.as_array().unwrap().len(), 2);
    assert_eq!(
        ok_json(&get(&db, "/schedule?teacherId=abc", &t))
            .as_array()
            .unwrap()
            .len(),
        4
    );
    assert_eq!(ok_json(&get(&db, "/schedule?teacherId=-3", &t)), json!([]));
    // The group's own schedule in group_details, same order.
    let g = ok_json(&get(&db, &format!("/group_details/{g1}"), &t));
    assert_eq!(
        g["schedule"],
        json!([{"dayOfWeek": 0, "time": "10:00"}, {"dayOfWeek": 0, "time": null}])
    );
}

#[test]
fn developer_overviews() {
    let db = TestDb::seeded();
    let dev = valid_token(&db, "dev1");
    // Never seen (last_seen_where = 1) is left out; the others newest first.
    exec(
        &db,
        "UPDATE system_users SET last_seen_where = 2, last_seen = '2019-01-01 10:00:00' WHERE login = 'ma1'",
        (),
    );
    exec(
        &db,
        "UPDATE system_users SET last_seen_where = 3, last_seen = '2019-02-01 10:00:00' WHERE login = 'st1'",
        (),
    );
    let v = ok_json(&get(&db, "/last_seens", &dev));
    let logins: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["systemUser"]["login"].as_str().unwrap())
        .collect();
    assert_eq!(logins, ["st1", "ma1"]);
    assert_eq!(keys(&v[0]), ["detailsId", "fio", "systemUser"]);
    assert_eq!(v[1]["systemUser"]["lastSeen"], "2019-01-01 10:00");
    assert_eq!(v[0]["fio"], "Ученик Алексей Алексеевич");

    let te1 = user_id(&db, "te1");
    let ma1 = user_id(&db, "ma1");
    exec(
        &db,
        "INSERT INTO access_tokens (system_user_id, expires, token_hash, device, last_use, app_version) VALUES
         (?, '2030-01-01 00:00:00', 'h1$a', 'phone A', '2029-01-01 09:30:00', '1.3.1'),
         (?, '2031-01-01 00:00:00', 'h1$b', 'phone B', '2028-01-01 09:30:00', '1.3.2'),
         (?, '2030-06-01 00:00:00', 'h1$c', 'tablet', '2029-06-01 09:30:00', '1.3.2')",
        (te1, te1, ma1),
    );
    let v = ok_json(&get(&db, "/access_tokens", &dev));
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 3, "dev1, te1 and ma1 have tokens");
    assert_eq!(
        keys(&items[0]),
        ["detailsId", "fio", "systemUser", "tokens"]
    );
    // By the first token's last use: ma1 (2029), te1 (2028: its first token expires last),
    // dev1 (a week ago; a developer's token does not slide).
    let order: Vec<&str> = items
        .iter()
        .map(|i| i["systemUser"]["login"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["ma1", "te1", "dev1"]);
    let te1_tokens = &items[1]["tokens"];
    assert_eq!(
        te1_tokens,
        &json!([
            {"appVersion": "1.3.2", "device": "phone B", "expires": "2031-01-01 00:00", "lastUse": "2028-01-01 09:30"},
            {"appVersion": "1.3.1", "device": "phone A", "expires": "2030-01-01 00:00", "lastUse": "2029-01-01 09:30"}
        ])
    );
}

/// The Android app's calls in its order (login, app info, cabinet, the lists paged by 100, a
/// group's students and lessons, a lesson, the writes), each answer checked against the fields
/// the app's classes read.
#[test]
fn android_app_replay() {
    let db = TestDb::seeded();
    let g1 = group_id(&db, "робо-71");
    let lesson = add_lesson(&db, g1, teacher_id(&db, "te1"), "2017-10-05");

    let resp = db.cgi(&login_request(&json!({
        "login": "te1", "password": "12", "device": "Xiaomi Redmi Note 5 Android 9", "appVersion": "1.3.2"
    })));
    let login = ok_json(&resp);
    assert_eq!(keys(&login), ["accountType", "detailsId", "token"]);
    assert_eq!(login["accountType"], "TEACHER");
    assert_eq!(login["detailsId"], teacher_id(&db, "te1"));
    let token = login["token"].as_str().unwrap().to_string();

    let info = ok_json(&db.cgi(&CgiRequest::get(&format!("{API}/app_info"))));
    assert_eq!(info, json!({"actualAppBuildCode": 9}));
    let cabinet = ok_json(&post(
        &db,
        "/cabinet_info",
        &token,
        &json!({"device": "Xiaomi Redmi Note 5 Android 9", "appVersion": "1.3.2", "lastLessonsCount": 20}),
    ));
    assert_eq!(cabinet["lastLessons"].as_array().unwrap().len(), 1);
    assert_eq!(keys(&cabinet["lastLessons"][0]), LESSON);
    assert!(is_date(cabinet["lastLessons"][0]["date"].as_str().unwrap()));

    let page = "?offset=0&count=100&search=";
    for (path, shape) in [
        ("/sections_list", SECTION),
        ("/groups_list", GROUP_BRIEF),
        ("/teachers_list", TEACHER),
        ("/masters_list", PERSON),
        ("/students_list", STUDENT_BRIEF),
    ] {
        let list = ok_json(&get(&db, &format!("{path}{page}"), &token));
        let items = list.as_array().unwrap();
        assert!(!items.is_empty(), "{path}");
        for item in items {
            assert_eq!(keys(item), shape, "{path}");
            if let Some(su) = item.get("systemUser") {
                check_system_user(su);
            }
        }
        // The page after the last one is empty: the app stops there.
        let next = ok_json(&get(
            &db,
            &format!("{path}?offset=100&count=100&search="),
            &token,
        ));
        assert_eq!(next, json!([]), "{path}");
    }
    let sig = ok_json(&get(&db, &format!("/students_in_group/{g1}"), &token));
    assert_eq!(sig.as_array().unwrap().len(), 1);
    let lessons = ok_json(&get(&db, &format!("/lessons_in_group/{g1}"), &token));
    assert_eq!(lessons[0]["id"], lesson);

    let details = ok_json(&get(&db, &format!("/lesson_details/{lesson}"), &token));
    let attending = &details["attendings"][0];
    assert_eq!(keys(attending), ATTENDING);
    let saved = post(
        &db,
        "/save_attending_state",
        &token,
        &json!({"attendingId": attending["id"], "attendingState": 1}),
    );
    assert_plain(&saved, 200, "ok");
    let sig = ok_json(&get(&db, &format!("/students_in_group/{g1}"), &token));
    assert_eq!(sig[0]["lessonsAttendedCount"], 1);

    let payments = ok_json(&get(&db, &format!("/payments/{g1}"), &token));
    let p = payments["payments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["monthNumber"] == 10)
        .unwrap()
        .clone();
    assert_eq!(keys(&p), PAYMENT);
    let saved = post(
        &db,
        "/save_payment",
        &token,
        &json!({"paymentId": p["id"], "value": 700, "comment": "наличными", "cash": true, "confirmed": false}),
    );
    assert_plain(&saved, 200, "ok");
    let payments = ok_json(&get(&db, &format!("/payments/{g1}"), &token));
    let p = payments["payments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == p["id"])
        .unwrap()
        .clone();
    assert_eq!(
        (p["value"].as_i64(), p["comment"].as_str()),
        (Some(700), Some("наличными"))
    );
    assert_eq!(payments["group"]["sumNotConfirmed"], 1100);

    let out = db.cgi(&CgiRequest::post_raw(
        &with_token("/logout", &token),
        "application/json",
        b"",
    ));
    assert_plain(&out, 200, "ok");
    assert_plain(&get(&db, "/sections_list", &token), 401, "auth required");
}

#[test]
fn dump_only_for_dump_creator() {
    let db = TestDb::seeded();
    add_person(
        &db,
        "bot2",
        "бот",
        "INSERT INTO bots (fio, system_user_id) VALUES (?, ?)",
        "другой бот",
    );
    for who in ["bot2", "ma1", "te1", "dev1"] {
        let t = valid_token(&db, who);
        assert_plain(&get(&db, "/dump", &t), 403, "access denied");
    }
    let t = valid_token(&db, "dump_creator");
    let v = ok_json(&get(&db, "/dump", &t));
    assert_eq!(keys(&v), ["created_at", "sections"]);
    let created = v["created_at"].as_str().unwrap();
    assert_eq!(created.len(), 29, "{created}");
    assert!(
        created.ends_with(" GMT") && &created[3..5] == ", ",
        "{created}"
    );
    let robo = v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "робо")
        .unwrap();
    let group = &robo["groups"][0];
    assert_eq!(group["name"], "робо-71");
    let student = &group["students"][0];
    assert_eq!(student["discount"], 100);
    // P1 is month 9 = October 2017 ((year − 2017) × 12 + month − 1; «сентябрь» would be
    // month 8).
    assert_eq!(student["payments"][0]["month"], "октябрь 2017");
    // The bot's token slides like any non-developer's: that keeps the cron job's token alive.
    let seen: i32 = query_one(
        &db,
        "SELECT last_seen_where FROM system_users WHERE login = 'dump_creator'",
        (),
    );
    assert_eq!(seen, 3);
}
