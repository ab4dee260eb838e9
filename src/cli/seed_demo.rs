//! `crmit seed-demo --size small|large`: a realistic demo data set on an empty migrated
//! database, on top of the stub models with their demo passwords (ma1, te1, dev1: `12`; st1:
//! `31082002`). Only those accounts can log in: the generated users get a unique password
//! marker that no password verifies. The data is deterministic for a size and a day (`--today`),
//! and loads in one transaction with multi-row inserts and the unique/foreign key checks off
//! (every key is unique and every reference exists by construction).

use super::demo::{self, Base, Size, Stub, TABLES, Table};
use super::{CliError, CmdResult, seed_stub_models};
use crate::auth::Role;
use crate::config::Config;
use crate::db;
use crate::db::kept;
use chrono::{Datelike, NaiveDate};
use mysql::prelude::Queryable;
use mysql::{Conn, Value};
use std::collections::HashMap;
use std::io::Write;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// small ≈ 150 students; large ≈ 3000 students, 15000 lessons, 150000 attendance marks
    #[arg(long, value_enum)]
    size: Size,
    /// The day the data is as of, YYYY-MM-DD (default: today, UTC); the same day gives the same data
    #[arg(long)]
    today: Option<NaiveDate>,
}

/// Rows per INSERT statement.
const BATCH: usize = 1000;

pub fn run(config: &Config, args: Args) -> CmdResult {
    let today = args
        .today
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    if !(2018..=2041).contains(&today.year()) {
        return Err("--today: день должен быть в 2018–2041 годах".into());
    }
    let mut conn = super::connect(config)?;
    let users: u64 = conn
        .query_first("SELECT COUNT(*) FROM system_users")?
        .unwrap_or(0);
    if users > 0 {
        return Err(format!(
            "в базе уже есть пользователи ({users}): демо-данные загружаются только в пустую базу"
        )
        .into());
    }
    let started = Instant::now();
    conn.query_drop("SET unique_checks = 0, foreign_key_checks = 0")?;
    let loaded = db::in_transaction(&mut conn, |conn| {
        let loaded = load(conn, args.size, today)?;
        kept::changed(conn)?;
        Ok::<_, CliError>(loaded)
    });
    conn.query_drop("SET unique_checks = 1, foreign_key_checks = 1")?;
    eprintln!(); // ends the progress line
    let (passwords, counts) = loaded?;
    // After a bulk load InnoDB's index statistics lag behind the data until its background
    // recalculation, and the optimizer picks worse plans: right after loading `large`,
    // /users/students took 28 ms instead of 17.
    let tables: Vec<String> = TABLES.iter().map(|(t, _)| format!("`{t}`")).collect();
    conn.query_drop(format!("ANALYZE TABLE {}", tables.join(", ")))?;
    println!(
        "демо-данные загружены за {:.1} с (на {today}):",
        started.elapsed().as_secs_f64()
    );
    for (table, rows) in counts {
        println!("  {table:<19} {rows}");
    }
    println!("вход (остальные пользователи демо-данных войти не могут):");
    for (login, password) in passwords {
        println!("  {login:<13} {password}");
    }
    Ok(())
}

type Loaded = (Vec<(&'static str, String)>, Vec<(&'static str, usize)>);

fn load(conn: &mut Conn, size: Size, today: NaiveDate) -> Result<Loaded, CliError> {
    let passwords = seed_stub_models::seed(conn, true)?;
    let base = base(conn)?;
    let data = demo::generate(size, today, &base);
    for (slot, time) in &data.slot_times {
        conn.exec_drop(
            "UPDATE schedule_times SET time = ? WHERE id = ?",
            (time, slot),
        )?;
    }
    let mut progress = Progress {
        total: data.tables.iter().map(|t| t.rows.len()).sum(),
        done: 0,
    };
    for table in &data.tables {
        insert(conn, table, &mut progress)?;
    }
    let counts = data.tables.iter().map(|t| (t.name, t.rows.len())).collect();
    Ok((passwords, counts))
}

/// Reads what the stub seed created.
fn base(conn: &mut Conn) -> Result<Base, CliError> {
    let mut first_ids = HashMap::new();
    for (name, _) in TABLES {
        let next: u64 = conn
            .query_first(format!("SELECT COALESCE(MAX(id), 0) + 1 FROM `{name}`"))?
            .unwrap_or(1);
        first_ids.insert(name, next);
    }
    let mut role_ids = HashMap::new();
    for role in Role::ALL {
        let id: Option<u64> = conn.exec_first(
            "SELECT id FROM system_roles WHERE name = ?",
            (role.db_name(),),
        )?;
        role_ids.insert(role.db_name(), id.ok_or("нет системной роли")?);
    }
    let russia: Option<u64> =
        conn.query_first("SELECT id FROM citizenships WHERE name = 'Россия'")?;
    Ok(Base {
        first_ids,
        role_ids,
        russia: russia.ok_or("нет гражданства «Россия»")?,
        slots: conn.query("SELECT id FROM schedule_times ORDER BY id")?,
        master: stub(conn, Role::Master, "ma1")?,
        teacher: stub(conn, Role::Teacher, "te1")?,
        student: stub(conn, Role::Student, "st1")?,
        logins: conn.query("SELECT login FROM system_users")?,
    })
}

fn stub(conn: &mut Conn, role: Role, login: &str) -> Result<Stub, CliError> {
    let row: Option<(u64, u64, String)> = conn.exec_first(
        format!(
            "SELECT d.id, u.id, d.fio FROM {} d JOIN system_users u ON u.id = d.system_user_id
             WHERE u.login = ?",
            role.details_table()
        ),
        (login,),
    )?;
    let (id, user, fio) = row.ok_or_else(|| format!("нет заглушки {login}"))?;
    Ok(Stub { id, user, fio })
}

/// The share of rows loaded so far, as one line on stderr that rewrites itself.
struct Progress {
    total: usize,
    done: usize,
}

impl Progress {
    fn advance(&mut self, table: &str, rows: usize) {
        self.done += rows;
        eprint!(
            "\rseed-demo: {:>3}% ({}/{}) {table:<20}",
            self.done * 100 / self.total.max(1),
            self.done,
            self.total
        );
        let _ = std::io::stderr().flush();
    }
}

/// The table's rows in statements of `BATCH` rows, every value a parameter.
fn insert(conn: &mut Conn, table: &Table, progress: &mut Progress) -> mysql::Result<()> {
    let columns: Vec<String> = table.columns.iter().map(|c| format!("`{c}`")).collect();
    let row = format!("({})", vec!["?"; table.columns.len()].join(", "));
    for chunk in table.rows.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO `{}` ({}) VALUES {}",
            table.name,
            columns.join(", "),
            vec![row.as_str(); chunk.len()].join(", ")
        );
        let params: Vec<Value> = chunk.iter().flatten().cloned().collect();
        conn.exec_drop(sql, params)?;
        progress.advance(table.name, chunk.len());
    }
    Ok(())
}
