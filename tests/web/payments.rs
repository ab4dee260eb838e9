//! The payments grid of a group (`/payments/group/<id>`) through the CGI binary: access per role,
//! clamping, refused money, confirmation rights, frozen confirmed payments, totals, and a save
//! that writes only the cells the visitor changed.

use crate::common;

use crate::common::{db::*, fixture::*, form::*};
use common::{CgiRequest, TestDb, WebClient, csrf_token};

/// (value, cash, confirmed, comment) of a member's payment for a month.
fn payment(db: &TestDb, sig: u32, month: i32) -> Option<(i32, bool, bool, String)> {
    let mut c = db.conn();
    mysql::prelude::Queryable::exec_first(
        &mut c,
        "SELECT value, cash, confirmed, comment FROM payments WHERE student_in_group_id = ? AND month = ?",
        (sig, month),
    )
    .unwrap()
}

/// Opens the grid, applies `edit` to what the browser would post, and saves.
fn save_grid(
    web: &mut WebClient,
    group: u32,
    edit: impl FnOnce(&mut Vec<(String, String)>),
) -> common::CgiResponse {
    let path = format!("/payments/group/{group}");
    let page = web.get(&path);
    assert_eq!(page.status, 200, "{}", page.text());
    let mut fields = form_fields(&page.text(), "name=\"submit\"");
    edit(&mut fields);
    web.send(CgiRequest::post_form(&path, &as_refs(&fields)))
}

#[test]
fn access_per_role() {
    let db = TestDb::seeded();
    let (g, _) = robo_71(&db);
    let path = format!("/payments/group/{g}");
    let anon = db.cgi(&CgiRequest::get(&path));
    assert_eq!(anon.status, 302);
    assert!(anon.location().unwrap().starts_with("/users/login?next="));

    let mut student = WebClient::login(&db, "st1", "31082002");
    assert_eq!(student.get(&path).status, 403);

    add_teacher(&db, "te2", "Другой Учитель");
    let mut other = WebClient::login(&db, "te2", "12");
    assert_eq!(other.get(&path).status, 403);
    let token = csrf_token(&other.get("/").text());
    let refused = other.send(CgiRequest::post_form(
        &path,
        &[
            ("csrf_token", token.as_str()),
            (&format!("p_10_{}", robo_71(&db).1), "100"),
        ],
    ));
    assert_eq!(refused.status, 403);
    assert_eq!(db.count("payments"), 1);

    for login in ["te1", "ma1", "dev1"] {
        let mut web = WebClient::login(&db, login, "12");
        let page = web.get(&path);
        assert_eq!(page.status, 200, "{login}");
        assert!(page.text().contains("робо-71</a>. оплата"), "{login}");
    }
    let mut master = WebClient::login(&db, "ma1", "12");
    assert_eq!(master.get("/payments/group/999").status, 404);

    // A POST without the CSRF token writes nothing.
    let r = master.send(CgiRequest::post_form(
        &path,
        &[(&format!("p_10_{}", robo_71(&db).1), "100")],
    ));
    assert_eq!(r.status, 400);
    assert_eq!(db.count("payments"), 1);
}

#[test]
fn developer_is_read_only() {
    let db = TestDb::seeded();
    let (g, sig) = robo_71(&db);
    let mut dev = WebClient::login(&db, "dev1", "12");
    let r = save_grid(&mut dev, g, |f| {
        set_field(f, &format!("p_10_{sig}"), Some("300"));
        set_field(f, &format!("conf_9_{sig}"), Some("y"));
    });
    assert_eq!(r.status, 302, "{}", r.text());
    let after = dev.get(&format!("/payments/group/{g}")).text();
    assert!(
        after.contains("режим только чтения: оплата в группе") && after.contains("не сохранена."),
        "{after}"
    );
    assert_eq!(payment(&db, sig, 10), None);
    assert_eq!(
        payment(&db, sig, 9),
        Some((400, true, false, "comment".into()))
    );
}

