//! Issue #17: the Content-Security-Policy (no inline scripts or styles) breaks no page. A real
//! Chromium behind Apache opens the main pages of a master, a teacher and a student, listening
//! for the violations the browser reports, and there must be none. (An inline `style="…"` put
//! back into a template makes this test fail: the browser refuses it and says so.)

use crate::common;

use common::TestDb;
use common::apache::ApacheSite;
use common::browser::Browser;
use common::fixture::group_id;
use std::time::Duration;

const CSP: &str = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

fn log_out(browser: &Browser) {
    browser.execute("document.querySelector(\"form[action$='/users/logout']\").submit()");
    browser.wait_until(Duration::from_secs(20), |b| {
        b.current_url().ends_with("/users/login")
    });
}

#[test]
fn csp_no_page_of_master_teacher_or_student_violates_the_policy() {
    let db = TestDb::seeded();
    let site = ApacheSite::start(&db);
    // The policy really reaches the browser through Apache: else the listener hears nothing.
    let index = site.client().get("/users/login");
    assert_eq!(index.header("content-security-policy"), Some(CSP));

    let g = group_id(&db, "робо-71");
    let group_pages = [
        format!("/lessons/{g}/9"),
        format!("/lessons/months/{g}"),
        format!("/payments/group/{g}"),
        format!("/stat/group/{g}"),
        format!("/structure/group_details/{g}"),
    ];
    let staff = [
        "/",
        "/lessons/list",
        "/payments/debtors",
        "/stat/dashboard",
        "/stat/dashboard.svg",
        "/messages/dialogs_list",
        "/notifications/list",
        "/schedule/",
        "/users/change_password",
    ];
    let master_only = [
        "/users/students",
        "/users/teachers",
        "/users/masters",
        "/users/register/student",
        "/structure/groups",
        "/structure/sections",
        "/structure/schools",
        "/structure/parents",
        "/change_log",
    ];
    let student = [
        "/",
        "/student/lessons",
        "/student/payments",
        "/student/notifications",
        "/messages/dialogs_list",
    ];
    let mut pages_of = vec![
        ("ma1", "12", Vec::new()),
        ("te1", "12", Vec::new()),
        ("st1", "31082002", Vec::new()),
    ];
    pages_of[0].2 = staff
        .iter()
        .chain(&master_only)
        .map(|p| p.to_string())
        .chain(group_pages.iter().cloned())
        .collect();
    pages_of[1].2 = staff
        .iter()
        .map(|p| p.to_string())
        .chain(group_pages.iter().cloned())
        .collect();
    pages_of[2].2 = student.iter().map(|p| p.to_string()).collect();

    let browser = Browser::start();
    browser.watch_csp_violations();
    let mut violations = Vec::new();
    browser.goto(&site.url("/users/login"));
    violations.extend(browser.csp_violations());
    for (login, password, pages) in &pages_of {
        browser.log_in(&site, login, password);
        for page in pages {
            browser.goto(&site.url(page));
            // An SVG document, opened as the image it is, has no body to read.
            if !page.ends_with(".svg") {
                let text = browser.page_text();
                assert!(
                    !text.contains("не найдено") && !text.contains("доступ запрещён"),
                    "{login} {page}:\n{text}"
                );
            }
            violations.extend(
                browser
                    .csp_violations()
                    .into_iter()
                    .map(|v| format!("{login} {page}: {v}")),
            );
        }
        log_out(&browser);
    }
    assert!(
        violations.is_empty(),
        "Content-Security-Policy violations:\n{}",
        violations.join("\n")
    );
}
