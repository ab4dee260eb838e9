//! A route and its matching: the method, the pattern, who may open it and the function that
//! answers. The table itself is `crate::routes`, above the areas whose handlers it names; the
//! lifecycle receives it as a parameter.

use super::Ctx;
use super::error::AppError;
use crate::auth::Role;
use crate::auth::token::Allowed;
use crate::http::{Method, Response};

pub type Handler = fn(&mut Ctx) -> Result<Response, AppError>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Everyone, logged in or not.
    Anyone,
    /// Logged-in web users with one of these roles; anonymous visitors go to the login page.
    Roles(&'static [Role]),
    /// The REST API for a valid access token whose owner `Allowed` admits: the lifecycle
    /// authenticates the caller before the handler runs (src/api/README.md §5).
    Api(Allowed),
    /// The REST API without a token (`login`, `app_info`).
    ApiOpen,
}

impl Access {
    /// An API route: JSON answers, no session, no CSRF.
    pub fn is_api(self) -> bool {
        matches!(self, Access::Api(_) | Access::ApiOpen)
    }
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

pub const fn get(pattern: &'static str, access: Access, handler: Handler) -> Route {
    Route {
        method: Method::Get,
        pattern,
        access,
        handler,
        persists_for_developer: false,
        rerun_after_deadlock: true,
    }
}

pub const fn post(pattern: &'static str, access: Access, handler: Handler) -> Route {
    Route {
        method: Method::Post,
        pattern,
        access,
        handler,
        persists_for_developer: false,
        rerun_after_deadlock: true,
    }
}

impl Route {
    /// Marks a route whose handler must not run twice: it delivers mail or VK messages.
    pub const fn delivers(self) -> Route {
        Route {
            rerun_after_deadlock: false,
            ..self
        }
    }

    /// Marks a route whose writes a read-only developer may still make.
    pub const fn persists(self) -> Route {
        Route {
            persists_for_developer: true,
            ..self
        }
    }
}

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

pub fn find(routes: &'static [Route], method: Method, path: &str) -> Match {
    let wanted = if method == Method::Head {
        Method::Get
    } else {
        method
    };
    let mut path_exists = false;
    for route in routes {
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
pub fn path_exists(routes: &[Route], path: &str) -> bool {
    routes
        .iter()
        .any(|r| match_pattern(r.pattern, path).is_some())
}

/// The `Allow` header for a path that exists (with other methods, or asked with `OPTIONS`).
pub fn allowed_methods(routes: &[Route], path: &str) -> String {
    let mut allowed: Vec<&str> = Vec::new();
    for route in routes
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
}
