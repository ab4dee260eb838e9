//! `crmit check-integrity`: every problem of the three integrity reports, one
//! per line; exit status 1 when there is any, so cron or a monitor can notice.

use super::CmdResult;
use crate::config::Config;
use crate::db;
use crate::dev::integrity::Check;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(config: &Config, _args: Args) -> CmdResult {
    let mut conn = super::connect(config)?;
    let problems = db::in_transaction(&mut conn, |conn| -> mysql::Result<Vec<String>> {
        let mut all = Vec::new();
        for check in Check::ALL {
            all.extend(check.run(conn)?);
        }
        Ok(all)
    })?;
    if problems.is_empty() {
        println!("нет проблем");
        return Ok(());
    }
    for problem in &problems {
        println!("{problem}");
    }
    Err(format!("найдено проблем: {}", problems.len()).into())
}
