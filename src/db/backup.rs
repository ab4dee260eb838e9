//! The full backup: every table of the database, schema and rows, as plain SQL that the stock
//! `mysql`/`mariadb` client loads too (`gunzip -c F | mariadb DB`). It is read in one consistent
//! snapshot and streamed a row at a time, so memory stays small whatever the data size.
//!
//! The file is ours in its first and last lines: a header that names the format, the schema
//! version (the newest applied migration) and the time it was taken; a `-- rows` line after each
//! table with the number of rows written; and an end line. `restore` checks all three before it
//! changes anything, and the row counts after loading.

use super::migrate;
use mysql::consts::ColumnType;
use mysql::prelude::Queryable;
use mysql::{Column, Conn, Value};
use std::io::{BufRead, Write};

/// How the header line starts; the format's version follows.
const HEADER: &str = "-- crmit backup 1";
/// The last line of a complete backup.
const END: &str = "-- end of crmit backup";
/// How each table's row count line starts.
const ROWS: &str = "-- rows ";
/// An `INSERT` statement is closed once it holds this many bytes (servers accept 1 MiB at least).
const STATEMENT_BYTES: usize = 256 * 1024;
/// The character set number of binary strings: their values are written in hex.
const BINARY_CHARSET: u16 = 63;

/// Settings the file starts with: the character set, UTC, no checks while tables are filled in
/// dependency-free order, and a mode that accepts zero dates and keeps a stored 0 id.
const PREAMBLE: &str = "SET NAMES utf8mb4;
SET time_zone = '+00:00';
SET FOREIGN_KEY_CHECKS = 0;
SET UNIQUE_CHECKS = 0;
SET SQL_MODE = 'NO_AUTO_VALUE_ON_ZERO';
";

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("ошибка базы данных: {0}")]
    Db(#[from] mysql::Error),
    #[error("ошибка ввода-вывода: {0}")]
    Io(#[from] std::io::Error),
    #[error("база данных не подготовлена: нет таблицы crmit_migrations (выполните crmit migrate)")]
    NotMigrated,
    #[error("это не резервная копия crmit: первая строка {0:?}")]
    NotABackup(String),
    #[error(
        "файл неполон: нет последней строки резервной копии (обрезан при записи или копировании)"
    )]
    Truncated,
    #[error("схема {0} неизвестна этой версии crmit: восстановите более новой версией")]
    UnknownSchema(String),
    #[error("строка файла не разобрана: {0:?}")]
    BadLine(String),
    #[error("в таблице {table} после загрузки {found} строк, в копии {expected}")]
    RowCount {
        table: String,
        expected: u64,
        found: u64,
    },
}

/// What a backup holds, from its header and row-count lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contents {
    /// The newest migration applied when it was taken.
    pub schema: String,
    /// When it was taken, `YYYY-MM-DD HH:MM:SS` UTC.
    pub taken: String,
    /// Every table with its number of rows, in file order.
    pub tables: Vec<(String, u64)>,
}

impl Contents {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }
}

/// Writes the backup of the connection's database to `out`; `progress` hears each table's name
/// and rows as they are written.
pub fn write(
    conn: &mut Conn,
    out: &mut impl Write,
    taken: chrono::NaiveDateTime,
    progress: &mut dyn FnMut(&str, u64),
) -> Result<Contents, BackupError> {
    conn.query_drop("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")?;
    conn.query_drop("START TRANSACTION WITH CONSISTENT SNAPSHOT")?;
    let result = write_snapshot(conn, out, taken, progress);
    conn.query_drop("ROLLBACK")?;
    result
}

