//! Masters, teachers, bots and developers: the accounts that are a login, a
//! name and (for teachers) a phone. One description per role drives the lists, forms and deletes.

use crate::app::AppError;
use crate::app::list::{self, Direction, ListQuery, Sort};
use crate::auth::{CurrentUser, Role};
use crate::db::{LikePage, col, placeholders};
use crate::users::store::people::{self, Person, PersonSort};
use chrono::NaiveDateTime;
use mysql::Conn;
use mysql::prelude::Queryable;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Serialize)]
pub struct Staff {
    #[serde(skip)]
    pub role: Role,
    /// `masters`: the URL word of the list (`/users/masters`).
    pub plural: &'static str,
    /// `master`: the URL word of the forms (`/users/register/master`, `/users/master/<id>`,
    /// `/users/delete_master/<id>`).
    pub singular: &'static str,
    pub title: &'static str,
    pub add_label: &'static str,
    /// «руководителя»: the form headings' class name.
    pub genitive: &'static str,
    /// «руководитель»: the flashes' noun.
    pub noun: &'static str,
    pub create_label: &'static str,
    /// Search box on the list (bots and developers have none).
    pub searchable: bool,
}

pub trait Which {
    const STAFF: Staff;
}

pub struct Masters;
pub struct Teachers;
pub struct Bots;
pub struct Developers;

impl Which for Masters {
    const STAFF: Staff = Staff {
        role: Role::Master,
        plural: "masters",
        singular: "master",
        title: "руководители",
        add_label: "добавить руководителя",
        genitive: "руководителя",
        noun: "руководитель",
        create_label: "создать руководителя",
        searchable: true,
    };
}

impl Which for Teachers {
    const STAFF: Staff = Staff {
        role: Role::Teacher,
        plural: "teachers",
        singular: "teacher",
        title: "преподаватели",
        add_label: "добавить преподавателя",
        genitive: "преподавателя",
        noun: "преподаватель",
        create_label: "создать преподавателя",
        searchable: true,
    };
}

impl Which for Bots {
    const STAFF: Staff = Staff {
        role: Role::Bot,
        plural: "bots",
        singular: "bot",
        title: "боты",
        add_label: "добавить бота",
        genitive: "бота",
        noun: "бот",
        create_label: "создать бота",
        searchable: false,
    };
}

impl Which for Developers {
    const STAFF: Staff = Staff {
        role: Role::Developer,
        plural: "developers",
        singular: "developer",
        title: "разработчики",
        add_label: "добавить разработчика",
        genitive: "разработчика",
        noun: "разработчик",
        create_label: "создать разработчика",
        searchable: false,
    };
}

impl Staff {
    pub fn table(&self) -> &'static str {
        self.role.details_table()
    }

    pub fn list_path(&self) -> String {
        format!("/users/{}", self.plural)
    }

    pub fn is_teacher(&self) -> bool {
        self.role == Role::Teacher
    }
}

