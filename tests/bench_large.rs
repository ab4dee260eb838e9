//! Latency on the large demo data set (`crmit seed-demo --size large`: ≈3000 students, 15000
//! lessons, 150000 attendance marks) through Apache CGI — the heavy API endpoints and the two
//! heaviest web pages — plus, per route, the number of SQL statements one request sends, and the
//! peak memory of one `dump`. Ignored by the normal test run:
//!
//! `cargo test --release --test bench_large -- --ignored --nocapture`
//!
//! `CRMIT_BENCH_BIN` names the binary to serve (default: the one cargo built for the tests);
//! `CRMIT_BENCH_N` the number of measured requests per route (default 100, after 5 warm-up).
//!
//! Statement counts are deltas of MariaDB's global `Questions` counter (every COM_QUERY and
//! COM_STMT_EXECUTE of any client) around one request. The test server is private to this
//! machine's test runs, so the count is exact only while no other test uses it at the same time:
//! each route is counted three times and the smallest delta kept, which filters out a concurrent
//! client unless it is busy during all three.

mod common;

use common::apache::{ApacheSite, agent};
use common::{CookieJar, TestDb};
use mysql::prelude::Queryable;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const API: &str = "/api/v1.1.0";
const WARMUP: usize = 5;
/// A substring of very many generated surnames (Иванов, Петрова, …): `students_list` has to scan.
const COMMON_SEARCH: &str = "%D0%BE%D0%B2"; // "ов"

/// One measured page: how to ask for it and what a correct answer contains.
struct Route {
    name: String,
    path: String,
    cookies: CookieJar,
    must_contain: &'static str,
}

/// The rows the routes point at: the group with the most members, its lesson with the most
/// attendance marks and that lesson's month.
struct Target {
    group_id: u64,
    members: u64,
    lesson_id: u64,
    month: u32,
}

#[test]
#[ignore = "benchmark on the large demo data set; run by hand or by scripts/bench"]
fn bench_large_data_through_apache_cgi() {
    let bin: PathBuf = setting("CRMIT_BENCH_BIN").unwrap_or_else(common::crmit_bin);
    let n: usize = setting("CRMIT_BENCH_N").unwrap_or(100);

    let db = TestDb::migrated();
    let started = Instant::now();
    db.crmit_ok(&["seed-demo", "--size", "large"]);
    let seeded_in = started.elapsed();
    let target = target(&db);
    let site = ApacheSite::start_with_binary(&db, &bin);

    let ma1_token = api_login(&site, "ma1");
    let dump_token = api_login(&site, "dump_creator");
    let mut web = site.client();
    web.login("ma1", "12");

    let api = |name: &str, path: String, token: &str, must_contain| Route {
        name: name.to_string(),
        path: format!("{API}{path}{}access_token={token}", sep(&path)),
        cookies: CookieJar::default(),
        must_contain,
    };
    let page = |name: &str, path: String, must_contain| Route {
        name: name.to_string(),
        path,
        cookies: web.jar.clone(),
        must_contain,
    };
    let g = target.group_id;
    let routes = [
        api(
            "api app_info",
            "/app_info".into(),
            &ma1_token,
            "actualAppBuildCode",
        ),
        api(
            "api groups_list",
            "/groups_list".into(),
            &ma1_token,
            "\"id\"",
        ),
        api(
            "api students_list search",
            format!("/students_list?search={COMMON_SEARCH}&offset=100&count=20"),
            &ma1_token,
            "\"fio\"",
        ),
        api(
            "api lesson_details",
            format!("/lesson_details/{}", target.lesson_id),
            &ma1_token,
            "\"attendings\"",
        ),
        api(
            "api payments",
            format!("/payments/{g}"),
            &ma1_token,
            "\"payments\"",
        ),
        api(
            "api schedule",
            "/schedule".into(),
            &ma1_token,
            "\"dayOfWeek\"",
        ),
        api("api dump", "/dump".into(), &dump_token, "\"student_fio\""),
        page(
            "web lessons month grid",
            format!("/lessons/{g}/{}", target.month),
            "<table",
        ),
        page(
            "web payments grid",
            format!("/payments/group/{g}"),
            "<table",
        ),
    ];

    let mut status = mariadb_admin();
    println!();
    println!(
        "large demo data set loaded in {:.1} s; fullest group {g} ({} members), lesson {}, month {}",
        seeded_in.as_secs_f64(),
        target.members,
        target.lesson_id,
        target.month
    );
    println!("binary: {}", bin.display());
    println!(
        "{n} sequential requests per route through Apache CGI, new connection each, after {WARMUP} warm-up"
    );
    println!("load average before: {}", load_average());
    println!();
    println!(
        "{:<26} | {:>8} | {:>8} | {:>8} | {:>9} | {:>10}",
        "route", "p50 ms", "p95 ms", "max ms", "SQL stmts", "body bytes"
    );
    println!(
        "{:-<26}-|-{:->8}-|-{:->8}-|-{:->8}-|-{:->9}-|-{:->10}",
        "", "", "", "", "", ""
    );
    for route in &routes {
        let (mut times, bytes) = (0..WARMUP + n)
            .map(|_| timed_get(&site, route))
            .skip(WARMUP)
            .unzip::<_, _, Vec<f64>, Vec<usize>>();
        times.sort_by(f64::total_cmp);
        let statements = (0..3)
            .map(|_| statements_of(&mut status, || timed_get(&site, route)))
            .min()
            .unwrap();
        println!(
            "{:<26} | {:>8.1} | {:>8.1} | {:>8.1} | {:>9} | {:>10}",
            route.name,
            percentile(&times, 0.50),
            percentile(&times, 0.95),
            times.last().unwrap(),
            statements,
            bytes.last().unwrap()
        );
    }
    println!();
    match dump_peak_rss_kib(&bin, &db.config_path, &dump_token) {
        Some(kib) => println!(
            "peak RSS of one api dump (binary run directly as CGI): {kib} KiB ({:.1} MiB)",
            kib as f64 / 1024.0
        ),
        None => println!("peak RSS of one api dump: not measured (/usr/bin/time -v unavailable)"),
    }
    println!("load average after: {}", load_average());
    println!();
}

