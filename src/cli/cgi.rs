//! One CGI request: config, request, answer. A broken config gives a short Russian 500 page and
//! the reason in Apache's error log, never the config's contents. FastCGI and `serve` answer
//! through the same functions, once per request of their long-lived processes, so [`answer`] is
//! the one place every answer passes and gets its security headers.

use crate::app::{self, AppError};
use crate::config::Config;
use crate::http::{Method, ReadError, Request, Response, cgi, compress, security};
use mysql::Conn;

pub fn run() {
    let config = load_config();
    let read = |c: &Config| cgi::read_request(&c.site.url_prefix, c.site.max_body_bytes);
    let path_info = std::env::var("PATH_INFO").unwrap_or_default();
    let resp = answer(&config, read, &path_info, &mut None);
    let head = std::env::var("REQUEST_METHOD").is_ok_and(|m| m == "HEAD");
    if let Err(e) = cgi::write_response(&resp, head) {
        eprintln!("crmit: не удалось отправить ответ: {e}");
    }
}

/// The site's config from its usual place, with the secrets checked; the error is for the log.
pub fn load_config() -> Result<Config, String> {
    let path = Config::locate(None);
    Config::load(&path)
        .and_then(|c| c.check_secrets().map(|()| c))
        .map_err(|e| e.to_string())
}

/// The answer to one request: `read` gives the request (from the environment or FastCGI params),
/// `path_info` locates the error page when it cannot be read, `kept` is the connection a FastCGI
/// process keeps between requests (always empty for CGI, which connects per request). Every
/// answer, the refusals of an unreadable request and of a broken config included, leaves with
/// the security headers (`http::security::secure`).
pub fn answer(
    config: &Result<Config, String>,
    read: impl FnOnce(&Config) -> Result<Request, ReadError>,
    path_info: &str,
    kept: &mut Option<Conn>,
) -> Response {
    let (mut hsts, mut gzip) = (false, false);
    let resp = answer_bare(config, read, path_info, kept, (&mut hsts, &mut gzip));
    compress::gzip_if_accepted(security::secure(resp, hsts), gzip)
}

/// [`answer`] without the security headers and compression; sets `hsts` when the request came
/// over HTTPS and the config allows HSTS, and `gzip` when the client accepts gzip.
fn answer_bare(
    config: &Result<Config, String>,
    read: impl FnOnce(&Config) -> Result<Request, ReadError>,
    path_info: &str,
    kept: &mut Option<Conn>,
    (hsts, gzip): (&mut bool, &mut bool),
) -> Response {
    let config = match config {
        Err(e) => {
            eprintln!("crmit: {e}");
            return Response::text(
                500,
                "500 - сайт не настроен: подробности в журнале ошибок сервера",
            );
        }
        Ok(config) => config,
    };
    let fallback = || {
        Request::new(
            Method::Get,
            if path_info.is_empty() { "/" } else { path_info },
        )
    };
    match read(config) {
        Ok(req) => {
            *hsts = req.https && config.security.hsts;
            *gzip = req.accepts_gzip();
            app::handle_with(config, crate::routes::ROUTES, req, kept)
        }
        Err(ReadError::TooLarge) => app::bare_error(config, &fallback(), AppError::PayloadTooLarge),
        Err(e) => app::bare_error(config, &fallback(), AppError::BadRequest(e.to_string())),
    }
}
