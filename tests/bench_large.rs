//! The benchmark report of `scripts/bench` (ignored by the normal test run): every route group —
//! index, lists, details and forms, the month grid, payments, statistics, timetable, the student
//! cabinet, the API lists and details, the dumps — on the `large` demo data set
//! (`crmit seed-demo --size large`: ≈3000 students, 300 groups, 14,000 lessons, 150,000
//! attendance marks) through a real Apache.
//!
//! Per route: sequential requests through Apache CGI, each on a new connection (p50/p95/max), the
//! same under 4 and 8 concurrent clients, the p50 under mod_fcgid (the FastCGI mode of the same
//! binary), the number of SQL statements one request sends and the peak RSS of one request (the
//! binary run directly as CGI under `/usr/bin/time -v`). Two floor rows show what Apache itself
//! costs: a static file, and a static C "hello" run as CGI.
//!
//! `CRMIT_BENCH_BIN` names the binary to serve (default: the one cargo built for the tests);
//! `CRMIT_BENCH_N` the number of sequential requests per route (default 100; the dumps get a tenth);
//! `CRMIT_BENCH_ONLY` a comma-separated list of words, to measure only the routes named with one.
//!
//! Statement counts are deltas of MariaDB's global `Questions` counter (every COM_QUERY and
//! COM_STMT_EXECUTE of any client) around one request; the smallest of three is kept, which filters
//! out a concurrent client of the private test server.

mod common;

use common::apache::{ApacheSite, Mode, agent, files_under};
use common::{CookieJar, TestDb};
use mysql::prelude::Queryable;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const API: &str = "/api/v1.1.0";
const WARMUP: usize = 3;
/// A substring of very many generated surnames (Иванов, Петрова, …): the search has to scan.
const COMMON_SEARCH: &str = "%D0%BE%D0%B2"; // "ов"

/// What a route is held to (issue targets on this 2-core machine): p50 in milliseconds.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// Index, lists, details, forms and API answers: ≤ 5 ms.
    Page,
    /// The month grid, payments, statistics, money reports, timetable and dialogs list: ≤ 10 ms.
    Grid,
    /// The whole database as JSON: ≤ 250 ms.
    Dump,
    /// Apache alone, for comparison: no target.
    Floor,
}

impl Kind {
    fn target_ms(self) -> Option<f64> {
        match self {
            Kind::Page => Some(5.0),
            Kind::Grid => Some(10.0),
            Kind::Dump => Some(250.0),
            Kind::Floor => None,
        }
    }
}

/// One measured page: how to ask for it and what a correct answer contains.
struct Route {
    kind: Kind,
    name: String,
    path: String,
    cookie: Option<String>,
    must_contain: &'static str,
}

/// The rows the routes point at: the group with the most members, its lesson with the most
/// attendance marks and that lesson's month, a member of the group and a parent of theirs.
struct Target {
    group: u64,
    members: u64,
    teacher: u64,
    lesson: u64,
    month: u32,
    student: u64,
    parent: u64,
}

/// The figures of one route.
#[derive(Default)]
struct Row {
    seq: Vec<f64>,
    c4: Vec<f64>,
    c8: Vec<f64>,
    fastcgi: Vec<f64>,
    statements: Option<u64>,
    rss_kib: Option<u64>,
    /// The `Server-Timing` phases of each sequential request, in ms.
    split: Vec<Vec<(String, f64)>>,
}

/// The phases a request reports in `Server-Timing` (src/app/timing.rs), in order.
const PHASES: [&str; 5] = ["connect", "begin", "handler", "render", "end"];

