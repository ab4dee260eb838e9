//! Schema migrations: our own forward-only chain in `sql/`, recorded in `crmit_migrations`.
//!
//! A live database of the original application (Alembic at `2c04d7e752c7`) is adopted in place: the
//! baseline is recorded without running it, because the database already has exactly that schema,
//! and only the later, purely additive migrations run. No existing row is touched.
//!
//! MySQL commits implicitly around every DDL statement, so a migration cannot be one transaction.
//! Instead each statement is written to be harmless when repeated, the runner tolerates the "already
//! there" errors of additive DDL, and a migration is recorded only after all its statements ran: a
//! run interrupted half-way is finished by the next one.

use mysql::Conn;
use mysql::prelude::Queryable;

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error(transparent)]
    Db(#[from] mysql::Error),
    #[error("{0}")]
    Refused(String),
}

pub struct MigrationState {
    pub id: &'static str,
    pub description: &'static str,
    pub applied_at: Option<chrono::NaiveDateTime>,
}

pub struct MigrateReport {
    pub adopted: bool,
    pub applied: Vec<&'static str>,
}

struct Migration {
    id: &'static str,
    description: &'static str,
    sql: &'static str,
}

/// Every migration in the order it must run. Ids are stored in `crmit_migrations`: never rename one.
const MIGRATIONS: &[Migration] = &[
    Migration {
        id: "0001_baseline",
        description: "исходная схема crmit (Alembic 2c04d7e752c7)",
        sql: include_str!("../../sql/0001_baseline.sql"),
    },
    Migration {
        id: "0002_page_visits",
        description: "таблица page_visits: статистика посещений",
        sql: include_str!("../../sql/0002_page_visits.sql"),
    },
    Migration {
        id: "0003_access_token_hash_index",
        description: "индекс access_tokens.token_hash",
        sql: include_str!("../../sql/0003_access_token_hash_index.sql"),
    },
    Migration {
        id: "0004_login_throttle",
        description: "таблица login_throttle: ограничение неудачных входов",
        sql: include_str!("../../sql/0004_login_throttle.sql"),
    },
    Migration {
        id: "0005_payments_unconfirmed_index",
        description: "индекс неподтверждённых платежей",
        sql: include_str!("../../sql/0005_payments_unconfirmed_index.sql"),
    },
    Migration {
        id: "0006_students_list_index",
        description: "индекс порядка списка учеников",
        sql: include_str!("../../sql/0006_students_list_index.sql"),
    },
    Migration {
        id: "0007_unread_messages_index",
        description: "индекс непрочитанных сообщений",
        sql: include_str!("../../sql/0007_unread_messages_index.sql"),
    },
    Migration {
        id: "0008_lessons_teacher_date_index",
        description: "индекс занятий по преподавателю и дате",
        sql: include_str!("../../sql/0008_lessons_teacher_date_index.sql"),
    },
    Migration {
        id: "0009_parents_list_index",
        description: "индекс порядка списка родителей",
        sql: include_str!("../../sql/0009_parents_list_index.sql"),
    },
    Migration {
        id: "0010_payments_debts_index",
        description: "индекс payments для отчётов об оплате и долгах",
        sql: include_str!("../../sql/0010_payments_debts_index.sql"),
    },
    Migration {
        id: "0011_change_log",
        description: "таблица change_log: журнал изменений оплаты, посещений, групп и учётных записей",
        sql: include_str!("../../sql/0011_change_log.sql"),
    },
    Migration {
        id: "0012_attendings_marks_index",
        description: "индекс отметок посещений для сводки",
        sql: include_str!("../../sql/0012_attendings_marks_index.sql"),
    },
    Migration {
        id: "0013_debts_cache",
        description: "таблица debts_cache: долги, сохранённые между запросами",
        sql: include_str!("../../sql/0013_debts_cache.sql"),
    },
    Migration {
        id: "0014_web_sessions",
        description: "таблица web_sessions: сеансы входа на сайт, которые можно завершить",
        sql: include_str!("../../sql/0014_web_sessions.sql"),
    },
    Migration {
        id: "0015_students_fio_index",
        description: "индекс учеников по ФИО для списков всех учеников",
        sql: include_str!("../../sql/0015_students_fio_index.sql"),
    },
    Migration {
        id: "0016_attendings_dump_index",
        description: "индекс отметок посещений с учениками для выгрузки и таблиц",
        sql: include_str!("../../sql/0016_attendings_dump_index.sql"),
    },
    Migration {
        id: "0017_payments_month_index",
        description: "индекс оплат по месяцу с суммой для сводки",
        sql: include_str!("../../sql/0017_payments_month_index.sql"),
    },
    Migration {
        id: "0018_messages_owner_index",
        description: "индекс сообщений владельца для счётчика непрочитанных диалогов",
        sql: include_str!("../../sql/0018_messages_owner_index.sql"),
    },
    Migration {
        id: "0019_students_search_index",
        description: "индекс учеников в порядке списка для поиска по ФИО и логину",
        sql: include_str!("../../sql/0019_students_search_index.sql"),
    },
    Migration {
        id: "0020_unconfirmed_sums_cache",
        description: "строка debts_cache для неподтверждённых сумм групп",
        sql: include_str!("../../sql/0020_unconfirmed_sums_cache.sql"),
    },
    Migration {
        id: "0021_lessons_held_cache",
        description: "строка debts_cache для числа занятий преподавателей",
        sql: include_str!("../../sql/0021_lessons_held_cache.sql"),
    },
    Migration {
        id: "0022_attendings_student_marks_index",
        description: "индекс отметок по ученику и состоянию для числа посещённых занятий",
        sql: include_str!("../../sql/0022_attendings_student_marks_index.sql"),
    },
    Migration {
        id: "0023_attendance_marks_cache",
        description: "строка debts_cache для отметок посещаемости по дням за год",
        sql: include_str!("../../sql/0023_attendance_marks_cache.sql"),
    },
    Migration {
        id: "0024_month_money_cache",
        description: "строки debts_cache для денег месяца и поступлений по месяцам в обзоре",
        sql: include_str!("../../sql/0024_month_money_cache.sql"),
    },
];

