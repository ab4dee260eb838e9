//! The route table: every URL of the site, its method, who may open it and the function that
//! answers. A route's roles are visible here and nowhere else (handlers may narrow them further,
//! e.g. "own group only").

use super::Ctx;
use super::error::AppError;
use crate::auth::Role::{self, Developer as D, Master as M, Student as S, Teacher as T};
use crate::http::{Method, Response};
use crate::structure::store::catalog::{Citizenships, Schools};
use crate::structure::{
    catalog_delete, catalog_form, catalog_list, section_delete, section_form, section_list,
};
use crate::users::store::staff::{Bots, Developers, Masters, Teachers};
use crate::users::{
    delete, staff_form, staff_list, student_details, student_fast, student_form, student_list,
};
use crate::{dev, home, users};

pub type Handler = fn(&mut Ctx) -> Result<Response, AppError>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Everyone, logged in or not.
    Anyone,
    /// Logged-in web users with one of these roles; anonymous visitors go to the login page.
    Roles(&'static [Role]),
    /// The REST API: the handler authenticates the access token itself.
    Api,
}

pub struct Route {
    pub method: Method,
    /// `/users/force_change_password/{system_user_id}`: `{…}` segments are unsigned integers.
    pub pattern: &'static str,
    pub access: Access,
    pub handler: Handler,
    /// Changes survive a developer's read-only mode (login, logout, own password and app sessions).
    pub persists_for_developer: bool,
    /// The handler may run again after a deadlock rolled its transaction back: true unless it
    /// reaches outside the database (a second run would mail the parents twice).
    pub rerun_after_deadlock: bool,
}

const fn get(pattern: &'static str, access: Access, handler: Handler) -> Route {
    Route {
        method: Method::Get,
        pattern,
        access,
        handler,
        persists_for_developer: false,
        rerun_after_deadlock: true,
    }
}

const fn post(pattern: &'static str, access: Access, handler: Handler) -> Route {
    Route {
        method: Method::Post,
        pattern,
        access,
        handler,
        persists_for_developer: false,
        rerun_after_deadlock: true,
    }
}

/// Marks a route whose handler must not run twice: it delivers mail or VK messages.
const fn delivers(route: Route) -> Route {
    Route {
        rerun_after_deadlock: false,
        ..route
    }
}

/// Marks a route whose writes a read-only developer may still make.
const fn persists(route: Route) -> Route {
    Route {
        persists_for_developer: true,
        ..route
    }
}

pub const MDTS: Access = Access::Roles(&[M, D, T, S]);
pub const MDT: Access = Access::Roles(&[M, D, T]);
pub const MD: Access = Access::Roles(&[M, D]);
pub const DEV: Access = Access::Roles(&[D]);
pub const STUDENT: Access = Access::Roles(&[S]);

