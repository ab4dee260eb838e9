//! The same binary as a mod_fcgid application behind a real Apache (`htaccess/fcgid.htaccess`):
//! it is recognised without arguments, keeps one worker process and one database connection across
//! requests, survives the connection being killed, and answers exactly as CGI does.

use crate::common;

use common::TestDb;
use common::apache::{ApacheSite, HttpClient, Mode};
use mysql::prelude::Queryable;
use std::path::{Path, PathBuf};

/// Pids of the running processes whose executable is `binary` (the fcgid workers).
fn workers(binary: &Path) -> Vec<u32> {
    let mut pids: Vec<u32> = std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|p| p == binary))
        .collect();
    pids.sort();
    pids
}

fn worker_binary(site: &ApacheSite) -> PathBuf {
    site.docroot.join("cgi-bin").join("crmit")
}

/// Read through the test's one connection: a short-lived extra connection can still be listed
/// in the processlist right after it closed and would be taken for a second worker connection.
fn visits(conn: &mut mysql::Conn, page: &str) -> u64 {
    conn.exec_first(
        "SELECT visits_count FROM page_visits WHERE page_name = ?",
        (page,),
    )
    .unwrap()
    .unwrap_or(0)
}

/// The connections to this test's database other than `conn`'s own (the worker's).
fn other_connections(db: &TestDb, conn: &mut mysql::Conn) -> Vec<u64> {
    conn.exec(
        "SELECT id FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID()",
        (&db.name,),
    )
    .unwrap()
}

#[test]
fn one_worker_serves_many_requests_with_one_connection() {
    let db = TestDb::seeded();
    let site = ApacheSite::start_fcgid(&db);
    let mut web = site.client();
    web.login("ma1", "12");
    let home = web.get("/");
    assert_eq!(home.status, 200, "{}\n{}", home.text(), site.error_log());
    assert!(home.text().contains("добро пожаловать, ma1"));
    // The security headers come from the one place CGI and FastCGI share (issue #17).
    for (name, value) in [
        ("x-frame-options", "DENY"),
        ("cache-control", "no-store"),
        ("referrer-policy", "same-origin"),
    ] {
        assert_eq!(home.header(name), Some(value), "{:?}", home.headers);
    }
    assert!(home.header("content-security-policy").is_some());

    let pids = workers(&worker_binary(&site));
    assert_eq!(pids.len(), 1, "one fcgid worker after login: {pids:?}");
    let mut conn = db.conn();
    let before = visits(&mut conn, "GET /");
    // Connections of the processes that seeded the database may linger briefly after they exit.
    let mut connections = other_connections(&db, &mut conn);
    for _ in 0..50 {
        if connections.len() == 1 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        connections = other_connections(&db, &mut conn);
    }
    for _ in 0..10 {
        assert_eq!(web.get("/").status, 200);
    }
    assert_eq!(visits(&mut conn, "GET /"), before + 10);
    assert_eq!(
        workers(&worker_binary(&site)),
        pids,
        "the same worker answered every request"
    );
    assert_eq!(
        other_connections(&db, &mut conn),
        connections,
        "the worker kept its one connection"
    );
    assert_eq!(connections.len(), 1, "{connections:?}");
}

#[test]
fn a_killed_connection_is_reopened() {
    let db = TestDb::seeded();
    let site = ApacheSite::start_fcgid(&db);
    let mut web = site.client();
    web.login("ma1", "12");
    assert_eq!(web.get("/users/masters").status, 200);
    let pids = workers(&worker_binary(&site));

    let mut conn = db.conn();
    let killed = other_connections(&db, &mut conn);
    assert!(!killed.is_empty());
    for id in &killed {
        conn.query_drop(format!("KILL {id}")).unwrap();
    }
    let resp = web.get("/users/masters");
    assert_eq!(resp.status, 200, "{}\n{}", resp.text(), site.error_log());
    assert!(resp.text().contains("ma1"));
    assert_eq!(workers(&worker_binary(&site)), pids, "the worker survived");
    let now = other_connections(&db, &mut conn);
    assert_eq!(now.len(), 1);
    assert!(
        !killed.contains(&now[0]),
        "a new connection: {now:?} vs {killed:?}"
    );
    // Writes still work: a form post through the reopened connection.
    let logout = web.submit("/", "/users/logout", &[]);
    assert_eq!(logout.status, 302, "{}", logout.text());
}

#[test]
fn answers_are_those_of_cgi() {
    let db = TestDb::seeded();
    let fcgi = ApacheSite::start_fcgid(&db);
    let cgi = ApacheSite::start_with(&db, &common::crmit_bin(), Mode::Cgi);
    let mut web = fcgi.client();
    web.login("ma1", "12");
    // The same session cookie on both sites (same config and secret): same user, same CSRF token.
    let mut web_cgi = HttpClient::new(&cgi.base_url());
    web_cgi.jar = web.jar.clone();
    for path in [
        "/",
        "/users/masters",
        "/users/students",
        "/structure/sections",
        "/schedule/",
        "/no/such/page",
        "/users/student_details/999999",
        "/users/login?next=%2Fcrm",
    ] {
        let a = web.get(path);
        let b = web_cgi.get(path);
        assert_eq!(a.status, b.status, "{path}");
        assert_eq!(a.text(), b.text(), "{path}: bodies differ");
        assert_eq!(a.header("Content-Type"), b.header("Content-Type"), "{path}");
        assert_eq!(a.header("Location"), b.header("Location"), "{path}");
    }
    // Anonymous: an invalid form post is refused alike.
    let a = HttpClient::new(&fcgi.base_url()).post_form("/users/login", &[("login", "x")]);
    let b = HttpClient::new(&cgi.base_url()).post_form("/users/login", &[("login", "x")]);
    assert_eq!((a.status, a.text()), (b.status, b.text()));
    assert!(!fcgi.error_log().contains("crmit:"), "{}", fcgi.error_log());
}
