//! A read-only developer's flashes. In developer read-only mode (the tests' default) every change
//! the developer `dev1` makes through the web UI is rolled back, so the success flash of a save
//! must not claim it: `Ctx::flash_done` turns «школа Лицей создана» into «режим только чтения:
//! школа Лицей не создана». This file walks every web form whose handler calls `flash_done`
//! (`grep -rn flash_done src`), submits it with valid input and, on the page the redirect leads
//! to, checks that the read-only message is shown, that the affirmative one is not, and that the
//! database is byte for byte what it was (a checksum of every table).
//!
//! The same walk runs once more with read-only mode off: there each message is the affirmative
//! one and each submission changes the database, which shows that the input is valid and that
//! the unchanged checksum of the read-only walk means something. The cases are ordered so that
//! this second walk's saves do not change the messages of later cases (edits keep the names
//! that later deletes report, each delete has a row of its own).
//!
//! Sending a message is the one such form a developer cannot use: `POST
//! /messages/messages_list/<id>` is for masters, teachers and students only and answers a
//! developer 403, so there is no save to misreport; the read-only test checks that refusal.

use crate::common;

use crate::common::{db::*, fixture::*};
use chrono::{Datelike, NaiveDate, Weekday};
use common::{CgiResponse, TestDb, WebClient};

/// The fixed clock of the walk (noon in Barnaul): October 2017, inside the seeded groups'
/// period September 2017 – May 2018, so lessons can be made in the past and in the future.
const NOW: &str = "2017-10-15 05:00:00";

/// One form submission and the success flashes its handler shows.
struct Case {
    /// The page the form is on: the CSRF token is taken from it.
    page: String,
    action: String,
    fields: Vec<(String, String)>,
    flashes: Vec<Flash>,
}

/// A success flash said both ways: after a save, and for a read-only developer.
struct Flash {
    done: String,
    read_only: String,
}

fn flash(done: &str, read_only: &str) -> Flash {
    Flash {
        done: done.into(),
        read_only: read_only.into(),
    }
}

fn case(page: &str, action: &str, fields: &[(&str, &str)], flashes: Vec<Flash>) -> Case {
    Case {
        page: page.into(),
        action: action.into(),
        fields: fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        flashes,
    }
}

/// Fields with computed values, as `case` takes them.
fn pairs<'a>(fields: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// A form that posts to the page it is on.
fn form(page: &str, fields: &[(&str, &str)], flashes: Vec<Flash>) -> Case {
    case(page, page, fields, flashes)
}

/// The rows the cases work on, beyond the seeded ones, and the ids they need.
struct Fixture {
    /// The seeded groups робо-71 (with st1 in it) and веб-61 (empty).
    robo: u32,
    web: u32,
    robo_section: u32,
    web_section: u32,
    st1: u32,
    st1_user: u32,
    /// st1's membership of робо-71 (discount 100, months 8…16).
    st1_in_robo: u32,
    school: u32,
    ma1: u32,
    ma1_user: u32,
    te1: u32,
    dump_creator: u32,
    /// The first timetable row.
    slot: u32,
    /// Lessons of робо-71: one to delete, one to mark st1 present at in the month grid, one for
    /// «delete empty past lessons».
    lesson_to_delete: u32,
    lesson_to_mark: u32,
    empty_past_lesson: u32,
    parent: u32,
    school_to_delete: u32,
    citizenship_to_edit: u32,
    citizenship_to_delete: u32,
    section: u32,
    teacher_to_delete: u32,
    developer: u32,
    /// Students in no group: one to delete, one to put into робо-71.
    student_to_delete: u32,
    newcomer: u32,
}

