//! Failed-login throttling (the original had none), stored in `login_throttle` so that it holds
//! across CGI processes. Failures are counted per login at an address, per address and per
//! login, within a window: one address guessing a login is slowed down and then locked, while
//! the owner at another address still logs in, until so many addresses fail at the login that
//! it is locked for everyone for a while.

use chrono::{Duration, NaiveDateTime};
use mysql::Conn;
use mysql::prelude::Queryable;

/// What a counter counts the failures of.
#[derive(Debug, Clone, Copy)]
enum Scope {
    /// One login from one address: someone there guessing this login's password.
    LoginAtAddress,
    /// Every login from one address.
    Address,
    /// One login from every address: the owner is locked out only when many addresses guess.
    Login,
}

impl Scope {
    fn key(self) -> &'static str {
        match self {
            Scope::LoginAtAddress => "login_address",
            Scope::Address => "address",
            Scope::Login => "login",
        }
    }

    /// The lock after `failures` failures within the window, if any: a guesser at one address
    /// waits longer after each failure from the third, and is locked from the fifth; a login
    /// locks for everyone only after more failures than five addresses could make together.
    fn lock_seconds(self) -> [(i32, i64); 3] {
        match self {
            Scope::LoginAtAddress => [(3, 30), (4, 120), (5, LOCK_SECONDS)],
            Scope::Address => [(20, LOCK_SECONDS); 3],
            Scope::Login => [(30, LOCK_SECONDS); 3],
        }
    }
}

const WINDOW_MINUTES: i64 = 15;
const LOCK_SECONDS: i64 = 15 * 60;

/// The three counters of an attempt: (scope, subject).
fn counters(login: &str, address: &str) -> [(Scope, String); 3] {
    let login = subject(login);
    [
        (
            Scope::LoginAtAddress,
            format!("{address} {login}").chars().take(255).collect(),
        ),
        (Scope::Address, address.to_string()),
        (Scope::Login, login),
    ]
}

/// When a lock is in force for this login at this address, the moment it ends.
pub fn locked_until(
    conn: &mut Conn,
    login: &str,
    address: &str,
    now: NaiveDateTime,
) -> mysql::Result<Option<NaiveDateTime>> {
    let [(s1, w1), (s2, w2), (s3, w3)] = counters(login, address);
    let until: Option<NaiveDateTime> = conn
        .exec_first(
            "SELECT MAX(locked_until) FROM login_throttle
             WHERE ((scope = ? AND subject = ?) OR (scope = ? AND subject = ?)
                    OR (scope = ? AND subject = ?))
               AND locked_until > ?",
            (s1.key(), w1, s2.key(), w2, s3.key(), w3, now),
        )?
        .flatten();
    Ok(until)
}

/// Counts one failed attempt against the login at the address, the address and the login.
pub fn record_failure(
    conn: &mut Conn,
    login: &str,
    address: &str,
    now: NaiveDateTime,
) -> mysql::Result<()> {
    let window_start = now - Duration::minutes(WINDOW_MINUTES);
    for (scope, who) in counters(login, address) {
        let [(f1, s1), (f2, s2), (f3, s3)] = scope.lock_seconds();
        // MySQL assigns left to right: the lock sees the failures just counted.
        conn.exec_drop(
            "INSERT INTO login_throttle (scope, subject, failures, window_start, locked_until) VALUES (?, ?, 1, ?, NULL)
             ON DUPLICATE KEY UPDATE
               failures = IF(window_start < ?, 1, failures + 1),
               window_start = IF(window_start < ?, VALUES(window_start), window_start),
               locked_until = CASE
                 WHEN failures >= ? THEN ? + INTERVAL ? SECOND
                 WHEN failures >= ? THEN ? + INTERVAL ? SECOND
                 WHEN failures >= ? THEN ? + INTERVAL ? SECOND
                 ELSE locked_until END",
            mysql::Params::Positional(vec![
                scope.key().into(),
                who.into(),
                now.into(),
                window_start.into(),
                window_start.into(),
                f3.into(),
                now.into(),
                s3.into(),
                f2.into(),
                now.into(),
                s2.into(),
                f1.into(),
                now.into(),
                s1.into(),
            ]),
        )?;
    }
    Ok(())
}

/// A successful login clears its counter at this address; the address's and the login's own
/// counters stay, so a guesser elsewhere gains nothing from the owner's success.
pub fn record_success(conn: &mut Conn, login: &str, address: &str) -> mysql::Result<()> {
    let [(scope, who), _, _] = counters(login, address);
    conn.exec_drop(
        "DELETE FROM login_throttle WHERE scope = ? AND subject = ?",
        (scope.key(), who),
    )
}

fn subject(login: &str) -> String {
    login.trim().to_lowercase().chars().take(255).collect()
}
