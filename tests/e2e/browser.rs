//! A real browser (headless Chromium via chromedriver) against the binary served by a real Apache:
//! log in through the form, see the greeting, log out through the logout form.

use crate::common;

use common::TestDb;
use common::apache::ApacheSite;
use common::browser::{Browser, screenshot_path};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

#[test]
fn browser_logs_in_and_out_through_apache() {
    let db = TestDb::seeded();
    let site = ApacheSite::start(&db);
    let browser = Browser::start();

    browser.goto(&site.url("/users/login"));
    let login = browser.find("input[name='login']");
    let password = browser.find("input[name='password']");
    browser.find("input[name='remember']");
    browser.send_keys(&login, "ma1");
    browser.send_keys(&password, "12");
    // The form's own submit button, as a user would press it.
    let submit = browser
        .try_find("form:has(input[name='password']) [type='submit']")
        .or_else(|| browser.try_find("form:has(input[name='password']) button"))
        .expect("a submit button in the login form");
    browser.click(&submit);

    let greeted = browser.wait_until(WAIT, |b| b.page_text().contains("добро пожаловать, ma1"));
    browser.screenshot(&screenshot_path("browser-index-ma1.png"));
    assert!(
        greeted,
        "no greeting after login at {}:\n{}",
        browser.current_url(),
        browser.page_text()
    );
    let here = browser.current_url();
    assert!(
        here == site.url("/") || here == format!("{}/", site.base_url()),
        "after login at {here}"
    );

    // The stylesheet the page links to is served (by Apache from the document root).
    let styled = browser.execute(
        "return Array.from(document.styleSheets).some(s => { try { return s.cssRules.length > 0 } catch (e) { return false } })",
    );
    assert_eq!(
        styled,
        serde_json::Value::Bool(true),
        "no stylesheet loaded on the index page"
    );

    // Logout is a POST form (with a confirmation: a dialog or a confirmation page).
    let logout =
        "form[action$='/users/logout'] [type='submit'], form[action$='/users/logout'] button";
    assert!(
        browser.click_first(logout),
        "no logout form on the index page:\n{}",
        browser.source()
    );
    for _ in 0..3 {
        if browser.alert_text().is_some() {
            browser.accept_alert();
        }
        if browser.current_url().ends_with("/users/login") {
            break;
        }
        // A confirmation page, if the logout asks on one (the page may also be leaving now).
        browser.click_first(logout);
        browser.wait_until(Duration::from_secs(5), |b| {
            b.alert_text().is_none() && b.current_url().ends_with("/users/login")
        });
    }
    let on_login = browser.wait_until(WAIT, |b| b.current_url().ends_with("/users/login"));
    browser.screenshot(&screenshot_path("browser-after-logout.png"));
    assert!(
        on_login,
        "not on the login page after logout: {}\n{}",
        browser.current_url(),
        browser.page_text()
    );
    assert!(
        browser.try_find("input[name='password']").is_some(),
        "no login form after logout"
    );
    assert!(
        browser.page_text().contains("вы вышли из системы"),
        "{}",
        browser.page_text()
    );

    // The session is really gone.
    browser.goto(&site.url("/"));
    let text = browser.page_text();
    assert!(
        !text.contains("добро пожаловать"),
        "still logged in after logout:\n{text}"
    );
    assert!(text.contains("вы не авторизованы"), "{text}");
}
