//! The web lists for finding people: searches in any word order, by login and by a parent's
//! phone written any way; header sorting in both directions, kept by the pages; a bad sort that
//! falls back to the list's own order; phone numbers as `tel:` links.

use crate::common;
use crate::common::{db::*, fixture::*};
use common::form::unescape;
use common::{TestDb, WebClient};

/// The page of `path` with the query `pairs`, as the browser reads it.
fn list(web: &mut WebClient, path: &str, pairs: &[(&str, &str)]) -> String {
    let query = serde_urlencoded::to_string(pairs).unwrap();
    let r = web.get(&format!("{path}?{query}"));
    assert_eq!(r.status, 200, "{path}?{query}: {}", r.text());
    unescape(&r.text())
}

/// Which of `names` the page shows, in the order they first appear.
fn shown<'a>(html: &str, names: &[&'a str]) -> Vec<&'a str> {
    let mut found: Vec<(usize, &str)> = names
        .iter()
        .filter_map(|n| html.find(&format!(">{n}<")).map(|at| (at, *n)))
        .collect();
    found.sort();
    found.into_iter().map(|(_, n)| n).collect()
}

/// The `href` of the first link whose attributes hold `marker`.
fn link_with(html: &str, marker: &str) -> String {
    let at = html.find(marker).unwrap_or_else(|| panic!("{marker}"));
    let start = html[..at].rfind("href=\"").unwrap() + 6;
    let end = start + html[start..].find('"').unwrap();
    html[start..end].to_string()
}

#[test]
fn students_are_found_by_words_login_and_a_parents_phone() {
    let db = TestDb::seeded();
    let daria = add_student(&db, "dblinova", "Блинова Дарья Сергеевна");
    add_student(&db, "ivd", "Дарьин Иван");
    let father = add_parent(&db, "Блинов Сергей Петрович", "89123456789");
    add_child(&db, daria, father, false);
    let names = [
        "Блинова Дарья Сергеевна",
        "Дарьин Иван",
        "Ученик Алексей Алексеевич",
    ];
    let mut web = WebClient::login(&db, "ma1", "12");
    let found = |web: &mut WebClient, search: &str| {
        shown(&list(web, "/users/students", &[("search", search)]), &names)
    };
    for search in [
        "  Дарья   Блинова ",
        "Блинова Дарья",
        "блин дар",
        "ДАРЬЯ",
        "dblin",
        "+7 912 345",
        "912-34",
        "8 (912) 345-67-89",
        "79123456789",
    ] {
        assert_eq!(
            found(&mut web, search),
            ["Блинова Дарья Сергеевна"],
            "{search:?}"
        );
    }
    assert_eq!(
        found(&mut web, "дар"),
        ["Блинова Дарья Сергеевна", "Дарьин Иван"]
    );
    // Fewer than 5 digits are no phone; a word of the name must still match literally.
    assert_eq!(found(&mut web, "9123"), Vec::<&str>::new());
    assert_eq!(found(&mut web, "блин_"), Vec::<&str>::new());
    let html = list(&mut web, "/users/students", &[("search", "  блин   дар ")]);
    assert!(
        html.contains("value=\"блин дар\""),
        "the box shows the search tidied"
    );

    // The parents list searches its names the same way, and dials the number.
    let html = list(
        &mut web,
        "/structure/parents",
        &[("search", " сергей  блинов ")],
    );
    assert!(html.contains(">Блинов Сергей Петрович<"));
    assert!(
        html.contains("<a class=\"tel\" href=\"tel:+79123456789\">8 912 345-67-89</a>"),
        "{html}"
    );
}

