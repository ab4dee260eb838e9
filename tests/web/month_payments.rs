//! The payments of one month of a group (`/payments/group/<g>/month/<m>`), the phone screen:
//! a card a student, saved with the payments grid's rules, confirmations named.

use crate::common;
use crate::common::{db::*, fixture::*, form::*};
use common::{CgiRequest, TestDb, WebClient};

/// (value, cash, confirmed, comment) of a member's payment for a month.
fn payment(db: &TestDb, sig: u32, month: i32) -> Option<(i32, bool, bool, String)> {
    query_rows(
        db,
        "SELECT value, cash, confirmed, comment FROM payments WHERE student_in_group_id = ? AND month = ?",
        (sig, month),
    )
    .into_iter()
    .next()
}

fn save(
    web: &mut WebClient,
    path: &str,
    edit: impl FnOnce(&mut Vec<(String, String)>),
) -> common::CgiResponse {
    let page = web.get(path);
    assert_eq!(page.status, 200, "{}", page.text());
    let mut fields = form_fields(&page.text(), "сохранить оплату");
    edit(&mut fields);
    web.send(CgiRequest::post_form(path, &as_refs(&fields)))
}

#[test]
fn a_month_of_payments_is_entered_and_confirmed_on_its_own_screen() {
    let db = TestDb::seeded();
    let (g, sig) = robo_71(&db);
    let path = format!("/payments/group/{g}/month/10");
    let mut te1 = WebClient::login(&db, "te1", "12");
    let page = te1.get(&path).text();
    assert!(page.contains("оплата: <a"), "{page}");
    assert!(page.contains("к оплате 700 &#8381;"), "{page}");
    assert!(page.contains(&format!("inputmode=\"numeric\" id=\"p_10_{sig}\"")));
    assert!(
        !page.contains("подтверждено</label>"),
        "teachers do not confirm"
    );
    // The grid's month header leads here.
    let grid = te1.get(&format!("/payments/group/{g}")).text();
    assert!(
        grid.contains(&format!("href=\"/payments/group/{g}/month/10\"")),
        "{grid}"
    );

    let r = save(&mut te1, &path, |f| {
        set_field(f, &format!("p_10_{sig}"), Some("450"));
        set_field(f, &format!("comment_10_{sig}"), Some("за ноябрь"));
    });
    assert_eq!(r.location(), Some(path.as_str()), "{}", r.text());
    assert_eq!(
        payment(&db, sig, 10),
        Some((450, true, false, "за ноябрь".into()))
    );
    assert!(
        te1.get(&path)
            .text()
            .contains("оплата в группе робо-71 за ноябрь 2017 сохранена.")
    );
    // Only this month is touched: September's payment stays as it was.
    assert_eq!(payment(&db, sig, 9).map(|p| p.0), Some(400));

    // A master confirms, and the screen says what.
    let mut ma = WebClient::login(&db, "ma1", "12");
    let r = save(&mut ma, &path, |f| {
        set_field(f, &format!("conf_10_{sig}"), Some("y"));
    });
    assert_eq!(r.status, 302);
    let page = ma.get(&path).text();
    assert!(
        page.contains("подтверждено: Ученик Алексей Алексеевич, ноябрь 2017: 450 ₽"),
        "{page}"
    );
    assert!(page.contains("— <b>подтверждено</b>"));
    assert_eq!(payment(&db, sig, 10).map(|p| p.2), Some(true));

    // Bad money saves nothing; a month outside the group is 404; te2 may not.
    let r = save(&mut te1, &format!("/payments/group/{g}/month/11"), |f| {
        set_field(f, &format!("p_11_{sig}"), Some("-5"));
    });
    assert_eq!(r.status, 400);
    assert!(
        r.text().contains("сумма не может быть отрицательной"),
        "{}",
        r.text()
    );
    assert_eq!(payment(&db, sig, 11), None);
    assert_eq!(
        te1.get(&format!("/payments/group/{g}/month/40")).status,
        404
    );
    add_teacher(&db, "te2", "Другой Учитель");
    let mut te2 = WebClient::login(&db, "te2", "12");
    assert_eq!(te2.get(&path).status, 403);
}
