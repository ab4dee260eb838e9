//! SQL of the lessons area. Every page reads whole tables of one group and month in a fixed
//! number of queries (never one per student or cell). The month grid's members and payments come
//! from `payments::store`.

use crate::db;
use crate::db::kept::{self, Kept};
use crate::ids::{GroupId, StudentId, TeacherId};
use crate::month::Month;
use chrono::NaiveDate;
use mysql::Conn;
use mysql::prelude::Queryable;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// The month of `l.date` as a month number, computed in SQL.
const LESSON_MONTH: &str = "((YEAR(l.date) - 2017) * 12 + MONTH(l.date) - 1)";

/// `search=<text>`: the query string of a list page searched for `text`.
pub fn search_query(text: &str) -> String {
    serde_urlencoded::to_string([("search", text)]).unwrap_or_default()
}

/// One lesson column of the month grid.
#[derive(Debug, Clone)]
pub struct Lesson {
    pub id: u32,
    pub date: NaiveDate,
    pub teacher_id: TeacherId,
    pub teacher_fio: String,
    /// Marks «был».
    pub present: u32,
}

pub fn lessons_in_month(
    conn: &mut Conn,
    group_id: GroupId,
    month: Month,
) -> mysql::Result<Vec<Lesson>> {
    let rows: Vec<(u32, NaiveDate, TeacherId, String, u32)> = conn.exec(
        "SELECT l.id, l.date, l.teacher_id, t.fio,
            (SELECT COUNT(*) FROM attendings a WHERE a.lesson_id = l.id AND a.state = 1)
         FROM lessons l JOIN teachers t ON t.id = l.teacher_id
         WHERE l.group_id = ? AND l.date BETWEEN ? AND ? ORDER BY l.date, l.id",
        (group_id, month.first_day(), month.last_day()),
    )?;
    Ok(rows
        .into_iter()
        .map(|(id, date, teacher_id, teacher_fio, present)| Lesson {
            id,
            date,
            teacher_id,
            teacher_fio,
            present,
        })
        .collect())
}

/// Stored attendance of the group's lessons in the month: (lesson id, student id) → state.
pub fn attendance_in_month(
    conn: &mut Conn,
    group_id: GroupId,
    month: Month,
) -> mysql::Result<HashMap<(u32, StudentId), i32>> {
    let rows: Vec<(u32, StudentId, i32)> = conn.exec(
        "SELECT a.lesson_id, a.student_id, a.state FROM attendings a
         JOIN lessons l ON l.id = a.lesson_id
         WHERE l.group_id = ? AND l.date BETWEEN ? AND ?",
        (group_id, month.first_day(), month.last_day()),
    )?;
    Ok(rows
        .into_iter()
        .map(|(l, s, state)| ((l, s), state))
        .collect())
}

/// Writes attendance marks (lesson id, student id, state) in one statement; the kept marks are
/// computed again.
pub fn save_states(conn: &mut Conn, marks: &[(u32, StudentId, i32)]) -> mysql::Result<()> {
    if marks.is_empty() {
        return Ok(());
    }
    let rows = db::value_rows("(?, ?, ?)", marks.len());
    let params: Vec<mysql::Value> = marks
        .iter()
        .flat_map(|&(l, s, state)| [l.into(), s.into(), state.into()])
        .collect();
    conn.exec_drop(
        format!(
            "INSERT INTO attendings (lesson_id, student_id, state) VALUES {rows}
             ON DUPLICATE KEY UPDATE state = VALUES(state)"
        ),
        params,
    )?;
    kept::marks_changed(conn)
}

/// The dates of the group's lessons, in order.
pub fn lesson_dates(conn: &mut Conn, group_id: GroupId) -> mysql::Result<Vec<NaiveDate>> {
    conn.exec(
        "SELECT date FROM lessons WHERE group_id = ? ORDER BY date, id",
        (group_id,),
    )
}