#[test]
#[ignore = "benchmark on the large demo data set; run by scripts/bench"]
fn bench_every_route_group_on_large_data() {
    let bin: PathBuf = setting("CRMIT_BENCH_BIN").unwrap_or_else(common::crmit_bin);
    let n: usize = setting("CRMIT_BENCH_N").unwrap_or(100);
    // CRMIT_BENCH_ONLY=debtors,index measures only the routes whose names contain one of the
    // words (the floors always), for a quick before/after of one change.
    let only: Vec<String> = std::env::var("CRMIT_BENCH_ONLY")
        .map(|v| v.split(',').map(str::to_string).collect())
        .unwrap_or_else(|_| vec![String::new()]);

    let db = TestDb::migrated();
    let started = Instant::now();
    db.crmit_ok(&["seed-demo", "--size", "large"]);
    let seeded_in = started.elapsed();
    let t = target(&db);
    db.append_config("server_timing = true");
    let cgi = ApacheSite::start_with(&db, &bin, Mode::Cgi);
    let fcgi = ApacheSite::start_with(&db, &bin, Mode::Fcgid);
    let hello = c_hello().map(|hello| ApacheSite::start_with(&db, &hello, Mode::Cgi));

    let routes: Vec<Route> = routes(&cgi, &t)
        .into_iter()
        .filter(|r| r.kind == Kind::Floor || only.iter().any(|o| r.name.contains(o.as_str())))
        .collect();
    let load_before = load_average();
    let mut rows: Vec<Row> = routes.iter().map(|_| Row::default()).collect();
    let mut status = common::mariadb::server().admin_conn();
    for (route, row) in routes.iter().zip(&mut rows) {
        let site = match (route.kind, &hello) {
            (Kind::Floor, Some(hello)) if route.path == "/" => hello,
            _ => &cgi,
        };
        let count = if route.kind == Kind::Dump { n / 10 } else { n }.max(5);
        for _ in 0..WARMUP {
            timed_get(site, route);
        }
        (row.seq, row.split) = (0..count).map(|_| get(site, route)).unzip();
        if route.kind == Kind::Floor {
            continue;
        }
        row.fastcgi = (0..WARMUP + count / 2)
            .map(|_| timed_get(&fcgi, route))
            .skip(WARMUP)
            .collect();
        row.statements = (0..3)
            .map(|_| statements_of(&mut status, || timed_get(&cgi, route)))
            .min();
        row.rss_kib = peak_rss_kib(&bin, &db.config_path, route);
    }
    let mut throughput = Vec::new();
    for clients in [4, 8] {
        let (per_route, per_second) = concurrent(&cgi, &routes, clients, 5);
        for (row, times) in rows.iter_mut().zip(per_route) {
            *(if clients == 4 {
                &mut row.c4
            } else {
                &mut row.c8
            }) = times;
        }
        throughput.push((clients, per_second));
    }

    let size = std::fs::metadata(&bin).expect("benchmark binary").len();
    println!();
    println!(
        "large demo data set loaded in {:.1} s; fullest group {} ({} members), lesson {}, month {}",
        seeded_in.as_secs_f64(),
        t.group,
        t.members,
        t.lesson,
        t.month
    );
    println!(
        "binary: {} ({size} bytes, {:.1} MiB)",
        bin.display(),
        size as f64 / 1048576.0
    );
    println!(
        "sequential: {n} requests per route (dumps {}), new connection each, after {WARMUP} warm-up; \
         c4/c8: 4 and 8 clients at once over all routes; FastCGI: mod_fcgid, half as many",
        (n / 10).max(5)
    );
    println!("load average before: {load_before}");
    println!();
    println!(
        "{:<34} | {:>6} | {:>7} | {:>7} | {:>7} | {:>7} | {:>7} | {:>7} | {:>7} | {:>7} | {:>4} | {:>7}",
        "route (ms)",
        "target",
        "p50",
        "p95",
        "max",
        "c4 p50",
        "c4 p95",
        "c8 p50",
        "c8 p95",
        "FCGI50",
        "SQL",
        "RSS MiB"
    );
    println!("{}", "-".repeat(140));
    let mut over = Vec::new();
    for (route, row) in routes.iter().zip(&rows) {
        let p50 = percentile(&row.seq, 0.5);
        let target = route.kind.target_ms();
        if target.is_some_and(|limit| p50 > limit) {
            over.push(route.name.as_str());
        }
        println!(
            "{:<34} | {:>6} | {:>7} | {:>7} | {:>7} | {:>7} | {:>7} | {:>7} | {:>7} | {:>7} | {:>4} | {:>7}",
            route.name,
            target.map_or("-".into(), |t| format!("{t}")),
            ms(Some(p50)),
            ms(Some(percentile(&row.seq, 0.95))),
            ms(row.seq.iter().copied().reduce(f64::max)),
            ms(opt_percentile(&row.c4, 0.5)),
            ms(opt_percentile(&row.c4, 0.95)),
            ms(opt_percentile(&row.c8, 0.5)),
            ms(opt_percentile(&row.c8, 0.95)),
            ms(opt_percentile(&row.fastcgi, 0.5)),
            row.statements.map_or("-".into(), |s| s.to_string()),
            row.rss_kib
                .map_or("-".into(), |k| format!("{:.1}", k as f64 / 1024.0)),
        );
    }
    println!();
    for (clients, per_second) in throughput {
        println!("{clients} concurrent clients: {per_second:.0} requests/s over all routes");
    }
    println!("load average after: {}", load_average());
    print_split(&routes, &rows);
    backup_and_restore(&bin, &db);
    if over.is_empty() {
        println!("every route within its p50 target");
    } else {
        println!("over the p50 target: {}", over.join(", "));
    }
    println!();
}

