//! The dump document (rest-api.md §6.1, web-ui.md §2.3): every section with its groups, their
//! students with payments and their lessons with attendance, as the original's JSON. Served by the
//! web `/dump`, the API's `/dump` for the dump bot, and written to disk by `crmit dump`.
//!
//! One query per table, joined in memory, whatever the size of the database.

use crate::app::{AppError, Ctx};
use crate::http::Response;
use crate::month::Month;
use chrono::NaiveDateTime;
use mysql::Conn;
use mysql::prelude::Queryable;
use serde::Serialize;
use std::collections::HashMap;

// The original emitted every object with sorted keys (Flask's JSON_SORT_KEYS, for the web page
// and the API alike): the fields below are declared in alphabetical order for that reason.

#[derive(Serialize)]
struct Document {
    created_at: String,
    sections: Vec<Section>,
}

#[derive(Serialize)]
struct Section {
    groups: Vec<Group>,
    id: i64,
    name: String,
}

#[derive(Serialize)]
struct Group {
    id: i64,
    lessons: Vec<Lesson>,
    name: String,
    students: Vec<StudentInGroup>,
    teacher_fio: String,
}

#[derive(Serialize)]
struct StudentInGroup {
    discount: i64,
    fio: String,
    payments: Vec<Payment>,
    student_id: i64,
    student_in_group_id: i64,
}

#[derive(Serialize)]
struct Payment {
    cash: bool,
    comment: String,
    confirmed: bool,
    id: i64,
    month: String,
    value: i64,
}

#[derive(Serialize)]
struct Lesson {
    attendings: Vec<Attending>,
    date: String,
    id: i64,
}

#[derive(Serialize)]
struct Attending {
    state: String,
    student_fio: String,
}

/// The encoded document: compact JSON, raw UTF-8, one trailing newline, as Flask's `jsonify`.
pub fn document(conn: &mut Conn, now: NaiveDateTime) -> Result<Vec<u8>, mysql::Error> {
    let doc = Document {
        created_at: http_date(now),
        sections: load(conn)?,
    };
    let mut body = serde_json::to_vec(&doc).expect("plain data always serialises");
    body.push(b'\n');
    Ok(body)
}

/// `GET /dump` (M, D): the document with the original's plain `application/json` type.
pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let body = document(&mut ctx.db, ctx.now)?;
    Ok(Response::new(200, "application/json", body))
}

