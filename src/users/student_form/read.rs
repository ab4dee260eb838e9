//! Reading the submitted student form: each field into its type, with the errors of the field's
//! own rules (required, length, format, a value from the list, a free login). The rules across
//! fields come after, in `validate`.

use super::choices::{ContactPhone, ParentSelect};
use super::fields::{
    ACTUAL_ADDRESS, ADDITIONAL_INFO, BIRTH_DATE, BIRTH_PLACE, CITIZENSHIP, CONTACT_PHONE, FATHER,
    FIRST_NAME, GRADE, KNOWN_FROM, LAST_NAME, MOTHER, P_ADDRESS, P_EMAIL, P_FIO, P_HOME_PHONE,
    P_PASSPORT, P_PHONE, P_TYPES, P_VK, PHONE, REGISTRATION_PLACE, SCHOOL, SECOND_NAME, SHIFT,
    Side,
};
use crate::app::AppError;
use crate::app::forms::{
    FormView, check_choice, check_phone, check_required, check_text, optional_text,
};
use crate::http::Form;
use crate::structure::parent_form::{ContactFields, with_contacts};
use crate::structure::store::parents::Parent;
use crate::users::account_form::{self, ENABLED};
use crate::users::{store, translit};
use chrono::NaiveDate;

/// The account part: generated for a new student, typed in on edit.
pub struct AccountPart {
    pub login: String,
    pub fio: String,
}

/// What a parent select asks for, with the typed-in parent for «создать нового».
pub enum Choice {
    Nobody,
    Existing(u32),
    New(Parent),
}

/// The form as read; `None` where a field was refused (its error is on the form).
pub struct Draft {
    pub account: Option<AccountPart>,
    pub enabled: bool,
    pub birth_date: Option<NaiveDate>,
    pub birth_place: String,
    pub registration_place: String,
    pub actual_address: String,
    pub additional_info: Option<String>,
    pub known_from: Option<String>,
    pub citizenship_id: Option<u32>,
    pub school_id: Option<u32>,
    pub grade: String,
    pub shift: String,
    pub phone: Option<String>,
    pub contact: Option<ContactPhone>,
    pub mother: Option<Choice>,
    pub father: Option<Choice>,
}

/// Reads every field, in the order of the form. `user_id` is the edited student's account
/// (`None` for a new student, whose login is generated from the name).
pub fn read(
    db: &mut mysql::Conn,
    form: &mut FormView,
    submitted: &Form,
    user_id: Option<u32>,
    today: NaiveDate,
) -> Result<Draft, AppError> {
    let account = match user_id {
        None => check_names(db, form, submitted)?.map(|(fio, login)| AccountPart { login, fio }),
        Some(user_id) => {
            let login = account_form::check_login(db, form, submitted, user_id)?;
            let fio = account_form::check_fio(form, submitted);
            login
                .zip(fio)
                .map(|(login, fio)| AccountPart { login, fio })
        }
    };
    let birth_date = check_birth_date(form, submitted, today);
    let birth_place = check_text(form, submitted, BIRTH_PLACE, 1, 255);
    let registration_place = check_text(form, submitted, REGISTRATION_PLACE, 1, 255);
    let actual_address = check_text(form, submitted, ACTUAL_ADDRESS, 1, 255);
    let additional_info = optional_text(form, submitted, ADDITIONAL_INFO, 255);
    let known_from = optional_text(form, submitted, KNOWN_FROM, 255);
    let citizenship_id = chosen(form, submitted, CITIZENSHIP);
    let school_id = check_school(form, submitted);
    let grade = check_text(form, submitted, GRADE, 1, 31);
    let shift = check_text(form, submitted, SHIFT, 1, 31);
    let phone = Some(submitted.str(PHONE).trim())
        .filter(|p| !p.is_empty())
        .map(|p| check_phone(form, PHONE, p, false));
    let contact = chosen(form, submitted, CONTACT_PHONE);
    let mother = read_side(form, submitted, &MOTHER);
    let father = read_side(form, submitted, &FATHER);
    Ok(Draft {
        account,
        enabled: submitted.flag(ENABLED),
        birth_date,
        birth_place,
        registration_place,
        actual_address,
        additional_info,
        known_from,
        citizenship_id,
        school_id,
        grade,
        shift,
        phone,
        contact,
        mother,
        father,
    })
}

