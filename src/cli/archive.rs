//! What the cron commands `dump` and `backup` share: a directory beside `crmit.toml` named by
//! time-stamped files, a file written beside and renamed so that a failed or killed run never
//! leaves a truncated file under its final name, the newest `keep` kept, and a copy mailed.

use crate::config::Config;
use crate::mail;
use std::path::{Path, PathBuf};

/// `strftime` pattern of a file stem; names in this format sort chronologically.
pub const NAME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// `dir` of a config section, relative to the config file's directory.
pub fn dir_of(config: &Config, dir: &str) -> PathBuf {
    crate::config::beside(&config.path, dir)
}

/// `<local time>.<extension>`, the name of a file taken at the UTC instant `now`.
pub fn file_name(config: &Config, now: chrono::NaiveDateTime, extension: &str) -> String {
    let local = crate::time::local(now, config.zone());
    format!("{}.{extension}", local.format(NAME_FORMAT))
}

/// Where a file is written before it is complete: hidden, beside its final name.
pub fn partial_path(path: &Path) -> PathBuf {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    path.with_file_name(format!(".{name}.part"))
}

/// Writes a file through `write` into its partial path, makes it durable and renames it to
/// `path`; on failure the partial file is removed and the final name never appears.
pub fn write_atomically<T>(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> Result<T, String>,
) -> Result<T, String> {
    let partial = partial_path(path);
    let outcome = std::fs::File::create(&partial)
        .map_err(|e| format!("не удалось создать {}: {e}", partial.display()))
        .and_then(|mut file| {
            let value = write(&mut file)?;
            file.sync_all()
                .map_err(|e| format!("не удалось записать {}: {e}", partial.display()))?;
            Ok(value)
        })
        .and_then(|value| {
            std::fs::rename(&partial, path)
                .map(|()| value)
                .map_err(|e| format!("не удалось записать {}: {e}", path.display()))
        });
    if outcome.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    outcome
}

/// Deletes all but the newest `keep` files of the directory whose names end in `.<extension>`
/// after a time stamp; other files are never touched. `keep = 0` keeps all.
pub fn rotate(dir: &Path, keep: usize, extension: &str) -> Result<usize, String> {
    if keep == 0 {
        return Ok(0);
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("не удалось прочитать {}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| is_archive_name(n, extension))
        })
        .collect();
    files.sort();
    let excess = files.len().saturating_sub(keep);
    for old in &files[..excess] {
        std::fs::remove_file(old)
            .map_err(|e| format!("не удалось удалить старый файл {}: {e}", old.display()))?;
    }
    Ok(excess)
}

fn is_archive_name(name: &str, extension: &str) -> bool {
    name.strip_suffix(extension)
        .and_then(|stem| stem.strip_suffix('.'))
        .is_some_and(|stem| chrono::NaiveDateTime::parse_from_str(stem, NAME_FORMAT).is_ok())
}

/// Mails a file as an attachment to `mail_to` (addresses separated by commas) over `[mail]`;
/// the error is the reason it did not go.
pub fn mail_file(
    config: &Config,
    mail_to: &str,
    subject: &str,
    body: &str,
    attachment: mail::Attachment,
) -> Result<(), String> {
    let mail_config = config
        .mail
        .as_ref()
        .ok_or("в файле настроек нет раздела [mail]")?;
    let to: Vec<String> = mail_to
        .split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(String::from)
        .collect();
    let letter = mail::Letter {
        to: &to,
        subject,
        body,
        attachment: Some(attachment),
    };
    mail::send(mail_config, letter).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_time_stamped_names_are_rotated() {
        assert!(is_archive_name("2019-07-20 10:00:00.json", "json"));
        assert!(is_archive_name("2019-07-20 10:00:00.sql.gz", "sql.gz"));
        for other in [
            "notes.json",
            "2019-07-20 10:00:00.json.part",
            ".2019-07-20 10:00:00.json.part",
            "2019-07-20.json",
            "2019-07-20 10:00:00.sql.gz",
        ] {
            assert!(!is_archive_name(other, "json"), "{other}");
        }
    }
}
