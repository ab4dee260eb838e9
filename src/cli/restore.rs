//! `crmit restore PATH`: loads a backup of `crmit backup` into the configured database. It
//! refuses a database that has tables, reads the whole file first (gzip intact, our header and end
//! lines, a schema this binary knows) before it changes anything, and checks every table's row
//! count after loading. Any failure once loading has begun drops what was loaded, so the database
//! is empty again.

use super::CmdResult;
use crate::config::Config;
use crate::db::backup::{self, BackupError, Contents};
use flate2::read::MultiGzDecoder;
use std::io::BufReader;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// The backup file (`.sql.gz`) to load
    path: PathBuf,
}

pub fn run(config: &Config, args: Args) -> CmdResult {
    let path = args.path.as_path();
    let contents = backup::verify(reader(path)?)
        .map_err(|e| format!("{} не восстановлен: {e}", path.display()))?;
    let mut conn = super::connect(config)?;
    let tables = backup::table_count(&mut conn).map_err(|e| e.to_string())?;
    if tables > 0 {
        return Err(format!(
            "база данных не пуста (таблиц: {tables}): восстановление возможно только в пустую базу"
        )
        .into());
    }
    if let Err(e) = load(&mut conn, path, &contents) {
        let cleanup = backup::drop_all_tables(&mut conn)
            .map(|()| "база снова пуста".to_string())
            .unwrap_or_else(|c| format!("очистить базу не удалось: {c}"));
        return Err(format!("{} не восстановлен: {e}; {cleanup}", path.display()).into());
    }
    println!(
        "восстановлено из {}: {} таблиц, {} строк (копия от {} UTC, схема {})",
        path.display(),
        contents.tables.len(),
        contents.rows(),
        contents.taken,
        contents.schema
    );
    if crate::db::migrate::newest() != contents.schema {
        println!("схема старше этой версии crmit: выполните crmit migrate");
    }
    Ok(())
}

fn load(conn: &mut mysql::Conn, path: &Path, contents: &Contents) -> Result<(), BackupError> {
    let input = reader(path).map_err(|e| std::io::Error::other(e.to_string()))?;
    backup::load(conn, input, contents)
}

fn reader(path: &Path) -> Result<BufReader<MultiGzDecoder<std::fs::File>>, String> {
    let file = std::fs::File::open(path)
        .map_err(|e| format!("не удалось открыть {}: {e}", path.display()))?;
    Ok(BufReader::with_capacity(1 << 16, MultiGzDecoder::new(file)))
}
