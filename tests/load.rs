//! Load (issue 7, item 8): 8 clients at once for 60 seconds through Apache CGI on the `large`
//! demo data, mixing reads (lists, grids, statistics, the API) with writes (attendance and
//! payments grid saves, messages, the API's attendance), all aimed at a few busy groups so that
//! saves really meet. Not one answer may be an error; every message sent must be stored; then
//! `crmit check-integrity` finds no problem and Apache's error log has no crash.
//!
//! `CRMIT_LOAD_SECONDS` shortens or lengthens the run (default 60).

mod common;

use common::apache::crash_lines;
use common::apache::{ApacheSite, HttpClient, HttpResponse};
use common::form::{as_refs, form_fields, set_field};
use common::{TestDb, csrf_token};
use mysql::prelude::Queryable;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

const CLIENTS: usize = 8;
const API: &str = "/api/v1.1.0";

/// A group the clients work on: its months with lessons and those lessons.
#[derive(Debug, Clone)]
struct Target {
    group: u32,
    months: Vec<i32>,
    lessons: Vec<u32>,
}

/// What the run is about: te1's groups, where every client writes (te1 may write only there, the
/// masters meet him there), and the users the clients send messages to.
struct Plan {
    groups: Vec<Target>,
    ma1_user: u32,
    te1_user: u32,
}

fn plan(db: &TestDb) -> Plan {
    let mut c = db.conn();
    let groups: Vec<u32> = c
        .query(
            "SELECT g.id FROM `groups` g JOIN teachers t ON t.id = g.teacher_id
             JOIN system_users u ON u.id = t.system_user_id WHERE u.login = 'te1' ORDER BY g.id",
        )
        .unwrap();
    let groups: Vec<Target> = groups
        .into_iter()
        .map(|group| {
            let lessons: Vec<(u32, i32)> = c
                .exec(
                    "SELECT id, (YEAR(date) - 2017) * 12 + MONTH(date) - 1 FROM lessons
                     WHERE group_id = ? ORDER BY date DESC LIMIT 40",
                    (group,),
                )
                .unwrap();
            let mut months: Vec<i32> = lessons.iter().map(|l| l.1).collect();
            months.dedup();
            Target {
                group,
                months,
                lessons: lessons.into_iter().map(|l| l.0).collect(),
            }
        })
        .filter(|t| !t.lessons.is_empty())
        .collect();
    assert!(groups.len() >= 2, "te1 teaches too few groups with lessons");
    let mut user = |login: &str| -> u32 {
        c.exec_first("SELECT id FROM system_users WHERE login = ?", (login,))
            .unwrap()
            .unwrap()
    };
    Plan {
        ma1_user: user("ma1"),
        te1_user: user("te1"),
        groups,
    }
}

/// A small deterministic generator (xorshift): each client its own sequence.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// One client's account of its requests.
#[derive(Default)]
struct Tally {
    by_status: BTreeMap<u16, u64>,
    millis: Vec<f64>,
    errors: Vec<String>,
    /// Successful saves by kind.
    writes: BTreeMap<&'static str, u64>,
    /// Saves answered with «не сохранено …» (another client changed the cell first).
    refused_as_stale: u64,
}

impl Tally {
    /// Runs one request, timing it and counting its status; an error answer is noted.
    fn request(&mut self, what: &str, send: impl FnOnce() -> HttpResponse) -> HttpResponse {
        let started = Instant::now();
        let resp = send();
        self.millis.push(started.elapsed().as_secs_f64() * 1000.0);
        *self.by_status.entry(resp.status).or_default() += 1;
        if resp.status >= 400 {
            let text: String = resp.text().chars().take(300).collect();
            self.errors
                .push(format!("{what}: {} {text:?}", resp.status));
        }
        resp
    }

    /// A save answered with a redirect counts as done.
    fn wrote(&mut self, kind: &'static str, resp: &HttpResponse) {
        if resp.status == 302 {
            *self.writes.entry(kind).or_default() += 1;
        }
    }

