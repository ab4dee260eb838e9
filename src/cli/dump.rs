//! `crmit dump`, for cron: reads the database directly (the original's script fetched the API's
//! dump with a bot token) and writes
//! `<dir>/<YYYY-MM-DD HH:MM:SS>.json` (local time of the configured zone) in the dump format, then
//! keeps only the newest `keep` dumps (`keep = 0` keeps all). `dir` is relative to the config
//! file's directory. With `[dump] mail_to` set, the dump is also mailed as an attachment over the
//! `[mail]` SMTP server; a failed mailing is a failed run.

use super::CmdResult;
use super::archive::{dir_of, file_name, mail_file, rotate, write_atomically};
use crate::config::Config;
use crate::db;
use crate::dev::dump::document;
use crate::mail;
use std::io::Write;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(config: &Config, _args: Args) -> CmdResult {
    let dir = dir_of(config, &config.dump.dir);
    std::fs::create_dir_all(&dir)
        .map_err(|e| format!("не удалось создать каталог {}: {e}", dir.display()))?;
    let now = crate::time::now_utc();
    let mut conn = super::connect(config)?;
    let body = db::in_transaction(&mut conn, |conn| document(conn, now))?;
    let name = file_name(config, now, "json");
    let path = dir.join(&name);
    write_atomically(&path, |file| {
        file.write_all(&body)
            .map_err(|e| format!("не удалось записать {}: {e}", path.display()))
    })?;
    let removed = rotate(&dir, config.dump.keep, "json")?;
    println!("дамп записан: {}", path.display());
    if removed > 0 {
        println!("удалено старых дампов: {removed}");
    }
    if !config.dump.mail_to.is_empty() {
        let subject = format!("дамп crmit {}", name.trim_end_matches(".json"));
        let attachment = mail::Attachment {
            file_name: name,
            content_type: "application/json",
            bytes: body,
        };
        mail_file(
            config,
            &config.dump.mail_to,
            &subject,
            "Дамп базы данных crmit во вложении.",
            attachment,
        )
        .map_err(|e| format!("дамп записан, но не отправлен по почте: {e}"))?;
        println!("дамп отправлен на {}", config.dump.mail_to);
    }
    Ok(())
}