#[derive(Debug, Serialize)]
pub struct Row {
    #[serde(flatten)]
    pub person: Person,
    /// Teachers only: the phone, their groups and whether they can be deleted.
    pub phone: String,
    pub groups: Vec<GroupLink>,
    /// Why the delete button is disabled; `None` when it works.
    pub blocked: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct GroupLink {
    pub name: String,
    /// `search=<name>` for the groups list.
    pub search: String,
}

/// One page of the role's list in the chosen order (by name without one), and the number of
/// matching rows.
pub fn page(
    db: &mut Conn,
    staff: &Staff,
    q: &ListQuery,
    me: &CurrentUser,
    now: NaiveDateTime,
) -> Result<(Vec<Row>, u64), AppError> {
    let table = staff.table();
    let total = list::count_matching(db, &format!("{table} x"), "x.fio", q)?;
    let (limit, offset) = q.limit();
    let found = q.words_in("x.fio");
    let order = people::order_by(q.sort().unwrap_or(Sort {
        key: PersonSort::Fio,
        direction: Direction::Asc,
    }));
    let found: Vec<mysql::Row> = db.exec(
        format!(
            "SELECT {} FROM {table} x {} WHERE {} ORDER BY {order} LIMIT ? OFFSET ?",
            people::COLUMNS,
            people::JOIN,
            found.sql,
        ),
        found.params_then([limit.into(), offset.into()]),
    )?;
    let persons: Vec<Person> = found
        .into_iter()
        .map(|mut row| Person::from_row(&mut row, me.id, now))
        .collect();
    let mut teachers = match staff.is_teacher() {
        true => teacher_parts(db, &persons)?,
        false => HashMap::new(),
    };
    let rows = persons
        .into_iter()
        .map(|person| {
            let parts = teachers.remove(&person.id).unwrap_or_default();
            Row {
                person,
                phone: parts.phone,
                groups: parts.groups,
                blocked: parts.blocked,
            }
        })
        .collect();
    Ok((rows, total))
}

/// The columns of a teachers list's row that only teachers have.
#[derive(Default)]
struct TeacherParts {
    phone: String,
    /// Newest start first.
    groups: Vec<GroupLink>,
    /// Why the teacher cannot be removed, if he cannot.
    blocked: Option<&'static str>,
}

/// The [`TeacherParts`] of a page by teacher id, with two queries for the whole page.
fn teacher_parts(
    db: &mut Conn,
    persons: &[Person],
) -> Result<HashMap<u32, TeacherParts>, AppError> {
    let mut parts = HashMap::new();
    if persons.is_empty() {
        return Ok(parts);
    }
    let ids: Vec<u32> = persons.iter().map(|p| p.id).collect();
    let in_list = placeholders(ids.len());
    let found: Vec<(u32, Option<String>, bool, bool)> = db.exec(
        format!(
            "SELECT t.id, t.phone, EXISTS(SELECT 1 FROM `groups` g WHERE g.teacher_id = t.id),
                EXISTS(SELECT 1 FROM lessons l WHERE l.teacher_id = t.id)
             FROM teachers t WHERE t.id IN ({in_list})"
        ),
        ids.clone(),
    )?;
    for (id, phone, groups, lessons) in found {
        parts.insert(
            id,
            TeacherParts {
                phone: phone.unwrap_or_default(),
                groups: Vec::new(),
                blocked: blocker(groups, lessons),
            },
        );
    }
    let names: Vec<(u32, String)> = db.exec(
        format!(
            "SELECT teacher_id, name FROM `groups` WHERE teacher_id IN ({in_list})
             ORDER BY teacher_id, start_month DESC, name"
        ),
        ids,
    )?;
    for (teacher, name) in names {
        if let Some(teacher) = parts.get_mut(&teacher) {
            teacher.groups.push(GroupLink {
                search: people::search_query(&name),
                name,
            });
        }
    }
    Ok(parts)
}

/// A teacher is removable only with no groups and no lessons taught.
pub fn teacher_blocker(db: &mut Conn, teacher_id: u32) -> Result<Option<&'static str>, AppError> {
    let (groups, lessons): (bool, bool) = db
        .exec_first(
            "SELECT EXISTS(SELECT 1 FROM `groups` WHERE teacher_id = ?),
                    EXISTS(SELECT 1 FROM lessons WHERE teacher_id = ?)",
            (teacher_id, teacher_id),
        )?
        .unwrap_or((false, false));
    Ok(blocker(groups, lessons))
}

fn blocker(has_groups: bool, taught: bool) -> Option<&'static str> {
    if has_groups {
        Some("у преподавателя есть группы")
    } else if taught {
        Some("преподаватель вёл занятия")
    } else {
        None
    }
}

/// The account behind a details row, as the edit and delete pages need it.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: u32,
    pub user_id: u32,
    pub login: String,
    pub fio: String,
    pub enabled: bool,
    /// Teachers only.
    pub phone: String,
}

