//! The change log («журнал изменений»): who changed a payment, an attendance mark, a membership
//! or an account, when, and from what to what. Entries are written in the transaction of the
//! change itself, one statement per save whatever the number of cells, so a rolled-back save (a
//! read-only developer's, a failed one) leaves none. The log outlives the rows it speaks of: it
//! keeps the login and the names as they were, and has no foreign keys.

use crate::ids::{GroupId, StudentId};
use chrono::{NaiveDate, NaiveDateTime};
use mysql::Conn;
use mysql::prelude::Queryable;

/// Where a change was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Web = 1,
    App = 2,
    Shell = 3,
}

impl Via {
    fn from_code(code: i32) -> &'static str {
        match code {
            1 => "сайт",
            2 => "приложение",
            _ => "командная строка",
        }
    }
}

/// Who made a change.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<u32>,
    pub login: String,
    pub via: Via,
}

/// What kind of thing changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Payment,
    Attendance,
    Membership,
    Account,
}

impl Kind {
    fn code(self) -> &'static str {
        match self {
            Kind::Payment => "payment",
            Kind::Attendance => "attendance",
            Kind::Membership => "membership",
            Kind::Account => "account",
        }
    }

    fn name(code: &str) -> &'static str {
        match code {
            "payment" => "оплата",
            "attendance" => "посещение",
            "membership" => "группа ученика",
            _ => "учётная запись",
        }
    }
}

/// One change: the row it concerns (`table`, `row_id`; a mark is identified by its lesson), the
/// student and group it concerns where there are ones, what it is in words, and the values
/// before and after («—» for none).
#[derive(Debug, Clone)]
pub struct Change {
    pub kind: Kind,
    pub table: &'static str,
    pub row_id: u32,
    pub student_id: Option<StudentId>,
    pub group_id: Option<GroupId>,
    pub what: String,
    pub old: String,
    pub new: String,
}

/// How many entries one statement writes at most.
const PER_STATEMENT: usize = 500;

/// Writes the entries of one save.
pub fn record(
    conn: &mut Conn,
    actor: &Actor,
    at: NaiveDateTime,
    changes: &[Change],
) -> mysql::Result<()> {
    for chunk in changes.chunks(PER_STATEMENT) {
        let rows = super::value_rows("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", chunk.len());
        let mut params: Vec<mysql::Value> = Vec::with_capacity(chunk.len() * 12);
        for c in chunk {
            params.extend([
                at.into(),
                actor.user_id.into(),
                actor.login.as_str().into(),
                (actor.via as i32).into(),
                c.kind.code().into(),
                c.table.into(),
                c.row_id.into(),
                c.student_id.map(u32::from).into(),
                c.group_id.map(u32::from).into(),
                cut(&c.what).into(),
                cut(&c.old).into(),
                cut(&c.new).into(),
            ]);
        }
        conn.exec_drop(
            format!(
                "INSERT INTO change_log (changed_at, user_id, user_login, via, kind, table_name,
                    row_id, student_id, group_id, what, old_value, new_value) VALUES {rows}"
            ),
            params,
        )?;
    }
    Ok(())
}

/// The columns hold 255 characters.
fn cut(text: &str) -> String {
    text.chars().take(255).collect()
}

/// Which entries a reader asks for; `None` is any.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub student_id: Option<StudentId>,
    pub group_id: Option<GroupId>,
    pub user_id: Option<u32>,
    /// Local dates are turned into UTC bounds by the caller: [from, to).
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
}

/// An entry as the log page shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Entry {
    pub id: u32,
    #[serde(skip)]
    pub changed_at: NaiveDateTime,
    pub login: String,
    pub via: &'static str,
    pub kind: &'static str,
    pub student: Option<(u32, String)>,
    pub group: Option<(u32, String)>,
    pub what: String,
    pub old: String,
    pub new: String,
}

const FILTER: &str = "(? IS NULL OR c.student_id = ?) AND (? IS NULL OR c.group_id = ?)
     AND (? IS NULL OR c.user_id = ?) AND (? IS NULL OR c.changed_at >= ?)
     AND (? IS NULL OR c.changed_at < ?)";

fn filter_params(f: &Filter) -> Vec<mysql::Value> {
    let student: mysql::Value = f.student_id.map(u32::from).into();
    let group: mysql::Value = f.group_id.map(u32::from).into();
    let user: mysql::Value = f.user_id.into();
    let from: mysql::Value = f.from.into();
    let to: mysql::Value = f.to.into();
    vec![
        student.clone(),
        student,
        group.clone(),
        group,
        user.clone(),
        user,
        from.clone(),
        from,
        to.clone(),
        to,
    ]
}

pub fn count(conn: &mut Conn, f: &Filter) -> mysql::Result<u64> {
    Ok(conn
        .exec_first(
            format!("SELECT COUNT(*) FROM change_log c WHERE {FILTER}"),
            filter_params(f),
        )?
        .unwrap_or(0))
}

/// A page of entries, newest first, with the student's and group's current names.
pub fn page(conn: &mut Conn, f: &Filter, (limit, offset): (u32, u64)) -> mysql::Result<Vec<Entry>> {
    type Raw = (
        u32,
        NaiveDateTime,
        String,
        i32,
        String,
        Option<u32>,
        Option<String>,
        Option<u32>,
        Option<String>,
        String,
        String,
        String,
    );
    let mut params = filter_params(f);
    params.extend([limit.into(), offset.into()]);
    let rows: Vec<Raw> = conn.exec(
        format!(
            "SELECT c.id, c.changed_at, c.user_login, c.via, c.kind, c.student_id, s.fio,
                c.group_id, g.name, c.what, c.old_value, c.new_value
             FROM change_log c LEFT JOIN students s ON s.id = c.student_id
             LEFT JOIN `groups` g ON g.id = c.group_id
             WHERE {FILTER} ORDER BY c.id DESC LIMIT ? OFFSET ?"
        ),
        params,
    )?;
    Ok(rows
        .into_iter()
        .map(
            |(id, changed_at, login, via, kind, sid, fio, gid, gname, what, old, new)| Entry {
                id,
                changed_at,
                login,
                via: Via::from_code(via),
                kind: Kind::name(&kind),
                student: sid.map(|s| (s, fio.unwrap_or_else(|| format!("ученик №{s}")))),
                group: gid.map(|g| (g, gname.unwrap_or_else(|| format!("группа №{g}")))),
                what,
                old,
                new,
            },
        )
        .collect())
}

/// The first instant of the local date `d` in UTC, for [`Filter`] bounds.
pub fn start_of(d: NaiveDate, tz: chrono_tz::Tz) -> NaiveDateTime {
    use chrono::TimeZone;
    tz.from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight"))
        .earliest()
        .map_or_else(
            || d.and_hms_opt(0, 0, 0).expect("midnight"),
            |t| t.naive_utc(),
        )
}

/// (id, login) of everyone who appears in the log, by login: the choices of the user filter.
pub fn authors(conn: &mut Conn) -> mysql::Result<Vec<(u32, String)>> {
    conn.query(
        "SELECT user_id, MAX(user_login) FROM change_log WHERE user_id IS NOT NULL
         GROUP BY user_id ORDER BY MAX(user_login)",
    )
}
