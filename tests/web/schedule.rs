//! The weekly timetable (`/schedule/`) through the CGI binary: access, the master's one-POST
//! edit with validation, the ordering of the slots, the teacher's read-only view and a save that
//! leaves alone what another master changed after the page was opened.

use crate::common;

use crate::common::{db::*, fixture::*, form::*};
use common::{CgiRequest, TestDb, WebClient, csrf_token};

fn slot_ids(db: &TestDb) -> Vec<u32> {
    let mut c = db.conn();
    mysql::prelude::Queryable::query(&mut c, "SELECT id FROM schedule_times ORDER BY id").unwrap()
}

fn cell(db: &TestDb, slot: u32, day: u32) -> Option<Option<u32>> {
    let mut c = db.conn();
    mysql::prelude::Queryable::exec_first(
        &mut c,
        "SELECT group_id FROM schedule_groups WHERE schedule_time_id = ? AND day_of_week = ?",
        (slot, day),
    )
    .unwrap()
}

fn time(db: &TestDb, slot: u32) -> Option<String> {
    query_one(db, "SELECT time FROM schedule_times WHERE id = ?", (slot,))
}

fn save(web: &mut WebClient, edit: impl FnOnce(&mut Vec<(String, String)>)) -> common::CgiResponse {
    let page = web.get("/schedule/");
    assert_eq!(page.status, 200);
    let mut fields = form_fields(&page.text(), "name=\"submit\"");
    edit(&mut fields);
    web.send(CgiRequest::post_form("/schedule/", &as_refs(&fields)))
}

#[test]
fn access_per_role() {
    let db = TestDb::seeded();
    let anon = db.cgi(&CgiRequest::get("/schedule/"));
    assert_eq!(anon.status, 302);
    assert!(anon.location().unwrap().starts_with("/users/login?next="));
    let mut student = WebClient::login(&db, "st1", "31082002");
    assert_eq!(student.get("/schedule/").status, 403);
    let token = csrf_token(&student.get("/").text());
    let r = student.send(CgiRequest::post_form(
        "/schedule/",
        &[("csrf_token", token.as_str()), ("time_1", "10:00")],
    ));
    assert_eq!(r.status, 403);

    // A teacher sees the read-only view and cannot save.
    let slot = slot_ids(&db)[0];
    let mut teacher = WebClient::login(&db, "te1", "12");
    let page = teacher.get("/schedule/").text();
    assert!(page.contains("<h1>расписание</h1>"));
    assert!(!page.contains("<select"));
    let token = csrf_token(&page);
    let r = teacher.send(CgiRequest::post_form(
        "/schedule/",
        &[
            ("csrf_token", token.as_str()),
            (&format!("time_{slot}"), "10:00"),
        ],
    ));
    assert_eq!(r.status, 302);
    assert!(
        teacher
            .get("/schedule/")
            .text()
            .contains("вы не можете редактировать расписание.")
    );
    assert_eq!(time(&db, slot), None);

    // Without the CSRF token a master's save is refused.
    let mut master = WebClient::login(&db, "ma1", "12");
    let r = master.send(CgiRequest::post_form(
        "/schedule/",
        &[(&format!("time_{slot}"), "10:00")],
    ));
    assert_eq!(r.status, 400);
    assert_eq!(time(&db, slot), None);

    // A developer may submit; nothing is stored and the flash says so.
    let mut dev = WebClient::login(&db, "dev1", "12");
    let r = save(&mut dev, |f| {
        set_field(f, &format!("time_{slot}"), Some("10:00"))
    });
    assert_eq!(r.status, 302);
    assert!(
        dev.get("/schedule/")
            .text()
            .contains("режим только чтения: расписание не сохранено.")
    );
    assert_eq!(time(&db, slot), None);
}

