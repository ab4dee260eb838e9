//! The command line: a declarative list of subcommands, one file each.

mod archive;
mod backup;
pub mod cgi;
mod check_integrity;
mod demo;
mod dump;
pub mod fastcgi;
mod init_config;
mod install_static;
mod migrate;
mod restore;
mod routes;
mod seed_demo;
mod seed_stub_models;
mod serve;
mod set_password;

use crate::config::Config;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "crmit",
    version,
    about = "CRM ЦМИТ: CGI-программа и команды администратора"
)]
struct Cli {
    /// Config file (default: $CRMIT_CONFIG, else crmit.toml beside the binary)
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the site over HTTP for development (the same handler as CGI)
    Serve(serve::Args),
    /// Serve as a FastCGI application (mod_fcgid starts it by itself; --listen for testing)
    Fastcgi(fastcgi::Args),
    /// Create or upgrade the database schema (adopts an existing crmit database in place)
    Migrate(migrate::Args),
    /// Create the original's stub entities on an empty database (roles, ma1, te1, st1, dev1, …)
    SeedStubModels(seed_stub_models::Args),
    /// Load a deterministic demo data set into an empty database (stub accounts included)
    SeedDemo(seed_demo::Args),
    /// Write a new crmit.toml with fresh random secrets
    InitConfig(init_config::Args),
    /// Set a user's password from the shell (prompt or --password-stdin)
    SetPassword(set_password::Args),
    /// Write the CSS/JS files into DIR/static/ so that Apache serves them directly
    InstallStatic(install_static::Args),
    /// Run every integrity check; prints the problems and exits 1 when there are any
    CheckIntegrity(check_integrity::Args),
    /// Write the JSON dump into [dump] dir and keep the newest [dump] keep files (for cron)
    Dump(dump::Args),
    /// Back up the whole database into [backup] dir (or --out) as SQL in gzip (for cron)
    Backup(backup::Args),
    /// Load a backup of `crmit backup` into the configured, empty database
    Restore(restore::Args),
    /// Print the route table (METHOD PATTERN ACCESS persists|-) for the robustness tests
    #[command(hide = true)]
    Routes(routes::Args),
}

/// A command's failure: one line for the administrator, and a non-zero exit.
#[derive(Debug)]
pub struct CliError(String);

impl From<String> for CliError {
    fn from(s: String) -> Self {
        CliError(s)
    }
}

impl From<&str> for CliError {
    fn from(s: &str) -> Self {
        CliError(s.to_string())
    }
}

impl From<mysql::Error> for CliError {
    fn from(e: mysql::Error) -> Self {
        CliError(format!("ошибка базы данных: {e}"))
    }
}

pub type CmdResult = Result<(), CliError>;

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let path = Config::locate(cli.config.as_deref());
    let result = match cli.command {
        Command::InitConfig(args) => init_config::run(&path, args),
        Command::InstallStatic(args) => install_static::run(args),
        Command::Routes(args) => routes::run(args),
        command => match Config::load(&path) {
            Err(e) => Err(CliError(e.to_string())),
            Ok(config) => match command {
                Command::Serve(args) => serve::run(config, args),
                Command::Fastcgi(args) => fastcgi::run(config, args),
                Command::Migrate(args) => migrate::run(&config, args),
                Command::SeedStubModels(args) => seed_stub_models::run(&config, args),
                Command::SeedDemo(args) => seed_demo::run(&config, args),
                Command::SetPassword(args) => set_password::run(&config, args),
                Command::CheckIntegrity(args) => check_integrity::run(&config, args),
                Command::Dump(args) => dump::run(&config, args),
                Command::Backup(args) => backup::run(&config, args),
                Command::Restore(args) => restore::run(&config, args),
                Command::InitConfig(_) | Command::InstallStatic(_) | Command::Routes(_) => {
                    unreachable!("handled above")
                }
            },
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError(message)) => {
            eprintln!("crmit: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Connects for a command, with the error as one line.
fn connect(config: &Config) -> Result<mysql::Conn, String> {
    crate::db::connect(config).map_err(|e| format!("не удалось подключиться к базе данных: {e}"))
}