fn write_snapshot(
    conn: &mut Conn,
    out: &mut impl Write,
    taken: chrono::NaiveDateTime,
    progress: &mut dyn FnMut(&str, u64),
) -> Result<Contents, BackupError> {
    let tables: Vec<String> = conn.query(
        "SELECT table_name FROM information_schema.tables
         WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name",
    )?;
    if !tables.iter().any(|t| t == "crmit_migrations") {
        return Err(BackupError::NotMigrated);
    }
    let schema: String = conn
        .query_first("SELECT MAX(id) FROM crmit_migrations")?
        .ok_or(BackupError::NotMigrated)?;
    let taken = taken.format("%Y-%m-%d %H:%M:%S").to_string();
    writeln!(out, "{HEADER}; schema {schema}; taken {taken} UTC")?;
    out.write_all(PREAMBLE.as_bytes())?;
    let mut contents = Contents {
        schema,
        taken,
        tables: Vec::new(),
    };
    for table in tables {
        let name = quote_name(&table);
        let (_, create): (String, String) = conn
            .query_first(format!("SHOW CREATE TABLE {name}"))?
            .ok_or_else(|| BackupError::BadLine(table.clone()))?;
        write!(out, "\n{create};\n")?;
        let rows = write_rows(conn, out, &name)?;
        writeln!(out, "{ROWS}{table} {rows}")?;
        progress(&table, rows);
        contents.tables.push((table, rows));
    }
    writeln!(out, "\nSET FOREIGN_KEY_CHECKS = 1;\nSET UNIQUE_CHECKS = 1;")?;
    writeln!(
        out,
        "{END}: {} tables, {} rows",
        contents.tables.len(),
        contents.rows()
    )?;
    Ok(contents)
}

/// `INSERT` statements of every row of the table, a few hundred kilobytes each.
fn write_rows(conn: &mut Conn, out: &mut impl Write, name: &str) -> Result<u64, BackupError> {
    let mut result = conn.query_iter(format!("SELECT * FROM {name}"))?;
    let columns = result.columns();
    let kinds: Vec<Kind> = columns.as_ref().iter().map(Kind::of).collect();
    let mut statement = Vec::with_capacity(STATEMENT_BYTES + 4096);
    let mut rows = 0;
    for row in result.by_ref() {
        let values = row?.unwrap();
        if statement.is_empty() {
            write!(statement, "INSERT INTO {name} VALUES\n(")?;
        } else {
            statement.extend_from_slice(b",\n(");
        }
        for (i, (value, kind)) in values.iter().zip(&kinds).enumerate() {
            if i > 0 {
                statement.push(b',');
            }
            literal(&mut statement, value, *kind);
        }
        statement.push(b')');
        rows += 1;
        if statement.len() >= STATEMENT_BYTES {
            statement.extend_from_slice(b";\n");
            out.write_all(&statement)?;
            statement.clear();
        }
    }
    if !statement.is_empty() {
        statement.extend_from_slice(b";\n");
        out.write_all(&statement)?;
    }
    Ok(rows)
}

/// How a column's values are written.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// Digits as the server sent them.
    Number,
    /// Binary strings and bits: a hex literal, exact whatever the bytes.
    Binary,
    /// Text, dates and times: a quoted string.
    Text,
}

impl Kind {
    fn of(column: &Column) -> Kind {
        use ColumnType::*;
        match column.column_type() {
            MYSQL_TYPE_TINY
            | MYSQL_TYPE_SHORT
            | MYSQL_TYPE_LONG
            | MYSQL_TYPE_INT24
            | MYSQL_TYPE_LONGLONG
            | MYSQL_TYPE_DECIMAL
            | MYSQL_TYPE_NEWDECIMAL
            | MYSQL_TYPE_FLOAT
            | MYSQL_TYPE_DOUBLE
            | MYSQL_TYPE_YEAR => Kind::Number,
            MYSQL_TYPE_BIT => Kind::Binary,
            MYSQL_TYPE_VARCHAR
            | MYSQL_TYPE_VAR_STRING
            | MYSQL_TYPE_STRING
            | MYSQL_TYPE_TINY_BLOB
            | MYSQL_TYPE_MEDIUM_BLOB
            | MYSQL_TYPE_LONG_BLOB
            | MYSQL_TYPE_BLOB
                if column.character_set() == BINARY_CHARSET =>
            {
                Kind::Binary
            }
            _ => Kind::Text,
        }
    }
}