    fn merge(&mut self, other: Tally) {
        for (status, n) in other.by_status {
            *self.by_status.entry(status).or_default() += n;
        }
        self.millis.extend(other.millis);
        self.errors.extend(other.errors);
        for (kind, n) in other.writes {
            *self.writes.entry(kind).or_default() += n;
        }
        self.refused_as_stale += other.refused_as_stale;
    }
}

/// A logged-in browser: reads pages and saves grids and messages.
struct Visitor<'p> {
    http: HttpClient,
    groups: &'p [Target],
    write_to: u32,
}

impl Visitor<'_> {
    fn step(&mut self, rng: &mut Rng, tally: &mut Tally) {
        let t = rng.pick(self.groups).clone();
        let month = *rng.pick(&t.months);
        match rng.below(10) {
            0..=2 => self.save_attendance(&t, month, rng, tally),
            3..=4 => self.save_payment(&t, rng, tally),
            5 => self.send_message(rng, tally),
            _ => {
                let g = t.group;
                let pages = [
                    "/".to_string(),
                    "/lessons/list".into(),
                    "/structure/groups".into(),
                    "/users/students?search=%D0%BE%D0%B2".into(),
                    format!("/stat/group/{g}"),
                    "/schedule/".into(),
                    format!("/payments/group/{g}"),
                    format!("/lessons/{g}/{month}"),
                    format!("/lessons/months/{g}"),
                    "/messages/dialogs_list".into(),
                    "/notifications/list".into(),
                ];
                let page = rng.pick(&pages);
                tally.request(&format!("GET {page}"), || self.http.get(page));
            }
        }
    }

    /// Opens a month grid and moves one attendance mark to the next state.
    fn save_attendance(&mut self, t: &Target, month: i32, rng: &mut Rng, tally: &mut Tally) {
        let path = format!("/lessons/{}/{month}", t.group);
        let page = tally.request(&format!("GET {path}"), || self.http.get(&path));
        let mut fields = form_fields(&page.text(), "id=\"grid-form\"");
        let marks: Vec<(String, String)> = fields
            .iter()
            .filter(|(name, _)| name.starts_with("a_"))
            .cloned()
            .collect();
        if marks.is_empty() {
            return;
        }
        let (name, state) = rng.pick(&marks);
        let next = (state.parse::<u8>().unwrap() + 1) % 3;
        set_field(&mut fields, name, Some(&next.to_string()));
        let resp = tally.request(&format!("POST {path}"), || {
            self.http.post_form(&path, &as_refs(&fields))
        });
        tally.wrote("attendance grid", &resp);
        self.note_stale(&path, tally);
    }

    /// Opens a payments grid and types a new amount into one open cell.
    fn save_payment(&mut self, t: &Target, rng: &mut Rng, tally: &mut Tally) {
        let path = format!("/payments/group/{}", t.group);
        let page = tally.request(&format!("GET {path}"), || self.http.get(&path));
        let mut fields = form_fields(&page.text(), "name=\"submit\"");
        let cells: Vec<String> = fields
            .iter()
            .filter(|(name, _)| name.starts_with("p_"))
            .map(|(name, _)| name.clone())
            .collect();
        if cells.is_empty() {
            return;
        }
        let cell = rng.pick(&cells).clone();
        set_field(&mut fields, &cell, Some(&(rng.below(80) * 10).to_string()));
        let resp = tally.request(&format!("POST {path}"), || {
            self.http.post_form(&path, &as_refs(&fields))
        });
        tally.wrote("payments grid", &resp);
        self.note_stale(&path, tally);
    }

    fn send_message(&mut self, rng: &mut Rng, tally: &mut Tally) {
        let path = format!("/messages/messages_list/{}", self.write_to);
        let page = tally.request(&format!("GET {path}"), || self.http.get(&path));
        let token = csrf_token(&page.text());
        let body = format!("нагрузка {}", rng.below(1_000_000));
        let resp = tally.request(&format!("POST {path}"), || {
            self.http
                .post_form(&path, &[("body", &body), ("csrf_token", &token)])
        });
        tally.wrote("messages", &resp);
    }

    /// After a save, the page's flash says whether a cell was left alone as changed by another.
    fn note_stale(&mut self, path: &str, tally: &mut Tally) {
        let page = tally.request(&format!("GET {path}"), || self.http.get(path));
        if page.text().contains("не сохранено") {
            tally.refused_as_stale += 1;
        }
    }
}

