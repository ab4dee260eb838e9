//! crmit: the CRM of a children's technical-creativity centre, as one binary that Apache runs as
//! CGI, plus the administrator's commands. The code lives in this library so that the fuzz targets
//! (`tests/fuzz/`) can reach the parsers; `src/main.rs` only calls [`run`]. The modules stay private:
//! the binary is the product, and unused code still warns.

mod api;
mod app;
mod auth;
mod cli;
mod config;
mod db;
mod dev;
#[doc(hidden)]
pub mod fuzzing;
mod home;
mod http;
mod ids;
mod lessons;
mod mail;
mod messages;
mod month;
mod notifications;
mod payments;
mod routes;
mod schedule;
mod stats;
mod structure;
mod student;
mod time;
mod users;

/// The binary: CGI when a server started it so, FastCGI when handed a listening socket, else the
/// command line.
pub fn run() -> std::process::ExitCode {
    if http::cgi::is_cgi() && std::env::args().len() == 1 {
        cli::cgi::run();
        return std::process::ExitCode::SUCCESS;
    }
    if std::env::args().len() == 1 && http::fastcgi::stdin_is_listening_socket() {
        cli::fastcgi::run_detected();
        return std::process::ExitCode::SUCCESS;
    }
    cli::run()
}