pub static ROUTES: &[Route] = &[
    get("/", Access::Anyone, home::index::get),
    get("/users/login", Access::Anyone, users::login::get),
    persists(post("/users/login", Access::Anyone, users::login::post)),
    persists(post("/users/logout", MDTS, users::logout::post)),
    get("/users/change_password", MDTS, users::change_password::get),
    persists(post(
        "/users/change_password",
        MDTS,
        users::change_password::post,
    )),
    get(
        "/users/force_change_password/{system_user_id}",
        MDT,
        users::force_change_password::get,
    ),
    post(
        "/users/force_change_password/{system_user_id}",
        MDT,
        users::force_change_password::post,
    ),
    persists(post(
        "/users/logout_app_all",
        MDT,
        users::logout_app::post_all,
    )),
    persists(post(
        "/users/logout_app/{token_id}",
        MDT,
        users::logout_app::post_one,
    )),
    // Developer tools and the dump: «ещё», the dump, the integrity reports, visit statistics.
    get("/anth", MD, dev::anth::get),
    get("/dump", MD, dev::dump::get),
    get("/check_db_integrity", DEV, dev::check_integrity::main_rules),
    get(
        "/check_db_integrity/attengings_correct_group_of_students",
        DEV,
        dev::check_integrity::attendings_in_own_groups,
    ),
    get(
        "/check_db_integrity/notifications_and_messages",
        DEV,
        dev::check_integrity::notifications_and_messages,
    ),
    get("/visit_stats", DEV, dev::visit_stats::get),
    // REST API v1.1.0 for the apps (src/api/README.md §10); handlers authenticate the token
    // themselves.
    persists(post(
        "/api/v1.1.0/login",
        Access::Api,
        crate::api::account::login,
    )),
    persists(post(
        "/api/v1.1.0/logout",
        Access::Api,
        crate::api::account::logout,
    )),
    get(
        "/api/v1.1.0/app_info",
        Access::Api,
        crate::api::account::app_info,
    ),
    post(
        "/api/v1.1.0/cabinet_info",
        Access::Api,
        crate::api::account::cabinet_info,
    ),
    get(
        "/api/v1.1.0/sections_list",
        Access::Api,
        crate::api::lists::sections_list,
    ),
    get(
        "/api/v1.1.0/groups_list",
        Access::Api,
        crate::api::lists::groups_list,
    ),
    get(
        "/api/v1.1.0/teachers_list",
        Access::Api,
        crate::api::lists::teachers_list,
    ),
    get(
        "/api/v1.1.0/masters_list",
        Access::Api,
        crate::api::lists::masters_list,
    ),
    get(
        "/api/v1.1.0/bots_list",
        Access::Api,
        crate::api::lists::bots_list,
    ),
    get(
        "/api/v1.1.0/developers_list",
        Access::Api,
        crate::api::lists::developers_list,
    ),
    get(
        "/api/v1.1.0/students_list",
        Access::Api,
        crate::api::lists::students_list,
    ),
    get(
        "/api/v1.1.0/student_details/{student_id}",
        Access::Api,
        crate::api::details::student,
    ),
    get(
        "/api/v1.1.0/group_details/{group_id}",
        Access::Api,
        crate::api::details::group,
    ),
    get(
        "/api/v1.1.0/section_details/{section_id}",
        Access::Api,
        crate::api::details::section,
    ),
    get(
        "/api/v1.1.0/teacher_details/{teacher_id}",
        Access::Api,
        crate::api::details::teacher,
    ),
    get(
        "/api/v1.1.0/developer_details/{developer_id}",
        Access::Api,
        crate::api::details::developer,
    ),
    get(
        "/api/v1.1.0/bot_details/{bot_id}",
        Access::Api,
        crate::api::details::bot,
    ),
    get(
        "/api/v1.1.0/master_details/{master_id}",
        Access::Api,
        crate::api::details::master,
    ),
    get(
        "/api/v1.1.0/students_in_group/{group_id}",
        Access::Api,
        crate::api::group_contents::students,
    ),
    get(
        "/api/v1.1.0/lessons_in_group/{group_id}",
        Access::Api,
        crate::api::group_contents::lessons,
    ),
    get(
        "/api/v1.1.0/lesson_details/{lesson_id}",
        Access::Api,
        crate::api::lessons::details,
    ),
    post(
        "/api/v1.1.0/save_attending_state",
        Access::Api,
        crate::api::lessons::save_attending_state,
    ),
    get(
        "/api/v1.1.0/payments/{group_id}",
        Access::Api,
        crate::api::payments::list,
    ),
    post(
        "/api/v1.1.0/save_payment",
        Access::Api,
        crate::api::payments::save,
    ),
    get(
        "/api/v1.1.0/last_seens",
        Access::Api,
        crate::api::developer::last_seens,
    ),
    get(
        "/api/v1.1.0/access_tokens",
        Access::Api,
        crate::api::developer::access_tokens,
    ),
    get(
        "/api/v1.1.0/schedule",
        Access::Api,
        crate::api::schedule::get,
    ),
    get("/api/v1.1.0/dump", Access::Api, crate::api::dump::get),
    // end of REST API v1.1.0
    // payments grid, timetable, student cabinet
    get(
        "/payments/group/{group_id}",
        MDT,
        crate::payments::group_grid::get,
    ),
    post(
        "/payments/group/{group_id}",
        MDT,
        crate::payments::group_grid::post,
    ),
    get("/payments/debtors", MDT, crate::payments::debtors::get),
    get(
        "/payments/debtors/xlsx",
        MDT,
        crate::payments::debtors_xlsx::get,
    ),
    get("/schedule/", MDT, crate::schedule::timetable::get),
    post("/schedule/", MDT, crate::schedule::timetable::post),
    get("/student/lessons", STUDENT, crate::student::lessons::get),
    get("/student/payments", STUDENT, crate::student::payments::get),
    get(
        "/student/notifications",
        STUDENT,
        crate::student::notifications::get,
    ),
    // end of payments grid, timetable, student cabinet
    // structure: sections, schools, citizenships
    get("/structure/sections", MDT, section_list::get),
    post("/structure/sections", MDT, section_list::get),
    get("/structure/section", MD, section_form::add_get),
    post("/structure/section", MD, section_form::add_post),
    get("/structure/section/{id}", MD, section_form::edit_get),
    post("/structure/section/{id}", MD, section_form::edit_post),
    post("/structure/delete_section/{id}", MD, section_delete::post),
    get("/structure/schools", MD, catalog_list::get::<Schools>),
    get("/structure/school", MD, catalog_form::add_get::<Schools>),
    post("/structure/school", MD, catalog_form::add_post::<Schools>),
    get(
        "/structure/school/{id}",
        MD,
        catalog_form::edit_get::<Schools>,
    ),
    post(
        "/structure/school/{id}",
        MD,
        catalog_form::edit_post::<Schools>,
    ),
    post(
        "/structure/delete_school/{id}",
        MD,
        catalog_delete::post::<Schools>,
    ),
    get(
        "/structure/citizenships",
        MD,
        catalog_list::get::<Citizenships>,
    ),
    get(
        "/structure/citizenship",
        MD,
        catalog_form::add_get::<Citizenships>,
    ),
    post(
        "/structure/citizenship",
        MD,
        catalog_form::add_post::<Citizenships>,
    ),
    get(
        "/structure/citizenship/{id}",
        MD,
        catalog_form::edit_get::<Citizenships>,
    ),
    post(
        "/structure/citizenship/{id}",
        MD,
        catalog_form::edit_post::<Citizenships>,
    ),
    post(
        "/structure/delete_citizenship/{id}",
        MD,
        catalog_delete::post::<Citizenships>,
    ),
    // end of structure: sections, schools, citizenships
    // structure: parents, groups, students in group, group details, login table
    get(
        "/structure/parents",
        MDT,
        crate::structure::parent_list::get,
    ),
    get(
        "/structure/parent",
        MDT,
        crate::structure::parent_form::add_get,
    ),
    post(
        "/structure/parent",
        MDT,
        crate::structure::parent_form::add_post,
    ),
    get(
        "/structure/parent/{id}",
        MDT,
        crate::structure::parent_form::edit_get,
    ),
    post(
        "/structure/parent/{id}",
        MDT,
        crate::structure::parent_form::edit_post,
    ),
    post(
        "/structure/delete_parent/{id}",
        MDT,
        crate::structure::parent_delete::post,
    ),
    get("/structure/groups", MDT, crate::structure::group_list::get),
    get(
        "/structure/group",
        MD,
        crate::structure::group_form::add_get,
    ),
    post(
        "/structure/group",
        MD,
        crate::structure::group_form::add_post,
    ),
    get(
        "/structure/group/{id}",
        MD,
        crate::structure::group_form::edit_get,
    ),
    post(
        "/structure/group/{id}",
        MD,
        crate::structure::group_form::edit_post,
    ),
    post(
        "/structure/delete_group/{id}",
        MD,
        crate::structure::group_delete::post,
    ),
    get(
        "/structure/students_in_group/{group_id}",
        MDT,
        crate::structure::students_in_group::get,
    ),
    post(
        "/structure/students_in_group/{group_id}",
        MDT,
        crate::structure::students_in_group::post,
    ),
    get(
        "/structure/group_details/{group_id}",
        MDT,
        crate::structure::group_details::get,
    ),
    post(
        "/structure/group_details/{group_id}",
        MDT,
        crate::structure::group_details::post,
    ),
    get(
        "/structure/login_table/{group_id}",
        MDT,
        crate::structure::login_table::get,
    ),
    // end of structure: parents, groups
    // lessons, the month grid and group statistics
    get("/lessons/list", MDT, crate::lessons::list::get),
    get(
        "/lessons/months/{group_id}",
        MDT,
        crate::lessons::months::get,
    ),
    get(
        "/lessons/{group_id}/{month_number}",
        MDT,
        crate::lessons::grid::get,
    ),
    post(
        "/lessons/{group_id}/{month_number}",
        MDT,
        crate::lessons::grid::post,
    ),
    get(
        "/lessons/create/{group_id}",
        MDT,
        crate::lessons::create::get,
    ),
    post(
        "/lessons/create/{group_id}",
        MDT,
        crate::lessons::create::post,
    ),
    post(
        "/lessons/delete/{lesson_id}",
        MDT,
        crate::lessons::delete::post,
    ),
    get(
        "/lessons/delete_empty_past",
        MD,
        crate::lessons::delete_empty_past::get,
    ),
    post(
        "/lessons/delete_empty_past",
        MD,
        crate::lessons::delete_empty_past::post,
    ),
    get(
        "/lessons/fill_by_schedule/{group_id}",
        MDT,
        crate::lessons::fill_by_schedule::get,
    ),
    post(
        "/lessons/fill_by_schedule/{group_id}",
        MDT,
        crate::lessons::fill_by_schedule::post,
    ),
    get("/stat/group/{group_id}", MDT, crate::stats::group::get),
    // end of lessons and statistics
    // users: people lists, registration and edit forms, student details, deletes
    get("/users/masters", MDT, staff_list::get::<Masters>),
    get("/users/teachers", MDT, staff_list::get::<Teachers>),
    get("/users/bots", DEV, staff_list::get::<Bots>),
    get("/users/developers", DEV, staff_list::get::<Developers>),
    get("/users/students", MDT, student_list::get),
    get("/users/student_details/{id}", MDT, student_details::get),
    get(
        "/users/register/master",
        MD,
        staff_form::register_get::<Masters>,
    ),
    post(
        "/users/register/master",
        MD,
        staff_form::register_post::<Masters>,
    ),
    get(
        "/users/register/teacher",
        MD,
        staff_form::register_get::<Teachers>,
    ),
    post(
        "/users/register/teacher",
        MD,
        staff_form::register_post::<Teachers>,
    ),
    get("/users/register/bot", DEV, staff_form::register_get::<Bots>),
    post(
        "/users/register/bot",
        DEV,
        staff_form::register_post::<Bots>,
    ),
    get(
        "/users/register/developer",
        DEV,
        staff_form::register_get::<Developers>,
    ),
    post(
        "/users/register/developer",
        DEV,
        staff_form::register_post::<Developers>,
    ),
    get("/users/register/student", MDT, student_form::register_get),
    post("/users/register/student", MDT, student_form::register_post),
    get("/users/register/student/fast", MDT, student_fast::get),
    post("/users/register/student/fast", MDT, student_fast::post),
    get(
        "/users/register/student/fast/{group_id}/{month_number}",
        MDT,
        student_fast::get,
    ),
    post(
        "/users/register/student/fast/{group_id}/{month_number}",
        MDT,
        student_fast::post_into_group,
    ),
    get("/users/master/{id}", MD, staff_form::edit_get::<Masters>),
    post("/users/master/{id}", MD, staff_form::edit_post::<Masters>),
    get("/users/teacher/{id}", MD, staff_form::edit_get::<Teachers>),
    post("/users/teacher/{id}", MD, staff_form::edit_post::<Teachers>),
    get("/users/bot/{id}", DEV, staff_form::edit_get::<Bots>),
    post("/users/bot/{id}", DEV, staff_form::edit_post::<Bots>),
    get(
        "/users/developer/{id}",
        DEV,
        staff_form::edit_get::<Developers>,
    ),
    post(
        "/users/developer/{id}",
        DEV,
        staff_form::edit_post::<Developers>,
    ),
    get("/users/student/{id}", MDT, student_form::edit_get),
    post("/users/student/{id}", MDT, student_form::edit_post),
    post("/users/delete_master/{id}", MD, delete::staff::<Masters>),
    post("/users/delete_teacher/{id}", MD, delete::staff::<Teachers>),
    post("/users/delete_bot/{id}", DEV, delete::staff::<Bots>),
    post(
        "/users/delete_developer/{id}",
        DEV,
        delete::staff::<Developers>,
    ),
    post("/users/delete_student/{id}", MDT, delete::student),
    // end of users
    // messages and notifications (delivered by e-mail and VK when configured)
    get(
        "/messages/dialogs_list",
        Access::Roles(&[M, T, S]),
        crate::messages::dialogs_list::get,
    ),
    get(
        "/messages/messages_list/forward",
        MDTS,
        crate::messages::messages_list::forward,
    ),
    get(
        "/messages/messages_list/{receiver_id}",
        Access::Roles(&[M, T, S]),
        crate::messages::messages_list::get,
    ),
    post(
        "/messages/messages_list/{receiver_id}",
        Access::Roles(&[M, T, S]),
        crate::messages::messages_list::post,
    ),
    get("/notifications/list", MDT, crate::notifications::list::get),
    get("/notifications/send", MDT, crate::notifications::send::get),
    delivers(post(
        "/notifications/send",
        MDT,
        crate::notifications::send::post,
    )),
    // end of messages and notifications
];