/// Creates one lesson per date, in one statement; the kept lesson counts are computed again.
pub fn create_lessons(
    conn: &mut Conn,
    group_id: GroupId,
    teacher_id: TeacherId,
    dates: &[NaiveDate],
) -> mysql::Result<()> {
    if dates.is_empty() {
        return Ok(());
    }
    let rows = db::value_rows("(?, ?, ?)", dates.len());
    let params: Vec<mysql::Value> = dates
        .iter()
        .flat_map(|&d| [d.into(), teacher_id.into(), group_id.into()])
        .collect();
    conn.exec_drop(
        format!("INSERT INTO lessons (date, teacher_id, group_id) VALUES {rows}"),
        params,
    )?;
    kept::changed(conn)
}

/// A lesson with what deleting it needs.
pub struct LessonRef {
    pub group_id: GroupId,
    pub date: NaiveDate,
    pub present: u32,
}

/// The lesson, locked against concurrent marks until the request ends.
pub fn lesson_for_delete(conn: &mut Conn, lesson_id: u32) -> mysql::Result<Option<LessonRef>> {
    let row: Option<(GroupId, NaiveDate)> = conn.exec_first(
        "SELECT group_id, date FROM lessons WHERE id = ? FOR UPDATE",
        (lesson_id,),
    )?;
    let Some((group_id, date)) = row else {
        return Ok(None);
    };
    let present: u32 = conn
        .exec_first(
            "SELECT COUNT(*) FROM attendings WHERE lesson_id = ? AND state = 1 FOR UPDATE",
            (lesson_id,),
        )?
        .unwrap_or(0);
    Ok(Some(LessonRef {
        group_id,
        date,
        present,
    }))
}

/// Deletes lessons with their attendance rows, in two statements; the kept lesson counts are
/// computed again.
pub fn delete_lessons(conn: &mut Conn, ids: &[u32]) -> mysql::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let marks = crate::db::placeholders(ids.len());
    conn.exec_drop(
        format!("DELETE FROM attendings WHERE lesson_id IN ({marks})"),
        ids.to_vec(),
    )?;
    conn.exec_drop(
        format!("DELETE FROM lessons WHERE id IN ({marks})"),
        ids.to_vec(),
    )?;
    kept::changed(conn)
}

/// A past lesson without «был» marks.
#[derive(Debug, Clone, Serialize)]
pub struct EmptyLesson {
    pub id: u32,
    pub date: NaiveDate,
    pub group_name: String,
}

/// Up to `limit` lessons dated before `today` without «был», newest first.
pub fn empty_past_lessons(
    conn: &mut Conn,
    today: NaiveDate,
    limit: u32,
) -> mysql::Result<Vec<EmptyLesson>> {
    let rows: Vec<(u32, NaiveDate, String)> = conn.exec(
        "SELECT l.id, l.date, g.name FROM lessons l JOIN `groups` g ON g.id = l.group_id
         WHERE l.date < ?
           AND NOT EXISTS (SELECT 1 FROM attendings a WHERE a.lesson_id = l.id AND a.state = 1)
         ORDER BY l.date DESC, l.id DESC LIMIT ?",
        (today, limit),
    )?;
    Ok(rows
        .into_iter()
        .map(|(id, date, group_name)| EmptyLesson {
            id,
            date,
            group_name,
        })
        .collect())
}

/// Which of `ids` are still past lessons without «был» (checked again at delete time, unlike the
/// original, so that a mark made meanwhile is not lost).
pub fn still_empty_past(conn: &mut Conn, ids: &[u32], today: NaiveDate) -> mysql::Result<Vec<u32>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = crate::db::placeholders(ids.len());
    let mut params: Vec<mysql::Value> = ids.iter().map(|&id| id.into()).collect();
    params.push(today.into());
    conn.exec(
        format!(
            "SELECT l.id FROM lessons l WHERE l.id IN ({marks}) AND l.date < ?
               AND NOT EXISTS (SELECT 1 FROM attendings a WHERE a.lesson_id = l.id AND a.state = 1)
             ORDER BY l.id FOR UPDATE"
        ),
        params,
    )
}

