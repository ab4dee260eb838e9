//! Accessibility as the tools measure it: axe-core finds no serious or critical violation on the
//! login page, each role's index, the roll call, a month's payments and the students list; and
//! Lighthouse gives the login page, the students list, the month grid, a group's payments grid
//! and the timetable an accessibility score of at least 98. Both come from the npm packages
//! scripts/test installs under `target/npm`, and run against the real pages behind Apache.

use crate::common;
use crate::screens::Scene;
use common::browser::{Browser, CHROMIUM_BIN, npm_module};
use std::process::Command;

/// The score Lighthouse must give each page, in per cent.
const LIGHTHOUSE_MIN: f64 = 98.0;

#[test]
fn axe_finds_no_serious_violation_on_the_main_pages() {
    let scene = Scene::new();
    let browser = Browser::start();
    let mut found = Vec::new();
    let mut check = |what: &str, path: &str| {
        browser.goto(&scene.site.url(path));
        let violations = browser.axe_violations();
        println!(
            "axe {what} {path}: {} serious or critical",
            violations.len()
        );
        found.extend(
            violations
                .into_iter()
                .map(|v| format!("{what} {path}: {v}")),
        );
    };
    check("anon", "/users/login");
    for (login, password) in [("dev1", "12"), ("st1", "31082002"), ("ma1", "12")] {
        browser.log_in(&scene.site, login, password);
        check(login, "/");
        browser.goto(&scene.site.url("/users/login"));
    }
    check("ma1", "/users/students");
    browser.log_in(&scene.site, "te1", "12");
    check("te1", "/");
    check("te1", &scene.roll_call());
    check("te1", &scene.month_payments());
    assert!(found.is_empty(), "axe violations:\n{}", found.join("\n"));
}

#[test]
fn lighthouse_scores_the_main_pages_98_or_more() {
    let scene = Scene::new();
    // Remembered, the session is not bound to this client's user agent, which Lighthouse's
    // Chromium does not share.
    let mut client = scene.site.client();
    let fields = [("login", "te1"), ("password", "12"), ("remember", "on")];
    let signed_in = client.submit("/users/login", "/users/login", &fields);
    assert_eq!(signed_in.status, 302, "{}", signed_in.text());
    let cookie = client.cookie_header().expect("a session cookie");
    let pages = [
        "/users/login".to_string(),
        "/users/students".to_string(),
        scene.month_grid(),
        scene.payments_grid(),
        Scene::TIMETABLE.to_string(),
    ];
    let mut low = Vec::new();
    for path in &pages {
        let (score, failing) = lighthouse(&scene.site.url(path), &cookie);
        println!("lighthouse {path}: {score} {failing:?}");
        if score < LIGHTHOUSE_MIN {
            low.push(format!("{path}: {score}, failing {failing:?}"));
        }
    }
    assert!(
        low.is_empty(),
        "accessibility under {LIGHTHOUSE_MIN}:\n{}",
        low.join("\n")
    );
}

/// Lighthouse's accessibility score of `url` (0–100) and the ids of its failing audits.
fn lighthouse(url: &str, cookie: &str) -> (f64, Vec<String>) {
    let headers = serde_json::json!({ "Cookie": cookie }).to_string();
    let out = Command::new("node")
        .arg(npm_module("lighthouse/cli/index.js"))
        .arg(url)
        .args([
            "--only-categories=accessibility",
            "--output=json",
            "--output-path=stdout",
            "--quiet",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ])
        .arg(format!("--extra-headers={headers}"))
        .env("CHROME_PATH", CHROMIUM_BIN)
        .output()
        .expect("run node: scripts/test installs Node and Lighthouse");
    assert!(
        out.status.success(),
        "lighthouse {url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    let landed = report["finalDisplayedUrl"].as_str().unwrap_or_default();
    assert_eq!(
        landed, url,
        "lighthouse was sent elsewhere (not signed in?)"
    );
    let score = report["categories"]["accessibility"]["score"]
        .as_f64()
        .expect("a score")
        * 100.0;
    let failing = report["audits"]
        .as_object()
        .expect("audits")
        .iter()
        .filter(|(_, a)| a["score"].as_f64().is_some_and(|s| s < 1.0))
        .map(|(id, a)| {
            let nodes: Vec<&str> = a["details"]["items"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|item| item["node"]["selector"].as_str())
                .collect();
            format!("{id} at {}", nodes.join(", "))
        })
        .collect();
    (score.round(), failing)
}
