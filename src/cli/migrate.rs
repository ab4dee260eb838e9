//! `crmit migrate [--status]`.

use super::CmdResult;
use crate::config::Config;
use crate::db::migrate;

#[derive(clap::Args)]
pub struct Args {
    /// Only list the migrations, applied and pending
    #[arg(long)]
    status: bool,
}

pub fn run(config: &Config, args: Args) -> CmdResult {
    let mut conn = super::connect(config)?;
    if args.status {
        for m in migrate::status(&mut conn).map_err(|e| e.to_string())? {
            match m.applied_at {
                Some(at) => println!("applied  {}  {}  ({at})", m.id, m.description),
                None => println!("pending  {}  {}", m.id, m.description),
            }
        }
        return Ok(());
    }
    let report = migrate::migrate(&mut conn).map_err(|e| e.to_string())?;
    if report.adopted {
        println!("существующая база crmit (alembic 2c04d7e752c7) принята без изменения данных");
    }
    if report.applied.is_empty() {
        println!("схема актуальна, применять нечего");
    }
    for id in report.applied {
        println!("применена миграция {id}");
    }
    Ok(())
}