/// Weekdays (0 = Monday) on which the group has a timetable slot.
pub fn schedule_days(conn: &mut Conn, group_id: GroupId) -> mysql::Result<Vec<u32>> {
    conn.exec(
        "SELECT DISTINCT day_of_week FROM schedule_groups WHERE group_id = ? ORDER BY day_of_week",
        (group_id,),
    )
}

/// The group's lessons after `today`: (id, date, has «был» or «болел» marks).
pub fn future_lessons(
    conn: &mut Conn,
    group_id: GroupId,
    today: NaiveDate,
) -> mysql::Result<Vec<(u32, NaiveDate, bool)>> {
    conn.exec(
        "SELECT l.id, l.date, EXISTS (SELECT 1 FROM attendings a WHERE a.lesson_id = l.id AND a.state IN (1, 2))
         FROM lessons l WHERE l.group_id = ? AND l.date > ? ORDER BY l.date, l.id FOR UPDATE",
        (group_id, today),
    )
}

/// Filters of the lessons list; `None` means «все».
pub struct ListFilter {
    pub group_id: Option<GroupId>,
    pub teacher_id: Option<TeacherId>,
    pub up_to: Option<NaiveDate>,
}

/// One row of the lessons list.
#[derive(Debug, Clone, Serialize)]
pub struct ListedLesson {
    pub id: u32,
    pub date: NaiveDate,
    pub month: i32,
    pub group_id: GroupId,
    pub group_name: String,
    pub group_teacher_id: TeacherId,
    pub teacher_id: TeacherId,
    pub teacher_fio: String,
    /// `search=<teacher FIO>` for the teachers list link.
    pub teacher_search: String,
    pub present: u32,
    pub students: u32,
}

const LIST_WHERE: &str = "(? IS NULL OR l.group_id = ?) AND (? IS NULL OR l.teacher_id = ?)
    AND (? IS NULL OR l.date <= ?)";

fn list_params(f: &ListFilter) -> Vec<mysql::Value> {
    vec![
        f.group_id.into(),
        f.group_id.into(),
        f.teacher_id.into(),
        f.teacher_id.into(),
        f.up_to.into(),
        f.up_to.into(),
    ]
}

/// How many lessons the list holds. Without a group or date filter (the list as it opens) the
/// count is a sum of the kept lesson counts of the teachers.
pub fn count_listed(conn: &mut Conn, f: &ListFilter, today: NaiveDate) -> mysql::Result<u64> {
    if f.group_id.is_none() && f.up_to.is_none() {
        return Ok(teacher_lessons(conn, today)?
            .into_iter()
            .filter(|(t, _, _)| f.teacher_id.is_none_or(|wanted| wanted == *t))
            .map(|(_, _, all)| all)
            .sum());
    }
    Ok(conn
        .exec_first(
            format!("SELECT COUNT(*) FROM lessons l WHERE {LIST_WHERE}"),
            list_params(f),
        )?
        .unwrap_or(0))
}

