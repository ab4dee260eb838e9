//! A dialog and the notifications on a phone (headless Chromium at 390 × 844 through Apache):
//! the messages as chat bubbles whose text wraps inside the screen, an answer sent by taps and
//! found in the database, and the notifications as cards with their text in full.

use crate::common;
use common::apache::ApacheSite;
use common::browser::{Browser, screenshot_path};
use common::db::query_one;
use common::fixture::{robo_71, user_id};
use common::{TestDb, WebClient};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

/// A word longer than the screen is wide: it must wrap, not widen the page.
const LONG_WORD: &str =
    "https://example.com/очень-длинная-ссылка-без-пробелов-которая-шире-экрана-телефона";

/// Whether every element matched by `css` is on screen horizontally: inside 0..innerWidth.
fn inside_the_screen(browser: &Browser, css: &str) -> serde_json::Value {
    browser.execute(&format!(
        "const all = [...document.querySelectorAll({css:?})];
         return all.length > 0 && all.every(el => {{
           const r = el.getBoundingClientRect();
           return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth;
         }});"
    ))
}

/// The page fits a phone: the tap targets `targets` pass the layout checks and every element
/// `text` (a message's text, say) stays on the screen.
fn fits_the_phone(browser: &Browser, targets: &str, text: &str) {
    assert_eq!(
        browser.phone_layout_problems(targets),
        Vec::<String>::new(),
        "{targets}"
    );
    assert_eq!(
        inside_the_screen(browser, text),
        serde_json::json!(true),
        "{text}"
    );
}

#[test]
fn a_dialog_and_the_notifications_read_on_a_phone() {
    let db = TestDb::seeded();
    let (ma, te) = (user_id(&db, "ma1"), user_id(&db, "te1"));
    let (group, _) = robo_71(&db);
    let mut teacher = WebClient::login(&db, "te1", "12");
    let to_master = format!("/messages/messages_list/{ma}");
    let question = format!(
        "Добрый день! Посмотрите, пожалуйста, {LONG_WORD} — там расписание на следующую неделю, и скажите, подходит ли время."
    );
    let r = teacher.submit(&to_master, &to_master, &[("body", &question)]);
    assert_eq!(r.status, 302);
    let mut master_cgi = WebClient::login(&db, "ma1", "12");
    let send = format!("/notifications/send?group_id={group}");
    let notice = format!("Уважаемые родители! Завтра занятия не будет. Подробности: {LONG_WORD}");
    let r = master_cgi.submit(
        &send,
        &send,
        &[
            ("receiver", "0"),
            ("subject", "Отмена занятия"),
            ("body", &notice),
        ],
    );
    assert_eq!(r.status, 302, "{}", r.text());

    let site = ApacheSite::start(&db);
    let browser = Browser::start();
    browser.emulate_phone(390, 844);
    browser.log_in(&site, "ma1", "12");

    browser.goto(&site.url("/messages/dialogs_list"));
    assert!(browser.wait_until(WAIT, |b| b.page_text().contains("диалоги")));
    browser.screenshot(&screenshot_path("phone-dialogs.png"));
    assert_eq!(
        browser.phone_layout_problems(".dialog-with"),
        Vec::<String>::new()
    );
    browser.click(&browser.find(&format!(
        "a.dialog-with[href$='/messages/messages_list/{te}']"
    )));
    assert!(browser.wait_until(WAIT, |b| b.page_text().contains("диалог с")));
    assert!(browser.page_text().contains("Посмотрите, пожалуйста"));
    fits_the_phone(
        &browser,
        ".chat-send textarea, .chat-send button",
        ".chat-text",
    );

    // An answer by taps: the box at the bottom, the send button.
    let body = browser.find(".chat-send textarea");
    browser.click(&body);
    browser.send_keys(&body, "Время подходит, спасибо!");
    browser.click(&browser.find(".chat-send button[type='submit']"));
    assert!(browser.wait_until(WAIT, |b| b.page_text().contains("сообщение отправлено")));
    let sent: u64 = query_one(
        &db,
        "SELECT COUNT(*) FROM messages m JOIN message_details d ON d.id = m.message_details_id
         WHERE m.owner_id = ? AND m.receiver_id = ? AND m.forward = 1 AND d.body = ?",
        (ma, te, "Время подходит, спасибо!"),
    );
    assert_eq!(sent, 1, "the answer is stored");
    // Own messages on the right, the other side's on the left.
    let sides = browser.execute(
        "const mine = document.querySelector('.chat-mine').getBoundingClientRect();
         const theirs = document.querySelector('.chat-theirs').getBoundingClientRect();
         return [Math.round(window.innerWidth - mine.right), Math.round(theirs.left)];",
    );
    let sides: Vec<i64> = serde_json::from_value(sides).unwrap();
    assert!(sides[0] < 40 && sides[1] < 40, "{sides:?}");
    browser.screenshot(&screenshot_path("phone-dialog.png"));
    fits_the_phone(&browser, ".chat-send button", ".chat-message");

    browser.goto(&site.url("/notifications/list"));
    assert!(browser.wait_until(WAIT, |b| b.page_text().contains("Отмена занятия")));
    assert!(browser.page_text().contains("Завтра занятия не будет"));
    browser.screenshot(&screenshot_path("phone-notifications.png"));
    fits_the_phone(
        &browser,
        ".notification-card",
        ".notification-card .chat-text",
    );
}
