//! What a handler can fail with. Every variant maps to one status and one Russian page (web) or
//! the contract's plain body (API); none of them leaks internals to the visitor.

use crate::auth::Role;
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
    /// A refusal whose reason is not told: the API's, whose answer is the contract's fixed text.
    #[error("доступ запрещён")]
    Forbidden,
    /// A refusal the 403 page explains.
    #[error("доступ запрещён: {0:?}")]
    Refused(Refusal),
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
            AppError::Forbidden | AppError::Refused(_) => 403,
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
            AppError::Refused(refusal) => Some(refusal.reason()),
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
            AppError::Forbidden | AppError::Refused(_) => (403, "access denied"),
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

/// Why a signed-in user may not open a page or do an action, one variant for each access rule
/// that refuses; the 403 page says it, so that the visitor knows whom to ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The route admits only these roles.
    Roles(&'static [Role]),
    /// A group another teacher leads.
    OtherTeachersGroup,
    /// An app session of another account.
    OtherAccountsSession,
    /// An account whose password this user may not set.
    AccountOutOfReach,
    /// A dialog with oneself.
    OwnDialog,
    /// A dialog between roles that do not write to each other.
    DialogNotAllowed,
    /// A developer sending a notification to parents.
    DeveloperSends,
    /// A teacher's account not linked to a teacher.
    NoTeacher,
    /// A student's account not linked to a student.
    NoStudent,
}

impl Refusal {
    pub fn reason(self) -> String {
        match self {
            Refusal::Roles(roles) => format!("Эта страница только для {}.", who(roles)),
            Refusal::OtherTeachersGroup => "Эту группу ведёт другой преподаватель: открыть её здесь \
                 могут только он, руководители и разработчик."
                .into(),
            Refusal::OtherAccountsSession => "Это сессия приложения другого пользователя: завершить \
                 её может только он сам."
                .into(),
            Refusal::AccountOutOfReach => "Пароль этой учётной записи вам менять нельзя: \
                 преподаватель меняет пароли только ученикам, пароли разработчиков и ботов — только \
                 разработчик."
                .into(),
            Refusal::OwnDialog => "Диалог с самим собой невозможен: выберите другого получателя.".into(),
            Refusal::DialogNotAllowed => "С этим пользователем переписка невозможна: ученики пишут \
                 руководителям и преподавателям, разработчики и боты сообщений не получают."
                .into(),
            Refusal::DeveloperSends => "Разработчик не отправляет уведомления родителям: это делают \
                 руководители и преподаватели."
                .into(),
            Refusal::NoTeacher => "Ваша учётная запись не связана с преподавателем: обратитесь к \
                 руководителю."
                .into(),
            Refusal::NoStudent => "Ваша учётная запись не связана с учеником: обратитесь к \
                 руководителю."
                .into(),
        }
    }
}

/// «руководителей и разработчика»: the roles of a route as the 403 page names them.
fn who(roles: &[Role]) -> String {
    let names: Vec<&str> = [Role::Master, Role::Teacher, Role::Student, Role::Developer]
        .into_iter()
        .filter(|r| roles.contains(r))
        .map(|r| match r {
            Role::Master => "руководителей",
            Role::Teacher => "преподавателей",
            Role::Student => "учеников",
            Role::Developer | Role::Bot => "разработчика",
        })
        .collect();
    match names.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} и {last}", rest.join(", ")),
        None => "других пользователей".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_refusals_name_who_may() {
        let md = Refusal::Roles(&[Role::Master, Role::Developer]);
        assert_eq!(
            md.reason(),
            "Эта страница только для руководителей и разработчика."
        );
        let mts = Refusal::Roles(&[Role::Student, Role::Master, Role::Teacher]);
        assert_eq!(
            mts.reason(),
            "Эта страница только для руководителей, преподавателей и учеников."
        );
        assert_eq!(
            Refusal::Roles(&[Role::Developer]).reason(),
            "Эта страница только для разработчика."
        );
        assert_eq!(AppError::Refused(md).status(), 403);
        assert_eq!(AppError::Refused(md).api_response().body, b"access denied");
    }
}
