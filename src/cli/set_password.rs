//! `crmit set-password LOGIN`: for the administrator who lost every master login.

use super::CmdResult;
use crate::config::Config;
use crate::db::change_log::{self, Actor, Via};
use crate::{auth, db, users};
use std::io::BufRead;

#[derive(clap::Args)]
pub struct Args {
    login: String,
    /// Read the password from the first line of standard input instead of prompting
    #[arg(long)]
    password_stdin: bool,
}

pub fn run(config: &Config, args: Args) -> CmdResult {
    if !args.password_stdin {
        eprint!("новый пароль для {} (ввод виден на экране): ", args.login);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    let password = line.trim_end_matches(['\r', '\n']);
    if password.is_empty() || password.chars().count() > 255 {
        return Err("пароль должен быть длиной от 1 до 255 символов".into());
    }
    let mut conn = super::connect(config)?;
    db::in_transaction(&mut conn, |conn| -> CmdResult {
        let account = auth::user::account_by_login(conn, &args.login)?
            .ok_or_else(|| format!("пользователь {} не найден", args.login))?;
        users::store::set_password(conn, account.id, &auth::password::hash(password), false)?;
        users::store::delete_access_tokens(conn, account.id)?;
        let shell = Actor {
            user_id: None,
            login: "командная строка".into(),
            via: Via::Shell,
        };
        let entry =
            users::store::account_change(account.id, None, &account.login, "—", "пароль изменён");
        change_log::record(conn, &shell, crate::time::now_utc(), &[entry])?;
        Ok(())
    })?;
    println!(
        "пароль пользователя {} изменён; его сессии в приложении завершены",
        args.login
    );
    Ok(())
}