impl Fixture {
    fn add(db: &TestDb) -> Fixture {
        let robo = group_id(db, "робо-71");
        let st1 = student_id(db, "st1");
        let te1 = teacher_id(db, "te1");
        let lesson = |date: &str| add_lesson(db, robo, te1, date);
        Fixture {
            robo,
            web: group_id(db, "веб-61"),
            robo_section: id_by_name(db, "sections", "робо"),
            web_section: id_by_name(db, "sections", "веб"),
            st1,
            st1_user: user_id(db, "st1"),
            st1_in_robo: query_one(
                db,
                "SELECT id FROM student_in_groups WHERE student_id = ? AND group_id = ?",
                (st1, robo),
            ),
            school: query_one(db, "SELECT id FROM schools WHERE name = ?", ("школа №42",)),
            ma1: details_id(db, "masters", "ma1"),
            ma1_user: user_id(db, "ma1"),
            te1: teacher_id(db, "te1"),
            dump_creator: details_id(db, "bots", "dump_creator"),
            slot: query_one(db, "SELECT MIN(id) FROM schedule_times", ()),
            lesson_to_delete: lesson("2017-09-05"),
            lesson_to_mark: lesson("2017-10-10"),
            empty_past_lesson: lesson("2017-09-12"),
            parent: exec(
                db,
                "INSERT INTO parents (fio, phone, notification_types) VALUES (?, ?, 0)",
                ("Родитель Тестов", "89130000000"),
            ),
            school_to_delete: add_named(db, "schools", "гимназия №5"),
            citizenship_to_edit: query_one(
                db,
                "SELECT id FROM citizenships WHERE name = ?",
                ("Гражданин Мира",),
            ),
            citizenship_to_delete: add_named(db, "citizenships", "Беларусь"),
            section: exec(
                db,
                "INSERT INTO sections (name, price) VALUES (?, ?)",
                ("лего", 500),
            ),
            teacher_to_delete: add_person(
                db,
                "te2",
                "преподаватель",
                "INSERT INTO teachers (fio, system_user_id, phone) VALUES (?, ?, '89011111111')",
                "Запасной Учитель",
            ),
            developer: add_person(
                db,
                "dev2",
                "разработчик",
                "INSERT INTO developers (fio, system_user_id) VALUES (?, ?)",
                "Второй Разработчик",
            ),
            student_to_delete: add_student_without_login(db, "svobodny", "Свободный Сергей"),
            newcomer: add_student_without_login(db, "novenky", "Новенький Олег"),
        }
    }
}

/// Mondays from the day after [`NOW`] to the end of робо-71 (May 2018): the lessons «fill by
/// schedule» makes for Mondays.
fn mondays_left() -> usize {
    let first = NaiveDate::from_ymd_opt(2017, 10, 16).unwrap();
    let last = NaiveDate::from_ymd_opt(2018, 5, 31).unwrap();
    first
        .iter_days()
        .take_while(|d| *d <= last)
        .filter(|d| d.weekday() == Weekday::Mon)
        .count()
}

