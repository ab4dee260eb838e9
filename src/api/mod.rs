//! REST API v1.1.0 for the Android and Flutter apps; the contract they depend on is
//! `src/api/README.md`.

pub mod account;
pub mod details;
pub mod developer;
pub mod dump;
pub mod group_contents;
pub mod groups;
pub mod json;
pub mod lessons;
pub mod lists;
pub mod payments;
pub mod people;
pub mod schedule;
pub mod sql;
pub mod token;

use crate::app::AppError;
use crate::http::Response;

/// The newest Android build (`init_model.actual_app_build_code`): older apps offer an update.
pub const ACTUAL_APP_BUILD_CODE: i32 = 9;

/// The contract's error answers: a plain-text body sent with the JSON content type
/// (src/api/README.md §3).
pub fn error_response(err: &AppError) -> Response {
    let (status, body) = match err {
        AppError::BadRequest(_) => (400, "bad request"),
        AppError::LoginRequired => (401, "auth required"),
        AppError::Forbidden => (403, "access denied"),
        AppError::NotFound => (404, "not found"),
        _ => (500, "internal server error"),
    };
    Response::new(status, json::CONTENT_TYPE, body.as_bytes().to_vec())
}
