//! Writing a validated student: the account, the profile, the parents typed in as new, and the
//! links to mother and father.

use super::read::Choice;
use super::validate::Student;
use crate::app::AppError;
use crate::app::forms::FormView;
use crate::auth::{Role, password};
use crate::db::change_log::Change;
use crate::ids::StudentId;
use crate::structure::store::parents as parent_store;
use crate::users::account_form;
use crate::users::store::students::{self, Profile};
use crate::users::store::{self, parents};
use chrono::{NaiveDate, NaiveDateTime};
use mysql::Conn;

/// A stored student being edited.
pub struct Stored {
    pub id: u32,
    pub user_id: u32,
    pub profile: Profile,
}

/// The default password of a student: the birth date as DDMMYYYY.
pub fn default_password(birth_date: NaiveDate) -> String {
    birth_date.format("%d%m%Y").to_string()
}

/// Creates the student (`old` None) or saves his changes. Returns the FIOs of the parents created
/// on the way, or `None` when another request took the login meanwhile (the error is on the
/// form, nothing is written). The account's changes go into `log`.
pub fn write(
    db: &mut Conn,
    now: NaiveDateTime,
    form: &mut FormView,
    student: Student,
    old: Option<&Stored>,
    log: &mut Vec<Change>,
) -> Result<Option<Vec<String>>, AppError> {
    let Student {
        account,
        enabled,
        profile,
        mother,
        father,
    } = student;
    let student_id = match old {
        None => {
            let hash = password::hash(&default_password(profile.birth_date));
            let written =
                store::insert_system_user(db, Role::Student, &account.login, &hash, enabled, now);
            let Some(user_id) = account_form::saved(form, written)? else {
                return Ok(None);
            };
            let id = students::insert(db, user_id, &profile)?;
            let created = store::created_word(enabled);
            log.push(store::account_change(
                user_id,
                Some(StudentId(id)),
                &account.login,
                "—",
                &created,
            ));
            id
        }
        Some(old) => {
            let was = crate::auth::user::account_by_id(db, old.user_id)?.map(|a| a.enabled);
            let written = store::update_login_enabled(db, old.user_id, &account.login, enabled);
            if account_form::saved(form, written)?.is_none() {
                return Ok(None);
            }
            let student = Some(StudentId(old.id));
            if let Some(was) = was.filter(|&was| was != enabled) {
                let (was, now) = (store::enabled_word(was), store::enabled_word(enabled));
                log.push(store::account_change(
                    old.user_id,
                    student,
                    &account.login,
                    was,
                    now,
                ));
            }
            if rederive_password(db, old.user_id, old.profile.birth_date, profile.birth_date)? {
                let reset = "пароль по умолчанию по новой дате рождения, нужен повторный вход";
                log.push(store::account_change(
                    old.user_id,
                    student,
                    &account.login,
                    "—",
                    reset,
                ));
            }
            students::update(db, old.id, &profile)?;
            old.id
        }
    };
    let mut created = Vec::new();
    let mut ids = [None, None];
    for (slot, choice) in ids.iter_mut().zip([mother, father]) {
        *slot = match choice {
            Choice::Nobody => None,
            Choice::Existing(id) => Some(id),
            Choice::New(p) => {
                let id = parent_store::insert(db, &p)?;
                created.push(p.fio);
                Some(id)
            }
        };
    }
    parents::link(db, student_id, ids[0], ids[1])?;
    Ok(Some(created))
}

/// A password that is still the default of the old birth date follows a changed birth date, and
/// the student must log in again with it (`force_ask_to_login`). Any other password stays.
/// True when the password was changed.
fn rederive_password(
    db: &mut Conn,
    user_id: u32,
    old_date: NaiveDate,
    new_date: NaiveDate,
) -> Result<bool, AppError> {
    if old_date == new_date {
        return Ok(false);
    }
    let account = crate::auth::user::account_by_id(db, user_id)?.ok_or(AppError::NotFound)?;
    if !password::verify(&account.password_hash, &default_password(old_date)) {
        return Ok(false);
    }
    let hash = password::hash(&default_password(new_date));
    store::set_password(db, user_id, &hash, true)?;
    Ok(true)
}