/// The Alembic head of the original; only a database at exactly this revision can be adopted.
const ALEMBIC_HEAD: &str = "2c04d7e752c7";

/// The original's 26 tables at that revision (`alembic_version` aside), all of which an adopted
/// database must have.
const ORIGINAL_TABLES: &[&str] = &[
    "access_tokens",
    "attendings",
    "bots",
    "candidates",
    "citizenships",
    "day_preferences",
    "developers",
    "groups",
    "lessons",
    "masters",
    "message_details",
    "messages",
    "notifications",
    "parent_of_students",
    "parents",
    "payments",
    "schedule_groups",
    "schedule_times",
    "schools",
    "section_preferences",
    "sections",
    "student_in_groups",
    "students",
    "system_roles",
    "system_users",
    "teachers",
];

/// MySQL errors that mean an additive statement already took effect in an interrupted earlier run:
/// table exists, duplicate column, duplicate key name.
const ALREADY_DONE: &[u16] = &[1050, 1060, 1061];

const CREATE_MIGRATIONS_TABLE: &str = "CREATE TABLE IF NOT EXISTS `crmit_migrations` (
  `id` varchar(64) NOT NULL,
  `description` varchar(255) NOT NULL,
  `applied_at` datetime NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";

/// The id of the newest migration of this binary.
pub fn newest() -> &'static str {
    MIGRATIONS.last().expect("at least the baseline").id
}

/// Whether `id` names a migration of this binary (a backup's schema version, say).
pub fn is_known(id: &str) -> bool {
    MIGRATIONS.iter().any(|m| m.id == id)
}

/// Every known migration with the time it was applied (UTC), or None while pending.
pub fn status(conn: &mut Conn) -> Result<Vec<MigrationState>, MigrateError> {
    let recorded = if table_exists(conn, "crmit_migrations")? {
        recorded(conn)?
    } else {
        Vec::new()
    };
    Ok(MIGRATIONS
        .iter()
        .map(|m| MigrationState {
            id: m.id,
            description: m.description,
            applied_at: recorded
                .iter()
                .find(|(id, _)| id == m.id)
                .map(|(_, at)| *at),
        })
        .collect())
}

