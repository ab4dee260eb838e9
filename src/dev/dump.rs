//! The dump document (its shape: src/api/README.md §10): every section with its groups, their
//! lessons with attendance and their students with payments, as the original's JSON. Served by
//! the web `/dump`, the API's `/dump` for the dump bot, and written to disk by `crmit dump`.
//!
//! The JSON is written straight into one buffer while the rows are read, in document order, so the
//! process holds one copy of the data — the encoded document — and nothing per row besides. Per
//! section there are two queries (members with payments, lessons with attendance): the count grows
//! with the sections, never with the rows. Both sort only their first table and join the rest by
//! index, which keeps the server's sorting small; student names come from one small map instead
//! of being joined into (and sent with) each of the 150,000 attendance rows of a large centre.

use crate::app::{AppError, Ctx};
use crate::http::Response;
use crate::month::Month;
use chrono::NaiveDateTime;
use mysql::prelude::Queryable;
use mysql::{Conn, Value};
use std::collections::HashMap;
use std::io::Write;

// The original emitted every object with sorted keys (Flask's JSON_SORT_KEYS, for the web page
// and the API alike): the writers below emit the keys in alphabetical order for that reason.

/// The encoded document: compact JSON, raw UTF-8, one trailing newline, as Flask's `jsonify`.
pub fn document(conn: &mut Conn, now: NaiveDateTime) -> mysql::Result<Vec<u8>> {
    let sections: Vec<(u32, String)> = conn.query("SELECT id, name FROM sections ORDER BY id")?;
    let groups: Vec<GroupRow> = conn.query_map(
        "SELECT g.id, g.section_id, g.name, COALESCE(t.fio, '')
         FROM `groups` g LEFT JOIN teachers t ON t.id = g.teacher_id
         ORDER BY g.section_id, g.id",
        |(id, section_id, name, teacher_fio)| GroupRow {
            id,
            section_id,
            name,
            teacher_fio,
        },
    )?;
    let fio: Fios = conn
        .query_map(
            "SELECT id, fio FROM students",
            |(id, name): (u32, String)| {
                let mut encoded = Vec::with_capacity(name.len() + 2);
                string(&mut encoded, &name);
                (id, encoded)
            },
        )?
        .into_iter()
        .collect();
    let mut out = Vec::with_capacity(1 << 20);
    out.extend_from_slice(b"{\"created_at\":");
    string(&mut out, &http_date(now));
    out.extend_from_slice(b",\"sections\":[");
    for (i, (section_id, name)) in sections.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"groups\":[");
        let members: Vec<&GroupRow> = groups
            .iter()
            .filter(|g| g.section_id == *section_id)
            .collect();
        write_groups(conn, &members, &fio, &mut out)?;
        put(&mut out, format_args!("],\"id\":{section_id},\"name\":"));
        string(&mut out, name);
        out.push(b'}');
    }
    out.extend_from_slice(b"]}\n");
    Ok(out)
}

/// `GET /dump` (M, D): the document with the original's plain `application/json` type.
pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let body = document(&mut ctx.db, ctx.now)?;
    Ok(Response::new(200, "application/json", body))
}

/// Student names by id; a mark or membership of a student who no longer exists shows "".
/// Each student's FIO, already a JSON string: a student's name is written once per mark (157,000
/// times on the large data), and escaping it each time was a tenth of the dump's time.
type Fios = HashMap<u32, Vec<u8>>;

fn fio_of(fio: &Fios, student: Option<u32>) -> &[u8] {
    student
        .and_then(|id| fio.get(&id))
        .map_or(b"\"\"", Vec::as_slice)
}

struct GroupRow {
    id: u32,
    section_id: u32,
    name: String,
    teacher_fio: String,
}

/// Lessons of the groups with their attendance: lessons by group, date and id (the original's
/// order); a lesson's marks follow the attendance index, that is in id order. A lesson without
/// marks comes as one row with a NULL mark.
const LESSONS: &str = "SELECT l.group_id, l.id, l.date,
        a.id, a.state, a.student_id
    FROM lessons l
    LEFT JOIN attendings a ON a.lesson_id = l.id
    WHERE l.group_id IN (GROUP_IDS)
    ORDER BY l.group_id, l.date, l.id";

/// Members of the groups in id order, each with their payments by month. A member without
/// payments comes as one row with a NULL payment.
const MEMBERS: &str = "SELECT sig.group_id, sig.id, sig.student_id, sig.discount,
        p.id, p.month, p.value, p.cash, p.confirmed, p.comment
    FROM student_in_groups sig
    LEFT JOIN payments p ON p.student_in_group_id = sig.id
    WHERE sig.group_id IN (GROUP_IDS)
    ORDER BY sig.group_id, sig.id, p.month, p.id";

