//! Shared by the robustness tests generated from the route table (authz_matrix, csrf_sweep,
//! hostile_input): the route list from `crmit routes`, a fixture with an owner for every path id,
//! one client per role (web session or API token) and a snapshot of every table's content.

use crate::common::api::{self, valid_token};
use crate::common::{CgiRequest, CgiResponse, TestDb, WebClient, csrf_token};
use crate::common::{db::*, fixture::*};
use mysql::prelude::Queryable;
use std::collections::BTreeMap;

/// A pattern's concrete path with fixture variables: the route's own kind of row (`/users/master/{id}`
/// → `$master`), te1's group, st1 as the user.
pub fn default_path(pattern: &str) -> String {
    let mut noun = "";
    pattern
        .split('/')
        .map(|seg| match seg {
            "{group_id}" => "$group".to_string(),
            "{month_number}" => "$month".to_string(),
            "{lesson_id}" => "$lesson".to_string(),
            "{token_id}" => "$token_id".to_string(),
            "{session_id}" => "$session_id".to_string(),
            "{system_user_id}" | "{receiver_id}" => "$student_user".to_string(),
            s if s.starts_with('{') => {
                let base = noun
                    .trim_start_matches("delete_")
                    .trim_end_matches("_details")
                    .trim_end_matches("_in_group");
                format!("${base}")
            }
            s => {
                noun = s;
                s.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// One line of `crmit routes`.
#[derive(Debug, Clone)]
pub struct RouteLine {
    pub method: String,
    pub pattern: String,
    /// `anyone`, `api` or role letters such as `M,D,T`.
    pub access: String,
}

impl RouteLine {
    pub fn is_api(&self) -> bool {
        self.access == "api"
    }

    /// `METHOD PATTERN`, the key the corpus and matrix files use.
    pub fn key(&self) -> String {
        format!("{} {}", self.method, self.pattern)
    }
}

pub fn routes(db: &TestDb) -> Vec<RouteLine> {
    db.crmit_ok(&["routes"])
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(f.len(), 4, "bad `crmit routes` line {line:?}");
            RouteLine {
                method: f[0].into(),
                pattern: f[1].into(),
                access: f[2].into(),
            }
        })
        .collect()
}

/// The seeded database plus what every path id needs: a second teacher `te2` owning `веб-61`
/// (te1 keeps `робо-71`, the group every `$group` points at), a parent of st1, a lesson of
/// робо-71 with st1 «был» (so it cannot be deleted), and the ids as `$name` variables.
pub struct Fixture {
    pub db: TestDb,
    pub vars: BTreeMap<&'static str, String>,
}

/// The id of ma1's app session in the fixture (far above the ones the API login creates).
const FIXTURE_TOKEN_ID: u32 = 900_000;

/// The people of the matrix, in column order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Anonymous,
    Student,
    Teacher,
    OtherTeacher,
    Master,
    Developer,
    Bot,
}

pub const EVERYONE: [Who; 7] = [
    Who::Anonymous,
    Who::Student,
    Who::Teacher,
    Who::OtherTeacher,
    Who::Master,
    Who::Developer,
    Who::Bot,
];

impl Who {
    /// Login and password; `None` for the anonymous visitor.
    fn credentials(self) -> Option<(&'static str, &'static str)> {
        match self {
            Who::Anonymous => None,
            Who::Student => Some(("st1", "31082002")),
            Who::Teacher => Some(("te1", "12")),
            Who::OtherTeacher => Some(("te2", "12")),
            Who::Master => Some(("ma1", "12")),
            Who::Developer => Some(("dev1", "12")),
            Who::Bot => Some(("dump_creator", "12")),
        }
    }
}

impl Fixture {
    pub fn new() -> Fixture {
        let db = TestDb::seeded();
        add_second_teacher(&db);
        let group = group_id(&db, "робо-71");
        let student = student_id(&db, "st1");
        let teacher = teacher_id(&db, "te1");
        let parent = add_parent(&db, "Родитель Первый", "89030000000");
        add_child(&db, student, parent, true);
        let lesson = add_lesson(&db, group, teacher, "2018-01-15");
        add_attending(&db, lesson, student, 1);
        let details = |table: &str, login: &str| details_id(&db, table, login).to_string();
        let user = |login: &str| user_id(&db, login).to_string();
        let mut vars = BTreeMap::new();
        vars.insert("group", group.to_string());
        vars.insert("month", "12".to_string());
        vars.insert("student", student.to_string());
        vars.insert("teacher", teacher.to_string());
        vars.insert("master", details("masters", "ma1"));
        vars.insert("developer", details("developers", "dev1"));
        vars.insert("bot", details("bots", "dump_creator"));
        vars.insert("student_user", user("st1"));
        vars.insert("teacher_user", user("te1"));
        vars.insert("master_user", user("ma1"));
        vars.insert("parent", parent.to_string());
        vars.insert("lesson", lesson.to_string());
        vars.insert(
            "section",
            query_one::<u32>(&db, "SELECT id FROM sections WHERE name = 'робо'", ()).to_string(),
        );
        vars.insert(
            "school",
            query_one::<u32>(
                &db,
                "SELECT school_id FROM students WHERE id = (SELECT MIN(id) FROM students)",
                (),
            )
            .to_string(),
        );
        vars.insert(
            "citizenship",
            query_one::<u32>(
                &db,
                "SELECT citizenship_id FROM students WHERE id = (SELECT MIN(id) FROM students)",
                (),
            )
            .to_string(),
        );
        vars.insert("token_id", FIXTURE_TOKEN_ID.to_string());
        // A web session no one has: the sweeps' POSTs are refused before it is looked up.
        vars.insert("session_id", "999999".to_string());
        let fx = Fixture { db, vars };
        fx.restore_token();
        fx
    }

    /// (Re)writes ma1's app session `$token_id`, which `/users/logout_app…` routes end.
    pub fn restore_token(&self) {
        self.db
            .conn()
            .exec_drop(
                "INSERT IGNORE INTO access_tokens (id, system_user_id, expires, token_hash, device, last_use, app_version)
                 SELECT ?, id, UTC_TIMESTAMP() + INTERVAL 1 DAY, 'h1$fixture', 'phone', UTC_TIMESTAMP(), '1.0'
                 FROM system_users WHERE login = 'ma1'",
                (FIXTURE_TOKEN_ID,),
            )
            .unwrap();
    }

    /// `text` with every `$name` replaced by the fixture's value (longest names first, so that
    /// `$student_user` is not read as `$student` + `_user`).
    pub fn fill(&self, text: &str) -> String {
        let mut names: Vec<&&str> = self.vars.keys().collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        let mut out = text.to_string();
        for name in names {
            out = out.replace(&format!("${name}"), &self.vars[*name]);
        }
        assert!(!out.contains('$'), "unknown variable in {text:?}");
        out
    }

    /// A web client logged in as `who` (a bot's login is refused: it stays anonymous).
    pub fn web(&self, who: Who) -> WebClient<'_> {
        let mut client = WebClient::new(&self.db);
        if let Some((login, password)) = who.credentials() {
            let resp = client.submit(
                "/users/login",
                "/users/login",
                &[("login", login), ("password", password)],
            );
            let logged_in = resp.status == 302 && resp.location() == Some("/");
            assert_eq!(
                logged_in,
                who != Who::Bot,
                "web login as {login}: {}",
                resp.text()
            );
        }
        client
    }

    /// An API token of `who`: the API login for everyone it admits, a token written straight
    /// into the table for the student (whom the API login refuses); `None` for the anonymous.
    pub fn api_token(&self, who: Who) -> Option<String> {
        match who.credentials() {
            None => None,
            Some(("st1", _)) => Some(valid_token(&self.db, "st1")),
            Some((login, password)) => Some(api::login(&self.db, login, password)),
        }
    }
}