/// A select's value, when it is one of its options.
fn chosen<T: std::str::FromStr>(form: &mut FormView, submitted: &Form, name: &str) -> Option<T> {
    let raw = submitted.str(name).trim();
    check_choice(form, name, raw)
        .then(|| raw.parse().ok())
        .flatten()
}

/// «фамилия имя отчество» and the login generated from them (see `translit`), or `None` after
/// errors.
pub fn check_names(
    db: &mut mysql::Conn,
    form: &mut FormView,
    submitted: &Form,
) -> Result<Option<(String, String)>, AppError> {
    let last = check_text(form, submitted, LAST_NAME, 1, 60);
    let first = check_text(form, submitted, FIRST_NAME, 1, 60);
    let second = check_text(form, submitted, SECOND_NAME, 0, 60);
    if [LAST_NAME, FIRST_NAME, SECOND_NAME]
        .iter()
        .any(|n| !form.field_mut(n).errors.is_empty())
    {
        return Ok(None);
    }
    let fio = format!("{last} {first} {second}").trim().to_string();
    let base = translit::base_login(&last, &first, &second);
    let login = translit::first_free(&base, |l| store::login_taken(db, l, 0))?;
    Ok(Some((fio, login)))
}

/// The birth date: required, a real date from 1900 to today.
pub fn check_birth_date(
    form: &mut FormView,
    submitted: &Form,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let raw = submitted.str(BIRTH_DATE).trim();
    check_required(form, BIRTH_DATE, raw);
    if raw.is_empty() {
        return None;
    }
    let earliest = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a valid date");
    match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        Ok(date) if (earliest..=today).contains(&date) => Some(date),
        Ok(_) => {
            form.error(
                BIRTH_DATE,
                "дата рождения должна быть не раньше 1900 года и не позже сегодняшнего дня",
            );
            None
        }
        Err(_) => {
            form.error(BIRTH_DATE, "Неверная дата: нужен формат ГГГГ-ММ-ДД.");
            None
        }
    }
}

/// The school select: an existing school, «школа не выбрана!» otherwise.
pub fn check_school(form: &mut FormView, submitted: &Form) -> Option<u32> {
    let raw = submitted.str(SCHOOL).trim();
    if raw.parse::<i64>().map_or(true, |v| v <= 0) {
        form.error(SCHOOL, "школа не выбрана!");
        return None;
    }
    check_choice(form, SCHOOL, raw)
        .then(|| raw.parse().ok())
        .flatten()
}

/// The select of `side` and, for «создать нового», its new-parent block (both FIO and phone
/// needed).
fn read_side(form: &mut FormView, submitted: &Form, side: &Side) -> Option<Choice> {
    match chosen(form, submitted, side.select)? {
        ParentSelect::Nobody => return Some(Choice::Nobody),
        ParentSelect::Existing(id) => return Some(Choice::Existing(id)),
        ParentSelect::New => {}
    }
    let n = &side.names;
    let fio = check_text(form, submitted, n[P_FIO], 0, 255);
    let phone = check_phone(form, n[P_PHONE], submitted.str(n[P_PHONE]), true);
    if fio.is_empty() || phone.is_empty() {
        form.error(side.select, side.fill_in);
    }
    let fields = ContactFields {
        email: n[P_EMAIL],
        passport: n[P_PASSPORT],
        address: n[P_ADDRESS],
        home_phone: n[P_HOME_PHONE],
        vk: n[P_VK],
        types: n[P_TYPES],
    };
    Some(Choice::New(with_contacts(
        form, submitted, &fields, fio, phone,
    )))
}
