//! `crmit fastcgi`, also entered automatically when mod_fcgid starts the binary (a listening socket
//! as standard input): a long-lived worker answering one request at a time with the same code as
//! CGI. The config is read and the templates are parsed once per process, and one database
//! connection is kept across requests (re-opened when it has gone away).

use super::CmdResult;
use super::cgi::{answer, load_config};
use crate::config::Config;
use crate::http::{ReadError, Request, Response, fastcgi};
use mysql::Conn;

#[derive(clap::Args)]
pub struct Args {
    /// Listen on this Unix socket path or TCP address instead of the socket passed as stdin
    #[arg(long)]
    listen: Option<String>,
}

/// Started by the web server: the config comes from its usual place (beside the binary, or
/// `CRMIT_CONFIG` in the process environment, e.g. `FcgidInitialEnv`). A broken config is
/// answered with the CGI mode's 500 page on every request, not a crash loop.
pub fn run_detected() {
    if let Err(e) = serve(load_config(), None) {
        eprintln!("crmit: FastCGI: {e}");
    }
}

pub fn run(config: Config, args: Args) -> CmdResult {
    config.check_secrets().map_err(|e| e.to_string())?;
    serve(Ok(config), args.listen.as_deref()).map_err(|e| format!("FastCGI: {e}").into())
}

fn serve(config: Result<Config, String>, listen: Option<&str>) -> std::io::Result<()> {
    let (prefix, max_body) = match &config {
        Ok(c) => (c.site.url_prefix.clone(), c.site.max_body_bytes),
        Err(_) => (String::new(), 0),
    };
    let mut kept: Option<Conn> = None;
    let mut app = |req: Result<Request, ReadError>, path_info: &str| -> Response {
        answer(&config, |_| req, path_info, &mut kept)
    };
    match listen {
        Some(addr) => fastcgi::serve_address(addr, &mut app, &prefix, max_body),
        None => fastcgi::serve_stdin(&mut app, &prefix, max_body),
    }
}