#[test]
fn master_edits_in_one_post_and_rows_are_ordered() {
    let db = TestDb::seeded();
    let ids = slot_ids(&db);
    assert_eq!(ids.len(), 20);
    let robo = group_id(&db, "робо-71");
    let web_group = group_id(&db, "веб-61");
    let mut master = WebClient::login(&db, "ma1", "12");
    let page = master.get("/schedule/").text();
    assert_eq!(page.matches("list=\"timetable-groups\"").count(), 140);
    assert_eq!(page.matches("<datalist").count(), 1);
    assert_eq!(page.matches("type=\"time\"").count(), 20);

    let r = save(&mut master, |f| {
        set_field(f, &format!("time_{}", ids[0]), Some("15:30"));
        set_field(f, &format!("time_{}", ids[1]), Some("09:00"));
        set_field(f, &format!("time_{}", ids[2]), Some(" 15:30 "));
        set_field(f, &format!("group_{}_0", ids[0]), Some("робо-71"));
        // A name is found whatever its letter case and spaces around it.
        set_field(f, &format!("group_{}_6", ids[1]), Some(" ВЕБ-61 "));
    });
    assert_eq!(r.status, 302, "{}", r.text());
    assert!(
        master
            .get("/schedule/")
            .text()
            .contains("расписание сохранено.")
    );
    assert_eq!(time(&db, ids[0]).as_deref(), Some("15:30"));
    assert_eq!(time(&db, ids[2]).as_deref(), Some("15:30"));
    assert_eq!(cell(&db, ids[0], 0), Some(Some(robo)));
    assert_eq!(cell(&db, ids[1], 6), Some(Some(web_group)));
    // Only the changed cells were written: no rows for the other 138 cells.
    assert_eq!(db.count("schedule_groups"), 2);

    // Order: 09:00, then the two 15:30 by id, then the empty times by id.
    let page = master.get("/schedule/").text();
    let order: Vec<usize> = [ids[1], ids[0], ids[2], ids[3], ids[19]]
        .iter()
        .map(|id| page.find(&format!("name=\"time_{id}\"")).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");

    // The cells show their groups' names.
    assert!(page.contains(&format!("name=\"group_{}_0\" value=\"робо-71\"", ids[0])));
    assert!(page.contains(&format!("name=\"group_{}_6\" value=\"веб-61\"", ids[1])));

    // Clearing: an empty box empties the cell, "" stores no time.
    save(&mut master, |f| {
        set_field(f, &format!("group_{}_0", ids[0]), Some(" "));
        set_field(f, &format!("time_{}", ids[2]), Some(""));
    });
    assert_eq!(cell(&db, ids[0], 0), Some(None));
    assert_eq!(time(&db, ids[2]), None);
    assert_eq!(cell(&db, ids[1], 6), Some(Some(web_group)));
}

#[test]
fn bad_input_is_refused_without_writing() {
    let db = TestDb::seeded();
    let ids = slot_ids(&db);
    let mut master = WebClient::login(&db, "ma1", "12");
    for (field, value, message) in [
        (
            format!("time_{}", ids[0]),
            "123456789",
            "время «123456789» длиннее 8 символов",
        ),
        (
            format!("group_{}_3", ids[0]),
            "робо-7",
            "время не указано, чт: группы «робо-7» нет",
        ),
        (
            format!("group_{}_3", ids[0]),
            "<b>робо",
            "время не указано, чт: группы «&lt;b&gt;робо» нет",
        ),
    ] {
        let r = save(&mut master, |f| {
            set_field(f, &format!("time_{}", ids[5]), Some("11:00"));
            set_field(f, &field, Some(value));
        });
        assert_eq!(r.status, 200);
        let text = r.text();
        assert!(text.contains("ничего не сохранено"), "{text}");
        assert!(text.contains(message), "{text}");
        assert_eq!(time(&db, ids[5]), None);
        assert_eq!(db.count("schedule_groups"), 0);
    }
}

#[test]
fn teacher_view_marks_own_groups() {
    let db = TestDb::seeded();
    let ids = slot_ids(&db);
    let other = add_teacher(&db, "te2", "Другой Учитель");
    let foreign = add_group(&db, "чужая-1", "веб", other, 8, 16);
    let robo = group_id(&db, "робо-71");
    exec(
        &db,
        "UPDATE schedule_times SET time = '10:00' WHERE id = ?",
        (ids[4],),
    );
    exec(
        &db,
        "INSERT INTO schedule_groups (schedule_time_id, day_of_week, group_id) VALUES (?, 1, ?), (?, 2, ?)",
        (ids[4], robo, ids[4], foreign),
    );
    let mut teacher = WebClient::login(&db, "te1", "12");
    let page = teacher.get("/schedule/").text();
    assert!(page.contains("class=\"mine\"><b>робо-71</b></a>"), "{page}");
    assert!(page.contains(">чужая-1</a>"));
    assert!(!page.contains("<b>чужая-1</b>"));
    assert!(page.contains("groups?search=%D1%80%D0%BE%D0%B1%D0%BE-71\""));
    let grid = &page[page.find("timetable-grid").unwrap()..];
    let no_time = "<i class=\"muted\">время не указано</i>";
    assert_eq!(grid.matches(no_time).count(), 19);
    // The slot with a time comes first.
    assert!(grid.find("10:00").unwrap() < grid.find(no_time).unwrap());

    let mut te2 = WebClient::login(&db, "te2", "12");
    let page = te2.get("/schedule/").text();
    assert!(page.contains("class=\"mine\"><b>чужая-1</b></a>"));
    assert!(!page.contains("<b>робо-71</b>"));
}

#[test]
fn a_phone_gets_the_timetable_day_by_day() {
    let db = TestDb::seeded();
    let slots = slot_ids(&db);
    let g = group_id(&db, "робо-71");
    exec(
        &db,
        "UPDATE schedule_times SET time = '10:00' WHERE id = ?",
        (slots[0],),
    );
    exec(
        &db,
        "UPDATE schedule_times SET time = '09:00' WHERE id = ?",
        (slots[1],),
    );
    for (slot, day) in [(slots[0], 1), (slots[1], 1), (slots[0], 4)] {
        exec(
            &db,
            "INSERT INTO schedule_groups (schedule_time_id, day_of_week, group_id) VALUES (?, ?, ?)
             ON DUPLICATE KEY UPDATE group_id = VALUES(group_id)",
            (slot, day, g),
        );
    }
    let mut te1 = WebClient::login(&db, "te1", "12");
    let page = te1.get("/schedule/").text();
    let list = &page[page.find("timetable-days").unwrap()..page.find("timetable-grid").unwrap()];
    let tuesday =
        &list[list.find("<h2>вторник</h2>").unwrap()..list.find("<h2>среда</h2>").unwrap()];
    // The times in the timetable's order of its rows, each with the group and its teacher.
    let nine = tuesday.find("09:00").expect(tuesday);
    let ten = tuesday.find("10:00").expect(tuesday);
    assert!(nine < ten, "{tuesday}");
    assert_eq!(
        tuesday
            .matches("робо-71</b></a>, Учитель Петр Петрович")
            .count(),
        2,
        "{tuesday}"
    );
    let friday =
        &list[list.find("<h2>пятница</h2>").unwrap()..list.find("<h2>суббота</h2>").unwrap()];
    assert!(friday.contains("10:00"), "{friday}");
    let monday =
        &list[list.find("<h2>понедельник</h2>").unwrap()..list.find("<h2>вторник</h2>").unwrap()];
    assert!(monday.contains("занятий нет"), "{monday}");
}

#[test]
fn the_cells_offer_the_groups_not_ended_and_those_placed() {
    let db = TestDb::seeded();
    let ids = slot_ids(&db);
    let te1 = teacher_id(&db, "te1");
    // 15 January 2018 is month 12: робо-71 (September 2017 – May 2018) runs.
    let ended = add_group(&db, "робо-старая", "Робо", te1, 0, 11);
    let placed = add_group(&db, "робо-прошлая", "Робо", te1, 0, 5);
    add_group(&db, "робо-будущая", "Робо", te1, 13, 20);
    exec(
        &db,
        "INSERT INTO schedule_groups (schedule_time_id, day_of_week, group_id) VALUES (?, 2, ?)",
        (ids[3], placed),
    );
    let mut master = WebClient::login_at(&db, "2018-01-15 09:00:00", "ma1", "12");
    let page = master.get("/schedule/").text();
    let offered = |name: &str| page.contains(&format!("<option value=\"{name}\">"));
    assert!(
        offered("робо-71") && offered("робо-будущая"),
        "the groups running or to come"
    );
    assert!(offered("робо-прошлая"), "an ended group in a cell");
    assert!(!offered("робо-старая"), "an ended group in no cell");
    assert!(page.contains(&format!(
        "name=\"group_{}_2\" value=\"робо-прошлая\"",
        ids[3]
    )));

    // The page saved as it is keeps every cell.
    let r = save(&mut master, |_| {});
    assert_eq!(r.status, 302, "{}", r.text());
    assert_eq!(cell(&db, ids[3], 2), Some(Some(placed)));
    // An ended group is still taken from a posted form.
    let r = save(&mut master, |f| {
        set_field(f, &format!("group_{}_0", ids[0]), Some("робо-старая"));
    });
    assert_eq!(r.status, 302, "{}", r.text());
    assert_eq!(cell(&db, ids[0], 0), Some(Some(ended)));
    let page = master.get("/schedule/").text();
    assert!(page.contains("<option value=\"робо-старая\">"));
}

#[test]
fn a_save_leaves_alone_what_someone_else_changed_since_the_page_was_opened() {
    let db = TestDb::seeded();
    let ids = slot_ids(&db);
    let robo = group_id(&db, "робо-71");
    let web_group = group_id(&db, "веб-61");
    let mut master = WebClient::login(&db, "ma1", "12");
    let page = master.get("/schedule/");
    let opened = form_fields(&page.text(), "name=\"submit\"");
    // Someone else places робо-71 on slot 0's Monday and gives slot 1 a time.
    exec(
        &db,
        "INSERT INTO schedule_groups (schedule_time_id, day_of_week, group_id) VALUES (?, 0, ?)",
        (ids[0], robo),
    );
    exec(
        &db,
        "UPDATE schedule_times SET time = '12:00' WHERE id = ?",
        (ids[1],),
    );

    // The page opened before saves its own change and keeps the other's.
    let mut fields = opened.clone();
    set_field(&mut fields, &format!("group_{}_1", ids[0]), Some("веб-61"));
    let r = master.send(CgiRequest::post_form("/schedule/", &as_refs(&fields)));
    assert_eq!(r.status, 302, "{}", r.text());
    assert_eq!(cell(&db, ids[0], 0), Some(Some(robo)));
    assert_eq!(cell(&db, ids[0], 1), Some(Some(web_group)));
    assert_eq!(time(&db, ids[1]).as_deref(), Some("12:00"));
    let text = master.get("/schedule/").text();
    assert!(text.contains("расписание сохранено."), "{text}");
    assert!(!text.contains("не сохранено"), "{text}");

    // Changing what the other changed meanwhile leaves it as the other left it, and says so.
    let mut fields = opened;
    set_field(&mut fields, &format!("group_{}_0", ids[0]), Some("веб-61"));
    set_field(&mut fields, &format!("time_{}", ids[1]), Some("13:00"));
    let r = master.send(CgiRequest::post_form("/schedule/", &as_refs(&fields)));
    assert_eq!(r.status, 302, "{}", r.text());
    assert_eq!(cell(&db, ids[0], 0), Some(Some(robo)));
    assert_eq!(time(&db, ids[1]).as_deref(), Some("12:00"));
    let text = master.get("/schedule/").text();
    assert!(
        text.contains(
            "не сохранено, обновите страницу и проверьте: время «13:00» (изменено другим \
             пользователем); время не указано, пн (изменено другим пользователем)"
        ),
        "{text}"
    );
    // The page opened now shows both, and saving it as it is changes nothing.
    let r = save(&mut master, |_| {});
    assert_eq!(r.status, 302);
    assert_eq!(cell(&db, ids[0], 0), Some(Some(robo)));
    assert_eq!(db.count("schedule_groups"), 2);
}
