//! The roll call of one lesson (`/lessons/roll_call/<lesson>`), the teacher's phone screen, and
//! the lessons due one on the teacher's index page.

use crate::common;
use crate::common::{db::*, fixture::*, form::*};
use common::{CgiRequest, TestDb, WebClient};

/// 15 January 2018, afternoon in Barnaul.
const NOW: &str = "2018-01-15 08:00:00";

struct Fixture {
    db: TestDb,
    group: u32,
    lesson: u32,
    st1: u32,
    anna: u32,
}

/// робо-71 with st1 and Анна; today's lesson with st1 marked «был».
fn fixture() -> Fixture {
    let db = TestDb::seeded();
    let (group, _) = robo_71(&db);
    let te1 = teacher_id(&db, "te1");
    let st1 = student_id(&db, "st1");
    let anna = add_student(&db, "anna", "Анна Новая");
    add_member(&db, anna, group, 0, 8, 16);
    let lesson = add_lesson(&db, group, te1, "2018-01-15");
    add_attending(&db, lesson, st1, 1);
    Fixture {
        db,
        group,
        lesson,
        st1,
        anna,
    }
}

fn state(db: &TestDb, lesson: u32, student: u32) -> Option<i32> {
    query_rows(
        db,
        "SELECT state FROM attendings WHERE lesson_id = ? AND student_id = ?",
        (lesson, student),
    )
    .into_iter()
    .next()
}

/// Opens the roll call, lets `choose` pick the radio values, and saves.
fn save(
    web: &mut WebClient,
    lesson: u32,
    choose: impl FnOnce(&mut Vec<(String, String)>),
) -> common::CgiResponse {
    let path = format!("/lessons/roll_call/{lesson}");
    let page = web.get(&path);
    assert_eq!(page.status, 200, "{}", page.text());
    let mut fields = form_fields(&page.text(), "сохранить отметки");
    choose(&mut fields);
    web.send(CgiRequest::post_form(&path, &as_refs(&fields)))
}

#[test]
fn a_teacher_takes_the_roll_with_one_save() {
    let f = fixture();
    let mut te1 = WebClient::login_at(&f.db, NOW, "te1", "12");
    let path = format!("/lessons/roll_call/{}", f.lesson);
    let page = te1.get(&path).text();
    assert!(page.contains("отметки 15.01.2018"), "{page}");
    let st1_field = format!("a_{}_{}", f.lesson, f.st1);
    let anna_field = format!("a_{}_{}", f.lesson, f.anna);
    // Three choices each, the stored state chosen.
    assert!(
        page.contains(&format!("name=\"{st1_field}\" value=\"1\" checked>")),
        "{page}"
    );
    assert!(page.contains(&format!("name=\"{anna_field}\" value=\"0\" checked>")));
    assert_eq!(page.matches("type=\"radio\"").count(), 6);

    let r = save(&mut te1, f.lesson, |fields| {
        set_field(fields, &st1_field, Some("2"));
        set_field(fields, &anna_field, Some("1"));
    });
    assert_eq!(r.location(), Some(path.as_str()), "{}", r.text());
    let page = te1.get(&path).text();
    assert!(
        page.contains(
            "отметки занятия 15.01.2018 в группе робо-71 сохранены: был 1, не был 0, болел 1."
        ),
        "{page}"
    );
    assert_eq!(state(&f.db, f.lesson, f.st1), Some(2));
    assert_eq!(state(&f.db, f.lesson, f.anna), Some(1));
    let logged: u64 = query_one(
        &f.db,
        "SELECT COUNT(*) FROM change_log WHERE kind = 'attendance' AND row_id = ?",
        (f.lesson,),
    );
    assert_eq!(logged, 2, "each changed mark is in the change log");
    // The month grid links each date to its roll call.
    let grid = te1.get(&format!("/lessons/{}/{}", f.group, 12)).text();
    assert!(grid.contains(&format!("href=\"/lessons/roll_call/{}\"", f.lesson)));
}

#[test]
fn a_mark_changed_meanwhile_or_a_bad_state_is_not_saved() {
    let f = fixture();
    let mut te1 = WebClient::login_at(&f.db, NOW, "te1", "12");
    let st1_field = format!("a_{}_{}", f.lesson, f.st1);
    let anna_field = format!("a_{}_{}", f.lesson, f.anna);
    let r = save(&mut te1, f.lesson, |fields| {
        set_field(fields, &anna_field, Some("7"));
        set_field(fields, &st1_field, Some("0"));
    });
    assert_eq!(r.status, 400);
    assert!(r.text().contains("ничего не сохранено"), "{}", r.text());
    assert_eq!(state(&f.db, f.lesson, f.st1), Some(1), "nothing is written");

    let r = save(&mut te1, f.lesson, |fields| {
        // Someone marks st1 «болел» after the page was opened.
        exec(
            &f.db,
            "UPDATE attendings SET state = 2 WHERE lesson_id = ? AND student_id = ?",
            (f.lesson, f.st1),
        );
        set_field(fields, &st1_field, Some("0"));
        set_field(fields, &anna_field, Some("1"));
    });
    assert_eq!(r.status, 302);
    let page = te1.get(&format!("/lessons/roll_call/{}", f.lesson)).text();
    assert!(
        page.contains("отметок, изменённых другим пользователем: 1"),
        "{page}"
    );
    assert_eq!(state(&f.db, f.lesson, f.st1), Some(2));
    assert_eq!(state(&f.db, f.lesson, f.anna), Some(1));

    // Another teacher cannot take this group's roll.
    add_teacher(&f.db, "te2", "Другой Учитель");
    let mut te2 = WebClient::login_at(&f.db, NOW, "te2", "12");
    assert_eq!(
        te2.get(&format!("/lessons/roll_call/{}", f.lesson)).status,
        403
    );
}

#[test]
fn the_index_lists_todays_lessons_and_the_past_weeks_unmarked_ones() {
    let f = fixture();
    let te1 = teacher_id(&f.db, "te1");
    let unmarked = add_lesson(&f.db, f.group, te1, "2018-01-12");
    let marked = add_lesson(&f.db, f.group, te1, "2018-01-10");
    add_attending(&f.db, marked, f.st1, 2);
    let old = add_lesson(&f.db, f.group, te1, "2018-01-05");
    let mut web = WebClient::login_at(&f.db, NOW, "te1", "12");
    let index = web.get("/").text();
    let link = |lesson: u32| format!("href=\"/lessons/roll_call/{lesson}\"");
    assert!(index.contains(&link(f.lesson)), "{index}");
    assert!(index.contains("робо-71, сегодня</a>"), "{index}");
    assert!(index.contains(&link(unmarked)));
    assert!(index.contains("робо-71, 12.01.2018 — не отмечено</a>"));
    assert!(!index.contains(&link(marked)), "marked already");
    assert!(!index.contains(&link(old)), "more than a week ago");
    // Masters have no such list.
    let mut ma = WebClient::login_at(&f.db, NOW, "ma1", "12");
    assert!(!ma.get("/").text().contains("отметить посещение"));
}