fn routes(site: &ApacheSite, t: &Target) -> Vec<Route> {
    let ma1 = web_login(site, "ma1", "12");
    let te1 = web_login(site, "te1", "12");
    let st1 = web_login(site, "st1", "31082002");
    let dev1 = web_login(site, "dev1", "12");
    let token = api_login(site, "ma1");
    let dump_token = api_login(site, "dump_creator");

    let css = files_under(&site.docroot.join("static"))
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "css"))
        .expect("an installed CSS file");
    let (g, month) = (t.group, t.month);
    let web = |kind, name: &str, path: String, cookie: &str, must_contain| Route {
        kind,
        name: name.to_string(),
        path,
        cookie: Some(cookie.to_string()),
        must_contain,
    };
    let api = |name: &str, path: String, must_contain| Route {
        kind: Kind::Page,
        name: format!("api {name}"),
        path: format!("{API}{path}{}access_token={token}", sep(&path)),
        cookie: None,
        must_contain,
    };
    let page = |name, path, must_contain| web(Kind::Page, name, path, &ma1, must_contain);
    let grid = |name, path, must_contain| web(Kind::Grid, name, path, &ma1, must_contain);
    vec![
        Route {
            kind: Kind::Floor,
            name: "floor: Apache static file".into(),
            path: format!("/static/{}", css.display()),
            cookie: None,
            must_contain: "{",
        },
        Route {
            kind: Kind::Floor,
            name: "floor: Apache CGI, static C hello".into(),
            path: "/".into(),
            cookie: None,
            must_contain: "hello",
        },
        web(
            Kind::Page,
            "/users/login",
            "/users/login".into(),
            "",
            "csrf_token",
        ),
        page("/ (master)", "/".into(), "добро пожаловать"),
        web(
            Kind::Page,
            "/ (teacher)",
            "/".into(),
            &te1,
            "добро пожаловать",
        ),
        web(
            Kind::Page,
            "/ (student)",
            "/".into(),
            &st1,
            "добро пожаловать",
        ),
        page("/users/masters", "/users/masters".into(), "<table"),
        page("/users/teachers", "/users/teachers".into(), "<table"),
        page("/users/students", "/users/students".into(), "<table"),
        page(
            "/users/students?search=ов page 5",
            format!("/users/students?search={COMMON_SEARCH}&page=5"),
            "<table",
        ),
        page("/structure/parents", "/structure/parents".into(), "<table"),
        page("/structure/groups", "/structure/groups".into(), "<table"),
        page(
            "/structure/sections",
            "/structure/sections".into(),
            "<table",
        ),
        page("/structure/schools", "/structure/schools".into(), "<table"),
        page("/lessons/list", "/lessons/list".into(), "<table"),
        page("/notifications/list", "/notifications/list".into(), "<"),
        grid("/payments/debtors", "/payments/debtors".into(), "должники"),
        web(
            Kind::Grid,
            "/payments/debtors (teacher)",
            "/payments/debtors".into(),
            &te1,
            "должники",
        ),
        grid(
            "/payments/debtors/xlsx",
            "/payments/debtors/xlsx".into(),
            "PK",
        ),
        grid("/stat/dashboard", "/stat/dashboard".into(), "сводка"),
        grid("/stat/dashboard.svg", "/stat/dashboard.svg".into(), "<svg"),
        page("/change_log", "/change_log".into(), "журнал"),
        grid(
            "/messages/dialogs_list",
            "/messages/dialogs_list".into(),
            "<",
        ),
        page(
            "/users/student_details/<id>",
            format!("/users/student_details/{}", t.student),
            "<",
        ),
        page(
            "/users/student/<id> (form)",
            format!("/users/student/{}", t.student),
            "csrf_token",
        ),
        page(
            "/users/register/student (form)",
            "/users/register/student".into(),
            "csrf_token",
        ),
        page(
            "/structure/parent/<id> (form)",
            format!("/structure/parent/{}", t.parent),
            "csrf_token",
        ),
        page(
            "/structure/group/<id> (form)",
            format!("/structure/group/{g}"),
            "csrf_token",
        ),
        page(
            "/structure/group_details/<g>",
            format!("/structure/group_details/{g}"),
            "<",
        ),
        page(
            "/structure/students_in_group/<g>",
            format!("/structure/students_in_group/{g}"),
            "csrf_token",
        ),
        page("/lessons/months/<g>", format!("/lessons/months/{g}"), "<"),
        grid(
            "/lessons/<g>/<month> (grid)",
            format!("/lessons/{g}/{month}"),
            "<table",
        ),
        grid(
            "/payments/group/<g> (grid)",
            format!("/payments/group/{g}"),
            "<table",
        ),
        grid(
            "/payments/group/<g>/xlsx",
            format!("/payments/group/{g}/xlsx"),
            "PK",
        ),
        grid(
            "/lessons/<g>/<month>/xlsx",
            format!("/lessons/{g}/{month}/xlsx"),
            "PK",
        ),
        grid(
            "/users/students/xlsx?search=ов",
            format!("/users/students/xlsx?search={COMMON_SEARCH}"),
            "PK",
        ),
        grid("/stat/group/<g>", format!("/stat/group/{g}"), "<svg"),
        grid("/schedule/", "/schedule/".into(), "<table"),
        web(
            Kind::Page,
            "/student/lessons (cabinet)",
            "/student/lessons".into(),
            &st1,
            "<",
        ),
        web(
            Kind::Page,
            "/student/payments (cabinet)",
            "/student/payments".into(),
            &st1,
            "<",
        ),
        web(
            Kind::Page,
            "/visit_stats (developer)",
            "/visit_stats".into(),
            &dev1,
            "<table",
        ),
        api("app_info", "/app_info".into(), "actualAppBuildCode"),
        api("groups_list", "/groups_list".into(), "\"id\""),
        api("teachers_list", "/teachers_list".into(), "\"fio\""),
        api(
            "students_list search",
            format!("/students_list?search={COMMON_SEARCH}&offset=100&count=20"),
            "\"fio\"",
        ),
        api(
            "student_details",
            format!("/student_details/{}", t.student),
            "\"fio\"",
        ),
        api(
            "group_details",
            format!("/group_details/{g}"),
            "\"studentsCount\"",
        ),
        api(
            "teacher_details",
            format!("/teacher_details/{}", t.teacher),
            "\"fio\"",
        ),
        api(
            "lessons_in_group",
            format!("/lessons_in_group/{g}"),
            "\"date\"",
        ),
        api(
            "lesson_details",
            format!("/lesson_details/{}", t.lesson),
            "\"attendings\"",
        ),
        api("payments", format!("/payments/{g}"), "\"payments\""),
        api("schedule", "/schedule".into(), "\"dayOfWeek\""),
        Route {
            kind: Kind::Dump,
            name: "api dump (bot)".into(),
            path: format!("{API}/dump?access_token={dump_token}"),
            cookie: None,
            must_contain: "\"student_fio\"",
        },
        web(
            Kind::Dump,
            "/dump (web)",
            "/dump".into(),
            &ma1,
            "\"student_fio\"",
        ),
    ]
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
    let (group, members, teacher): (u64, u64, u64) = c
        .query_first(
            "SELECT sig.group_id, COUNT(*), g.teacher_id FROM student_in_groups sig
             JOIN `groups` g ON g.id = sig.group_id
             GROUP BY sig.group_id, g.teacher_id ORDER BY COUNT(*) DESC, sig.group_id LIMIT 1",
        )
        .unwrap()
        .expect("the large data set has groups with members");
    let (lesson, month): (u64, u32) = c
        .exec_first(
            "SELECT l.id, (YEAR(l.date) - 2017) * 12 + MONTH(l.date) - 1
             FROM lessons l JOIN attendings a ON a.lesson_id = l.id
             WHERE l.group_id = ? GROUP BY l.id, l.date ORDER BY COUNT(*) DESC, l.id LIMIT 1",
            (group,),
        )
        .unwrap()
        .expect("the fullest group has lessons with attendance marks");
    let (student, parent): (u64, u64) = c
        .exec_first(
            "SELECT sig.student_id, ps.parent_id FROM student_in_groups sig
             JOIN parent_of_students ps ON ps.student_id = sig.student_id
             WHERE sig.group_id = ? ORDER BY sig.id LIMIT 1",
            (group,),
        )
        .unwrap()
        .expect("a member of the fullest group has a parent");
    Target {
        group,
        members,
        teacher,
        lesson,
        month,
        student,
        parent,
    }
}

