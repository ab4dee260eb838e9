//! Entry points for the cargo-fuzz targets in `tests/fuzz/` (not an API). They take and give plain
//! data, so the crate's own types stay private and its dead-code warnings keep their meaning.

use crate::app::route::{Match, find};
use crate::auth::session::{self, Session};
use crate::http::{Form, ReadError, Request, Response, cgi, fastcgi};
use crate::routes::ROUTES;

/// A form as name-value pairs; `None` when it is refused (a 400).
pub type Pairs = Option<Vec<(String, String)>>;

/// What the CGI adapter made of one request, and what the lifecycle decodes before the database.
#[derive(Debug)]
pub struct CgiRequest {
    pub path: String,
    pub body: Vec<u8>,
    pub query_form: Pairs,
    pub body_form: Pairs,
    pub session_cookie: Option<String>,
    /// The route table knows the path (with this or another method).
    pub routed: bool,
}

/// Builds a request from CGI meta-variables (`env`, the first of equal names counts) and the
/// body, then decodes its query, body form and session cookie and routes it.
pub fn cgi_request(
    env: &[(String, String)],
    body: &[u8],
    url_prefix: &str,
    max_body: usize,
) -> Result<CgiRequest, String> {
    let var = |name: &str| {
        env.iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let req = cgi::build_request(var, body, url_prefix, max_body).map_err(|e| e.to_string())?;
    Ok(CgiRequest {
        query_form: pairs(req.query_form()),
        body_form: pairs(req.body_form()),
        session_cookie: req.cookie(session::COOKIE_NAME),
        routed: !matches!(find(ROUTES, req.method, &req.path), Match::None),
        path: req.path,
        body: req.body,
    })
}

/// Decodes `application/x-www-form-urlencoded` bytes as every handler does.
pub fn form_decode(raw: &[u8]) -> Pairs {
    pairs(Form::parse(raw))
}

fn pairs<E>(form: Result<Form, E>) -> Pairs {
    form.ok().map(|f| f.pairs().to_vec())
}

/// The parts of a session a request relies on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionView {
    /// «запомнить меня» and the binding of a logged-in session (its secret is random).
    pub user: Option<(bool, String)>,
    pub flashes: Vec<String>,
}

/// The session that a `Cookie:` header carries at `now`, as the request lifecycle reads it.
pub fn session_from_cookie_header(header: &str, key: &[u8], now: i64) -> SessionView {
    let mut req = Request::new(crate::http::Method::Get, "/");
    req.cookie_header = header.to_string();
    let mut session = Session::from_cookie(req.cookie(session::COOKIE_NAME).as_deref(), key, now);
    SessionView {
        user: session.claim().map(|c| (c.remember, c.binding.to_string())),
        flashes: session.take_flashes(),
    }
}

/// The `Set-Cookie` value of a session logged in (when `view.user` is set) at `now` with the
/// flashes of `view`; `None` when nothing would be sent.
pub fn session_set_cookie(view: &SessionView, key: &[u8], now: i64, path: &str) -> Option<String> {
    let mut session = Session::default();
    if let Some((remember, binding)) = &view.user {
        session.log_in(*remember, binding.clone(), now);
    }
    for flash in &view.flashes {
        session.flash(flash.clone());
    }
    session.set_cookie(key, false, path)
}

/// Serves one FastCGI connection whose input is `input`, with an application that echoes the
/// request; the bytes it writes back.
pub fn fastcgi_connection(input: &[u8], max_body: usize) -> Vec<u8> {
    let mut echo = |req: Result<Request, ReadError>, path_info: &str| match req {
        Ok(r) => {
            Response::new(200, "application/octet-stream", r.body).with_header("X-Path", &r.path)
        }
        Err(e) => Response::text(400, &format!("{path_info}: {e}")),
    };
    let mut out = Vec::new();
    // A malformed stream ends the connection with an error: what was answered before it counts.
    let _ = fastcgi::serve_connection(input, &mut out, &mut echo, "", max_body);
    out
}
