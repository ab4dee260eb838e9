//! The database: one synchronous connection per process, explicit transactions, and migrations.

pub mod backup;
pub mod batch;
pub mod change_log;
pub mod kept;
pub mod migrate;

use crate::config::Config;
use mysql::prelude::Queryable;
use mysql::{Conn, Opts, OptsBuilder};
use std::mem::ManuallyDrop;
use std::os::fd::{AsRawFd, FromRawFd};
use std::os::unix::net::UnixStream;
use std::time::Duration;

pub use batch::{Batch, Literal};
pub use mysql::Error as DbError;

/// The session settings every connection runs with: the handshake already asks for utf8mb4,
/// and stored times are naive UTC.
pub const SESSION_SETTINGS: &str = "SET NAMES utf8mb4, time_zone = '+00:00'";

/// The largest packet the driver accepts. Given here, so that connecting does not ask the server
/// for its `max_allowed_packet` (one round trip per CGI request); our rows are far smaller.
const MAX_PACKET_BYTES: usize = 64 << 20;

/// How long connecting and each read or write of the handshake and session setup may take
/// (a healthy server answers in milliseconds). A server that is down or hangs (accepts but never
/// answers) must give the visitor the 503 page within 2 seconds, Apache and process start
/// included.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);

/// Opens the connection described by the config. With a socket configured the server is reached
/// through it directly (a TCP URL to localhost would make the driver connect twice).
pub fn connect(config: &Config) -> Result<Conn, DbError> {
    let mut conn = open(config)?;
    conn.query_drop(SESSION_SETTINGS)?;
    Ok(conn)
}

/// A connection without its [`SESSION_SETTINGS`] yet: a request sends them with its first batch
/// of bookkeeping, one round trip fewer. Until then it has the handshake's character set, which
/// is the same; no statement before them may depend on the time zone.
pub fn open(config: &Config) -> Result<Conn, DbError> {
    let opts = Opts::from_url(&config.database.url)?;
    let mut builder = OptsBuilder::from_opts(opts)
        .prefer_socket(false)
        .max_allowed_packet(Some(MAX_PACKET_BYTES))
        .tcp_connect_timeout(Some(CONNECT_TIMEOUT))
        .read_timeout(Some(CONNECT_TIMEOUT))
        .write_timeout(Some(CONNECT_TIMEOUT));
    if let Some(socket) = config.database.socket.as_deref().filter(|s| !s.is_empty()) {
        builder = builder.socket(Some(socket));
    }
    let conn = Conn::new(builder)?;
    lift_timeouts(&conn)?;
    Ok(conn)
}

/// Once connected, a statement may rightly wait longer than the handshake (a row lock held by
/// another request, a large report), so the socket's timeouts are removed. The driver has no
/// setter for them: the socket option is set on its descriptor directly (the same call for a Unix
/// and a TCP socket).
fn lift_timeouts(conn: &Conn) -> std::io::Result<()> {
    // SAFETY: the descriptor is the driver's open socket, borrowed for these two calls only;
    // ManuallyDrop keeps it from being closed here.
    let socket = ManuallyDrop::new(unsafe { UnixStream::from_raw_fd(conn.as_raw_fd()) });
    socket.set_read_timeout(None)?;
    socket.set_write_timeout(None)
}

/// The rows of `sql` for a list of ids: its `{ids}` becomes one bound `?` per id (the ids are
/// never spliced in). No ids, no rows, and no statement.
pub fn select_in<T, I>(conn: &mut Conn, sql: &str, ids: &[I]) -> Result<Vec<T>, DbError>
where
    T: mysql::prelude::FromRow,
    I: Copy + Into<mysql::Value>,
{
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let params: Vec<mysql::Value> = ids.iter().map(|&id| id.into()).collect();
    conn.exec(sql.replace("{ids}", &placeholders(ids.len())), params)
}

/// One page of a name search: `LOWER(<name>) LIKE LOWER(pattern) … LIMIT limit OFFSET offset`.
#[derive(Debug, Clone)]
pub struct LikePage {
    /// `%text%`, bound as a parameter.
    pub pattern: String,
    pub limit: u64,
    pub offset: u64,
}

impl LikePage {
    /// The search on `column`, ordered by `order`, and this page of it, with its parameters.
    pub fn filter(&self, column: &str, order: &str) -> (String, Vec<mysql::Value>) {
        (
            format!("LOWER({column}) LIKE LOWER(?) ORDER BY {order} LIMIT ? OFFSET ?"),
            vec![
                self.pattern.clone().into(),
                self.limit.into(),
                self.offset.into(),
            ],
        )
    }
}

/// Column `name` of a row, converted; a missing column or a type mismatch is a database error,
/// never a panic.
pub fn col<T: mysql::prelude::FromValue>(row: &mut mysql::Row, name: &str) -> mysql::Result<T> {
    match row.take_opt::<T, &str>(name) {
        Some(Ok(v)) => Ok(v),
        Some(Err(e)) => Err(DbError::FromValueError(e.0)),
        None => Err(DbError::FromValueError(mysql::Value::NULL)),
    }
}

/// MariaDB's ER_DUP_ENTRY: the statement hit a UNIQUE key (a concurrent request saved the same
/// value first); only the statement failed, the transaction goes on.
pub fn is_duplicate_key(err: &DbError) -> bool {
    matches!(err, DbError::MySqlError(e) if e.code == 1062)
}

/// MariaDB's ER_LOCK_DEADLOCK: the server chose this transaction as a deadlock's victim and has
/// already rolled it back.
pub fn is_deadlock(err: &DbError) -> bool {
    matches!(err, DbError::MySqlError(e) if e.code == 1213)
}

/// `?, ?, …` for an `IN` list of `n` parameters (the values are bound, never spliced in).
pub fn placeholders(n: usize) -> String {
    value_rows("?", n)
}

/// `row, row, …` (`n` times) for the `VALUES` of a multi-row insert, where `row` is a constant
/// such as `(?, ?, 0)`: the values are bound, never spliced in.
pub fn value_rows(row: &str, n: usize) -> String {
    vec![row; n].join(", ")
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