/// Appends the SQL literal of a value the text protocol returned.
fn literal(out: &mut Vec<u8>, value: &Value, kind: Kind) {
    let bytes = match value {
        Value::NULL => return out.extend_from_slice(b"NULL"),
        Value::Bytes(b) => b.as_slice(),
        // The text protocol gives every value as bytes; anything else is written as the
        // server would print it.
        other => return out.extend_from_slice(other.as_sql(false).as_bytes()),
    };
    match kind {
        Kind::Number => out.extend_from_slice(bytes),
        Kind::Binary if bytes.is_empty() => out.extend_from_slice(b"''"),
        Kind::Binary => {
            out.extend_from_slice(b"0x");
            out.extend_from_slice(hex::encode(bytes).as_bytes());
        }
        Kind::Text => {
            out.push(b'\'');
            for &b in bytes {
                match b {
                    0 => out.extend_from_slice(b"\\0"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    0x1a => out.extend_from_slice(b"\\Z"),
                    b'\\' | b'\'' => out.extend_from_slice(&[b'\\', b]),
                    _ => out.push(b),
                }
            }
            out.push(b'\'');
        }
    }
}

/// A table name as an identifier (names come from the server's own catalogue).
fn quote_name(table: &str) -> String {
    format!("`{}`", table.replace('`', "``"))
}

/// Reads a whole backup without changing anything: the header, every row-count line and the end
/// line must be there (and the reader's own checks, such as gzip's checksum, must pass).
pub fn verify(input: impl BufRead) -> Result<Contents, BackupError> {
    let mut lines = input.split(b'\n');
    let first = lines.next().transpose()?.unwrap_or_default();
    let first = String::from_utf8_lossy(&first).into_owned();
    let mut contents = parse_header(&first)?;
    let mut ended = false;
    // A file cut short may end inside a row-count line: the missing end says more than that
    // half line, so a bad line is reported only once the file is known to be whole.
    let mut bad_line = None;
    for line in lines {
        let line = line?;
        ended = line.starts_with(END.as_bytes());
        if let Some(rest) = line.strip_prefix(ROWS.as_bytes()) {
            let rest = String::from_utf8_lossy(rest);
            match rest
                .rsplit_once(' ')
                .and_then(|(t, n)| Some((t.to_string(), n.parse().ok()?)))
            {
                Some(table) => contents.tables.push(table),
                None => {
                    bad_line.get_or_insert_with(|| rest.to_string());
                }
            }
        }
    }
    if !ended {
        return Err(BackupError::Truncated);
    }
    if let Some(line) = bad_line {
        return Err(BackupError::BadLine(line));
    }
    if !migrate::is_known(&contents.schema) {
        return Err(BackupError::UnknownSchema(contents.schema));
    }
    Ok(contents)
}

fn parse_header(line: &str) -> Result<Contents, BackupError> {
    let not_ours = || BackupError::NotABackup(line.chars().take(80).collect());
    let rest = line.strip_prefix(HEADER).ok_or_else(not_ours)?;
    let mut schema = None;
    let mut taken = None;
    for part in rest.split(';').map(str::trim) {
        if let Some(s) = part.strip_prefix("schema ") {
            schema = Some(s.to_string());
        } else if let Some(t) = part.strip_prefix("taken ") {
            taken = Some(t.trim_end_matches(" UTC").to_string());
        }
    }
    Ok(Contents {
        schema: schema.ok_or_else(not_ours)?,
        taken: taken.ok_or_else(not_ours)?,
        tables: Vec::new(),
    })
}

/// Runs every statement of a backup (already verified) on the connection, then checks that each
/// table holds the rows the backup says it wrote.
pub fn load(conn: &mut Conn, input: impl BufRead, contents: &Contents) -> Result<(), BackupError> {
    let mut statement = Statement::default();
    for line in input.split(b'\n') {
        let line = line?;
        if statement.is_empty() && (line.starts_with(b"--") || line.is_empty()) {
            continue;
        }
        if statement.push_line(&line) {
            conn.query_drop(String::from_utf8_lossy(&statement.text))?;
            statement = Statement::default();
        }
    }
    if !statement.is_empty() {
        return Err(BackupError::Truncated);
    }
    for (table, expected) in &contents.tables {
        let found: u64 = conn
            .query_first(format!("SELECT COUNT(*) FROM {}", quote_name(table)))?
            .unwrap_or(0);
        if found != *expected {
            return Err(BackupError::RowCount {
                table: table.clone(),
                expected: *expected,
                found,
            });
        }
    }
    Ok(())
}

/// One statement being read line by line: it ends at a `;` at the end of a line outside any
/// quoted string or name.
#[derive(Default)]
struct Statement {
    text: Vec<u8>,
    /// The quote character of the string or name the text is inside, if any.
    open_quote: Option<u8>,
    escaped: bool,
}

impl Statement {
    fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Adds a line; true when it completes the statement.
    fn push_line(&mut self, line: &[u8]) -> bool {
        if !self.text.is_empty() {
            self.text.push(b'\n');
        }
        for &b in line {
            match self.open_quote {
                Some(_) if self.escaped => self.escaped = false,
                Some(q) if b == b'\\' && q != b'`' => self.escaped = true,
                Some(q) if b == q => self.open_quote = None,
                Some(_) => {}
                None if matches!(b, b'\'' | b'"' | b'`') => self.open_quote = Some(b),
                None => {}
            }
        }
        self.text.extend_from_slice(line);
        self.open_quote.is_none() && line.ends_with(b";")
    }
}

/// Drops every table of the connection's database: a failed restore leaves it empty again.
pub fn drop_all_tables(conn: &mut Conn) -> Result<(), BackupError> {
    let tables: Vec<String> = conn.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()",
    )?;
    conn.query_drop("SET FOREIGN_KEY_CHECKS = 0")?;
    for table in &tables {
        conn.query_drop(format!("DROP TABLE IF EXISTS {}", quote_name(table)))?;
    }
    conn.query_drop("SET FOREIGN_KEY_CHECKS = 1")?;
    Ok(())
}

