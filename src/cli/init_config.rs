//! `crmit init-config`: writes a config with fresh random secrets; never overwrites one silently.

use super::CmdResult;
use crate::config::{Config, Secrets};
use std::path::Path;

#[derive(clap::Args)]
pub struct Args {
    /// mysql://user:password@host/database
    #[arg(long, default_value = "mysql://crmit:PASSWORD@localhost/crmit")]
    database_url: String,
    /// Unix socket of the MySQL server
    #[arg(long)]
    socket: Option<String>,
    /// Replace an existing file (its secrets are lost: sessions and app tokens stop working)
    #[arg(long)]
    force: bool,
}

pub fn run(path: &Path, args: Args) -> CmdResult {
    if path.exists() && !args.force {
        return Err(format!(
            "{} уже существует; секреты в нём сохранены (--force заменит файл)",
            path.display()
        )
        .into());
    }
    let secrets = Secrets {
        secret_key: crate::auth::random_token(32),
        access_token_salt: crate::auth::random_token(16),
    };
    let config = Config::fresh(&args.database_url, args.socket, secrets);
    let text = toml::to_string(&config).map_err(|e| e.to_string())?;
    let header = "# crmit settings. Keep this file beside the binary; upgrades never touch it.\n\
                  # The secrets below sign sessions and app tokens: changing them logs everyone out.\n";
    write_private(path, &format!("{header}{text}"))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    println!("записан {}", path.display());
    Ok(())
}

/// Readable by the owner and the group (Apache's CGI user may need the group), never by others.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o640)
        .open(path)?;
    std::io::Write::write_all(&mut f, text.as_bytes())
}