/// An app: the API with a token.
struct App<'p> {
    http: HttpClient,
    token: String,
    groups: &'p [Target],
}

impl App<'_> {
    fn path(&self, path: &str) -> String {
        common::api::with_token(path, &self.token)
    }

    fn step(&mut self, rng: &mut Rng, tally: &mut Tally) {
        let t = rng.pick(self.groups).clone();
        let lesson = *rng.pick(&t.lessons);
        match rng.below(6) {
            0..=1 => self.save_attending(lesson, rng, tally),
            choice => {
                let path = match choice {
                    2 => "/groups_list".to_string(),
                    3 => "/students_list?search=%D0%BE%D0%B2&offset=0&count=20".into(),
                    4 => format!("/payments/{}", t.group),
                    _ => format!("/lesson_details/{lesson}"),
                };
                let url = self.path(&path);
                tally.request(&format!("API GET {path}"), || self.http.get(&url));
            }
        }
    }

    /// Reads a lesson's attendance (which creates the missing rows) and sets one of them.
    fn save_attending(&mut self, lesson: u32, rng: &mut Rng, tally: &mut Tally) {
        let url = self.path(&format!("/lesson_details/{lesson}"));
        let details = tally.request("API GET lesson_details", || self.http.get(&url));
        if details.status != 200 {
            return;
        }
        let doc = json_of(&details);
        let Some(attendings) = doc["attendings"].as_array().filter(|a| !a.is_empty()) else {
            return;
        };
        let attending = rng.pick(attendings);
        let body = json!({
            "attendingId": attending["id"],
            "attendingState": (attending["state"].as_i64().unwrap() + 1) % 3,
        });
        let url = self.path("/save_attending_state");
        let resp = tally.request("API POST save_attending_state", || {
            self.http
                .post_raw(&url, "application/json", body.to_string().as_bytes())
        });
        if resp.status == 200 {
            *tally.writes.entry("API attendance").or_default() += 1;
        }
    }
}

/// An app token of `login` (password `12`), through the API's login.
fn api_token(site: &ApacheSite, login: &str) -> String {
    let body = json!({"login": login, "password": "12", "device": "load", "appVersion": "1.3.2"});
    let resp = site.client().post_raw(
        &format!("{API}/login"),
        "application/json",
        body.to_string().as_bytes(),
    );
    assert_eq!(resp.status, 200, "API login {login}: {}", resp.text());
    json_of(&resp)["token"].as_str().unwrap().to_string()
}

