//! `crmit seed-stub-models`: the original's stub data for a new installation (decisions.md §21).
//! Passwords are random and printed once, unless `--demo-passwords` asks for the original's.

use super::CmdResult;
use crate::auth::{Role, password, random_token};
use crate::config::Config;
use crate::db;
use mysql::Conn;
use mysql::prelude::Queryable;

#[derive(clap::Args)]
pub struct Args {
    /// Use the original's passwords (12; the student 31082002): only for local runs and tests
    #[arg(long)]
    demo_passwords: bool,
}

struct Account {
    login: &'static str,
    role: Role,
    fio: &'static str,
    demo_password: &'static str,
}

const ACCOUNTS: [Account; 5] = [
    Account {
        login: "dev1",
        role: Role::Developer,
        fio: "аккаунт разработчика",
        demo_password: "12",
    },
    Account {
        login: "dump_creator",
        role: Role::Bot,
        fio: "создатель дампов",
        demo_password: "12",
    },
    Account {
        login: "ma1",
        role: Role::Master,
        fio: "Руководитель Иван Иванович",
        demo_password: "12",
    },
    Account {
        login: "te1",
        role: Role::Teacher,
        fio: "Учитель Петр Петрович",
        demo_password: "12",
    },
    Account {
        login: "st1",
        role: Role::Student,
        fio: "Ученик Алексей Алексеевич",
        demo_password: "31082002",
    },
];

pub fn run(config: &Config, args: Args) -> CmdResult {
    let mut conn = super::connect(config)?;
    let users: u64 = conn
        .query_first("SELECT COUNT(*) FROM system_users")?
        .unwrap_or(0);
    if users > 0 {
        println!("в базе уже есть пользователи ({users}): ничего не изменено");
        return Ok(());
    }
    let passwords = db::in_transaction(&mut conn, |conn| seed(conn, args.demo_passwords))?;
    println!(
        "созданы заглушки: роли, гражданства, 20 строк расписания, школа, 2 секции, 2 группы, ученик в группе, платёж"
    );
    println!("логин / пароль (сохраните: пароли больше не будут показаны):");
    for (login, pass) in passwords {
        println!("  {login:<13} {pass}");
    }
    Ok(())
}

/// The stub rows and each account's password; `seed-demo` builds on them.
pub(super) fn seed(
    conn: &mut Conn,
    demo: bool,
) -> Result<Vec<(&'static str, String)>, mysql::Error> {
    for role in Role::ALL {
        conn.exec_drop(
            "INSERT INTO system_roles (name, details_table_name) VALUES (?, ?)",
            (role.db_name(), role.details_table()),
        )?;
    }
    conn.query_drop("INSERT INTO citizenships (name) VALUES ('Россия'), ('Гражданин Мира')")?;
    for _ in 0..20 {
        conn.query_drop("INSERT INTO schedule_times (time) VALUES (NULL)")?;
    }
    let mut passwords = Vec::new();
    let mut details = std::collections::HashMap::new();
    for a in &ACCOUNTS {
        let pass = if demo {
            a.demo_password.to_string()
        } else {
            random_token(9)
        };
        conn.exec_drop(
            "INSERT INTO system_users (login, password_hash, system_role_id, last_seen, enabled, last_seen_where, force_ask_to_login)
             SELECT ?, ?, id, UTC_TIMESTAMP(), 1, 1, 0 FROM system_roles WHERE name = ?",
            (a.login, password::hash(&pass), a.role.db_name()),
        )?;
        let user_id = conn.last_insert_id();
        let details_id = match a.role {
            Role::Teacher => insert(
                conn,
                "INSERT INTO teachers (fio, system_user_id, phone) VALUES (?, ?, '89012223344')",
                (a.fio, user_id),
            )?,
            Role::Student => {
                conn.query_drop("INSERT INTO schools (name) VALUES ('школа №42')")?;
                let school = conn.last_insert_id();
                insert(
                    conn,
                    "INSERT INTO students (fio, birth_date, birth_place, registration_place, actual_address, additional_info,
                       known_from, school_id, citizenship_id, system_user_id, contact_phone, grade, phone, shift, filled)
                     VALUES (?, '2002-08-31', 'birth place', 'reg place', 'act addr', NULL, NULL, ?,
                       (SELECT id FROM citizenships WHERE name = 'Россия'), ?, 1, '1', '89023334455', '1', 1)",
                    (a.fio, school, user_id),
                )?
            }
            role => insert(
                conn,
                &format!(
                    "INSERT INTO {} (fio, system_user_id) VALUES (?, ?)",
                    role.details_table()
                ),
                (a.fio, user_id),
            )?,
        };
        details.insert(a.role.db_name(), details_id);
        passwords.push((a.login, pass));
    }
    let (teacher, student) = (details["преподаватель"], details["ученик"]);
    let robo = insert(
        conn,
        "INSERT INTO sections (name, price) VALUES (?, ?)",
        ("робо", 800),
    )?;
    let web = insert(
        conn,
        "INSERT INTO sections (name, price) VALUES (?, ?)",
        ("веб", 900),
    )?;
    let group = insert(
        conn,
        "INSERT INTO `groups` (name, section_id, teacher_id, start_month, end_month) VALUES (?, ?, ?, 8, 16)",
        ("робо-71", robo, teacher),
    )?;
    insert(
        conn,
        "INSERT INTO `groups` (name, section_id, teacher_id, start_month, end_month) VALUES (?, ?, ?, 8, 16)",
        ("веб-61", web, teacher),
    )?;
    let member = insert(
        conn,
        "INSERT INTO student_in_groups (student_id, group_id, discount, enter_month, exit_month) VALUES (?, ?, 100, 8, 16)",
        (student, group),
    )?;
    conn.exec_drop(
        "INSERT INTO payments (student_in_group_id, month, value, cash, confirmed, comment) VALUES (?, 9, 400, 1, 0, 'comment')",
        (member,),
    )?;
    Ok(passwords)
}

fn insert(
    conn: &mut Conn,
    sql: &str,
    params: impl Into<mysql::Params>,
) -> Result<u64, mysql::Error> {
    conn.exec_drop(sql, params)?;
    Ok(conn.last_insert_id())
}