/// The session's CSRF token, read from a page every logged-in user (and the anonymous) can open.
pub fn session_csrf(web: &mut WebClient) -> String {
    let page = web.get("/users/change_password");
    let page = if page.status == 200 {
        page
    } else {
        web.get("/users/login")
    };
    csrf_token(&page.text())
}

/// A POST of a raw url-encoded body (sent as is: malformed escapes stay malformed).
pub fn post_raw_form(path: &str, body: &str) -> CgiRequest {
    CgiRequest::post_raw(path, "application/x-www-form-urlencoded", body.as_bytes())
}

pub fn post_json(path: &str, body: &str) -> CgiRequest {
    CgiRequest::post_raw(path, "application/json", body.as_bytes())
}

/// `path` with `access_token=` appended to its query string.
pub fn with_token(path: &str, token: Option<&str>) -> String {
    match token {
        None => path.to_string(),
        Some(t) => {
            let sep = if path.contains('?') { '&' } else { '?' };
            format!("{path}{sep}access_token={t}")
        }
    }
}

/// Columns that every request may change (last visit, a token's sliding window); left out of
/// the snapshot so that "nothing was written" means the data.
const VOLATILE: &[(&str, &str)] = &[
    ("system_users", "last_seen"),
    ("system_users", "last_seen_where"),
    ("access_tokens", "last_use"),
    ("access_tokens", "expires"),
];