/// One page of the lessons list, newest first. The page's lessons are picked in a derived table
/// first, so that the two counts run for its 20 rows only, not for every lesson before the sort
/// (400,000 rows read on the large demo data otherwise); `STRAIGHT_JOIN` keeps that order.
pub fn list_page(
    conn: &mut Conn,
    f: &ListFilter,
    limit: u32,
    offset: u64,
) -> mysql::Result<Vec<ListedLesson>> {
    let mut params = list_params(f);
    params.extend([limit.into(), offset.into()]);
    type Row = (
        u32,
        NaiveDate,
        i32,
        GroupId,
        String,
        TeacherId,
        TeacherId,
        String,
        u32,
        u32,
    );
    let rows: Vec<Row> = conn.exec(
        format!(
            "SELECT STRAIGHT_JOIN l.id, l.date, {LESSON_MONTH}, g.id, g.name, g.teacher_id, t.id, t.fio,
                (SELECT COUNT(*) FROM attendings a WHERE a.lesson_id = l.id AND a.state = 1),
                (SELECT COUNT(*) FROM student_in_groups sig WHERE sig.group_id = g.id
                   AND sig.enter_month <= {LESSON_MONTH} AND sig.exit_month >= {LESSON_MONTH})
             FROM (SELECT l.id FROM lessons l WHERE {LIST_WHERE}
                   ORDER BY l.date DESC, l.id DESC LIMIT ? OFFSET ?) page
             JOIN lessons l ON l.id = page.id
             JOIN `groups` g ON g.id = l.group_id JOIN teachers t ON t.id = l.teacher_id
             ORDER BY l.date DESC, l.id DESC"
        ),
        params,
    )?;
    Ok(rows
        .into_iter()
        .map(|r| ListedLesson {
            id: r.0,
            date: r.1,
            month: r.2,
            group_id: r.3,
            group_name: r.4,
            group_teacher_id: r.5,
            teacher_id: r.6,
            teacher_search: search_query(&r.7),
            teacher_fio: r.7,
            present: r.8,
            students: r.9,
        })
        .collect())
}

/// (id, FIO) of every teacher, by FIO.
pub fn teachers(conn: &mut Conn) -> mysql::Result<Vec<(TeacherId, String)>> {
    conn.query("SELECT id, fio FROM teachers ORDER BY fio, id")
}

/// The group, conducting teacher and date of a lesson.
pub fn lesson_group(
    conn: &mut Conn,
    lesson_id: u32,
) -> mysql::Result<Option<(GroupId, TeacherId, NaiveDate)>> {
    conn.exec_first(
        "SELECT group_id, teacher_id, date FROM lessons WHERE id = ?",
        (lesson_id,),
    )
}

/// Creates the «не был» marks the lesson lacks for the members of its group in `month` (the
/// lesson's), and tells whether any was missing, so that the caller reads the marks again; the
/// app's lesson details show a mark for every member. The kept marks are computed again when any
/// was created.
///
/// The missing students are found from the marks already read (`existing`, all of the lesson's)
/// and the members; most reads of a lesson find none and write and lock nothing. An
/// `INSERT … SELECT … NOT EXISTS` for every member took 0.5 ms of SQL on the `large` data
/// against about 0.1 for reading the members. A mark another request creates meanwhile is left as
/// it is (the unique key on student and lesson), and shows when the marks are read again.
pub fn create_missing_marks(
    conn: &mut Conn,
    lesson_id: u32,
    group_id: GroupId,
    month: Month,
    existing: &[Mark],
) -> mysql::Result<bool> {
    let marked: HashSet<StudentId> = existing.iter().map(|m| m.student_id).collect();
    let members: Vec<StudentId> = conn.exec(
        "SELECT student_id FROM student_in_groups
         WHERE group_id = ? AND enter_month <= ? AND exit_month >= ?",
        (group_id, month.0, month.0),
    )?;
    let missing: Vec<StudentId> = members
        .into_iter()
        .filter(|s| !marked.contains(s))
        .collect();
    if missing.is_empty() {
        return Ok(false);
    }
    let rows = db::value_rows("(?, ?, 0)", missing.len());
    let params: Vec<mysql::Value> = missing
        .iter()
        .flat_map(|&s| [lesson_id.into(), s.into()])
        .collect();
    conn.exec_drop(
        format!(
            "INSERT INTO attendings (lesson_id, student_id, state) VALUES {rows}
             ON DUPLICATE KEY UPDATE id = id"
        ),
        params,
    )?;
    if conn.affected_rows() > 0 {
        kept::marks_changed(conn)?;
    }
    Ok(true)
}