/// The `Cookie` header of a user logged in with «запомнить меня» (a remembered session is not
/// bound to the address, so the same cookie works for the direct CGI runs).
fn web_login(site: &ApacheSite, login: &str, password: &str) -> String {
    let mut client = site.client();
    let resp = client.submit(
        "/users/login",
        "/users/login",
        &[("login", login), ("password", password), ("remember", "y")],
    );
    assert_eq!(resp.status, 302, "login as {login}: {}", resp.text());
    cookie_header(&client.jar)
}

fn cookie_header(jar: &CookieJar) -> String {
    jar.0
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Logs in through the API's `POST login` with the demo password and returns the token.
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

/// Where the time of one sequential CGI request went: the medians of the phases the binary
/// reports, and the rest of the total (Apache, process start, reading the config, writing).
fn print_split(routes: &[Route], rows: &[Row]) {
    println!();
    println!(
        "split of one CGI request, medians in ms (Server-Timing; rest = Apache, process start, config, writing)"
    );
    print!("{:<34} | {:>6} | {:>6}", "route", "p50", "rest");
    for phase in PHASES {
        print!(" | {phase:>7}");
    }
    println!();
    println!("{}", "-".repeat(34 + 9 * 2 + 10 * PHASES.len()));
    for (route, row) in routes.iter().zip(rows) {
        if row.split.iter().all(Vec::is_empty) {
            continue;
        }
        let median = |name: &str| {
            let times: Vec<f64> = row
                .split
                .iter()
                .filter_map(|phases| phases.iter().find(|(n, _)| n == name).map(|p| p.1))
                .collect();
            opt_percentile(&times, 0.5)
        };
        let inside: f64 = PHASES.iter().filter_map(|p| median(p)).sum();
        let p50 = percentile(&row.seq, 0.5);
        print!("{:<34} | {:>6.2} | {:>6.2}", route.name, p50, p50 - inside);
        for phase in PHASES {
            print!(
                " | {:>7}",
                median(phase).map_or("-".into(), |v| format!("{v:.2}"))
            );
        }
        println!();
    }
}

/// `Server-Timing: connect;dur=0.91, begin;dur=0.35, …` as (phase, ms) pairs.
fn server_timing(value: &str) -> Vec<(String, f64)> {
    value
        .split(',')
        .filter_map(|part| {
            let (name, dur) = part.trim().split_once(";dur=")?;
            Some((name.to_string(), dur.parse().ok()?))
        })
        .collect()
}

/// One GET on a new connection, checked; returns milliseconds, the whole body read.
fn timed_get(site: &ApacheSite, route: &Route) -> f64 {
    get(site, route).0
}

/// [`timed_get`], with the phases the answer reported.
fn get(site: &ApacheSite, route: &Route) -> (f64, Vec<(String, f64)>) {
    let url = site.url(&route.path);
    let mut req = agent().get(&url);
    if let Some(cookie) = route.cookie.as_deref().filter(|c| !c.is_empty()) {
        req = req.header("Cookie", cookie);
    }
    let start = Instant::now();
    let resp = req.call().unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = resp.status().as_u16();
    let split = resp
        .headers()
        .get("server-timing")
        .and_then(|v| v.to_str().ok())
        .map(server_timing)
        .unwrap_or_default();
    let bytes = resp
        .into_body()
        .with_config()
        .limit(u64::MAX)
        .read_to_vec()
        .unwrap();
    let took = start.elapsed().as_secs_f64() * 1000.0;
    // A download (the .xlsx) is not text: its first bytes are what it must contain.
    let body = String::from_utf8_lossy(&bytes);
    assert_eq!(
        status,
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
    (took, split)
}

/// `clients` threads, each going `rounds` times over every route (starting at a different one),
/// all through CGI at once. Returns the times per route and the requests per second overall.
fn concurrent(
    site: &ApacheSite,
    routes: &[Route],
    clients: usize,
    rounds: usize,
) -> (Vec<Vec<f64>>, f64) {
    let measured: Vec<usize> = (0..routes.len())
        .filter(|&i| routes[i].kind != Kind::Floor)
        .collect();
    let start = Instant::now();
    let per_client: Vec<Vec<(usize, f64)>> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..clients)
            .map(|c| {
                let measured = &measured;
                s.spawn(move || {
                    let mut times = Vec::new();
                    for k in 0..rounds * measured.len() {
                        let i = measured[(c * measured.len() / clients + k) % measured.len()];
                        times.push((i, timed_get(site, &routes[i])));
                    }
                    times
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let seconds = start.elapsed().as_secs_f64();
    let mut per_route = vec![Vec::new(); routes.len()];
    let mut total = 0;
    for (i, ms) in per_client.into_iter().flatten() {
        per_route[i].push(ms);
        total += 1;
    }
    (per_route, total as f64 / seconds)
}

fn percentile(times: &[f64], p: f64) -> f64 {
    let mut sorted = times.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn opt_percentile(times: &[f64], p: f64) -> Option<f64> {
    (!times.is_empty()).then(|| percentile(times, p))
}

fn ms(value: Option<f64>) -> String {
    value.map_or("-".into(), |v| format!("{v:.1}"))
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

/// Runs the binary once as CGI for `route` under `/usr/bin/time -v`, with the environment Apache
/// sets after the rewrite, and reads "Maximum resident set size" (KiB).
/// `crmit backup` of the large data set and `crmit restore` of it into an empty database: the
/// time, the peak RSS and the file size.
fn backup_and_restore(bin: &Path, db: &TestDb) {
    let file = db.dir.path().join("bench.sql.gz");
    let (backup_s, backup_kib) = timed_command(
        bin,
        &db.config_path,
        &["backup", "--out", file.to_str().unwrap()],
    );
    let size = std::fs::metadata(&file).map_or(0, |m| m.len());
    let empty = TestDb::empty();
    let (restore_s, restore_kib) = timed_command(
        bin,
        &empty.config_path,
        &["restore", file.to_str().unwrap()],
    );
    println!(
        "backup: {backup_s:.2} s, peak RSS {:.1} MiB, file {:.1} MiB; restore: {restore_s:.2} s, peak RSS {:.1} MiB",
        backup_kib as f64 / 1024.0,
        size as f64 / 1048576.0,
        restore_kib as f64 / 1024.0
    );
}

/// Runs `crmit --config CONFIG ARGS` under `/usr/bin/time -v`: seconds and peak RSS in KiB.
fn timed_command(bin: &Path, config: &Path, args: &[&str]) -> (f64, u64) {
    let started = Instant::now();
    let out = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(bin)
        .arg("--config")
        .arg(config)
        .args(args)
        .output()
        .expect("/usr/bin/time");
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "crmit {args:?}: {stderr}");
    (seconds, max_rss_kib(&stderr).unwrap_or(0))
}

/// The peak RSS in what `/usr/bin/time -v` printed.
fn max_rss_kib(time_output: &str) -> Option<u64> {
    time_output
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|v| v.trim().parse().ok())
}

fn peak_rss_kib(bin: &Path, config: &Path, route: &Route) -> Option<u64> {
    let (path, query) = route.path.split_once('?').unwrap_or((&route.path, ""));
    let out = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(bin)
        .env_clear()
        .env("GATEWAY_INTERFACE", "CGI/1.1")
        .env("SERVER_PROTOCOL", "HTTP/1.1")
        .env("REQUEST_METHOD", "GET")
        .env("SCRIPT_NAME", "/cgi-bin/crmit")
        .env("PATH_INFO", path)
        .env("QUERY_STRING", query)
        .env("REQUEST_URI", &route.path)
        .env("REMOTE_ADDR", "127.0.0.1")
        .env("SERVER_NAME", "localhost")
        .env("SERVER_PORT", "80")
        .env("HTTP_HOST", "localhost")
        .env("HTTP_COOKIE", route.cookie.as_deref().unwrap_or(""))
        .env("CONTENT_LENGTH", "0")
        .env("REDIRECT_CRMIT_CONFIG", config)
        .stdin(Stdio::null())
        .output()
        .ok()?;
    let head = String::from_utf8_lossy(&out.stdout[..out.stdout.len().min(200)]).into_owned();
    assert!(
        out.status.success() && head.starts_with("Status: 200"),
        "{} as CGI failed: {head}\n{}",
        route.name,
        String::from_utf8_lossy(&out.stderr)
    );
    max_rss_kib(&String::from_utf8_lossy(&out.stderr))
}

/// A static C program that answers every CGI request with "hello": the least a CGI request can
/// cost through this Apache. None when no C compiler can build it.
fn c_hello() -> Option<PathBuf> {
    let dir = std::env::temp_dir().join(format!("crmit-bench-hello-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let source = dir.join("hello.c");
    std::fs::write(
        &source,
        "#include <stdio.h>\nint main(void) { fputs(\"Content-Type: text/plain\\r\\n\\r\\nhello\\n\", stdout); return 0; }\n",
    )
    .ok()?;
    let binary = dir.join("hello");
    let built = Command::new("cc")
        .args(["-static", "-O2", "-o"])
        .arg(&binary)
        .arg(&source)
        .status()
        .ok()?;
    built.success().then_some(binary)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}
