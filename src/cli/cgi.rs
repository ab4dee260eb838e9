//! One CGI request: config, request, answer. A broken config gives a short Russian 500 page and
//! the reason in Apache's error log, never the config's contents.

use crate::app::{self, AppError};
use crate::config::Config;
use crate::http::{Method, ReadError, Request, Response, cgi};

pub fn run() {
    let path = Config::locate(None);
    let config = Config::load(&path).and_then(|c| c.check_secrets().map(|()| c));
    let resp = match config {
        Err(e) => {
            eprintln!("crmit: {e}");
            Response::text(
                500,
                "500 - сайт не настроен: подробности в журнале ошибок сервера",
            )
        }
        Ok(config) => {
            match cgi::read_request(&config.site.url_prefix, config.site.max_body_bytes) {
                Ok(req) => app::handle(&config, req),
                Err(ReadError::TooLarge) => {
                    app::bare_error(&config, &fallback_request(), AppError::PayloadTooLarge)
                }
                Err(e) => app::bare_error(
                    &config,
                    &fallback_request(),
                    AppError::BadRequest(e.to_string()),
                ),
            }
        }
    };
    let head = std::env::var("REQUEST_METHOD").is_ok_and(|m| m == "HEAD");
    if let Err(e) = cgi::write_response(&resp, head) {
        eprintln!("crmit: не удалось отправить ответ: {e}");
    }
}

/// The request as far as it could be read, for rendering the error page.
fn fallback_request() -> Request {
    Request::new(
        Method::Get,
        &std::env::var("PATH_INFO").unwrap_or_else(|_| "/".into()),
    )
}