/// One attendance mark of a lesson with its student.
#[derive(Debug, Clone)]
pub struct Mark {
    pub id: u32,
    pub state: i32,
    pub student_id: StudentId,
    pub student_fio: String,
}

/// The lesson's marks, by student name and id.
pub fn marks_of_lesson(conn: &mut Conn, lesson_id: u32) -> mysql::Result<Vec<Mark>> {
    conn.exec_map(
        "SELECT a.id, a.state, s.fio, s.id FROM attendings a JOIN students s ON s.id = a.student_id
         WHERE a.lesson_id = ? ORDER BY s.fio, a.id",
        (lesson_id,),
        |(id, state, student_fio, student_id)| Mark {
            id,
            state,
            student_id,
            student_fio,
        },
    )
}

/// One mark with what the write rule and the change log of a save need.
#[derive(Debug, Clone)]
pub struct MarkToSave {
    pub state: i32,
    pub student_id: StudentId,
    pub lesson_id: u32,
    pub date: NaiveDate,
    pub group_id: GroupId,
    pub group_teacher_id: TeacherId,
}

pub fn mark_to_save(conn: &mut Conn, attending_id: u32) -> mysql::Result<Option<MarkToSave>> {
    type Row = (TeacherId, i32, StudentId, u32, NaiveDate, GroupId);
    let row: Option<Row> = conn.exec_first(
        "SELECT g.teacher_id, a.state, a.student_id, l.id, l.date, l.group_id
         FROM attendings a JOIN lessons l ON l.id = a.lesson_id
         JOIN `groups` g ON g.id = l.group_id WHERE a.id = ?",
        (attending_id,),
    )?;
    Ok(row.map(
        |(group_teacher_id, state, student_id, lesson_id, date, group_id)| MarkToSave {
            state,
            student_id,
            lesson_id,
            date,
            group_id,
            group_teacher_id,
        },
    ))
}

/// Sets one mark by its id (the app's save; the month grid writes with [`save_states`]); the
/// kept marks are computed again.
pub fn set_state(conn: &mut Conn, attending_id: u32, state: i32) -> mysql::Result<()> {
    conn.exec_drop(
        "UPDATE attendings SET state = ? WHERE id = ?",
        (state, attending_id),
    )?;
    kept::marks_changed(conn)
}

/// A lesson as the app lists it: `another_teacher_fio` names the conducting teacher when it is
/// not the group's.
#[derive(Debug, Clone)]
pub struct ConductedLesson {
    pub id: u32,
    pub date: NaiveDate,
    pub group_id: GroupId,
    pub group_name: String,
    pub teacher_id: TeacherId,
    pub another_teacher_fio: Option<String>,
}

const CONDUCTED_SELECT: &str = "SELECT l.id, l.date, l.group_id, g.name, l.teacher_id,
    IF(l.teacher_id != g.teacher_id, t.fio, NULL)
    FROM lessons l JOIN `groups` g ON g.id = l.group_id JOIN teachers t ON t.id = l.teacher_id";

type ConductedRow = (u32, NaiveDate, GroupId, String, TeacherId, Option<String>);

fn conducted(
    (id, date, group_id, group_name, teacher_id, another_teacher_fio): ConductedRow,
) -> ConductedLesson {
    ConductedLesson {
        id,
        date,
        group_id,
        group_name,
        teacher_id,
        another_teacher_fio,
    }
}

pub fn conducted_lesson(conn: &mut Conn, lesson_id: u32) -> mysql::Result<Option<ConductedLesson>> {
    let row: Option<ConductedRow> =
        conn.exec_first(format!("{CONDUCTED_SELECT} WHERE l.id = ?"), (lesson_id,))?;
    Ok(row.map(conducted))
}

