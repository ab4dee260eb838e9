//! Latency of requests through Apache CGI (run by `scripts/bench`; ignored by the normal test run):
//! sequential requests, a new TCP connection each, after a warm-up. Each request starts the binary,
//! so this is the cost a user of the hosted site pays per page. Then the same binary under
//! mod_fcgid (a kept worker), side by side with CGI for two pages.
//!
//! `CRMIT_BENCH_BIN` names the binary to serve (default: the one cargo built for the tests);
//! `CRMIT_BENCH_N` the number of measured requests per route (default 200).

mod common;

use common::TestDb;
use common::apache::{ApacheSite, HttpClient, Mode, agent};
use std::path::PathBuf;
use std::time::{Duration, Instant};

struct Route {
    name: &'static str,
    path: &'static str,
    cookie: Option<String>,
    must_contain: &'static str,
}

fn measure(site: &ApacheSite, route: &Route, warmup: usize, n: usize) -> Vec<Duration> {
    let url = site.url(route.path);
    let one = || {
        // A new agent has an empty connection pool: every request opens its own connection.
        let mut req = agent().get(&url);
        if let Some(c) = &route.cookie {
            req = req.header("Cookie", c);
        }
        let start = Instant::now();
        let resp = req.call().unwrap_or_else(|e| panic!("GET {url}: {e}"));
        let status = resp.status().as_u16();
        let body = resp.into_body().read_to_string().unwrap();
        let took = start.elapsed();
        assert_eq!(status, 200, "{}: {body}\n{}", route.name, site.error_log());
        assert!(
            body.contains(route.must_contain),
            "{}: no {:?} in\n{body}",
            route.name,
            route.must_contain
        );
        took
    };
    for _ in 0..warmup {
        one();
    }
    (0..n).map(|_| one()).collect()
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx].as_secs_f64() * 1000.0
}

#[test]
#[ignore = "benchmark: run by scripts/bench"]
fn bench_through_apache_cgi() {
    let bin = std::env::var_os("CRMIT_BENCH_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(common::crmit_bin);
    let n: usize = std::env::var("CRMIT_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let size = std::fs::metadata(&bin).expect("benchmark binary").len();

    let db = TestDb::seeded();
    let site = ApacheSite::start_with_binary(&db, &bin);
    let cookie = login_cookie(&site);
    let css = common::apache::files_under(&site.docroot.join("static"))
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "css"))
        .expect("an installed CSS file");
    let css_path: &'static str = Box::leak(format!("/static/{}", css.display()).into_boxed_str());

    let routes = [
        Route {
            name: "/ (anonymous)",
            path: "/",
            cookie: None,
            must_contain: "вы не авторизованы",
        },
        Route {
            name: "/users/login",
            path: "/users/login",
            cookie: None,
            must_contain: "csrf_token",
        },
        Route {
            name: "/ (ma1, DB-backed)",
            path: "/",
            cookie: Some(cookie.clone()),
            must_contain: "добро пожаловать, ma1",
        },
        Route {
            name: "static CSS (Apache only)",
            path: css_path,
            cookie: None,
            must_contain: "{",
        },
    ];

    println!();
    println!(
        "binary: {} ({} bytes, {:.1} MiB)",
        bin.display(),
        size,
        size as f64 / 1048576.0
    );
    println!(
        "{n} sequential requests per route through Apache CGI, new connection each, after 10 warm-up"
    );
    println!();
    println!(
        "{:<26} | {:>8} | {:>8} | {:>8}",
        "route", "p50 ms", "p95 ms", "max ms"
    );
    println!("{:-<26}-|-{:->8}-|-{:->8}-|-{:->8}", "", "", "", "");
    for route in &routes {
        let mut times = measure(&site, route, 10, n);
        times.sort();
        println!(
            "{:<26} | {:>8.2} | {:>8.2} | {:>8.2}",
            route.name,
            percentile(&times, 0.50),
            percentile(&times, 0.95),
            times.last().unwrap().as_secs_f64() * 1000.0
        );
    }
    println!();

    // The same two pages as CGI and as FastCGI (one kept mod_fcgid worker, its connection kept).
    let fcgi = ApacheSite::start_with(&db, &bin, Mode::Fcgid);
    let fcgi_cookie = login_cookie(&fcgi);
    let pair = |cookie: Option<String>, path, name, must_contain| Route {
        name,
        path,
        cookie,
        must_contain,
    };
    println!("p50 ms, CGI vs FastCGI (mod_fcgid), {n} requests each after 10 warm-up");
    println!();
    println!("{:<26} | {:>8} | {:>8}", "route", "CGI", "FastCGI");
    println!("{:-<26}-|-{:->8}-|-{:->8}", "", "", "");
    for (path, name, must_contain, logged_in) in [
        ("/users/login", "/users/login", "csrf_token", false),
        ("/", "/ (ma1, DB-backed)", "добро пожаловать, ma1", true),
    ] {
        let p50 = |site: &ApacheSite, cookie: &String| {
            let route = pair(logged_in.then(|| cookie.clone()), path, name, must_contain);
            let mut times = measure(site, &route, 10, n);
            times.sort();
            percentile(&times, 0.50)
        };
        println!(
            "{:<26} | {:>8.2} | {:>8.2}",
            name,
            p50(&site, &cookie),
            p50(&fcgi, &fcgi_cookie)
        );
    }
    println!();
}

/// The `Cookie` header of ma1 logged in on `site`.
fn login_cookie(site: &ApacheSite) -> String {
    let mut ma1 = HttpClient::new(&site.base_url());
    ma1.login("ma1", "12");
    ma1.jar
        .0
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}
