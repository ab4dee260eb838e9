//! `crmit dump`, for cron: reads the database directly (the original's script fetched the API's
//! dump with a bot token) and writes
//! `<dir>/<YYYY-MM-DD HH:MM:SS>.json` (local time of the configured zone) in the dump format, then
//! keeps only the newest `keep` dumps (`keep = 0` keeps all). `dir` is relative to the config
//! file's directory. With `[dump] mail_to` set, the dump is also mailed as an attachment over the
//! `[mail]` SMTP server; a failed mailing is a failed run.

use super::CmdResult;
use crate::config::Config;
use crate::db;
use crate::dev::dump::document;
use crate::mail;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {}

/// `strftime` pattern of a dump's file stem; names in this format sort chronologically.
const NAME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

pub fn run(config: &Config, _args: Args) -> CmdResult {
    let dir = dump_dir(config);
    std::fs::create_dir_all(&dir)
        .map_err(|e| format!("не удалось создать каталог {}: {e}", dir.display()))?;
    let now = crate::time::now_utc();
    let mut conn = super::connect(config)?;
    let body = db::in_transaction(&mut conn, |conn| document(conn, now))?;
    let name = format!(
        "{}.json",
        crate::time::local(now, config.zone()).format(NAME_FORMAT)
    );
    let path = dir.join(&name);
    // Written beside and renamed, so a failed run never leaves a truncated dump behind.
    let partial = dir.join(format!(".{name}.part"));
    std::fs::write(&partial, &body)
        .and_then(|()| std::fs::rename(&partial, &path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&partial);
            format!("не удалось записать {}: {e}", path.display())
        })?;
    let removed = rotate(&dir, config.dump.keep)?;
    println!("дамп записан: {}", path.display());
    if removed > 0 {
        println!("удалено старых дампов: {removed}");
    }
    if !config.dump.mail_to.is_empty() {
        mail_dump(config, name, body)?;
        println!("дамп отправлен на {}", config.dump.mail_to);
    }
    Ok(())
}

/// Mails the dump as a JSON attachment to `[dump] mail_to` (addresses separated by commas).
fn mail_dump(config: &Config, file_name: String, bytes: Vec<u8>) -> Result<(), String> {
    let mail_config = config.mail.as_ref().ok_or(
        "в файле настроек задан [dump] mail_to, но нет раздела [mail]: дамп записан, но не отправлен",
    )?;
    let to: Vec<String> = config
        .dump
        .mail_to
        .split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(String::from)
        .collect();
    let subject = format!("дамп crmit {}", file_name.trim_end_matches(".json"));
    let letter = mail::Letter {
        to: &to,
        subject: &subject,
        body: "Дамп базы данных crmit во вложении.",
        attachment: Some(mail::Attachment {
            file_name,
            content_type: "application/json",
            bytes,
        }),
    };
    mail::send(mail_config, letter)
        .map_err(|e| format!("дамп записан, но не отправлен по почте: {e}"))
}

fn dump_dir(config: &Config) -> PathBuf {
    let base = config.path.parent().unwrap_or(Path::new(""));
    base.join(&config.dump.dir)
}

/// Deletes all but the newest `keep` dumps; other files in the directory are never touched.
fn rotate(dir: &Path, keep: usize) -> Result<usize, String> {
    if keep == 0 {
        return Ok(0);
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("не удалось прочитать {}: {e}", dir.display()))?;
    let mut dumps: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(is_dump_name)
        })
        .collect();
    dumps.sort();
    let excess = dumps.len().saturating_sub(keep);
    for old in &dumps[..excess] {
        std::fs::remove_file(old)
            .map_err(|e| format!("не удалось удалить старый дамп {}: {e}", old.display()))?;
    }
    Ok(excess)
}

fn is_dump_name(name: &str) -> bool {
    name.strip_suffix(".json")
        .is_some_and(|stem| chrono::NaiveDateTime::parse_from_str(stem, NAME_FORMAT).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_dump_names_are_rotated() {
        assert!(is_dump_name("2019-07-20 10:00:00.json"));
        for other in [
            "notes.json",
            "2019-07-20 10:00:00.json.part",
            ".2019-07-20 10:00:00.json.part",
            "2019-07-20.json",
        ] {
            assert!(!is_dump_name(other), "{other}");
        }
    }
}