/// The groups of one section (in id order), comma-separated.
fn write_groups(
    conn: &mut Conn,
    groups: &[&GroupRow],
    fio: &Fios,
    out: &mut Vec<u8>,
) -> mysql::Result<()> {
    if groups.is_empty() {
        return Ok(());
    }
    let ids: Vec<Value> = groups.iter().map(|g| g.id.into()).collect();
    let in_list = crate::db::placeholders(ids.len());
    let members = MEMBERS.replace("GROUP_IDS", &in_list);
    let mut students = members_by_group(conn, &members, &ids, fio)?;

    let mut lessons = LessonsWriter::default();
    let mut open = 0; // groups[..open] have been opened
    for row in conn.exec_iter(LESSONS.replace("GROUP_IDS", &in_list), ids)? {
        let (group_id, lesson_id, date, mark_id, state, student): LessonRow =
            mysql::from_row_opt(row?)?;
        if open == 0 || groups[open - 1].id != group_id {
            if open > 0 {
                lessons.close(out);
                close_group(groups[open - 1], &mut students, out);
            }
            // Groups without lessons come before this one, in id order like the rows.
            while groups[open].id != group_id {
                open_group(groups[open], open, out);
                close_group(groups[open], &mut students, out);
                open += 1;
            }
            open_group(groups[open], open, out);
            open += 1;
        }
        lessons.row(
            out,
            lesson_id,
            &date,
            mark_id.map(|_| (state.unwrap_or(0), fio_of(fio, student))),
        );
    }
    if open > 0 {
        lessons.close(out);
        close_group(groups[open - 1], &mut students, out);
    }
    for (i, group) in groups.iter().enumerate().skip(open) {
        open_group(group, i, out);
        close_group(group, &mut students, out);
    }
    Ok(())
}

/// The date stays the driver's value (no allocation per row) until a lesson opens.
type LessonRow = (u32, u32, Value, Option<u32>, Option<i64>, Option<u32>);

/// `{"id":…,"lessons":[` — the group's keys before its lessons.
fn open_group(group: &GroupRow, index: usize, out: &mut Vec<u8>) {
    if index > 0 {
        out.push(b',');
    }
    put(out, format_args!("{{\"id\":{},\"lessons\":[", group.id));
}

/// `],"name":…,"students":[…],"teacher_fio":…}` — the group's keys after its lessons.
fn close_group(group: &GroupRow, students: &mut HashMap<u32, Vec<u8>>, out: &mut Vec<u8>) {
    out.extend_from_slice(b"],\"name\":");
    string(out, &group.name);
    out.extend_from_slice(b",\"students\":[");
    out.extend_from_slice(&students.remove(&group.id).unwrap_or_default());
    out.extend_from_slice(b"],\"teacher_fio\":");
    string(out, &group.teacher_fio);
    out.push(b'}');
}

/// Writes the lessons of one group as their rows arrive: a lesson's `attendings` come first, its
/// `date` and `id` when the next lesson (or the group's end) closes it.
#[derive(Default)]
struct LessonsWriter {
    open: Option<(u32, String)>,
    marks: usize,
}

impl LessonsWriter {
    fn row(&mut self, out: &mut Vec<u8>, lesson_id: u32, date: &Value, mark: Option<(i64, &[u8])>) {
        if self.open.as_ref().is_none_or(|(id, _)| *id != lesson_id) {
            let first = self.open.is_none();
            self.close(out);
            if !first {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"attendings\":[");
            self.open = Some((lesson_id, date_text(date)));
        }
        if let Some((state, fio)) = mark {
            if self.marks > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"state\":");
            match state {
                0 => out.extend_from_slice("\"не был\"".as_bytes()),
                1 => out.extend_from_slice("\"был\"".as_bytes()),
                2 => out.extend_from_slice("\"болел\"".as_bytes()),
                other => string(out, &crate::lessons::state_word(other)),
            }
            out.extend_from_slice(b",\"student_fio\":");
            out.extend_from_slice(fio);
            out.push(b'}');
            self.marks += 1;
        }
    }

    fn close(&mut self, out: &mut Vec<u8>) {
        if let Some((id, date)) = self.open.take() {
            out.extend_from_slice(b"],\"date\":");
            string(out, &date);
            put(out, format_args!(",\"id\":{id}}}"));
        }
        self.marks = 0;
    }
}