/// An environment variable parsed, if set and valid.
fn setting<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok()?.parse().ok()
}

fn sep(path: &str) -> char {
    if path.contains('?') { '&' } else { '?' }
}

fn target(db: &TestDb) -> Target {
    let mut c = db.conn();
    let (group_id, members): (u64, u64) = c
        .query_first(
            "SELECT group_id, COUNT(*) FROM student_in_groups
             GROUP BY group_id ORDER BY COUNT(*) DESC, group_id LIMIT 1",
        )
        .unwrap()
        .expect("the large data set has groups with members");
    let (lesson_id, month): (u64, u32) = c
        .exec_first(
            "SELECT l.id, (YEAR(l.date) - 2017) * 12 + MONTH(l.date) - 1
             FROM lessons l JOIN attendings a ON a.lesson_id = l.id
             WHERE l.group_id = ? GROUP BY l.id, l.date ORDER BY COUNT(*) DESC, l.id LIMIT 1",
            (group_id,),
        )
        .unwrap()
        .expect("the fullest group has lessons with attendance marks");
    Target {
        group_id,
        members,
        lesson_id,
        month,
    }
}

/// Logs in through `POST /login` (rest-api.md §4.22) with the demo password and returns the token.
fn api_login(site: &ApacheSite, login: &str) -> String {
    let body = serde_json::json!({
        "login": login, "password": "12", "device": "bench", "appVersion": "1.3.2"
    });
    let resp = agent()
        .post(site.url(&format!("{API}/login")))
        .header("Content-Type", "application/json")
        .send(body.to_string().as_bytes())
        .unwrap_or_else(|e| panic!("API login as {login}: {e}"));
    let status = resp.status().as_u16();
    let text = resp.into_body().read_to_string().unwrap();
    assert_eq!(status, 200, "API login as {login}: {text}");
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc["token"].as_str().expect("a token").to_string()
}

/// One GET on a fresh client (so a new connection), checked; returns milliseconds (the whole body
/// read) and the body's size.
fn timed_get(site: &ApacheSite, route: &Route) -> (f64, usize) {
    let mut client = site.client();
    client.jar = route.cookies.clone();
    let start = Instant::now();
    let resp = client.get(&route.path);
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    let body = resp.text();
    assert_eq!(
        resp.status,
        200,
        "{}: {}\n{}",
        route.name,
        &body[..body.len().min(2000)],
        site.error_log()
    );
    assert!(
        body.contains(route.must_contain),
        "{}: no {:?} in\n{}",
        route.name,
        route.must_contain,
        &body[..body.len().min(2000)]
    );
    (ms, resp.body.len())
}

fn percentile(sorted_ms: &[f64], p: f64) -> f64 {
    sorted_ms[((sorted_ms.len() as f64 - 1.0) * p).round() as usize]
}

/// A connection to the test server that may read the global status.
fn mariadb_admin() -> mysql::Conn {
    common::mariadb::server().admin_conn()
}

fn questions(c: &mut mysql::Conn) -> u64 {
    let row: (String, u64) = c
        .query_first("SHOW GLOBAL STATUS LIKE 'Questions'")
        .unwrap()
        .unwrap();
    row.1
}

/// Statements the server received while `request` ran, less the reading `SHOW` itself.
fn statements_of<T>(c: &mut mysql::Conn, request: impl FnOnce() -> T) -> u64 {
    let before = questions(c);
    request();
    questions(c).saturating_sub(before + 1)
}

/// Runs the binary once as CGI for `GET /dump` under `/usr/bin/time -v`, the environment as Apache
/// sets it after the rewrite, and reads "Maximum resident set size" (KiB).
fn dump_peak_rss_kib(bin: &Path, config: &Path, token: &str) -> Option<u64> {
    let out = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(bin)
        .env_clear()
        .env("GATEWAY_INTERFACE", "CGI/1.1")
        .env("SERVER_PROTOCOL", "HTTP/1.1")
        .env("REQUEST_METHOD", "GET")
        .env("SCRIPT_NAME", "/cgi-bin/crmit")
        .env("PATH_INFO", format!("{API}/dump"))
        .env("QUERY_STRING", format!("access_token={token}"))
        .env("REQUEST_URI", format!("{API}/dump?access_token={token}"))
        .env("REMOTE_ADDR", "127.0.0.1")
        .env("SERVER_NAME", "localhost")
        .env("SERVER_PORT", "80")
        .env("HTTP_HOST", "localhost")
        .env("CONTENT_LENGTH", "0")
        .env("REDIRECT_CRMIT_CONFIG", config)
        .stdin(Stdio::null())
        .output()
        .ok()?;
    let head = String::from_utf8_lossy(&out.stdout[..out.stdout.len().min(200)]).into_owned();
    assert!(
        out.status.success()
            && !head.starts_with("Status: 4")
            && !head.starts_with("Status: 5")
            && out.stdout.windows(13).any(|w| w == b"\"student_fio\""),
        "dump as CGI failed: {head}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    println!("api dump as CGI: {} bytes of output", out.stdout.len());
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|v| v.trim().parse().ok())
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}