/// The row `id` of the role's table, locked for the rest of the request.
pub fn find(db: &mut Conn, staff: &Staff, id: u32) -> Result<Option<Account>, AppError> {
    let phone = match staff.is_teacher() {
        true => "x.phone",
        false => "''",
    };
    let row: Option<(u32, u32, String, String, bool, String)> = db.exec_first(
        format!(
            "SELECT x.id, su.id, su.login, x.fio, su.enabled, {phone} FROM {} x {}
             WHERE x.id = ? FOR UPDATE",
            staff.table(),
            people::JOIN
        ),
        (id,),
    )?;
    Ok(
        row.map(|(id, user_id, login, fio, enabled, phone)| Account {
            id,
            user_id,
            login,
            fio,
            enabled,
            phone,
        }),
    )
}

/// A new account and its details row; the account's id.
pub fn insert(
    db: &mut Conn,
    staff: &Staff,
    account: &Account,
    password_hash: &str,
    now: NaiveDateTime,
) -> Result<u32, mysql::Error> {
    let user_id = crate::users::store::insert_system_user(
        db,
        staff.role,
        &account.login,
        password_hash,
        account.enabled,
        now,
    )?;
    match staff.is_teacher() {
        true => db.exec_drop(
            "INSERT INTO teachers (fio, system_user_id, phone) VALUES (?, ?, ?)",
            (&account.fio, user_id, &account.phone),
        ),
        false => db.exec_drop(
            format!(
                "INSERT INTO {} (fio, system_user_id) VALUES (?, ?)",
                staff.table()
            ),
            (&account.fio, user_id),
        ),
    }?;
    Ok(user_id)
}

/// Saves the edited login, name, enabled flag and (teachers) phone; the account's id.
pub fn update(db: &mut Conn, staff: &Staff, account: &Account) -> Result<u32, mysql::Error> {
    crate::users::store::update_login_enabled(
        db,
        account.user_id,
        &account.login,
        account.enabled,
    )?;
    match staff.is_teacher() {
        true => db.exec_drop(
            "UPDATE teachers SET fio = ?, phone = ? WHERE id = ?",
            (&account.fio, &account.phone, account.id),
        ),
        false => db.exec_drop(
            format!("UPDATE {} SET fio = ? WHERE id = ?", staff.table()),
            (&account.fio, account.id),
        ),
    }?;
    Ok(account.user_id)
}

/// A staff member as the app shows them; `phone` is empty for every role but teachers.
#[derive(Debug, Clone)]
pub struct AppStaff {
    pub id: u32,
    pub fio: String,
    pub phone: String,
    pub account: people::Account,
}

/// Which staff rows [`app_rows`] reads.
pub enum StaffOf<'a> {
    One(u32),
    /// A page of a search on the name, by name.
    Named(&'a LikePage),
}

/// The rows of the role's details table that `which` picks.
pub fn app_rows(db: &mut Conn, role: Role, which: StaffOf) -> mysql::Result<Vec<AppStaff>> {
    let phone = match role {
        Role::Teacher => "x.phone",
        _ => "''",
    };
    let (filter, params) = match which {
        StaffOf::One(id) => ("x.id = ?".into(), vec![id.into()]),
        StaffOf::Named(page) => page.filter("x.fio", "x.fio, x.id"),
    };
    let rows: Vec<mysql::Row> = db.exec(
        format!(
            "SELECT x.id, x.fio, {phone} AS phone, {} FROM {} x {} WHERE {filter}",
            people::ACCOUNT_COLUMNS,
            role.details_table(),
            people::ACCOUNT_JOIN,
        ),
        params,
    )?;
    rows.into_iter()
        .map(|mut row| {
            Ok(AppStaff {
                id: col(&mut row, "id")?,
                fio: col(&mut row, "fio")?,
                phone: col(&mut row, "phone")?,
                account: people::Account::take(&mut row)?,
            })
        })
        .collect()
}
