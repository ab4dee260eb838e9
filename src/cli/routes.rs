//! `crmit routes` (hidden): the route table as text, one `METHOD PATTERN ACCESS persists|-` line
//! per route, so that the robustness tests enumerate every route without parsing Rust.

use super::CmdResult;
use crate::app::route::Access;
use crate::auth::Role;
use crate::http::Method;
use crate::routes::ROUTES;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> CmdResult {
    for route in ROUTES {
        let method = match route.method {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Head | Method::Options | Method::Other => "OTHER",
        };
        let access = match route.access {
            Access::Anyone => "anyone".to_string(),
            Access::Api(_) | Access::ApiOpen => "api".to_string(),
            Access::Roles(roles) => roles
                .iter()
                .map(|r| letter(*r))
                .collect::<Vec<_>>()
                .join(","),
        };
        let persists = if route.persists_for_developer {
            "persists"
        } else {
            "-"
        };
        println!("{method} {} {access} {persists}", route.pattern);
    }
    Ok(())
}

/// The role letters used in `tests/authz_matrix.txt` and in the handlers' comments: M master,
/// D developer, T teacher, S student, B bot.
fn letter(role: Role) -> &'static str {
    match role {
        Role::Master => "M",
        Role::Developer => "D",
        Role::Teacher => "T",
        Role::Student => "S",
        Role::Bot => "B",
    }
}