/// Every form whose handler calls `flash_done`, in an order the writable walk can follow.
fn cases(fx: &Fixture) -> Vec<Case> {
    let (robo, web) = (fx.robo.to_string(), fx.web.to_string());
    let (robo_section, web_section) = (fx.robo_section.to_string(), fx.web_section.to_string());
    let (school, te1) = (fx.school.to_string(), fx.te1.to_string());
    let robo_october = format!("/lessons/{robo}/9");
    let mark = format!("a_{}_{}", fx.lesson_to_mark, fx.st1);
    let sig = fx.st1_in_robo;
    let (pay, cash, comment) = (
        format!("p_9_{sig}"),
        format!("cash_9_{sig}"),
        format!("comment_9_{sig}"),
    );
    let (enter, exit, discount) = (
        format!("enter_{sig}"),
        format!("exit_{sig}"),
        format!("d_{sig}"),
    );
    let empty_past = format!("l_{}", fx.empty_past_lesson);
    let (slot_time, slot_monday) = (format!("time_{}", fx.slot), format!("group_{}_0", fx.slot));
    let counts = format!(
        "создано занятий {}, сохранено занятий с отметками 0",
        mondays_left()
    );
    let newcomer = fx.newcomer.to_string();
    let staff = |login: &'static str, fio: &'static str| {
        vec![
            ("login", login),
            ("fio", fio),
            ("password", "secret"),
            ("password_confirm", "secret"),
            ("enabled", "y"),
        ]
    };
    let teacher = {
        let mut fields = staff("teach2", "Новый Учитель");
        fields.push(("phone", "89011234567"));
        fields
    };
    // The full student form: `own` (the name fields differ between adding and editing, and the
    // mother), then the rest.
    let student = |own: &[(&'static str, &'static str)]| {
        let mut fields = own.to_vec();
        fields.extend([
            ("enabled", "y"),
            ("birth_date", "2002-08-31"),
            ("birth_place", "Барнаул"),
            ("registration_place", "ул. Ленина, 1"),
            ("actual_address", "ул. Ленина, 1"),
            ("additional_info", ""),
            ("known_from", ""),
            ("citizenship", "1"),
            ("school", school.as_str()),
            ("grade", "5"),
            ("shift", "1"),
            ("phone", "89001234567"),
            ("contact_phone", "1"),
            ("father", "-1"),
        ]);
        fields
    };
    let fast = |last: &'static str, first: &'static str| {
        [
            ("last_name", last),
            ("first_name", first),
            ("second_name", ""),
            ("birth_date", "2011-03-04"),
            ("school", school.as_str()),
            ("grade", "3"),
            ("shift", "2"),
            ("parent_name", "Ольга"),
            ("parent_phone", "89001112233"),
        ]
    };
    let group = |name: &'static str, section: &str, end_month: &'static str| {
        [
            ("section_id", section.to_string()),
            ("name", name.into()),
            ("teacher_id", te1.clone()),
            ("start_year", "2017".into()),
            ("start_month", "9".into()),
            ("end_year", "2018".into()),
            ("end_month", end_month.into()),
        ]
    };
    let new_group = group("робо-72", &robo_section, "5");
    // The edit shortens веб-61 by a month and keeps its name for the delete after it.
    let web_edit = group("веб-61", &web_section, "4");
    // A delete button on a list page.
    let del = |list: &str, action: String, done: &str, read_only: &str| {
        case(list, &action, &[], vec![flash(done, read_only)])
    };

    vec![
        // Lessons and the month grid.
        form(
            &format!("/lessons/create/{robo}"),
            &[("date", "2017-10-20"), ("teacher_id", "")],
            vec![flash(
                "занятие создано: 20.10.2017",
                "режим только чтения: занятие не создано: 20.10.2017",
            )],
        ),
        form(
            &robo_october,
            &[(&mark, "1")],
            vec![flash(
                "посещения и оплата в группе робо-71 за октябрь 2017 сохранены.",
                "режим только чтения: посещения и оплата в группе робо-71 за октябрь 2017 не сохранены.",
            )],
        ),
        del(
            &format!("/lessons/{robo}/8"),
            format!("/lessons/delete/{}", fx.lesson_to_delete),
            "занятие 05.09.2017 в робо-71 удалено",
            "режим только чтения: занятие 05.09.2017 в робо-71 не удалено",
        ),
        form(
            "/lessons/delete_empty_past",
            &[(&empty_past, "y")],
            vec![flash(
                "удалено занятий: 1",
                "режим только чтения: занятия не удалены (было бы удалено: 1)",
            )],
        ),
        form(
            &format!("/lessons/fill_by_schedule/{robo}"),
            &[("dow_0", "1")],
            vec![flash(
                &format!("расписание сформировано: {counts}"),
                &format!("режим только чтения: расписание не сформировано (было бы {counts})"),
            )],
        ),
        // Payments and the timetable.
        form(
            &format!("/payments/group/{robo}"),
            &[(&pay, "500"), (&cash, "y"), (&comment, "наличными")],
            vec![flash(
                "оплата в группе робо-71 сохранена.",
                "режим только чтения: оплата в группе робо-71 не сохранена.",
            )],
        ),
        form(
            "/schedule/",
            &[(&slot_time, "14:30"), (&slot_monday, "робо-71")],
            vec![flash(
                "расписание сохранено.",
                "режим только чтения: расписание не сохранено.",
            )],
        ),
        // The members of a group.
        form(
            &format!("/structure/group_details/{robo}"),
            &[(&enter, "8"), (&exit, "16"), (&discount, "200")],
            vec![flash(
                "скидки и месяцы входа/выхода в группе робо-71 изменены.",
                "режим только чтения: скидки и месяцы входа/выхода в группе робо-71 не изменены.",
            )],
        ),
        form(
            &format!("/structure/students_in_group/{robo}"),
            &[("add", &newcomer)],
            vec![flash(
                "список учеников в группе робо-71 изменен.",
                "режим только чтения: список учеников в группе робо-71 не изменен.",
            )],
        ),
        // Parents, schools, citizenships, sections, groups.
        form(
            "/structure/parent",
            &[("fio", "Новая Мама"), ("phone", "89001112233")],
            vec![flash(
                "родитель Новая Мама создан",
                "режим только чтения: родитель Новая Мама не создан",
            )],
        ),
        form(
            &format!("/structure/parent/{}", fx.parent),
            &[("fio", "Родитель Тестов"), ("phone", "89137777777")],
            vec![flash(
                "родитель Родитель Тестов изменен",
                "режим только чтения: родитель Родитель Тестов не изменен",
            )],
        ),
        del(
            "/structure/parents",
            format!("/structure/delete_parent/{}", fx.parent),
            "родитель Родитель Тестов удален",
            "режим только чтения: родитель Родитель Тестов не удален",
        ),
        form(
            "/structure/school",
            &[("name", "лицей №3")],
            vec![flash(
                "школа лицей №3 создана",
                "режим только чтения: школа лицей №3 не создана",
            )],
        ),
        form(
            &format!("/structure/school/{school}"),
            &[("name", "школа №43")],
            vec![flash(
                "школа школа №43 изменена",
                "режим только чтения: школа школа №43 не изменена",
            )],
        ),
        del(
            "/structure/schools",
            format!("/structure/delete_school/{}", fx.school_to_delete),
            "школа гимназия №5 удалена",
            "режим только чтения: школа гимназия №5 не удалена",
        ),
        form(
            "/structure/citizenship",
            &[("name", "Казахстан")],
            vec![flash(
                "гражданство Казахстан создано",
                "режим только чтения: гражданство Казахстан не создано",
            )],
        ),
        form(
            &format!("/structure/citizenship/{}", fx.citizenship_to_edit),
            &[("name", "Гражданин Земли")],
            vec![flash(
                "гражданство Гражданин Земли изменено",
                "режим только чтения: гражданство Гражданин Земли не изменено",
            )],
        ),
        del(
            "/structure/citizenships",
            format!("/structure/delete_citizenship/{}", fx.citizenship_to_delete),
            "гражданство Беларусь удалено",
            "режим только чтения: гражданство Беларусь не удалено",
        ),
        form(
            "/structure/section",
            &[("name", "шахматы"), ("price", "700")],
            vec![flash(
                "секция шахматы создана",
                "режим только чтения: секция шахматы не создана",
            )],
        ),
        form(
            &format!("/structure/section/{}", fx.section),
            &[("name", "лего"), ("price", "600")],
            vec![flash(
                "секция лего изменена",
                "режим только чтения: секция лего не изменена",
            )],
        ),
        del(
            "/structure/sections",
            format!("/structure/delete_section/{}", fx.section),
            "секция лего удалена",
            "режим только чтения: секция лего не удалена",
        ),
        form(
            "/structure/group",
            &pairs(&new_group),
            vec![flash(
                "группа робо-72 создана",
                "режим только чтения: группа робо-72 не создана",
            )],
        ),
        form(
            &format!("/structure/group/{web}"),
            &pairs(&web_edit),
            vec![flash(
                "группа веб-61 изменена",
                "режим только чтения: группа веб-61 не изменена",
            )],
        ),
        del(
            "/structure/groups",
            format!("/structure/delete_group/{web}"),
            "группа веб-61 удалена",
            "режим только чтения: группа веб-61 не удалена",
        ),
        // Students: the full form (with a new mother: two flashes), the fast ones.
        form(
            "/users/register/student",
            &student(&[
                ("last_name", "Иванов"),
                ("first_name", "Пётр"),
                ("second_name", "Сергеевич"),
                ("mother", "-2"),
                ("m_fio", "Иванова Мария"),
                ("m_phone", "89005556677"),
            ]),
            vec![
                flash(
                    "родитель Иванова Мария создан",
                    "режим только чтения: родитель Иванова Мария не создан",
                ),
                flash(
                    "ученик Иванов Пётр Сергеевич создан.",
                    "режим только чтения: ученик Иванов Пётр Сергеевич не создан.",
                ),
            ],
        ),
        form(
            &format!("/users/student/{}", fx.st1),
            &student(&[
                ("login", "st1"),
                ("fio", "Ученик Алексей Алексеевич"),
                ("mother", "-1"),
            ]),
            vec![flash(
                "ученик Ученик Алексей Алексеевич изменен",
                "режим только чтения: ученик Ученик Алексей Алексеевич не изменен",
            )],
        ),
        form(
            "/users/register/student/fast",
            &fast("Быстров", "Яков"),
            vec![flash(
                "ученик Быстров Яков создан.",
                "режим только чтения: ученик Быстров Яков не создан.",
            )],
        ),
        form(
            &format!("/users/register/student/fast/{robo}/9"),
            &fast("Скоров", "Ян"),
            vec![flash(
                "ученик Скоров Ян создан и добавлен в группу робо-71.",
                "режим только чтения: ученик Скоров Ян не создан и не добавлен в группу робо-71.",
            )],
        ),
        // Staff: registration and edits of every role; the edits change the login only, so the
        // FIO the deletes below report stays.
        form(
            "/users/register/master",
            &staff("boss", "Начальникова Анна"),
            vec![flash(
                "руководитель boss создан.",
                "режим только чтения: руководитель boss не создан.",
            )],
        ),
        form(
            "/users/register/teacher",
            &teacher,
            vec![flash(
                "преподаватель teach2 создан.",
                "режим только чтения: преподаватель teach2 не создан.",
            )],
        ),
        form(
            "/users/register/bot",
            &staff("bot2", "второй бот"),
            vec![flash(
                "бот bot2 создан.",
                "режим только чтения: бот bot2 не создан.",
            )],
        ),
        form(
            "/users/register/developer",
            &staff("dev3", "третий"),
            vec![flash(
                "разработчик dev3 создан.",
                "режим только чтения: разработчик dev3 не создан.",
            )],
        ),
        form(
            &format!("/users/master/{}", fx.ma1),
            &[
                ("login", "ma9"),
                ("fio", "Руководитель Иван Иванович"),
                ("enabled", "y"),
            ],
            vec![flash(
                "руководитель Руководитель Иван Иванович изменен",
                "режим только чтения: руководитель Руководитель Иван Иванович не изменен",
            )],
        ),
        form(
            &format!("/users/teacher/{te1}"),
            &[
                ("login", "te1"),
                ("fio", "Учитель Петр Петрович"),
                ("enabled", "y"),
                ("phone", "89015556677"),
            ],
            vec![flash(
                "преподаватель Учитель Петр Петрович изменен",
                "режим только чтения: преподаватель Учитель Петр Петрович не изменен",
            )],
        ),
        form(
            &format!("/users/bot/{}", fx.dump_creator),
            &[
                ("login", "dumper"),
                ("fio", "создатель дампов"),
                ("enabled", "y"),
            ],
            vec![flash(
                "бот создатель дампов изменен",
                "режим только чтения: бот создатель дампов не изменен",
            )],
        ),
        form(
            &format!("/users/developer/{}", fx.developer),
            &[
                ("login", "dev2x"),
                ("fio", "Второй Разработчик"),
                ("enabled", "y"),
            ],
            vec![flash(
                "разработчик Второй Разработчик изменен",
                "режим только чтения: разработчик Второй Разработчик не изменен",
            )],
        ),
        // Deletes of users, and a password reset.
        del(
            "/users/masters",
            format!("/users/delete_master/{}", fx.ma1),
            "руководитель Руководитель Иван Иванович удалён",
            "режим только чтения: руководитель Руководитель Иван Иванович не удалён",
        ),
        del(
            "/users/teachers",
            format!("/users/delete_teacher/{}", fx.teacher_to_delete),
            "преподаватель Запасной Учитель удалён",
            "режим только чтения: преподаватель Запасной Учитель не удалён",
        ),
        del(
            "/users/bots",
            format!("/users/delete_bot/{}", fx.dump_creator),
            "бот создатель дампов удалён",
            "режим только чтения: бот создатель дампов не удалён",
        ),
        del(
            "/users/developers",
            format!("/users/delete_developer/{}", fx.developer),
            "разработчик Второй Разработчик удалён",
            "режим только чтения: разработчик Второй Разработчик не удалён",
        ),
        del(
            "/users/students",
            format!("/users/delete_student/{}", fx.student_to_delete),
            "ученик Свободный Сергей удалён",
            "режим только чтения: ученик Свободный Сергей не удалён",
        ),
        form(
            &format!("/users/force_change_password/{}", fx.st1_user),
            &[("password", "новый1"), ("password_confirm", "новый1")],
            vec![flash(
                "пароль пользователя st1 изменен и все его сессии в мобильном приложении завершены",
                "режим только чтения: пароль пользователя st1 не изменен",
            )],
        ),
    ]
}

