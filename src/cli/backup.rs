//! `crmit backup [--out PATH]`, for cron: the whole database (every table, schema and rows) in
//! one consistent snapshot, as SQL inside gzip (see `db::backup`). Without `--out` it writes
//! `<[backup] dir>/<YYYY-MM-DD HH:MM:SS>.sql.gz`, keeps the newest `keep` and mails it to
//! `mail_to`. On a terminal it shows which table it is at; it ends with one line of result, or
//! of the reason it failed (and a non-zero exit).

use super::CmdResult;
use super::archive::{dir_of, file_name, mail_file, rotate, write_atomically};
use crate::config::Config;
use crate::db::backup;
use crate::mail;
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;

/// The extension of a backup file.
pub const EXTENSION: &str = "sql.gz";

#[derive(clap::Args)]
pub struct Args {
    /// Write the backup to this file instead of [backup] dir (no rotation, no mail)
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn run(config: &Config, args: Args) -> CmdResult {
    let now = crate::time::now_utc();
    let name = file_name(config, now, EXTENSION);
    let path = match &args.out {
        Some(out) => out.clone(),
        None => {
            let dir = dir_of(config, &config.backup.dir);
            std::fs::create_dir_all(&dir)
                .map_err(|e| format!("не удалось создать каталог {}: {e}", dir.display()))?;
            dir.join(&name)
        }
    };
    let mut conn = super::connect(config)?;
    let on_terminal = std::io::stderr().is_terminal();
    let mut progress = |table: &str, rows: u64| {
        if on_terminal {
            eprint!("\r\x1b[Kрезервная копия: {table} ({rows} строк)");
        }
    };
    let contents = write_atomically(&path, |file| {
        let mut gz = GzEncoder::new(BufWriter::new(file), Compression::default());
        let contents =
            backup::write(&mut conn, &mut gz, now, &mut progress).map_err(|e| e.to_string())?;
        gz.finish()
            .and_then(|mut w| w.flush())
            .map_err(|e| format!("не удалось записать {}: {e}", path.display()))?;
        Ok(contents)
    });
    if on_terminal {
        eprintln!();
    }
    let contents = contents?;
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "резервная копия записана: {} ({} таблиц, {} строк, {:.1} МБ, схема {})",
        path.display(),
        contents.tables.len(),
        contents.rows(),
        size as f64 / 1_048_576.0,
        contents.schema
    );
    if args.out.is_some() {
        return Ok(());
    }
    let removed = rotate(
        path.parent().expect("in the backup dir"),
        config.backup.keep,
        EXTENSION,
    )?;
    if removed > 0 {
        println!("удалено старых резервных копий: {removed}");
    }
    if !config.backup.mail_to.is_empty() {
        let bytes = std::fs::read(&path)
            .map_err(|e| format!("не удалось прочитать {}: {e}", path.display()))?;
        let attachment = mail::Attachment {
            file_name: name.clone(),
            content_type: "application/gzip",
            bytes,
        };
        let subject = format!("резервная копия crmit {}", name.trim_end_matches(".sql.gz"));
        let body = "Резервная копия базы данных crmit во вложении: `crmit restore ФАЙЛ` \
                    восстанавливает её в пустую базу (или `gunzip -c ФАЙЛ | mysql БАЗА`).";
        mail_file(config, &config.backup.mail_to, &subject, body, attachment)
            .map_err(|e| format!("резервная копия записана, но не отправлена по почте: {e}"))?;
        println!("резервная копия отправлена на {}", config.backup.mail_to);
    }
    Ok(())
}