/// Every lesson of the group, by date.
pub fn conducted_in_group(
    conn: &mut Conn,
    group_id: GroupId,
) -> mysql::Result<Vec<ConductedLesson>> {
    conn.exec_map(
        format!("{CONDUCTED_SELECT} WHERE l.group_id = ? ORDER BY l.date, l.id"),
        (group_id,),
        conducted,
    )
}

/// The last `count` lessons held by `today`, newest first: those `teacher` conducted, or every
/// lesson when `teacher` is `None`.
pub fn last_conducted(
    conn: &mut Conn,
    teacher: Option<TeacherId>,
    today: NaiveDate,
    count: u64,
) -> mysql::Result<Vec<ConductedLesson>> {
    match teacher {
        Some(teacher) => conn.exec_map(
            format!(
                "{CONDUCTED_SELECT} WHERE l.teacher_id = ? AND l.date <= ?
                 ORDER BY l.date DESC, l.id LIMIT ?"
            ),
            (teacher, today, count),
            conducted,
        ),
        None => conn.exec_map(
            format!("{CONDUCTED_SELECT} WHERE l.date <= ? ORDER BY l.date DESC, l.id LIMIT ?"),
            (today, count),
            conducted,
        ),
    }
}

/// The lessons of one teacher: (teacher, those dated by the day counted on, all of them).
type TeacherLessons = (TeacherId, u64, u64);

/// Per teacher with any, the lessons they conducted by `today` and all their lessons, computed
/// together and kept in `debts_cache` for the day until a lesson write: counting the 14,500
/// lessons of the `large` demo data took 1.4–2.3 ms of SQL, for the app's teachers and the
/// lessons list.
fn teacher_lessons(conn: &mut Conn, today: NaiveDate) -> mysql::Result<Vec<TeacherLessons>> {
    kept::or_computed(conn, Kept::TeacherLessons(today), |c| {
        c.exec(
            "SELECT teacher_id, CAST(SUM(date <= ?) AS UNSIGNED), COUNT(*) FROM lessons
             GROUP BY teacher_id",
            (today,),
        )
    })
}

/// Per teacher of `ids` with any, the number of lessons they conducted by `today`.
pub fn held_by_teachers(
    conn: &mut Conn,
    ids: &[TeacherId],
    today: NaiveDate,
) -> mysql::Result<HashMap<TeacherId, u64>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let wanted: HashSet<TeacherId> = ids.iter().copied().collect();
    Ok(teacher_lessons(conn, today)?
        .into_iter()
        .filter(|(t, held, _)| wanted.contains(t) && *held > 0)
        .map(|(t, held, _)| (t, held))
        .collect())
}

/// A lesson whose roll to take: one of today, or of the past week with no «был» or «болел» yet.
#[derive(Debug, Clone, Serialize)]
pub struct RollCallDue {
    pub lesson_id: u32,
    pub date: NaiveDate,
    pub group_name: String,
    pub marked: bool,
}

/// The lessons of the teacher's groups due a roll call on `today`: today's, then the past week's
/// without marks, the latest first.
pub fn roll_calls_due(
    conn: &mut Conn,
    teacher: TeacherId,
    today: NaiveDate,
) -> mysql::Result<Vec<RollCallDue>> {
    conn.exec_map(
        "SELECT x.id, x.date, x.name, x.marked FROM (
            SELECT l.id, l.date, g.name,
                EXISTS(SELECT 1 FROM attendings a WHERE a.lesson_id = l.id AND a.state IN (1, 2))
                    AS marked
            FROM lessons l JOIN `groups` g ON g.id = l.group_id
            WHERE g.teacher_id = ? AND l.date BETWEEN ? AND ?) x
         WHERE x.date = ? OR x.marked = 0
         ORDER BY x.date DESC, x.name, x.id",
        (teacher, today - chrono::Days::new(7), today, today),
        |(lesson_id, date, group_name, marked)| RollCallDue {
            lesson_id,
            date,
            group_name,
            marked,
        },
    )
}