type MemberRow = (
    u32,
    u32,
    u32,
    i64,
    Option<u32>,
    Option<i32>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

/// The `students` array contents of each group, encoded: small next to the lessons.
fn members_by_group(
    conn: &mut Conn,
    sql: &str,
    ids: &[Value],
    fio: &Fios,
) -> mysql::Result<HashMap<u32, Vec<u8>>> {
    let mut by_group: HashMap<u32, Vec<u8>> = HashMap::new();
    // The member whose `payments` array is open: (group, student_in_group id, student id).
    let mut open: Option<(u32, u32, u32)> = None;
    let mut payments = 0;
    let close = |by_group: &mut HashMap<u32, Vec<u8>>, (group, sig, student): (u32, u32, u32)| {
        let out = by_group.entry(group).or_default();
        put(
            out,
            format_args!("],\"student_id\":{student},\"student_in_group_id\":{sig}}}"),
        );
    };
    for row in conn.exec_iter(sql, ids.to_vec())? {
        let (group, sig, student, discount, payment, month, value, cash, confirmed, comment): MemberRow =
            mysql::from_row_opt(row?)?;
        if open.is_none_or(|(_, id, _)| id != sig) {
            if let Some(member) = open.take() {
                close(&mut by_group, member);
            }
            let out = by_group.entry(group).or_default();
            if !out.is_empty() {
                out.push(b',');
            }
            put(out, format_args!("{{\"discount\":{discount},\"fio\":"));
            out.extend_from_slice(fio_of(fio, Some(student)));
            out.extend_from_slice(b",\"payments\":[");
            open = Some((group, sig, student));
            payments = 0;
        }
        if let Some(id) = payment {
            let out = by_group.entry(group).or_default();
            if payments > 0 {
                out.push(b',');
            }
            put(
                out,
                format_args!("{{\"cash\":{},\"comment\":", cash.is_some_and(|c| c != 0)),
            );
            string(out, comment.as_deref().unwrap_or_default());
            put(
                out,
                format_args!(
                    ",\"confirmed\":{},\"id\":{id},\"month\":",
                    confirmed.is_some_and(|c| c != 0)
                ),
            );
            string(out, &Month(month.unwrap_or_default()).name());
            put(
                out,
                format_args!(",\"value\":{}}}", value.unwrap_or_default()),
            );
            payments += 1;
        }
    }
    if let Some(member) = open {
        close(&mut by_group, member);
    }
    Ok(by_group)
}

/// A lesson's day as `YYYY-MM-DD` (the zero date of old rows as `0000-00-00`), empty for none.
fn date_text(date: &Value) -> String {
    match date {
        Value::Date(y, m, d, ..) => format!("{y:04}-{m:02}-{d:02}"),
        Value::Bytes(text) => String::from_utf8_lossy(text).into_owned(),
        _ => String::new(),
    }
}

/// A JSON string: raw UTF-8, with only what JSON requires escaped.
fn string(out: &mut Vec<u8>, s: &str) {
    serde_json::to_writer(out, s).expect("a string always encodes");
}

fn put(out: &mut Vec<u8>, args: std::fmt::Arguments) {
    out.write_fmt(args).expect("writing to memory cannot fail");
}

/// RFC 1123 in GMT, as Flask encodes a `datetime`: `Sat, 20 Jul 2019 10:00:00 GMT`.
fn http_date(utc: NaiveDateTime) -> String {
    utc.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
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
    fn lessons_have_sorted_keys_raw_utf8_and_escapes() {
        let mut out = Vec::new();
        let mut w = LessonsWriter::default();
        let day = |d| Value::Date(2017, 10, d, 0, 0, 0, 0);
        let fio = |name: &str| {
            let mut encoded = Vec::new();
            string(&mut encoded, name);
            encoded
        };
        w.row(&mut out, 3, &day(5), Some((2, &fio("Ученик \"А\""))));
        w.row(&mut out, 3, &day(5), Some((7, &fio("Б"))));
        w.row(&mut out, 4, &day(12), None);
        w.close(&mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            concat!(
                r#"{"attendings":[{"state":"болел","student_fio":"Ученик \"А\""},"#,
                r#"{"state":"неизвестный статус 7","student_fio":"Б"}],"date":"2017-10-05","id":3},"#,
                r#"{"attendings":[],"date":"2017-10-12","id":4}"#
            )
        );
        assert_eq!(date_text(&Value::Date(0, 0, 0, 0, 0, 0, 0)), "0000-00-00");
        assert_eq!(date_text(&Value::NULL), "");
    }

    #[test]
    fn a_group_without_lessons_or_members_is_complete() {
        let group = GroupRow {
            id: 1,
            section_id: 2,
            name: "робо-71".into(),
            teacher_fio: "Учитель".into(),
        };
        let mut out = Vec::new();
        open_group(&group, 0, &mut out);
        close_group(&group, &mut HashMap::new(), &mut out);
        let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            doc,
            serde_json::json!({"id": 1, "lessons": [], "name": "робо-71", "students": [], "teacher_fio": "Учитель"})
        );
    }
}