/// Counters written by every request on purpose, and the money figures that a read computes and
/// keeps for the next one (`debts_cache`, raised by writes, filled by the reads after them).
const NOT_DATA: &[&str] = &["page_visits", "login_throttle", "debts_cache"];

/// The content of every table: `CHECKSUM TABLE` where no column is volatile, else a checksum of
/// the other columns.
pub fn snapshot(db: &TestDb) -> BTreeMap<String, String> {
    let mut c = db.conn();
    let tables: Vec<String> = c
        .query("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1")
        .unwrap();
    let mut out = BTreeMap::new();
    for table in tables {
        if NOT_DATA.contains(&table.as_str()) {
            continue;
        }
        let volatile: Vec<&str> = VOLATILE
            .iter()
            .filter(|(t, _)| *t == table)
            .map(|(_, col)| *col)
            .collect();
        let sum: Option<String> = if volatile.is_empty() {
            c.query_first::<(String, Option<i64>), _>(format!("CHECKSUM TABLE `{table}`"))
                .unwrap()
                .and_then(|(_, sum)| sum.map(|s| s.to_string()))
        } else {
            let columns: Vec<String> = c
                .exec(
                    "SELECT column_name FROM information_schema.columns
                     WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position",
                    (&table,),
                )
                .unwrap();
            let kept: Vec<String> = columns
                .into_iter()
                .filter(|col| !volatile.contains(&col.as_str()))
                .map(|col| format!("COALESCE(`{col}`, '\\N')"))
                .collect();
            c.query_first(format!(
                "SELECT COALESCE(SUM(CRC32(CONCAT_WS('|', {}))), 0) FROM `{table}`",
                kept.join(", ")
            ))
            .unwrap()
            .map(|s: u64| format!("{s}/{}", db.count(&table)))
        };
        out.insert(table, sum.unwrap_or_default());
    }
    out
}

/// The tables whose content differs between two snapshots.
pub fn changed(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> Vec<String> {
    after
        .iter()
        .filter(|(t, sum)| before.get(*t) != Some(sum))
        .map(|(t, _)| t.clone())
        .collect()
}

/// A response line for failure messages.
pub fn describe(resp: &CgiResponse) -> String {
    let text = resp.text();
    let short: String = text.chars().take(300).collect();
    format!(
        "{} {:?} {short:?} {}",
        resp.status,
        resp.location(),
        resp.stderr.trim()
    )
}
