//! Who is asking: roles, password hashes, the signed session cookie with its CSRF secret, login
//! throttling, the loading of the current user and the apps' access tokens.

pub mod password;
pub mod session;
pub mod throttle;
pub mod token;
pub mod user;
pub mod web_sessions;

pub use session::Session;
pub use token::Caller;
pub use user::CurrentUser;

use crate::ids::TeacherId;
use serde::Serialize;

/// Who acts on a group's lessons, attendance and payments: a signed-in web user or an API
/// caller. The group write rule (`app::access::can_write_group`) needs only these two facts, so
/// web pages and API endpoints share it.
pub trait Actor {
    /// Masters and developers (a developer is a kind of master).
    fn is_master(&self) -> bool;
    /// The actor's teachers.id; `None` for anyone but a teacher.
    fn own_teacher_id(&self) -> Option<TeacherId>;
}

impl Actor for CurrentUser {
    fn is_master(&self) -> bool {
        self.is_master
    }

    fn own_teacher_id(&self) -> Option<TeacherId> {
        self.teacher_id
    }
}

impl Actor for Caller {
    fn is_master(&self) -> bool {
        self.role.is_master()
    }

    fn own_teacher_id(&self) -> Option<TeacherId> {
        (self.role == Role::Teacher).then_some(TeacherId(self.details_id))
    }
}

/// The five system roles. The database identifies them by name (`system_roles.name`), never by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Master,
    Teacher,
    Student,
    Bot,
    Developer,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Master,
        Role::Teacher,
        Role::Student,
        Role::Bot,
        Role::Developer,
    ];

    /// `system_roles.name`.
    pub fn db_name(self) -> &'static str {
        match self {
            Role::Master => "руководитель",
            Role::Teacher => "преподаватель",
            Role::Student => "ученик",
            Role::Bot => "бот",
            Role::Developer => "разработчик",
        }
    }

    /// `system_roles.details_table_name`: the table with this role's FIO row.
    pub fn details_table(self) -> &'static str {
        match self {
            Role::Master => "masters",
            Role::Teacher => "teachers",
            Role::Student => "students",
            Role::Bot => "bots",
            Role::Developer => "developers",
        }
    }

    pub fn from_db_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.db_name() == name)
    }

    /// Developers have every master right unless a rule names developers explicitly.
    pub fn is_master(self) -> bool {
        matches!(self, Role::Master | Role::Developer)
    }
}

/// A random URL-safe string with `bytes` bytes of entropy from the OS.
pub fn random_token(bytes: usize) -> String {
    use base64::Engine;
    let mut buf = vec![0u8; bytes];
    getrandom::getrandom(&mut buf).expect("the OS random number generator failed");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// HMAC-SHA256 of `data` under `key`, the one keyed hash the site uses (sessions, CSRF, tokens).
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Constant-time equality for secrets.
pub fn secure_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.ct_eq(b))
}
