//! REST API v1.1.0 for the Android and Flutter apps (`rest-api.md`).

use crate::app::AppError;
use crate::http::Response;

/// The contract's error answers: a plain-text body sent with the JSON content type (rest-api.md §1.3).
pub fn error_response(err: &AppError) -> Response {
    let (status, body) = match err {
        AppError::BadRequest(_) => (400, "bad request"),
        AppError::LoginRequired => (401, "auth required"),
        AppError::Forbidden => (403, "access denied"),
        AppError::NotFound => (404, "not found"),
        _ => (500, "internal server error"),
    };
    Response::new(
        status,
        "application/json; charset=utf-8",
        body.as_bytes().to_vec(),
    )
}
