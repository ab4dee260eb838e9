//! The database: one synchronous connection per process, explicit transactions, and migrations.

pub mod migrate;

use crate::config::Config;
use mysql::prelude::Queryable;
use mysql::{Conn, Opts, OptsBuilder};

pub use mysql::Error as DbError;

/// The largest packet the driver accepts. Given here, so that connecting does not ask the server
/// for its `max_allowed_packet` (one round trip per CGI request); our rows are far smaller.
const MAX_PACKET_BYTES: usize = 64 << 20;

/// Opens the connection described by the config. With a socket configured the server is reached
/// through it directly (a TCP URL to localhost would make the driver connect twice). The session
/// settings are one statement: every round trip counts when each request connects anew.
pub fn connect(config: &Config) -> Result<Conn, DbError> {
    let opts = Opts::from_url(&config.database.url)?;
    let mut builder = OptsBuilder::from_opts(opts)
        .prefer_socket(false)
        .max_allowed_packet(Some(MAX_PACKET_BYTES))
        .init(vec!["SET NAMES utf8mb4, time_zone = '+00:00'"]);
    if let Some(socket) = config.database.socket.as_deref().filter(|s| !s.is_empty()) {
        builder = builder.socket(Some(socket));
    }
    Conn::new(builder)
}

pub fn begin(conn: &mut Conn) -> Result<(), DbError> {
    conn.query_drop("START TRANSACTION")
}

pub fn commit(conn: &mut Conn) -> Result<(), DbError> {
    conn.query_drop("COMMIT")
}

pub fn rollback(conn: &mut Conn) -> Result<(), DbError> {
    conn.query_drop("ROLLBACK")
}

/// Runs `work` in one transaction: committed when it returns Ok, rolled back otherwise.
pub fn in_transaction<T, E: From<DbError>>(
    conn: &mut Conn,
    work: impl FnOnce(&mut Conn) -> Result<T, E>,
) -> Result<T, E> {
    begin(conn)?;
    match work(conn) {
        Ok(value) => {
            commit(conn)?;
            Ok(value)
        }
        Err(err) => {
            let _ = rollback(conn);
            Err(err)
        }
    }
}
