//! Failed-login throttling (the original had none), stored in `login_throttle` so that it holds
//! across CGI processes: per login and per address, a lock after too many failures in a window.

use chrono::{Duration, NaiveDateTime};
use mysql::Conn;
use mysql::prelude::Queryable;

#[derive(Debug, Clone, Copy)]
pub enum Scope {
    Login,
    Address,
}

impl Scope {
    fn key(self) -> &'static str {
        match self {
            Scope::Login => "login",
            Scope::Address => "address",
        }
    }

    /// Failures allowed within the window before the lock.
    fn limit(self) -> i32 {
        match self {
            Scope::Login => 5,
            Scope::Address => 20,
        }
    }
}

const WINDOW_MINUTES: i64 = 15;
const LOCK_MINUTES: i64 = 15;

/// When a lock is in force for the login or the address, the moment it ends.
pub fn locked_until(
    conn: &mut Conn,
    login: &str,
    address: &str,
    now: NaiveDateTime,
) -> mysql::Result<Option<NaiveDateTime>> {
    let until: Option<NaiveDateTime> = conn
        .exec_first(
            "SELECT MAX(locked_until) FROM login_throttle
         WHERE ((scope = ? AND subject = ?) OR (scope = ? AND subject = ?)) AND locked_until > ?",
            (
                Scope::Login.key(),
                subject(login),
                Scope::Address.key(),
                address,
                now,
            ),
        )?
        .flatten();
    Ok(until)
}

/// Counts one failed attempt against both the login and the address.
pub fn record_failure(
    conn: &mut Conn,
    login: &str,
    address: &str,
    now: NaiveDateTime,
) -> mysql::Result<()> {
    let window_start = now - Duration::minutes(WINDOW_MINUTES);
    let lock = now + Duration::minutes(LOCK_MINUTES);
    for (scope, who) in [
        (Scope::Login, subject(login)),
        (Scope::Address, address.to_string()),
    ] {
        conn.exec_drop(
            "INSERT INTO login_throttle (scope, subject, failures, window_start, locked_until) VALUES (?, ?, 1, ?, NULL)
             ON DUPLICATE KEY UPDATE
               failures = IF(window_start < ?, 1, failures + 1),
               window_start = IF(window_start < ?, VALUES(window_start), window_start),
               locked_until = IF(failures >= ?, ?, locked_until)",
            (scope.key(), &who, now, window_start, window_start, scope.limit(), lock),
        )?;
    }
    Ok(())
}

/// A successful login clears the login's counter (the address keeps its own).
pub fn record_success(conn: &mut Conn, login: &str) -> mysql::Result<()> {
    conn.exec_drop(
        "DELETE FROM login_throttle WHERE scope = ? AND subject = ?",
        (Scope::Login.key(), subject(login)),
    )
}

fn subject(login: &str) -> String {
    login.trim().to_lowercase().chars().take(255).collect()
}
