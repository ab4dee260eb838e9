//! `crmit seed-stub-models`: the original's stub data for a new installation, only on a database
//! without users.
//! Passwords are random and printed once, unless `--demo-passwords` asks for the original's.

use super::CmdResult;
use crate::auth::{Role, password, random_token};
use crate::config::Config;
use crate::db;
use crate::db::kept;
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
    /// The Werkzeug hash of `demo_password` (260000 rounds, its own salt: `password_hash` is
    /// UNIQUE). Precomputed because the demo seed runs for every test database and in
    /// `scripts/run`, where five fresh hashes cost seconds; the unit test below re-verifies them.
    demo_hash: &'static str,
}

const ACCOUNTS: [Account; 5] = [
    Account {
        login: "dev1",
        demo_hash: "pbkdf2:sha256:260000$2uzWGcV9yJ5uRN9y$2b8ec4908ee160d6bbc97da06252e8553b9e5b1b568d3bbe41e710cd70be306a",
        role: Role::Developer,
        fio: "аккаунт разработчика",
        demo_password: "12",
    },
    Account {
        login: "dump_creator",
        demo_hash: "pbkdf2:sha256:260000$vFBS4gm8mQ6HOrDa$9e1f724208cf4d0b3a43f8f68ec4af0c6c9ab6c6be4b458561b5ef683224afaa",
        role: Role::Bot,
        fio: "создатель дампов",
        demo_password: "12",
    },
    Account {
        login: "ma1",
        demo_hash: "pbkdf2:sha256:260000$pKgSOdu8c0v2pfNr$a76fac87a118552a0983ca65069733aad0ec098481927a2f658e556da9586be2",
        role: Role::Master,
        fio: "Руководитель Иван Иванович",
        demo_password: "12",
    },
    Account {
        login: "te1",
        demo_hash: "pbkdf2:sha256:260000$MEOf55qB0NUn2pvN$71621ee73c50e2023ac63905d5ba28dd6dc2ad76fda8a016459c8608da5c0926",
        role: Role::Teacher,
        fio: "Учитель Петр Петрович",
        demo_password: "12",
    },
    Account {
        login: "st1",
        demo_hash: "pbkdf2:sha256:260000$KcueruxBkIb8vrOw$ab54774b568bcd7d2692bc0cff73099d5dd3361844dfefd65e7ea8356a9faea6",
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
    let passwords = db::in_transaction(&mut conn, |conn| {
        let passwords = seed(conn, args.demo_passwords)?;
        kept::changed(conn)?;
        Ok::<_, mysql::Error>(passwords)
    })?;
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
        let (pass, hash) = if demo {
            (a.demo_password.to_string(), a.demo_hash.to_string())
        } else {
            let pass = random_token(9);
            let hash = password::hash(&pass);
            (pass, hash)
        };
        conn.exec_drop(
            "INSERT INTO system_users (login, password_hash, system_role_id, last_seen, enabled, last_seen_where, force_ask_to_login)
             SELECT ?, ?, id, UTC_TIMESTAMP(), 1, 1, 0 FROM system_roles WHERE name = ?",
            (a.login, hash, a.role.db_name()),
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

#[cfg(test)]
mod tests {
    #[test]
    fn demo_hashes_match_the_demo_passwords() {
        for a in &super::ACCOUNTS {
            assert!(
                a.demo_hash.starts_with("pbkdf2:sha256:260000$"),
                "{}",
                a.login
            );
            assert!(
                super::password::verify(a.demo_hash, a.demo_password),
                "{}",
                a.login
            );
        }
    }
}
