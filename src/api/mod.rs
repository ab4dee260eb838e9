//! REST API v1.1.0 for the Android and Flutter apps (`rest-api.md`).

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

use crate::app::{AppError, Ctx};
use crate::http::Response;
use chrono::NaiveDate;

/// The newest Android build (`init_model.actual_app_build_code`): older apps offer an update.
pub const ACTUAL_APP_BUILD_CODE: i32 = 9;

/// "Today" for lessons done and the cabinet's last lessons: the site's local date.
pub fn today(ctx: &Ctx) -> NaiveDate {
    let tz = ctx.config.time_zone().unwrap_or(chrono_tz::Asia::Barnaul);
    ctx.now.and_utc().with_timezone(&tz).date_naive()
}

/// The contract's error answers: a plain-text body sent with the JSON content type (rest-api.md §1.3).
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