#[test]
fn values_are_clamped_and_bad_money_is_refused() {
    let db = TestDb::seeded();
    let (g, sig) = robo_71(&db);
    let mut web = WebClient::login(&db, "ma1", "12");
    let page = web.get(&format!("/payments/group/{g}")).text();
    assert!(
        page.contains(&format!(
            "name=\"p_9_{sig}\" min=\"0\" max=\"700\" value=\"400\""
        )),
        "{page}"
    );
    assert!(page.contains("/ 700 &#8381;"));

    let r = save_grid(&mut web, g, |f| {
        set_field(f, &format!("p_10_{sig}"), Some("5000"));
        set_field(f, &format!("p_11_{sig}"), Some("250"));
    });
    assert_eq!(r.status, 302);
    assert!(
        web.get(&format!("/payments/group/{g}"))
            .text()
            .contains("оплата в группе робо-71 сохранена.")
    );
    assert_eq!(payment(&db, sig, 10).unwrap().0, 700);
    assert_eq!(payment(&db, sig, 11).unwrap().0, 250);

    for (bad, message) in [
        ("-5", "сумма не может быть отрицательной"),
        ("12abc", "сумма должна быть целым числом рублей"),
        ("1.5", "сумма должна быть целым числом рублей"),
    ] {
        let before = db.count("payments");
        let r = save_grid(&mut web, g, |f| {
            set_field(f, &format!("p_12_{sig}"), Some("100"));
            set_field(f, &format!("p_9_{sig}"), Some(bad));
        });
        assert_eq!(r.status, 200, "{bad}");
        let text = r.text();
        assert!(text.contains("ничего не сохранено"), "{text}");
        assert!(
            text.contains(&format!(
                "Ученик Алексей Алексеевич, октябрь 2017: {message}"
            )),
            "{text}"
        );
        // The typed value is shown again for correction.
        assert!(text.contains(&format!("value=\"{bad}\"")));
        assert_eq!(db.count("payments"), before);
        assert_eq!(payment(&db, sig, 9).unwrap().0, 400);
        assert_eq!(payment(&db, sig, 12), None);
    }

    let long = "я".repeat(33);
    let r = save_grid(&mut web, g, |f| {
        set_field(f, &format!("comment_9_{sig}"), Some(&long))
    });
    assert_eq!(r.status, 200);
    assert!(r.text().contains("комментарий длиннее 32 символов"));
    assert_eq!(payment(&db, sig, 9).unwrap().3, "comment");
}

#[test]
fn only_masters_confirm() {
    let db = TestDb::seeded();
    let (g, sig) = robo_71(&db);
    let mut teacher = WebClient::login(&db, "te1", "12");
    let page = teacher.get(&format!("/payments/group/{g}")).text();
    assert!(
        page.contains(&format!("name=\"conf_9_{sig}\" value=\"y\" disabled")),
        "{page}"
    );
    // Even a crafted tick is ignored for a teacher; the value change is kept.
    let r = save_grid(&mut teacher, g, |f| {
        set_field(f, &format!("conf_9_{sig}"), Some("y"));
        set_field(f, &format!("conf_10_{sig}"), Some("y"));
        set_field(f, &format!("p_9_{sig}"), Some("500"));
        set_field(f, &format!("p_10_{sig}"), Some("100"));
    });
    assert_eq!(r.status, 302);
    assert_eq!(
        payment(&db, sig, 9),
        Some((500, true, false, "comment".into()))
    );
    assert_eq!(
        payment(&db, sig, 10),
        Some((100, true, false, String::new()))
    );

    let mut master = WebClient::login(&db, "ma1", "12");
    let page = master.get(&format!("/payments/group/{g}")).text();
    assert!(
        page.contains(&format!("name=\"conf_9_{sig}\" value=\"y\">")),
        "{page}"
    );
    save_grid(&mut master, g, |f| {
        set_field(f, &format!("conf_9_{sig}"), Some("y"));
        set_field(f, &format!("p_11_{sig}"), Some("700"));
        set_field(f, &format!("cash_11_{sig}"), None);
        set_field(f, &format!("conf_11_{sig}"), Some("y"));
    });
    assert_eq!(
        payment(&db, sig, 9),
        Some((500, true, true, "comment".into()))
    );
    assert_eq!(
        payment(&db, sig, 11),
        Some((700, false, true, String::new()))
    );
}

