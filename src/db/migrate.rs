//! PLACEHOLDER — the migrations helper replaces this file. Contract used by `crmit migrate`.
use mysql::Conn;

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

pub fn status(_conn: &mut Conn) -> Result<Vec<MigrationState>, MigrateError> {
    Err(MigrateError::Refused("not implemented".into()))
}

pub fn migrate(_conn: &mut Conn) -> Result<MigrateReport, MigrateError> {
    Err(MigrateError::Refused("not implemented".into()))
}