/// Brings the database to the newest schema, adopting an original crmit database first if needed.
pub fn migrate(conn: &mut Conn) -> Result<MigrateReport, MigrateError> {
    if conn
        .query_first::<Option<String>, _>("SELECT DATABASE()")?
        .flatten()
        .is_none()
    {
        return Err(MigrateError::Refused(
            "в адресе базы данных не указано имя базы".into(),
        ));
    }
    // Two `crmit migrate` started at once would interleave their DDL; the second one waits instead.
    // The name is hashed because MySQL 8 limits lock names to 64 characters.
    let locked: Option<Option<i64>> =
        conn.query_first("SELECT GET_LOCK(CONCAT('crmit_migrate_', MD5(DATABASE())), 60)")?;
    if locked.flatten() != Some(1) {
        return Err(MigrateError::Refused(
            "миграцию этой базы уже выполняет другой процесс".into(),
        ));
    }
    let result = migrate_locked(conn);
    let _ = conn.query_drop("DO RELEASE_LOCK(CONCAT('crmit_migrate_', MD5(DATABASE())))");
    result
}

fn migrate_locked(conn: &mut Conn) -> Result<MigrateReport, MigrateError> {
    check_alembic_revision(conn)?;
    let mut adopted = false;
    if !table_exists(conn, "crmit_migrations")? {
        if table_exists(conn, "alembic_version")? {
            check_original_tables(conn)?;
            conn.query_drop(CREATE_MIGRATIONS_TABLE)?;
            let baseline = &MIGRATIONS[0];
            record(
                conn,
                baseline.id,
                &format!("принята существующая база Alembic {ALEMBIC_HEAD}"),
            )?;
            adopted = true;
        } else {
            let tables: Vec<String> = conn.query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name",
            )?;
            if !tables.is_empty() {
                return Err(MigrateError::Refused(format!(
                    "база данных не пуста, но в ней нет ни alembic_version, ни crmit_migrations (таблицы: {}); \
                     укажите пустую базу или базу исходного crmit",
                    abbreviated(&tables)
                )));
            }
            // Created before the baseline so that an interrupted first run is resumed, not refused.
            conn.query_drop(CREATE_MIGRATIONS_TABLE)?;
        }
    }

    let recorded = recorded(conn)?;
    if let Some((unknown, _)) = recorded
        .iter()
        .find(|(id, _)| !MIGRATIONS.iter().any(|m| m.id == id))
    {
        return Err(MigrateError::Refused(format!(
            "в базе записана миграция {unknown}, неизвестная этой версии crmit: база новее программы, обновите crmit"
        )));
    }
    let mut applied = Vec::new();
    for m in MIGRATIONS {
        if recorded.iter().any(|(id, _)| id == m.id) {
            continue;
        }
        for statement in statements(m.sql) {
            match conn.query_drop(statement) {
                Err(mysql::Error::MySqlError(e)) if ALREADY_DONE.contains(&e.code) => {}
                other => other?,
            }
        }
        record(conn, m.id, m.description)?;
        applied.push(m.id);
    }
    Ok(MigrateReport { adopted, applied })
}

/// Refuses a database that the original application left at any revision other than its head:
/// our baseline describes only that one schema.
fn check_alembic_revision(conn: &mut Conn) -> Result<(), MigrateError> {
    if !table_exists(conn, "alembic_version")? {
        return Ok(());
    }
    let revisions: Vec<String> = conn.query("SELECT version_num FROM `alembic_version`")?;
    match revisions.as_slice() {
        [rev] if rev == ALEMBIC_HEAD => Ok(()),
        // A fresh run interrupted between creating alembic_version and filling it; 0001 fills it.
        [] if table_exists(conn, "crmit_migrations")? => Ok(()),
        [] => Err(MigrateError::Refused(format!(
            "таблица alembic_version пуста: сначала обновите исходный crmit до ревизии {ALEMBIC_HEAD} (flask db upgrade)"
        ))),
        found => Err(MigrateError::Refused(format!(
            "в alembic_version ревизия {}, а нужна {ALEMBIC_HEAD}: сначала обновите исходный crmit (flask db upgrade)",
            found.join(", ")
        ))),
    }
}