#[test]
fn a_confirmed_payment_is_frozen_for_teachers() {
    let db = TestDb::seeded();
    let (g, sig) = robo_71(&db);
    exec(
        &db,
        "UPDATE payments SET confirmed = 1 WHERE student_in_group_id = ?",
        (sig,),
    );
    let mut teacher = WebClient::login(&db, "te1", "12");
    let page = teacher.get(&format!("/payments/group/{g}")).text();
    assert!(!page.contains(&format!("name=\"p_9_{sig}\"")), "{page}");
    assert!(page.contains("<span class=\"paid-ok\">400 / 700 &#8381;</span>"));
    assert!(page.contains(&format!(
        "name=\"cash_9_{sig}\" value=\"y\" checked disabled"
    )));

    // The browser's form leaves the cell alone.
    let r = save_grid(&mut teacher, g, |_| {});
    assert_eq!(r.status, 302);
    assert_eq!(
        payment(&db, sig, 9),
        Some((400, true, true, "comment".into()))
    );
    assert_eq!(db.count("payments"), 1, "an untouched grid writes nothing");

    // Crafted values for the confirmed cell, with and without the «shown» field, change nothing.
    for with_shown in [true, false] {
        let r = save_grid(&mut teacher, g, |f| {
            set_field(f, &format!("p_9_{sig}"), Some("10"));
            set_field(f, &format!("comment_9_{sig}"), Some("x"));
            set_field(f, &format!("conf_9_{sig}"), None);
            if !with_shown {
                set_field(f, &format!("was_9_{sig}"), None);
            }
        });
        assert_eq!(r.status, 302);
        assert_eq!(
            payment(&db, sig, 9),
            Some((400, true, true, "comment".into()))
        );
    }
    // Stale form: the teacher opened the grid before the master confirmed, then saves a change.
    exec(
        &db,
        "UPDATE payments SET confirmed = 0 WHERE student_in_group_id = ?",
        (sig,),
    );
    let path = format!("/payments/group/{g}");
    let mut fields = form_fields(&teacher.get(&path).text(), "name=\"submit\"");
    exec(
        &db,
        "UPDATE payments SET confirmed = 1 WHERE student_in_group_id = ?",
        (sig,),
    );
    set_field(&mut fields, &format!("p_9_{sig}"), Some("50"));
    let r = teacher.send(CgiRequest::post_form(&path, &as_refs(&fields)));
    assert_eq!(r.status, 302);
    assert_eq!(
        payment(&db, sig, 9),
        Some((400, true, true, "comment".into()))
    );
    let text = teacher.get(&path).text();
    assert!(text.contains("не сохранено, обновите страницу и проверьте: Ученик Алексей Алексеевич, октябрь 2017 (изменено другим пользователем)"), "{text}");

    // A master un-confirms; the value stays (a confirmed cell posts none), then it is editable.
    let mut master = WebClient::login(&db, "ma1", "12");
    save_grid(&mut master, g, |f| {
        set_field(f, &format!("conf_9_{sig}"), None)
    });
    assert_eq!(
        payment(&db, sig, 9),
        Some((400, true, false, "comment".into()))
    );
    save_grid(&mut teacher, g, |f| {
        set_field(f, &format!("p_9_{sig}"), Some("600"))
    });
    assert_eq!(payment(&db, sig, 9).unwrap().0, 600);
}