/// Path parameters of the matched route, in pattern order.
#[derive(Debug, Default, Clone)]
pub struct Params(Vec<(&'static str, u32)>);

impl Params {
    /// The value of `{name}`; a route only asks for names its pattern has.
    pub fn id(&self, name: &str) -> u32 {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .unwrap_or_else(|| {
                panic!("route parameter {name} is not in the pattern");
            })
    }
}

pub enum Match {
    Found(&'static Route, Params),
    /// The path exists with other methods.
    WrongMethod,
    None,
}

pub fn find(method: Method, path: &str) -> Match {
    let wanted = if method == Method::Head {
        Method::Get
    } else {
        method
    };
    let mut path_exists = false;
    for route in ROUTES {
        if let Some(params) = match_pattern(route.pattern, path) {
            if route.method == wanted {
                return Match::Found(route, params);
            }
            path_exists = true;
        }
    }
    if path_exists {
        Match::WrongMethod
    } else {
        Match::None
    }
}

/// Whether any route has this path, whatever its method.
pub fn path_exists(path: &str) -> bool {
    ROUTES
        .iter()
        .any(|r| match_pattern(r.pattern, path).is_some())
}

/// The `Allow` header for a path that exists (with other methods, or asked with `OPTIONS`).
pub fn allowed_methods(path: &str) -> String {
    let mut allowed: Vec<&str> = Vec::new();
    for route in ROUTES
        .iter()
        .filter(|r| match_pattern(r.pattern, path).is_some())
    {
        match route.method {
            Method::Get => allowed.extend(["GET", "HEAD"]),
            Method::Post => allowed.push("POST"),
            _ => {}
        }
    }
    allowed.push("OPTIONS");
    allowed.join(", ")
}

fn match_pattern(pattern: &'static str, path: &str) -> Option<Params> {
    let mut params = Vec::new();
    let mut pat = pattern.split('/');
    let mut got = path.split('/');
    loop {
        match (pat.next(), got.next()) {
            (None, None) => return Some(Params(params)),
            (Some(p), Some(g)) => {
                if let Some(name) = p.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                    // Like Werkzeug's int converter: digits only, leading zeros allowed.
                    if g.is_empty() || !g.bytes().all(|b| b.is_ascii_digit()) {
                        return None;
                    }
                    params.push((name, g.parse().ok()?));
                } else if p != g {
                    return None;
                }
            }
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_integers_only() {
        let p = match_pattern("/a/{id}/b", "/a/007/b").unwrap();
        assert_eq!(p.id("id"), 7);
        for bad in [
            "/a/-1/b",
            "/a/x/b",
            "/a//b",
            "/a/1.0/b",
            "/a/1/b/",
            "/a/99999999999/b",
        ] {
            assert!(match_pattern("/a/{id}/b", bad).is_none(), "{bad}");
        }
    }

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
        assert!(matches!(find(Method::Head, "/"), Match::Found(..)));
        assert!(matches!(find(Method::Post, "/"), Match::WrongMethod));
        assert!(matches!(find(Method::Get, "/nope"), Match::None));
    }
}