/// One of the clients.
enum Client<'p> {
    Web(Visitor<'p>),
    App(App<'p>),
}

fn json_of(resp: &HttpResponse) -> Value {
    serde_json::from_slice(&resp.body).expect("JSON answer")
}

/// The `n` slowest lines of the access log (its format ends with `%D "%{REDIRECT_URL}e"`).
fn slowest(log: &str, n: usize) -> Vec<&str> {
    let micros = |line: &str| -> u64 {
        line.rsplit(' ')
            .nth(1)
            .and_then(|d| d.parse().ok())
            .unwrap_or(0)
    };
    let mut lines: Vec<&str> = log.lines().collect();
    lines.sort_by_key(|l| std::cmp::Reverse(micros(l)));
    lines.truncate(n);
    lines
}

/// The `q`-quantile of sorted values.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

#[test]
fn eight_clients_for_a_minute_on_large_data_without_an_error() {
    let seconds: u64 = std::env::var("CRMIT_LOAD_SECONDS")
        .ok()
        .map(|s| s.parse().expect("CRMIT_LOAD_SECONDS: seconds"))
        .unwrap_or(60);
    let db = TestDb::migrated();
    let seeding = Instant::now();
    db.crmit_ok(&["seed-demo", "--size", "large"]);
    let seeded_in = seeding.elapsed();
    let plan = plan(&db);
    let messages_before = db.count("messages");
    let site = ApacheSite::start(&db);

    // Logging in costs a PBKDF2 hash: done before the clock starts, once per account. Clients
    // 0-3 are tabs of ma1's browser, 4-5 of te1's, 6 is ma1's app and 7 te1's.
    let session = |login: &str| {
        let mut http = site.client();
        http.login(login, "12");
        http.jar
    };
    let (ma1_web, te1_web) = (session("ma1"), session("te1"));
    let (ma1_app, te1_app) = (api_token(&site, "ma1"), api_token(&site, "te1"));
    let groups = &plan.groups;
    let clients: Vec<Client> = (0..CLIENTS)
        .map(|i| {
            let mut http = site.client();
            match i {
                0..=5 => {
                    let (jar, write_to) = match i {
                        0..=3 => (&ma1_web, plan.te1_user),
                        _ => (&te1_web, plan.ma1_user),
                    };
                    http.jar = jar.clone();
                    Client::Web(Visitor {
                        http,
                        groups,
                        write_to,
                    })
                }
                _ => Client::App(App {
                    http,
                    token: if i == 6 { &ma1_app } else { &te1_app }.clone(),
                    groups,
                }),
            }
        })
        .collect();

    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let tallies: Vec<Tally> = std::thread::scope(|s| {
        let workers: Vec<_> = clients
            .into_iter()
            .enumerate()
            .map(|(i, mut client)| {
                s.spawn(move || {
                    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ ((i as u64 + 1) * 0x1000_0001));
                    let mut tally = Tally::default();
                    while Instant::now() < deadline {
                        match &mut client {
                            Client::Web(web) => web.step(&mut rng, &mut tally),
                            Client::App(app) => app.step(&mut rng, &mut tally),
                        }
                    }
                    tally
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let elapsed = started.elapsed().as_secs_f64();
    let mut all = Tally::default();
    for t in tallies {
        all.merge(t);
    }
    all.millis.sort_by(f64::total_cmp);
    let requests = all.millis.len();

    println!();
    println!(
        "large demo data seeded in {:.1} s; writes go to te1's groups {:?}",
        seeded_in.as_secs_f64(),
        plan.groups.iter().map(|t| t.group).collect::<Vec<_>>()
    );
    println!(
        "{CLIENTS} clients, {elapsed:.1} s through Apache CGI: {requests} requests, {:.1} requests/s",
        requests as f64 / elapsed
    );
    println!(
        "latency p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms",
        quantile(&all.millis, 0.5),
        quantile(&all.millis, 0.95),
        quantile(&all.millis, 1.0)
    );
    println!("answers by status: {:?}", all.by_status);
    println!(
        "saves: {:?}; saves that left a cell changed by another client: {}",
        all.writes, all.refused_as_stale
    );
    println!("slowest answers (Apache access log, µs last but one):");
    for line in slowest(&site.access_log(), 5) {
        println!("  {line}");
    }

    assert!(
        all.errors.is_empty(),
        "error answers:\n{}",
        all.errors.join("\n")
    );
    for kind in [
        "attendance grid",
        "payments grid",
        "messages",
        "API attendance",
    ] {
        assert!(
            all.writes.get(kind).is_some_and(|&n| n > 0),
            "no {kind} save"
        );
    }
    // A message is two rows (one per side): every one sent is stored, none twice.
    assert_eq!(
        db.count("messages"),
        messages_before + 2 * all.writes["messages"]
    );
    let out = db.crmit(&["check-integrity"]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "check-integrity: {report}");
    assert_eq!(report.trim(), "нет проблем");
    let log = site.error_log();
    assert!(crash_lines(&log).is_empty(), "Apache error log:\n{log}");
}
