//! `crmit install-static DIR`.

use super::CmdResult;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The document root; files go to DIR/static/
    dir: PathBuf,
}

pub fn run(args: Args) -> CmdResult {
    let n = crate::app::assets::install(&args.dir)
        .map_err(|e| format!("{}: {e}", args.dir.display()))?;
    println!(
        "записано файлов: {n} в {}",
        args.dir.join("static").display()
    );
    Ok(())
}
