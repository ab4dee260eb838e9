//! `crmit serve`: the development server.

use super::CmdResult;
use crate::config::Config;
use crate::http::{Request, Response, dev_server};
use std::sync::OnceLock;

#[derive(clap::Args)]
pub struct Args {
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1:1918")]
    listen: String,
}

static CONFIG: OnceLock<Config> = OnceLock::new();

fn handle(req: Request) -> Response {
    let config = CONFIG.get().expect("set before serving");
    crate::app::handle(config, crate::routes::ROUTES, req)
}

pub fn run(config: Config, args: Args) -> CmdResult {
    config.check_secrets().map_err(|e| e.to_string())?;
    let max_body = config.site.max_body_bytes;
    let _ = CONFIG.set(config);
    dev_server::serve(&args.listen, handle, max_body)
        .map_err(|e| format!("{}: {e}", args.listen).into())
}
