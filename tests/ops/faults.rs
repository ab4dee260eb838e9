//! Faults (issue 7, item 7): the database down or hung gives the Russian 503 page (the API: the
//! contract's 500 body) within 2 seconds, directly and through Apache; a request killed in the
//! middle of its transaction, or whose connection the server drops there, leaves no partial
//! write; a save that a deadlock makes the victim runs again and saves; two masters saving the
//! same payments grid at the same moment lose neither's change, and when both change one cell,
//! one wins and the other is told.

use crate::common;

use crate::common::apache::crash_lines;
use crate::common::{db::*, fixture::*, form::*};
use crate::sweep::{changed, describe, snapshot};
use common::apache::ApacheSite;
use common::{CgiRequest, CgiResponse, TestDb, WebClient, config_text, csrf_token};
use mysql::prelude::Queryable;
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

/// Issue 7: the visitor learns that the database is down within this.
const DOWN_ANSWER_WITHIN: Duration = Duration::from_secs(2);
/// How long the tests wait for something that happens in milliseconds when all is well.
const PATIENCE: Duration = Duration::from_secs(30);
/// An API page (api_support adds the version prefix).
const API_GROUPS: &str = "/groups_list";

/// A "database" that accepts connections and never says a word: a hung server.
struct HungDatabase {
    _dir: tempfile::TempDir,
    socket: PathBuf,
    accepted: Arc<AtomicUsize>,
}