/// RFC 1123 in GMT, as Flask encodes a `datetime`: `Sat, 20 Jul 2019 10:00:00 GMT`.
fn http_date(utc: NaiveDateTime) -> String {
    utc.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// «не был» / «был» / «болел»; a stored value outside 0..=2 (which made the original fail) is
/// kept visible in the backup instead of aborting it.
fn state_word(state: i64) -> String {
    match state {
        0 => "не был".into(),
        1 => "был".into(),
        2 => "болел".into(),
        other => format!("неизвестный статус {other}"),
    }
}

/// Sections, groups, student rows and attendings in id order (the original had no ORDER BY there);
/// lessons by date and payments by month, as the original.
fn load(conn: &mut Conn) -> mysql::Result<Vec<Section>> {
    let mut attendings: HashMap<i64, Vec<Attending>> = HashMap::new();
    conn.query_map(
        "SELECT a.lesson_id, a.state, COALESCE(s.fio, '')
         FROM attendings a LEFT JOIN students s ON s.id = a.student_id
         ORDER BY a.lesson_id, a.id",
        |(lesson_id, state, student_fio): (i64, i64, String)| {
            attendings.entry(lesson_id).or_default().push(Attending {
                state: state_word(state),
                student_fio,
            })
        },
    )?;

    let mut lessons: HashMap<i64, Vec<Lesson>> = HashMap::new();
    conn.query_map(
        "SELECT id, group_id, COALESCE(DATE_FORMAT(date, '%Y-%m-%d'), '')
         FROM lessons ORDER BY group_id, date, id",
        |(id, group_id, date): (i64, i64, String)| {
            lessons.entry(group_id).or_default().push(Lesson {
                attendings: attendings.remove(&id).unwrap_or_default(),
                date,
                id,
            })
        },
    )?;

    let mut payments: HashMap<i64, Vec<Payment>> = HashMap::new();
    conn.query_map(
        "SELECT id, student_in_group_id, month, value, cash, confirmed, comment
         FROM payments ORDER BY student_in_group_id, month, id",
        |(id, sig_id, month, value, cash, confirmed, comment): (
            i64,
            i64,
            i32,
            i64,
            i64,
            i64,
            String,
        )| {
            payments.entry(sig_id).or_default().push(Payment {
                cash: cash != 0,
                comment,
                confirmed: confirmed != 0,
                id,
                month: Month(month).name(),
                value,
            })
        },
    )?;

    let mut students: HashMap<i64, Vec<StudentInGroup>> = HashMap::new();
    conn.query_map(
        "SELECT sig.id, sig.group_id, sig.student_id, COALESCE(s.fio, ''), sig.discount
         FROM student_in_groups sig LEFT JOIN students s ON s.id = sig.student_id
         ORDER BY sig.id",
        |(id, group_id, student_id, fio, discount): (i64, i64, i64, String, i64)| {
            students.entry(group_id).or_default().push(StudentInGroup {
                discount,
                fio,
                payments: payments.remove(&id).unwrap_or_default(),
                student_id,
                student_in_group_id: id,
            })
        },
    )?;

    let mut groups: HashMap<i64, Vec<Group>> = HashMap::new();
    conn.query_map(
        "SELECT g.id, g.section_id, g.name, COALESCE(t.fio, '')
         FROM `groups` g LEFT JOIN teachers t ON t.id = g.teacher_id
         ORDER BY g.id",
        |(id, section_id, name, teacher_fio): (i64, i64, String, String)| {
            groups.entry(section_id).or_default().push(Group {
                id,
                lessons: lessons.remove(&id).unwrap_or_default(),
                name,
                students: students.remove(&id).unwrap_or_default(),
                teacher_fio,
            })
        },
    )?;

    conn.query_map(
        "SELECT id, name FROM sections ORDER BY id",
        |(id, name): (i64, String)| Section {
            groups: groups.remove(&id).unwrap_or_default(),
            id,
            name,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn created_at_is_an_http_date() {
        let t = NaiveDate::from_ymd_opt(2019, 7, 20)
            .unwrap()
            .and_hms_opt(10, 0, 5)
            .unwrap();
        assert_eq!(http_date(t), "Sat, 20 Jul 2019 10:00:05 GMT");
    }

    #[test]
    fn keys_are_sorted_and_text_is_raw_utf8() {
        let doc = Document {
            created_at: "x".into(),
            sections: vec![Section {
                groups: vec![Group {
                    id: 1,
                    lessons: vec![Lesson {
                        attendings: vec![Attending {
                            state: state_word(2),
                            student_fio: "Ученик \"А\"".into(),
                        }],
                        date: "2017-10-05".into(),
                        id: 3,
                    }],
                    name: "робо-71".into(),
                    students: vec![StudentInGroup {
                        discount: 100,
                        fio: "Ученик".into(),
                        payments: vec![Payment {
                            cash: true,
                            comment: "".into(),
                            confirmed: false,
                            id: 4,
                            month: Month(8).name(),
                            value: 400,
                        }],
                        student_id: 5,
                        student_in_group_id: 6,
                    }],
                    teacher_fio: "Учитель".into(),
                }],
                id: 2,
                name: "робо".into(),
            }],
        };
        assert_eq!(
            serde_json::to_string(&doc).unwrap(),
            concat!(
                r#"{"created_at":"x","sections":[{"groups":[{"id":1,"lessons":[{"attendings":"#,
                r#"[{"state":"болел","student_fio":"Ученик \"А\""}],"date":"2017-10-05","id":3}],"#,
                r#""name":"робо-71","students":[{"discount":100,"fio":"Ученик","payments":"#,
                r#"[{"cash":true,"comment":"","confirmed":false,"id":4,"month":"сентябрь 2017","#,
                r#""value":400}],"student_id":5,"student_in_group_id":6}],"teacher_fio":"Учитель"}],"#,
                r#""id":2,"name":"робо"}]}"#
            )
        );
    }
}