#[test]
fn students_sort_by_name_and_visit_both_ways_across_pages() {
    let db = TestDb::seeded();
    let names: Vec<String> = (1..=25).map(|n| format!("Сорт {n:02}")).collect();
    for (i, name) in names.iter().enumerate() {
        add_student_without_login(&db, &format!("sort{i}"), name);
    }
    let all: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut web = WebClient::login(&db, "ma1", "12");
    let search = ("search", "сорт");
    // «сорт» in a link.
    const SEARCHED: &str = "search=%D1%81%D0%BE%D1%80%D1%82";

    let page = list(
        &mut web,
        "/users/students",
        &[search, ("sort", "fio"), ("order", "desc")],
    );
    let expected: Vec<&str> = all.iter().rev().take(20).copied().collect();
    assert_eq!(shown(&page, &all), expected);
    assert!(page.contains("aria-sort=\"descending\""));
    assert!(page.contains("ФИО <span class=\"sort-arrow\" aria-hidden=\"true\">▼</span>"));
    // The header now sorts the other way, keeping the search; the pages keep the sort.
    let flip = link_with(&page, "ФИО <span class=\"sort-arrow\"");
    assert_eq!(
        flip,
        format!("/users/students?{SEARCHED}&sort=fio&order=asc")
    );
    let next = link_with(&page, "rel=\"next\"");
    assert!(
        next.contains("sort=fio&order=desc") && next.contains("page=2"),
        "{next}"
    );
    let page2 = unescape(&web.get(&next).text());
    assert_eq!(
        shown(&page2, &all),
        ["Сорт 05", "Сорт 04", "Сорт 03", "Сорт 02", "Сорт 01"]
    );
    // The download follows the same order.
    assert!(link_with(&page, ">Excel<").contains("sort=fio&order=desc"));

    let page = list(
        &mut web,
        "/users/students",
        &[search, ("sort", "fio"), ("order", "asc")],
    );
    assert_eq!(shown(&page, &all), all[..20].to_vec());
    assert!(page.contains("aria-sort=\"ascending\""));

    // Last visits: never seen sorts before any visit; newest first on the first click.
    for (n, at) in [
        (3, "2024-01-03 10:00:00"),
        (7, "2024-05-01 10:00:00"),
        (1, "2023-12-31 10:00:00"),
    ] {
        exec(
            &db,
            "UPDATE system_users su JOIN students x ON x.system_user_id = su.id
             SET su.last_seen = ?, su.last_seen_where = 2 WHERE x.fio = ?",
            (at, format!("Сорт {n:02}")),
        );
    }
    let page = list(&mut web, "/users/students", &[search]);
    assert_eq!(
        link_with(&page, ">последний визит<"),
        format!("/users/students?{SEARCHED}&sort=last_seen&order=desc")
    );
    let page = list(
        &mut web,
        "/users/students",
        &[search, ("sort", "last_seen"), ("order", "desc")],
    );
    assert_eq!(
        shown(&page, &all)[..4],
        ["Сорт 07", "Сорт 03", "Сорт 01", "Сорт 25"],
        "the never seen last, the exact reverse"
    );
    let page = list(
        &mut web,
        "/users/students",
        &[search, ("sort", "last_seen")],
    );
    let asc = shown(&page, &all);
    assert_eq!(
        asc[..3],
        ["Сорт 02", "Сорт 04", "Сорт 05"],
        "never seen first, by id"
    );

    // An unknown sort is the list's own order, not an error.
    let own = shown(&list(&mut web, "/users/students", &[search]), &all);
    let bad = list(
        &mut web,
        "/users/students",
        &[search, ("sort", "fio; DROP"), ("order", "x")],
    );
    assert_eq!(shown(&bad, &all), own);
    assert!(!bad.contains("aria-sort="));
}

#[test]
fn groups_sort_by_name_and_start() {
    let db = TestDb::seeded();
    let te1 = teacher_id(&db, "te1");
    add_group(&db, "а-поздняя", "робо", te1, 40, 45);
    add_group(&db, "я-ранняя", "робо", te1, 1, 5);
    let names = ["а-поздняя", "веб-61", "робо-71", "я-ранняя"];
    let mut web = WebClient::login(&db, "ma1", "12");
    let by = |web: &mut WebClient, sort: &[(&str, &str)]| {
        shown(&list(web, "/structure/groups", sort), &names)
    };
    assert_eq!(by(&mut web, &[("sort", "name"), ("order", "asc")]), names);
    let reversed: Vec<&str> = names.iter().rev().copied().collect();
    assert_eq!(
        by(&mut web, &[("sort", "name"), ("order", "desc")]),
        reversed
    );
    let start = by(&mut web, &[("sort", "start")]);
    assert_eq!((start[0], start[3]), ("я-ранняя", "а-поздняя"));
    let start = by(&mut web, &[("sort", "start"), ("order", "desc")]);
    assert_eq!((start[0], start[3]), ("а-поздняя", "я-ранняя"));
    // The list's own order ("for current user") for a bad key.
    let own = by(&mut web, &[]);
    assert_eq!(by(&mut web, &[("sort", "debt'"), ("order", "desc")]), own);
    let page = list(
        &mut web,
        "/structure/groups",
        &[("teacher_id", &te1.to_string()), ("sort", "name")],
    );
    assert_eq!(
        link_with(&page, "название <span"),
        format!("/structure/groups?teacher_id={te1}&sort=name&order=desc")
    );
}

#[test]
fn phones_dial_from_the_lists_and_the_student_details() {
    let db = TestDb::seeded();
    let st1 = student_id(&db, "st1");
    let mother = add_parent(&db, "Мама Ученика", "89005556677");
    add_child(&db, st1, mother, true);
    exec(
        &db,
        "UPDATE students SET contact_phone = 2 WHERE id = ?",
        (st1,),
    );
    let mut web = WebClient::login(&db, "ma1", "12");
    let students = list(&mut web, "/users/students", &[]);
    assert!(students.contains("href=\"tel:+79005556677\">8 900 555-66-77</a> (мать)"));
    let teachers = list(&mut web, "/users/teachers", &[]);
    assert!(teachers.contains("href=\"tel:+79012223344\">8 901 222-33-44</a>"));
    let details = list(&mut web, &format!("/users/student_details/{st1}"), &[]);
    assert!(details.contains("телефон: <a class=\"tel\" href=\"tel:+79005556677\">"));
    assert!(details.contains(
        "телефон:</span> <a class=\"tel\" href=\"tel:+79023334455\">8 902 333-44-55</a>"
    ));
    let parents = list(&mut web, "/structure/parents", &[]);
    assert!(parents.contains("href=\"tel:+79005556677\""));
    // The student's own card on the index.
    let mut student = WebClient::login(&db, "st1", "31082002");
    let index = unescape(&student.get("/").text());
    assert!(
        index.contains("href=\"tel:+79005556677\">8 900 555-66-77</a> (мать)"),
        "{index}"
    );
}
