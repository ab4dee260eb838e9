//! The route table: every URL of the site, its method, who may open it and the function that
//! answers, one line per route. A route's roles are visible here and nowhere else (handlers may
//! narrow them further, e.g. "own group only"). The table sits above the areas it names; the
//! lifecycle (`app`) receives it from the entry points and knows no area.

use crate::app::route::{Access, Route, get, post};
use crate::auth::Role::{Developer as D, Master as M, Student as S, Teacher as T};
use crate::auth::token::Allowed;
use crate::structure::store::catalog::{Citizenships, Schools};
use crate::users::store::staff::{Bots, Developers, Masters, Teachers};
use crate::{api, dev, home, lessons, messages, notifications, payments, schedule, stats};
use crate::{structure, student, users};

const ANYONE: Access = Access::Anyone;
const MDTS: Access = Access::Roles(&[M, D, T, S]);
const MTS: Access = Access::Roles(&[M, T, S]);
const MDT: Access = Access::Roles(&[M, D, T]);
const MD: Access = Access::Roles(&[M, D]);
const DEV: Access = Access::Roles(&[D]);
const STUDENT: Access = Access::Roles(&[S]);

// The API's role checks (src/api/README.md §5).
const API_OPEN: Access = Access::ApiOpen;
const API_ANY: Access = Access::Api(Allowed::AnyRole);
const API_STAFF: Access = Access::Api(Allowed::Staff);
const API_DEV: Access = Access::Api(Allowed::Developer);
/// The only bot the original let fetch the dump.
const API_DUMP_BOT: Access = Access::Api(Allowed::Bots(&["dump_creator"]));