impl HungDatabase {
    fn start() -> HungDatabase {
        // Under /tmp and open to all: Apache's CGI children (www-data) connect to it too.
        let dir = tempfile::Builder::new()
            .prefix("crmit-hung-db-")
            .tempdir_in("/tmp")
            .unwrap();
        chmod(dir.path(), 0o755);
        let socket = dir.path().join("mysqld.sock");
        let listener = UnixListener::bind(&socket).unwrap();
        chmod(&socket, 0o777);
        let accepted = Arc::new(AtomicUsize::new(0));
        let count = accepted.clone();
        std::thread::spawn(move || {
            let mut held = Vec::new(); // never answered, never closed
            for stream in listener.incoming().flatten() {
                count.fetch_add(1, Ordering::SeqCst);
                held.push(stream);
            }
        });
        HungDatabase {
            _dir: dir,
            socket,
            accepted,
        }
    }
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Points a `crmit.toml` at `socket` (the test database's name stays).
fn point_config(config: &Path, socket: &Path, db: &TestDb) {
    std::fs::write(config, config_text(socket, &db.name, "")).unwrap();
}

/// Runs one CGI request; see `answer_of`.
fn bounded_cgi(db: &TestDb, req: CgiRequest) -> CgiResponse {
    answer_of(common::spawn_cgi(&db.config_path, &req))
}

/// The answer of a running CGI process, killing it (and failing) when it has not answered in 10
/// seconds: a regression that hangs fails instead of stalling the test run.
fn answer_of(mut child: Child) -> CgiResponse {
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(10) {
            child.kill().unwrap();
            panic!("the CGI process did not answer in 10 s");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let out = child.wait_with_output().unwrap();
    common::parse_cgi_output(&out.stdout, String::from_utf8_lossy(&out.stderr).into())
}

/// `send` timed: the answer must come within the promised time.
fn answered_in_time(what: &str, send: impl FnOnce() -> CgiResponse) -> CgiResponse {
    let started = Instant::now();
    let resp = send();
    let took = started.elapsed();
    println!("{what}: {} in {} ms", resp.status, took.as_millis());
    assert!(took < DOWN_ANSWER_WITHIN, "{what}: took {took:?}");
    resp
}

/// The answer is the Russian 503 page, in time.
fn assert_web_unavailable(what: &str, send: impl FnOnce() -> CgiResponse) {
    let resp = answered_in_time(what, send);
    assert_eq!(resp.status, 503, "{what}: {}", describe(&resp));
    let text = resp.text();
    assert!(
        text.contains("503 - сервис временно недоступен"),
        "{what}: {text}"
    );
    assert!(text.contains("база данных недоступна"), "{what}: {text}");
}

/// The answer is the API contract's 500 `internal server error` (src/api/README.md §3), in time.
fn assert_api_unavailable(what: &str, send: impl FnOnce() -> CgiResponse) {
    let resp = answered_in_time(what, send);
    common::api::assert_plain(&resp, 500, "internal server error");
}

#[test]
fn database_down_or_hung_gives_the_503_page_and_the_api_500_within_2_seconds() {
    let db = TestDb::seeded();
    let g = group_id(&db, "робо-71");
    let grid = format!("/payments/group/{g}");
    let token = common::api::login(&db, "ma1", "12");
    let api_path = common::api::with_token(API_GROUPS, &token);
    let mut web = WebClient::login(&db, "ma1", "12");
    let csrf = csrf_token(&web.get(&grid).text());
    let sig: u32 = query_one(
        &db,
        "SELECT id FROM student_in_groups WHERE group_id = ?",
        (g,),
    );
    let save = CgiRequest::post_form(
        &grid,
        &[
            ("csrf_token", csrf.as_str()),
            (&format!("p_10_{sig}"), "300"),
        ],
    );
    let hung = HungDatabase::start();
    let site = ApacheSite::start(&db);
    let site_config = site.docroot.join("cgi-bin/crmit.toml");
    let mut http = site.client();
    http.login("ma1", "12");
    let before = snapshot(&db);
    let faults = [
        ("missing socket", PathBuf::from("/nonexistent/mysqld.sock")),
        ("hung server", hung.socket.clone()),
    ];
    for (fault, socket) in &faults {
        point_config(&db.config_path, socket, &db);
        point_config(&site_config, socket, &db);
        assert_web_unavailable(&format!("{fault}: CGI GET / anonymous"), || {
            bounded_cgi(&db, CgiRequest::get("/"))
        });
        assert_web_unavailable(&format!("{fault}: CGI GET grid as ma1"), || {
            bounded_cgi(&db, CgiRequest::get(&grid).with_cookies(&web.jar))
        });
        assert_web_unavailable(&format!("{fault}: CGI POST grid as ma1"), || {
            bounded_cgi(&db, save.clone().with_cookies(&web.jar))
        });
        assert_api_unavailable(&format!("{fault}: CGI API groups_list"), || {
            bounded_cgi(&db, CgiRequest::get(&api_path))
        });
        assert_web_unavailable(&format!("{fault}: Apache GET grid as ma1"), || {
            http.get(&grid)
        });
        assert_api_unavailable(&format!("{fault}: Apache API groups_list"), || {
            http.get(&api_path)
        });
    }
    assert!(
        hung.accepted.load(Ordering::SeqCst) >= 5,
        "the requests did reach the hung server"
    );
    let log = site.error_log();
    assert!(crash_lines(&log).is_empty(), "Apache error log:\n{log}");

    // The database back: the same requests work, and nothing was written meanwhile.
    let server = common::mariadb::server();
    point_config(&db.config_path, &server.socket, &db);
    point_config(&site_config, &server.socket, &db);
    assert_eq!(http.get(&grid).status, 200);
    assert_eq!(db.cgi(&CgiRequest::get(&api_path)).status, 200);
    assert_eq!(changed(&before, &snapshot(&db)), Vec::<String>::new());
}

/// The seeded group робо-71 (months 8…16) with st1 as its only member: a payments grid whose
/// cells the save writes in month order, so the cell of the last month (16) is written last.
struct BlockedSave {
    db: TestDb,
    /// The CGI process of the save, blocked on the last cell (taken by the test that waits for it).
    child: Option<Child>,
    /// The test's transaction holding the last cell's row lock.
    locker: mysql::Conn,
    /// The CGI's connection id in the server.
    cgi_connection: u32,
    before: BTreeMap<String, String>,
}

const FIRST_MONTH: i32 = 8;
const LAST_MONTH: i32 = 16;
const NEW_VALUE: &str = "300";

/// Opens ma1's payments grid, changes every cell to 300 ₽, and posts it while the test holds
/// the row lock of the last cell: returns once the CGI has written every earlier cell (seen
/// with READ UNCOMMITTED) and waits for the lock inside its transaction.
fn save_blocked_on_the_last_cell() -> BlockedSave {
    let db = TestDb::seeded();
    let g = group_id(&db, "робо-71");
    let sig: u32 = query_one(
        &db,
        "SELECT id FROM student_in_groups WHERE group_id = ?",
        (g,),
    );
    let last = exec(
        &db,
        "INSERT INTO payments (student_in_group_id, month, value, cash, confirmed, comment) VALUES (?, ?, 0, 1, 0, '')",
        (sig, LAST_MONTH),
    );
    let mut web = WebClient::login(&db, "ma1", "12");
    let path = format!("/payments/group/{g}");
    let mut fields = form_fields(&web.get(&path).text(), "name=\"submit\"");
    for month in FIRST_MONTH..=LAST_MONTH {
        set_field(&mut fields, &format!("p_{month}_{sig}"), Some(NEW_VALUE));
    }
    let before = snapshot(&db);

    let mut locker = db.conn();
    locker.query_drop("START TRANSACTION").unwrap();
    // By primary key: a lock on that row only, no gap that would stop the earlier inserts.
    let locked: Option<u32> = locker
        .exec_first("SELECT id FROM payments WHERE id = ? FOR UPDATE", (last,))
        .unwrap();
    assert_eq!(locked, Some(last));

    let req = CgiRequest::post_form(&path, &as_refs(&fields)).with_cookies(&web.jar);
    let mut child = common::spawn_cgi(&db.config_path, &req);
    let mut watcher = db.conn();
    watcher
        .query_drop("SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED")
        .unwrap();
    let earlier_cells = (LAST_MONTH - FIRST_MONTH) as u64;
    let started = Instant::now();
    let cgi_connection = loop {
        let written: u64 = watcher
            .exec_first(
                "SELECT COUNT(*) FROM payments WHERE student_in_group_id = ? AND month < ? AND value = ?",
                (sig, LAST_MONTH, NEW_VALUE),
            )
            .unwrap()
            .unwrap();
        // The last cell's update, running (it waits for the lock: it would end in a moment).
        let waiting: Option<u32> = watcher
            .exec_first(
                "SELECT id FROM information_schema.processlist
                 WHERE db = ? AND info LIKE 'UPDATE payments%'",
                (&db.name,),
            )
            .unwrap();
        if let (true, Some(id)) = (written == earlier_cells, waiting) {
            break id;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the save ended before blocking ({status}); {written} cells seen");
        }
        assert!(
            started.elapsed() < PATIENCE,
            "the save did not block on the last cell: {written} of {earlier_cells} earlier cells written, waiting: {waiting:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    BlockedSave {
        db,
        child: Some(child),
        locker,
        cgi_connection,
        before,
    }
}

impl BlockedSave {
    /// Releases the lock and waits until the server has ended the CGI's connection (and so
    /// finished with its transaction).
    fn release_and_settle(&mut self) {
        self.locker.query_drop("ROLLBACK").unwrap();
        let started = Instant::now();
        while started.elapsed() < PATIENCE {
            let alive: Option<u32> = self
                .locker
                .exec_first(
                    "SELECT id FROM information_schema.processlist WHERE id = ?",
                    (self.cgi_connection,),
                )
                .unwrap();
            if alive.is_none() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("connection {} did not end", self.cgi_connection);
    }

    fn assert_nothing_written(&self) {
        assert_eq!(
            changed(&self.before, &snapshot(&self.db)),
            Vec::<String>::new(),
            "a partial write survived"
        );
    }
}

#[test]
fn a_save_killed_in_the_middle_of_its_transaction_leaves_no_partial_write() {
    let mut save = save_blocked_on_the_last_cell();
    let mut child = save.child.take().unwrap();
    child.kill().unwrap(); // SIGKILL: no chance to roll back by itself
    child.wait().unwrap();
    save.release_and_settle();
    save.assert_nothing_written();
}

#[test]
fn a_connection_dropped_by_the_server_mid_transaction_gives_a_500_page_and_no_partial_write() {
    let mut save = save_blocked_on_the_last_cell();
    save.locker
        .query_drop(format!("KILL CONNECTION {}", save.cgi_connection))
        .unwrap();
    let resp = answer_of(save.child.take().unwrap());
    assert_eq!(resp.status, 500, "{}", describe(&resp));
    assert!(
        resp.text()
            .contains("<h1 class=\"error-title\">500 - внутренняя ошибка сервера</h1>"),
        "{}",
        describe(&resp)
    );
    save.release_and_settle();
    save.assert_nothing_written();
}

fn innodb_deadlocks(conn: &mut mysql::Conn) -> u64 {
    let (_, count): (String, u64) = conn
        .query_first("SHOW GLOBAL STATUS LIKE 'Innodb_deadlocks'")
        .unwrap()
        .unwrap();
    count
}

#[test]
fn a_save_chosen_as_a_deadlock_victim_runs_again_and_succeeds() {
    let mut save = save_blocked_on_the_last_cell();
    let sig: u32 = query_one(
        &save.db,
        "SELECT id FROM student_in_groups WHERE group_id = ?",
        (group_id(&save.db, "робо-71"),),
    );
    let deadlocks_before = innodb_deadlocks(&mut save.db.conn());
    // InnoDB rolls back the transaction that changed less: make the test's the heavier one.
    save.locker
        .exec_drop(
            "INSERT INTO login_throttle (scope, subject, failures, window_start)
             SELECT 'deadlock', CONCAT('weight-', seq), 0, NOW() FROM seq_1_to_200",
            (),
        )
        .unwrap();
    // The save holds its first cell (inserted, uncommitted) and waits for the last one, which the
    // test holds: asking for the first closes the cycle. The save is the victim; this statement
    // then gets its lock (a gap lock: the save's row is gone), which stops the rerun there.
    let first: Option<u32> = save
        .locker
        .exec_first(
            "SELECT id FROM payments WHERE student_in_group_id = ? AND month = ? FOR UPDATE",
            (sig, FIRST_MONTH),
        )
        .unwrap();
    assert_eq!(first, None, "the victim's insert is rolled back");
    assert_eq!(
        innodb_deadlocks(&mut save.db.conn()),
        deadlocks_before + 1,
        "no deadlock happened"
    );
    save.locker.query_drop("ROLLBACK").unwrap();

    let resp = answer_of(save.child.take().unwrap());
    assert_eq!(
        resp.status,
        302,
        "the rerun did not save: {}",
        describe(&resp)
    );
    let values: Vec<(i32, i64)> = save
        .db
        .conn()
        .exec(
            "SELECT month, value FROM payments WHERE student_in_group_id = ? ORDER BY month",
            (sig,),
        )
        .unwrap();
    let expected: Vec<(i32, i64)> = (FIRST_MONTH..=LAST_MONTH)
        .map(|m| (m, NEW_VALUE.parse().unwrap()))
        .collect();
    assert_eq!(values, expected, "every cell saved exactly once");
    assert_eq!(
        save.db.count("login_throttle"),
        0,
        "the test's own rows rolled back"
    );
}

/// The seeded group робо-71 with two more members (27 payment cells) and a second master:
/// ma1 and ma2 each with their session.
struct TwoMasters {
    db: TestDb,
    path: String,
    sigs: Vec<u32>,
}

/// One master's edit of one cell: (member, month), amount, comment.
type Edit = ((u32, i32), i32, String);

impl TwoMasters {
    fn new() -> TwoMasters {
        let db = TestDb::seeded();
        let g = group_id(&db, "робо-71");
        for (login, fio) in [("st2", "Борисов Борис"), ("st3", "Васильев Василий")]
        {
            let student = add_student(&db, login, fio);
            add_member(&db, student, g, 0, FIRST_MONTH, LAST_MONTH);
        }
        add_master(&db, "ma2", "Второй Руководитель");
        let sigs = db
            .conn()
            .exec(
                "SELECT id FROM student_in_groups WHERE group_id = ? ORDER BY id",
                (g,),
            )
            .unwrap();
        TwoMasters {
            db,
            path: format!("/payments/group/{g}"),
            sigs,
        }
    }

    fn masters(&self) -> [WebClient<'_>; 2] {
        [
            WebClient::login(&self.db, "ma1", "12"),
            WebClient::login(&self.db, "ma2", "12"),
        ]
    }

    /// Every cell, member by member.
    fn all_cells(&self) -> Vec<(u32, i32)> {
        self.sigs
            .iter()
            .flat_map(|&sig| (FIRST_MONTH..=LAST_MONTH).map(move |m| (sig, m)))
            .collect()
    }

    /// The amount and comment of every cell (a missing row reads as 0 and "").
    fn cells(&self) -> BTreeMap<(u32, i32), (i32, String)> {
        let mut c = self.db.conn();
        self.all_cells()
            .into_iter()
            .map(|(sig, month)| {
                let row: Option<(i32, String)> = c
                    .exec_first(
                        "SELECT value, comment FROM payments WHERE student_in_group_id = ? AND month = ?",
                        (sig, month),
                    )
                    .unwrap();
                ((sig, month), row.unwrap_or_default())
            })
            .collect()
    }

    /// Both masters open the grid, make their edit, and post at the same moment; returns
    /// whether each was told that a cell was not saved (the flash on the reloaded grid).
    fn save_at_once(&self, masters: &mut [WebClient<'_>; 2], edits: [Edit; 2]) -> [bool; 2] {
        let forms: Vec<Vec<(String, String)>> = masters
            .iter_mut()
            .map(|m| form_fields(&m.get(&self.path).text(), "name=\"submit\""))
            .collect();
        let start = Barrier::new(2);
        let answers: Vec<CgiResponse> = std::thread::scope(|s| {
            let threads: Vec<_> = masters
                .iter_mut()
                .zip(forms)
                .zip(edits)
                .map(|((master, mut fields), ((sig, month), value, comment))| {
                    let value = value.to_string();
                    set_field(&mut fields, &format!("p_{month}_{sig}"), Some(&value));
                    set_field(
                        &mut fields,
                        &format!("comment_{month}_{sig}"),
                        Some(&comment),
                    );
                    let start = &start;
                    s.spawn(move || {
                        start.wait();
                        master.send(CgiRequest::post_form(&self.path, &as_refs(&fields)))
                    })
                })
                .collect();
            threads.into_iter().map(|t| t.join().unwrap()).collect()
        });
        for answer in &answers {
            assert_eq!(answer.status, 302, "{}", describe(answer));
        }
        let told = |m: &mut WebClient| {
            m.get(&self.path)
                .text()
                .contains("(изменено другим пользователем)")
        };
        [told(&mut masters[0]), told(&mut masters[1])]
    }
}

#[test]
fn two_masters_saving_different_cells_of_one_grid_at_once_lose_no_update() {
    let fx = TwoMasters::new();
    let mut masters = fx.masters();
    let cells = fx.all_cells();
    let mut expected = fx.cells();
    for round in 0..20 {
        // Two different cells a round, walking the whole grid (new rows first, then updates).
        let edits: [Edit; 2] = std::array::from_fn(|who| {
            let cell = cells[(2 * round + who) % cells.len()];
            (
                cell,
                (10 * round + who + 1) as i32,
                format!("раунд {round} мастер {who}"),
            )
        });
        let told = fx.save_at_once(&mut masters, edits.clone());
        assert_eq!(told, [false, false], "round {round}: {edits:?}");
        for (cell, value, comment) in edits {
            expected.insert(cell, (value, comment));
        }
        assert_eq!(fx.cells(), expected, "round {round}");
    }
}

#[test]
fn two_masters_changing_one_cell_at_once_one_wins_and_the_other_is_told() {
    let fx = TwoMasters::new();
    let mut masters = fx.masters();
    let cells = fx.all_cells();
    for round in 0..12 {
        // New rows and (from the second visit of a cell on) updates of existing ones.
        let cell = cells[round % 6];
        let edits: [Edit; 2] = std::array::from_fn(|who| {
            (
                cell,
                (10 * round + who + 1) as i32,
                format!("раунд {round} мастер {who}"),
            )
        });
        let before = fx.cells();
        let told = fx.save_at_once(&mut masters, edits.clone());
        let after = fx.cells();
        let winner = match told {
            [false, true] => 0,
            [true, false] => 1,
            _ => panic!("round {round}: exactly one master must be told, were {told:?}"),
        };
        let mut expected = before;
        expected.insert(cell, (edits[winner].1, edits[winner].2.clone()));
        assert_eq!(after, expected, "round {round}: master {winner} won");
    }
}