#[test]
fn totals_per_student_month_and_teacher_sums() {
    let db = TestDb::seeded();
    let (g, sig) = robo_71(&db);
    let second = add_student(&db, "st2", "Яковлев Борис");
    let sig2 = add_member(&db, second, g, 0, 10, 12);
    exec(
        &db,
        "INSERT INTO payments (student_in_group_id, month, value, cash, confirmed, comment) VALUES (?, 10, 800, 0, 1, ''), (?, 11, 0, 1, 0, '')",
        (sig2, sig2),
    );
    let mut teacher = WebClient::login(&db, "te1", "12");
    let text = teacher.get(&format!("/payments/group/{g}")).text();
    // st1: 0 confirmed / 1 paid / 9 months; st2: 1 / 1 / 3 (a zero payment does not count).
    assert!(text.contains(&totals("0 / 1 / 9", false)), "{text}");
    assert!(text.contains(&totals("1 / 1 / 3", false)));
    // Month 10: st2 confirmed, st1 nothing; month 9: st1's 400; month 8: only st1, nothing.
    assert!(text.contains(&totals("1 / 1 / 2", false)));
    assert!(text.contains(&totals("0 / 1 / 1", false)));
    assert!(text.contains(&totals("0 / 0 / 1", false)));
    assert!(text.contains(&format!("<b>{}</b>", totals("1 / 2 / 12", false))));
    // «не в группе» outside st2's months.
    assert_eq!(
        text.matches("<i class=\"muted\">не в группе</i>").count(),
        6
    );
    assert!(text.contains(&format!("name=\"p_10_{sig}\"")));
    assert!(!text.contains(&format!("name=\"p_9_{sig2}\"")));
    // The teacher's unconfirmed sums: 400 in робо-71, 0 in веб-61.
    assert!(text.contains("<h2>сумма неподтверждённых платежей</h2>"));
    assert!(text.contains("робо-71</a></th><td class=\"num\">400 &#8381;</td>"));
    assert!(text.contains("веб-61</a></th><td class=\"num\">0 &#8381;</td>"));
    assert!(text.contains(
        "<th scope=\"row\">во всех Ваших группах</th><td class=\"num\"><b>400 &#8381;</b></td>"
    ));
    // All confirmed is green.
    exec(&db, "UPDATE payments SET confirmed = 1", ());
    exec(
        &db,
        "UPDATE student_in_groups SET exit_month = 10 WHERE id = ?",
        (sig2,),
    );
    exec(
        &db,
        "UPDATE student_in_groups SET enter_month = 9, exit_month = 9 WHERE id = ?",
        (sig,),
    );
    let mut master = WebClient::login(&db, "ma1", "12");
    let text = master.get(&format!("/payments/group/{g}")).text();
    assert!(text.contains(&totals("1 / 1 / 1", true)), "{text}");
    assert!(text.contains(&format!("<b>{}</b>", totals("2 / 2 / 2", true))));
    assert!(!text.contains("<h2>сумма неподтверждённых платежей</h2>"));
}

#[test]
fn a_save_writes_only_changed_cells() {
    let db = TestDb::seeded();
    let (g, sig) = robo_71(&db);
    let second = add_student(&db, "st2", "Яковлев Борис");
    let sig2 = add_member(&db, second, g, 0, 8, 16);
    exec(
        &db,
        "INSERT INTO payments (student_in_group_id, month, value, cash, confirmed, comment) VALUES (?, 12, 300, 0, 0, 'b')",
        (sig2,),
    );
    let path = format!("/payments/group/{g}");
    let mut web = WebClient::login(&db, "te1", "12");
    let mut fields = form_fields(&web.get(&path).text(), "name=\"submit\"");
    // Meanwhile another user changes st2's payment; this form still shows the old one.
    exec(
        &db,
        "UPDATE payments SET value = 333 WHERE student_in_group_id = ? AND month = 12",
        (sig2,),
    );
    set_field(&mut fields, &format!("p_13_{sig}"), Some("150"));
    set_field(
        &mut fields,
        &format!("comment_13_{sig}"),
        Some("  наличные  "),
    );
    let r = web.send(CgiRequest::post_form(&path, &as_refs(&fields)));
    assert_eq!(r.status, 302, "{}", r.text());
    assert_eq!(
        payment(&db, sig, 13),
        Some((150, true, false, "наличные".into()))
    );
    // No row was created for the untouched empty cells; the others' rows are as they were.
    assert_eq!(db.count("payments"), 3);
    assert_eq!(
        payment(&db, sig, 9),
        Some((400, true, false, "comment".into()))
    );
    assert_eq!(
        payment(&db, sig2, 12),
        Some((333, false, false, "b".into()))
    );

    // Un-ticking «наличными» of an empty cell is a change: the row is created with 0 ₽.
    save_grid(&mut web, g, |f| {
        set_field(f, &format!("cash_8_{sig2}"), None)
    });
    assert_eq!(
        payment(&db, sig2, 8),
        Some((0, false, false, String::new()))
    );
    assert_eq!(db.count("payments"), 4);
}

/// The payments grid's «confirmed / paid / all» of a row, a month or the whole, as the page shows
/// it (green when all are confirmed).
fn totals(numbers: &str, all_confirmed: bool) -> String {
    let green = if all_confirmed {
        " class=\"paid-ok\""
    } else {
        ""
    };
    format!("<span title=\"подтверждено / оплачено / всего\"{green}>{numbers}</span>")
}