/// Adoption trusts the Alembic revision but still insists on the tables, so that a stray
/// `alembic_version` in an unrelated database is not mistaken for crmit.
fn check_original_tables(conn: &mut Conn) -> Result<(), MigrateError> {
    let present: Vec<String> = conn.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()",
    )?;
    let missing: Vec<&str> = ORIGINAL_TABLES
        .iter()
        .copied()
        .filter(|t| !present.iter().any(|p| p.eq_ignore_ascii_case(t)))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(MigrateError::Refused(format!(
            "alembic_version = {ALEMBIC_HEAD}, но в базе нет таблиц исходного crmit: {}",
            missing.join(", ")
        )))
    }
}

/// A table list short enough for a one-line message.
fn abbreviated(tables: &[String]) -> String {
    const SHOWN: usize = 10;
    let mut text = tables[..tables.len().min(SHOWN)].join(", ");
    if tables.len() > SHOWN {
        text.push_str(&format!(" и ещё {}", tables.len() - SHOWN));
    }
    text
}

fn table_exists(conn: &mut Conn, table: &str) -> Result<bool, MigrateError> {
    let n: Option<u64> = conn.exec_first(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?",
        (table,),
    )?;
    Ok(n.unwrap_or(0) > 0)
}

fn recorded(conn: &mut Conn) -> Result<Vec<(String, chrono::NaiveDateTime)>, MigrateError> {
    let rows: Vec<(String, String)> = conn
        .query("SELECT id, DATE_FORMAT(applied_at, '%Y-%m-%d %H:%i:%s') FROM `crmit_migrations`")?;
    rows.into_iter()
        .map(|(id, at)| {
            let at =
                chrono::NaiveDateTime::parse_from_str(&at, "%Y-%m-%d %H:%M:%S").map_err(|_| {
                    MigrateError::Refused(format!(
                        "в crmit_migrations у {id} неверное время применения: {at}"
                    ))
                })?;
            Ok((id, at))
        })
        .collect()
}

fn record(conn: &mut Conn, id: &str, description: &str) -> Result<(), MigrateError> {
    conn.exec_drop(
        "INSERT INTO `crmit_migrations` (id, description, applied_at) VALUES (?, ?, UTC_TIMESTAMP())",
        (id, description),
    )?;
    Ok(())
}

/// Splits a migration file into statements. Our files keep to a simple shape that makes this safe
/// without an SQL parser: comments are whole lines starting with `--`, and a statement ends with a
/// `;` at the end of a line, the only place a `;` appears.
fn statements(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in sql.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with("--") {
            continue;
        }
        current.push_str(line);
        current.push('\n');
        if trimmed.ends_with(';') {
            let statement = current.trim().trim_end_matches(';').to_string();
            out.push(statement);
            current.clear();
        }
    }
    assert!(
        current.trim().is_empty(),
        "unterminated statement in a migration file: {current}"
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The splitter's assumptions hold for every embedded file: no stray `;`, nothing left over.
    #[test]
    fn every_migration_splits_into_clean_statements() {
        for m in MIGRATIONS {
            let parts = statements(m.sql);
            assert!(!parts.is_empty(), "{} has no statements", m.id);
            for s in &parts {
                assert!(!s.contains(';'), "{}: stray semicolon in {s}", m.id);
            }
        }
        assert_eq!(
            statements(MIGRATIONS[0].sql).len(),
            28,
            "26 tables + alembic_version + its row"
        );
    }

    #[test]
    fn ids_are_unique_and_ordered() {
        let ids: Vec<&str> = MIGRATIONS.iter().map(|m| m.id).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(ids, sorted);
        assert!(ids.iter().all(|id| id.len() <= 64));
    }
}