/// How many tables the connection's database has (a restore needs none).
pub fn table_count(conn: &mut Conn) -> Result<u64, BackupError> {
    Ok(conn
        .query_first(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()",
        )?
        .unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &[u8], kind: Kind) -> String {
        let mut out = Vec::new();
        literal(&mut out, &Value::Bytes(value.to_vec()), kind);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn literals_escape_what_the_server_would_misread() {
        assert_eq!(text(b"O'Neil \\ x", Kind::Text), r"'O\'Neil \\ x'");
        assert_eq!(text(b"a\nb\r\0\x1a", Kind::Text), r"'a\nb\r\0\Z'");
        assert_eq!(text("Щука 🐟".as_bytes(), Kind::Text), "'Щука 🐟'");
        assert_eq!(text(b"-12", Kind::Number), "-12");
        assert_eq!(text(b"\x00\xff", Kind::Binary), "0x00ff");
        assert_eq!(text(b"", Kind::Binary), "''");
        let mut out = Vec::new();
        literal(&mut out, &Value::NULL, Kind::Text);
        assert_eq!(out, b"NULL");
    }

    #[test]
    fn a_statement_ends_at_a_semicolon_outside_quotes() {
        let mut s = Statement::default();
        assert!(!s.push_line(b"INSERT INTO `a;` VALUES ('x;"));
        assert!(!s.push_line(br"y\';"));
        assert!(s.push_line(b"');"));
        assert_eq!(s.text, b"INSERT INTO `a;` VALUES ('x;\ny\\';\n');");
        let mut s = Statement::default();
        assert!(s.push_line(b"SET NAMES utf8mb4;"));
    }

    #[test]
    fn header_names_schema_and_time() {
        let c = parse_header("-- crmit backup 1; schema 0009_x; taken 2026-12-06 01:02:03 UTC")
            .unwrap();
        assert_eq!(
            (c.schema.as_str(), c.taken.as_str()),
            ("0009_x", "2026-12-06 01:02:03")
        );
        assert!(matches!(
            parse_header("-- MariaDB dump"),
            Err(BackupError::NotABackup(_))
        ));
    }
}
