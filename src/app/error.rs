//! What a handler can fail with. Every variant maps to one status and one Russian page (web) or
//! the contract's plain body (API); none of them leaks internals to the visitor.

use crate::http::form::FormError;
use crate::http::{JSON_CONTENT_TYPE, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Bad input the visitor can fix; the text is shown.
    #[error("{0}")]
    BadRequest(String),
    /// Anonymous visitor on a page that needs a login: sent to the login page.
    #[error("требуется вход")]
    LoginRequired,
    #[error("доступ запрещён")]
    Forbidden,
    #[error("не найдено")]
    NotFound,
    /// The action conflicts with existing data (e.g. deleting something still in use).
    #[error("{0}")]
    Conflict(String),
    #[error("метод не поддерживается")]
    MethodNotAllowed,
    #[error("слишком большой запрос")]
    PayloadTooLarge,
    #[error("база данных недоступна: {0}")]
    Unavailable(String),
    #[error("ошибка базы данных: {0}")]
    Db(#[from] mysql::Error),
    #[error("ошибка шаблона: {0}")]
    Template(#[from] minijinja::Error),
    /// A download (a spreadsheet) could not be made.
    #[error("не удалось составить файл: {0}")]
    Export(String),
}

impl AppError {
    pub fn status(&self) -> u16 {
        match self {
            AppError::BadRequest(_) => 400,
            AppError::LoginRequired => 302,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Conflict(_) => 409,
            AppError::MethodNotAllowed => 405,
            AppError::PayloadTooLarge => 413,
            AppError::Unavailable(_) => 503,
            AppError::Db(_) | AppError::Template(_) | AppError::Export(_) => 500,
        }
    }

    /// The heading of the Russian error page.
    pub fn title(&self) -> &'static str {
        match self.status() {
            400 => "400 - ошибочный запрос",
            403 => "403 - доступ запрещён",
            404 => "404 - не найдено",
            405 => "405 - метод не поддерживается",
            409 => "409 - конфликт",
            413 => "413 - слишком большой запрос",
            503 => "503 - сервис временно недоступен",
            _ => "500 - внутренняя ошибка сервера",
        }
    }

    /// An explanation under the heading, only for errors whose text is meant for the visitor.
    pub fn detail(&self) -> Option<String> {
        match self {
            AppError::BadRequest(m) | AppError::Conflict(m) => Some(m.clone()),
            AppError::Unavailable(_) => {
                Some("база данных недоступна, попробуйте через минуту".into())
            }
            AppError::PayloadTooLarge => Some("отправленные данные слишком велики".into()),
            _ => None,
        }
    }
}

impl AppError {
    /// The API contract's answer for this error: a plain-text body sent with the JSON content
    /// type (src/api/README.md §3).
    pub fn api_response(&self) -> Response {
        let (status, body) = match self {
            AppError::BadRequest(_) => (400, "bad request"),
            AppError::LoginRequired => (401, "auth required"),
            AppError::Forbidden => (403, "access denied"),
            AppError::NotFound => (404, "not found"),
            _ => (500, "internal server error"),
        };
        Response::new(status, JSON_CONTENT_TYPE, body.as_bytes().to_vec())
    }
}

impl From<FormError> for AppError {
    fn from(e: FormError) -> Self {
        AppError::BadRequest(e.to_string())
    }
}
