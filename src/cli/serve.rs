//! `crmit serve`: the development server.

use super::CmdResult;
use crate::config::Config;
use crate::http::{ReadError, Request, Response, dev_server};
use std::sync::OnceLock;

#[derive(clap::Args)]
pub struct Args {
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1:1918")]
    listen: String,
}

static CONFIG: OnceLock<Result<Config, String>> = OnceLock::new();

/// A request answered as CGI answers it (`cli::cgi::answer`), security headers included.
fn handle(req: Result<Request, ReadError>, path_info: &str) -> Response {
    let config = CONFIG.get().expect("set before serving");
    super::cgi::answer(config, |_| req, path_info, &mut None)
}

pub fn run(config: Config, args: Args) -> CmdResult {
    config.check_secrets().map_err(|e| e.to_string())?;
    let max_body = config.site.max_body_bytes;
    let _ = CONFIG.set(Ok(config));
    dev_server::serve(&args.listen, handle, max_body)
        .map_err(|e| format!("{}: {e}", args.listen).into())
}