/// The checksum of every table but `page_visits`, which counts each request outside the
/// request's transaction by design (see `count_visit`).
fn checksum(db: &TestDb) -> Vec<(String, Option<i64>)> {
    let tables: Vec<String> = table_names(db)
        .into_iter()
        .filter(|t| t != "page_visits")
        .collect();
    checksums(db, &tables)
}

/// A page's text with the template's escapes of `/`, quotes and `&` undone.
fn text(r: &CgiResponse) -> String {
    r.text()
        .replace("&#x2f;", "/")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// Submits every case as `dev` and checks the flashes and the database: read-only, the negated
/// flash and no change; writable, the affirmative flash and a change.
fn walk(db: &TestDb, dev: &mut WebClient, fx: &Fixture, read_only: bool) {
    for c in cases(fx) {
        let what = &c.action;
        let before = checksum(db);
        let fields: Vec<(&str, &str)> = c
            .fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let resp = dev.submit(&c.page, &c.action, &fields);
        assert_eq!(resp.status, 302, "{what}: {}", text(&resp));
        let target = resp.location().unwrap().to_string();
        let page = dev.get(&target);
        assert_eq!(page.status, 200, "{what} → {target}");
        let page = text(&page);
        for f in &c.flashes {
            let (shown, absent) = match read_only {
                true => (&f.read_only, &f.done),
                false => (&f.done, &f.read_only),
            };
            assert!(
                page.contains(shown.as_str()),
                "{what}: no «{shown}» on {target}:\n{page}"
            );
            assert!(
                !page.contains(absent.as_str()),
                "{what}: «{absent}» on {target}"
            );
        }
        let after = checksum(db);
        match read_only {
            true => assert_eq!(after, before, "{what} changed the database"),
            false => assert_ne!(after, before, "{what} saved nothing"),
        }
    }
}

#[test]
fn a_read_only_developer_is_told_nothing_was_saved_and_nothing_is() {
    let db = TestDb::seeded();
    let fx = Fixture::add(&db);
    let mut dev = WebClient::login_at(&db, NOW, "dev1", "12");
    // Messages are refused to developers outright, the form page and the send alike.
    let before = checksum(&db);
    let dialog = format!("/messages/messages_list/{}", fx.ma1_user);
    assert_eq!(dev.get(&dialog).status, 403);
    let resp = dev.submit("/", &dialog, &[("body", "привет")]);
    assert_eq!(resp.status, 403);
    assert_eq!(checksum(&db), before);
    walk(&db, &mut dev, &fx, true);
}

/// The same submissions save and say so when developers write: the input of each case is valid.
#[test]
fn the_same_forms_save_when_developers_write() {
    let db = TestDb::seeded();
    let config = std::fs::read_to_string(&db.config_path).unwrap();
    std::fs::write(
        &db.config_path,
        config.replace("developer_read_only = true", "developer_read_only = false"),
    )
    .unwrap();
    let fx = Fixture::add(&db);
    let mut dev = WebClient::login_at(&db, NOW, "dev1", "12");
    walk(&db, &mut dev, &fx, false);
}