#[rustfmt::skip]
pub static ROUTES: &[Route] = &[
    // sign-in, own password and app sessions
    get("/",                                              ANYONE, home::index::get),
    get("/users/login",                                   ANYONE, users::login::get),
    post("/users/login",                                  ANYONE, users::login::post).persists(),
    post("/users/logout",                                 MDTS,   users::logout::post).persists(),
    get("/users/change_password",                         MDTS,   users::change_password::get),
    post("/users/change_password",                        MDTS,   users::change_password::post).persists(),
    get("/users/force_change_password/{system_user_id}",  MDT,    users::force_change_password::get),
    post("/users/force_change_password/{system_user_id}", MDT,    users::force_change_password::post),
    post("/users/logout_app_all",                         MDT,    users::logout_app::post_all).persists(),
    post("/users/logout_app/{token_id}",                  MDT,    users::logout_app::post_one).persists(),
    get("/users/sessions",                                MDTS,   users::sessions::get),
    post("/users/sessions/end/{session_id}",              MDTS,   users::sessions::post_end).persists(),
    post("/users/sessions/end_others",                    MDTS,   users::sessions::post_end_others).persists(),
    // developer tools: «ещё», the dump, the integrity reports, visit statistics
    get("/anth",                                                    MD,  dev::anth::get),
    get("/dump",                                                    MD,  dev::dump::get),
    get("/check_db_integrity",                                      DEV, dev::check_integrity::main_rules),
    get("/check_db_integrity/attengings_correct_group_of_students", DEV, dev::check_integrity::attendings_in_own_groups),
    get("/check_db_integrity/notifications_and_messages",           DEV, dev::check_integrity::notifications_and_messages),
    get("/change_log",                                              MD,  dev::change_log::get),
    get("/visit_stats",                                             DEV, dev::visit_stats::get),
    // REST API v1.1.0 for the apps (src/api/README.md §10)
    post("/api/v1.1.0/login",                           API_OPEN,     api::account::login).persists(),
    post("/api/v1.1.0/logout",                          API_ANY,      api::account::logout).persists(),
    get("/api/v1.1.0/app_info",                         API_OPEN,     api::account::app_info),
    post("/api/v1.1.0/cabinet_info",                    API_STAFF,    api::account::cabinet_info),
    get("/api/v1.1.0/sections_list",                    API_STAFF,    api::lists::sections_list),
    get("/api/v1.1.0/groups_list",                      API_STAFF,    api::lists::groups_list),
    get("/api/v1.1.0/teachers_list",                    API_STAFF,    api::lists::teachers_list),
    get("/api/v1.1.0/masters_list",                     API_STAFF,    api::lists::masters_list),
    get("/api/v1.1.0/bots_list",                        API_DEV,      api::lists::bots_list),
    get("/api/v1.1.0/developers_list",                  API_DEV,      api::lists::developers_list),
    get("/api/v1.1.0/students_list",                    API_STAFF,    api::lists::students_list),
    get("/api/v1.1.0/student_details/{student_id}",     API_STAFF,    api::details::student),
    get("/api/v1.1.0/group_details/{group_id}",         API_STAFF,    api::details::group),
    get("/api/v1.1.0/section_details/{section_id}",     API_STAFF,    api::details::section),
    get("/api/v1.1.0/teacher_details/{teacher_id}",     API_STAFF,    api::details::teacher),
    get("/api/v1.1.0/developer_details/{developer_id}", API_DEV,      api::details::developer),
    get("/api/v1.1.0/bot_details/{bot_id}",             API_DEV,      api::details::bot),
    get("/api/v1.1.0/master_details/{master_id}",       API_STAFF,    api::details::master),
    get("/api/v1.1.0/students_in_group/{group_id}",     API_STAFF,    api::group_contents::students),
    get("/api/v1.1.0/lessons_in_group/{group_id}",      API_STAFF,    api::group_contents::lessons),
    get("/api/v1.1.0/lesson_details/{lesson_id}",       API_STAFF,    api::lessons::details),
    post("/api/v1.1.0/save_attending_state",            API_STAFF,    api::lessons::save_attending_state),
    get("/api/v1.1.0/payments/{group_id}",              API_STAFF,    api::payments::list),
    post("/api/v1.1.0/save_payment",                    API_STAFF,    api::payments::save),
    get("/api/v1.1.0/last_seens",                       API_DEV,      api::developer::last_seens),
    get("/api/v1.1.0/access_tokens",                    API_DEV,      api::developer::access_tokens),
    get("/api/v1.1.0/schedule",                         API_STAFF,    api::schedule::get),
    get("/api/v1.1.0/dump",                             API_DUMP_BOT, api::dump::get),
    // payments grid, timetable, student cabinet
    get("/payments/group/{group_id}",      MDT,     payments::group_grid::get),
    post("/payments/group/{group_id}",     MDT,     payments::group_grid::post),
    get("/payments/group/{group_id}/xlsx", MDT,     payments::group_grid_xlsx::get),
    get("/payments/group/{group_id}/month/{month_number}",  MDT, payments::month::get),
    post("/payments/group/{group_id}/month/{month_number}", MDT, payments::month::post),
    get("/payments/debtors",               MDT,     payments::debtors::get),
    get("/payments/debtors/xlsx",          MDT,     payments::debtors_xlsx::get),
    get("/schedule/",                      MDT,     schedule::timetable::get),
    post("/schedule/",                     MDT,     schedule::timetable::post),
    get("/student/lessons",                STUDENT, student::lessons::get),
    get("/student/payments",               STUDENT, student::payments::get),
    get("/student/notifications",          STUDENT, student::notifications::get),
    // structure: sections, schools, citizenships
    get("/structure/sections",                 MDT, structure::section_list::get),
    post("/structure/sections",                MDT, structure::section_list::get),
    get("/structure/section",                  MD,  structure::section_form::add_get),
    post("/structure/section",                 MD,  structure::section_form::add_post),
    get("/structure/section/{id}",             MD,  structure::section_form::edit_get),
    post("/structure/section/{id}",            MD,  structure::section_form::edit_post),
    post("/structure/delete_section/{id}",     MD,  structure::section_delete::post),
    get("/structure/schools",                  MD,  structure::catalog_list::get::<Schools>),
    get("/structure/school",                   MD,  structure::catalog_form::add_get::<Schools>),
    post("/structure/school",                  MD,  structure::catalog_form::add_post::<Schools>),
    get("/structure/school/{id}",              MD,  structure::catalog_form::edit_get::<Schools>),
    post("/structure/school/{id}",             MD,  structure::catalog_form::edit_post::<Schools>),
    post("/structure/delete_school/{id}",      MD,  structure::catalog_delete::post::<Schools>),
    get("/structure/citizenships",             MD,  structure::catalog_list::get::<Citizenships>),
    get("/structure/citizenship",              MD,  structure::catalog_form::add_get::<Citizenships>),
    post("/structure/citizenship",             MD,  structure::catalog_form::add_post::<Citizenships>),
    get("/structure/citizenship/{id}",         MD,  structure::catalog_form::edit_get::<Citizenships>),
    post("/structure/citizenship/{id}",        MD,  structure::catalog_form::edit_post::<Citizenships>),
    post("/structure/delete_citizenship/{id}", MD,  structure::catalog_delete::post::<Citizenships>),
    // structure: parents, groups, students in group, group details, login table
    get("/structure/parents",                       MDT, structure::parent_list::get),
    get("/structure/parent",                        MDT, structure::parent_form::add_get),
    post("/structure/parent",                       MDT, structure::parent_form::add_post),
    get("/structure/parent/{id}",                   MDT, structure::parent_form::edit_get),
    post("/structure/parent/{id}",                  MDT, structure::parent_form::edit_post),
    post("/structure/delete_parent/{id}",           MDT, structure::parent_delete::post),
    get("/structure/groups",                        MDT, structure::group_list::get),
    get("/structure/group",                         MD,  structure::group_form::add_get),
    post("/structure/group",                        MD,  structure::group_form::add_post),
    get("/structure/group/{id}",                    MD,  structure::group_form::edit_get),
    post("/structure/group/{id}",                   MD,  structure::group_form::edit_post),
    post("/structure/delete_group/{id}",            MD,  structure::group_delete::post),
    get("/structure/students_in_group/{group_id}",  MDT, structure::students_in_group::get),
    post("/structure/students_in_group/{group_id}", MDT, structure::students_in_group::post),
    get("/structure/group_details/{group_id}",      MDT, structure::group_details::get),
    post("/structure/group_details/{group_id}",     MDT, structure::group_details::post),
    get("/structure/login_table/{group_id}",        MDT, structure::login_table::get),
    // lessons, the month grid and group statistics
    get("/lessons/list",                           MDT, lessons::list::get),
    get("/lessons/months/{group_id}",              MDT, lessons::months::get),
    get("/lessons/roll_call/{lesson_id}",          MDT, lessons::roll_call::get),
    post("/lessons/roll_call/{lesson_id}",         MDT, lessons::roll_call::post),
    get("/lessons/{group_id}/{month_number}",      MDT, lessons::grid::get),
    post("/lessons/{group_id}/{month_number}",     MDT, lessons::grid::post),
    get("/lessons/{group_id}/{month_number}/xlsx", MDT, lessons::grid_xlsx::get),
    get("/lessons/create/{group_id}",              MDT, lessons::create::get),
    post("/lessons/create/{group_id}",             MDT, lessons::create::post),
    post("/lessons/delete/{lesson_id}",            MDT, lessons::delete::post),
    get("/lessons/delete_empty_past",              MD,  lessons::delete_empty_past::get),
    post("/lessons/delete_empty_past",             MD,  lessons::delete_empty_past::post),
    get("/lessons/fill_by_schedule/{group_id}",    MDT, lessons::fill_by_schedule::get),
    post("/lessons/fill_by_schedule/{group_id}",   MDT, lessons::fill_by_schedule::post),
    get("/stat/group/{group_id}",                  MDT, stats::group::get),
    get("/stat/dashboard",                         MDT, stats::dashboard::get),
    get("/stat/dashboard.svg",                     MDT, stats::dashboard_svg::get),
    // users: people lists, registration and edit forms, student details, deletes
    get("/users/masters",                                          MDT, users::staff_list::get::<Masters>),
    get("/users/teachers",                                         MDT, users::staff_list::get::<Teachers>),
    get("/users/bots",                                             DEV, users::staff_list::get::<Bots>),
    get("/users/developers",                                       DEV, users::staff_list::get::<Developers>),
    get("/users/students",                                         MDT, users::student_list::get),
    get("/users/students/xlsx",                                    MDT, users::student_list_xlsx::get),
    get("/users/student_details/{id}",                             MDT, users::student_details::get),
    get("/users/register/master",                                  MD,  users::staff_form::register_get::<Masters>),
    post("/users/register/master",                                 MD,  users::staff_form::register_post::<Masters>),
    get("/users/register/teacher",                                 MD,  users::staff_form::register_get::<Teachers>),
    post("/users/register/teacher",                                MD,  users::staff_form::register_post::<Teachers>),
    get("/users/register/bot",                                     DEV, users::staff_form::register_get::<Bots>),
    post("/users/register/bot",                                    DEV, users::staff_form::register_post::<Bots>),
    get("/users/register/developer",                               DEV, users::staff_form::register_get::<Developers>),
    post("/users/register/developer",                              DEV, users::staff_form::register_post::<Developers>),
    get("/users/register/student",                                 MDT, users::student_form::register_get),
    post("/users/register/student",                                MDT, users::student_form::register_post),
    get("/users/register/student/fast",                            MDT, users::student_fast::get),
    post("/users/register/student/fast",                           MDT, users::student_fast::post),
    get("/users/register/student/fast/{group_id}/{month_number}",  MDT, users::student_fast::get),
    post("/users/register/student/fast/{group_id}/{month_number}", MDT, users::student_fast::post_into_group),
    get("/users/master/{id}",                                      MD,  users::staff_form::edit_get::<Masters>),
    post("/users/master/{id}",                                     MD,  users::staff_form::edit_post::<Masters>),
    get("/users/teacher/{id}",                                     MD,  users::staff_form::edit_get::<Teachers>),
    post("/users/teacher/{id}",                                    MD,  users::staff_form::edit_post::<Teachers>),
    get("/users/bot/{id}",                                         DEV, users::staff_form::edit_get::<Bots>),
    post("/users/bot/{id}",                                        DEV, users::staff_form::edit_post::<Bots>),
    get("/users/developer/{id}",                                   DEV, users::staff_form::edit_get::<Developers>),
    post("/users/developer/{id}",                                  DEV, users::staff_form::edit_post::<Developers>),
    get("/users/student/{id}",                                     MDT, users::student_form::edit_get),
    post("/users/student/{id}",                                    MDT, users::student_form::edit_post),
    post("/users/delete_master/{id}",                              MD,  users::delete::staff::<Masters>),
    post("/users/delete_teacher/{id}",                             MD,  users::delete::staff::<Teachers>),
    post("/users/delete_bot/{id}",                                 DEV, users::delete::staff::<Bots>),
    post("/users/delete_developer/{id}",                           DEV, users::delete::staff::<Developers>),
    post("/users/delete_student/{id}",                             MDT, users::delete::student),
    // messages and notifications (delivered by e-mail and VK when configured)
    get("/messages/dialogs_list",                 MTS,  messages::dialogs_list::get),
    get("/messages/messages_list/forward",        MDTS, messages::messages_list::forward),
    get("/messages/messages_list/{receiver_id}",  MTS,  messages::messages_list::get),
    post("/messages/messages_list/{receiver_id}", MTS,  messages::messages_list::post),
    get("/notifications/list",                    MDT,  notifications::list::get),
    get("/notifications/send",                    MDT,  notifications::send::get),
    post("/notifications/send",                   MDT,  notifications::send::post).delivers(),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::route::{Match, find};
    use crate::http::Method;

    #[test]
    fn every_pattern_is_unique_per_method() {
        for (i, a) in ROUTES.iter().enumerate() {
            for b in &ROUTES[i + 1..] {
                assert!(
                    !(a.pattern == b.pattern && a.method == b.method),
                    "{} twice",
                    a.pattern
                );
            }
        }
    }

    #[test]
    fn only_sending_notifications_is_never_rerun_after_a_deadlock() {
        let once: Vec<_> = ROUTES
            .iter()
            .filter(|r| !r.rerun_after_deadlock)
            .map(|r| (r.method, r.pattern))
            .collect();
        assert_eq!(once, [(Method::Post, "/notifications/send")]);
    }

    #[test]
    fn head_uses_get_and_wrong_method_is_reported() {
        assert!(matches!(find(ROUTES, Method::Head, "/"), Match::Found(..)));
        assert!(matches!(
            find(ROUTES, Method::Post, "/"),
            Match::WrongMethod
        ));
        assert!(matches!(find(ROUTES, Method::Get, "/nope"), Match::None));
    }
}
