//! The full student form (M, D, T): `/users/register/student` generates the login
//! and the birth-date password; `/users/student/<id>` edits login and FIO directly and re-derives
//! a password that is still the birth-date default. Mother and father are chosen from the
//! parents or typed in as new ones.

use crate::app::forms::{
    Field, FormView, Kind, check_choice, check_phone, check_required, check_text, optional_text,
};
use crate::app::{AppError, Ctx, Done};
use crate::auth::{Role, password};
use crate::http::{Form, Response};
use crate::structure::parent_form::{ContactFields, with_contacts};
use crate::structure::parents::{self as parent_store, Parent};
use crate::users::account_form::{self, ENABLED};
use crate::users::parents;
use crate::users::students::{self, Profile};
use crate::users::{render_form, store, translit};
use chrono::NaiveDate;

const CLASS: &str = "ученика";
pub const LAST_NAME: &str = "last_name";
pub const FIRST_NAME: &str = "first_name";
pub const SECOND_NAME: &str = "second_name";
pub const BIRTH_DATE: &str = "birth_date";
const BIRTH_PLACE: &str = "birth_place";
const REGISTRATION_PLACE: &str = "registration_place";
const ACTUAL_ADDRESS: &str = "actual_address";
const ADDITIONAL_INFO: &str = "additional_info";
const KNOWN_FROM: &str = "known_from";
const CITIZENSHIP: &str = "citizenship";
pub const SCHOOL: &str = "school";
pub const GRADE: &str = "grade";
pub const SHIFT: &str = "shift";
const PHONE: &str = "phone";
const CONTACT_PHONE: &str = "contact_phone";

/// Values of the mother and father selects besides parent ids.
const NO_PARENT: i64 = -1;
const NEW_PARENT: i64 = -2;
/// The «выберите школу» option.
const NO_SCHOOL: &str = "-1";

/// One side of the parents: its select and its new-parent block.
struct Side {
    select: &'static str,
    select_label: &'static str,
    /// fio, phone, email, passport, address, home phone, VK, notification types.
    names: [&'static str; 8],
    labels: [&'static str; 8],
    fill_in: &'static str,
    passport_taken: &'static str,
    missing: &'static str,
}

const MOTHER: Side = Side {
    select: "mother",
    select_label: "мать (при создании нового заполните поля ниже)",
    names: [
        "m_fio",
        "m_phone",
        "m_email",
        "m_passport",
        "m_address",
        "m_home_phone",
        "m_vk_link",
        "m_notification_types",
    ],
    labels: [
        "новая мать: фио",
        "новая мать: телефон",
        "новая мать: email",
        "новая мать: паспорт",
        "новая мать: адрес",
        "новая мать: домашний телефон",
        "новая мать: ВКонтакте",
        "новая мать: уведомления",
    ],
    fill_in: "заполните поля в \"новый родитель - мать\"!",
    passport_taken: "паспорт матери уже зарегистрирован!",
    missing: "мать не указана!",
};

const FATHER: Side = Side {
    select: "father",
    select_label: "отец (при создании нового заполните поля ниже)",
    names: [
        "f_fio",
        "f_phone",
        "f_email",
        "f_passport",
        "f_address",
        "f_home_phone",
        "f_vk_link",
        "f_notification_types",
    ],
    labels: [
        "новый отец: фио",
        "новый отец: телефон",
        "новый отец: email",
        "новый отец: паспорт",
        "новый отец: адрес",
        "новый отец: домашний телефон",
        "новый отец: ВКонтакте",
        "новый отец: уведомления",
    ],
    fill_in: "заполните поля в \"новый родитель - отец\"!",
    passport_taken: "паспорт отца уже зарегистрирован!",
    missing: "отец не указан!",
};

const P_FIO: usize = 0;
const P_PHONE: usize = 1;
const P_EMAIL: usize = 2;
const P_PASSPORT: usize = 3;
const P_ADDRESS: usize = 4;
const P_HOME_PHONE: usize = 5;
const P_VK: usize = 6;
const P_TYPES: usize = 7;

/// The notification channels with their bits: option value = bit shift (0 e-mail, 1 VK, 2 SMS).
const CHANNELS: [(&str, &str); 3] = [("0", "email"), ("1", "ВКонтакте"), ("2", "sms")];

fn text(name: &'static str, label: &'static str, max: usize) -> Field {
    Field::new(Kind::Text, name, label).max_length(max)
}

fn required_text(name: &'static str, label: &'static str, max: usize) -> Field {
    text(name, label, max)
        .required()
        .attr("required", "required")
}

fn pairs(rows: Vec<(u32, String)>) -> Vec<(String, String)> {
    rows.into_iter()
        .map(|(id, n)| (id.to_string(), n))
        .collect()
}

/// The «фамилия», «имя», «отчество» fields shared with the fast form.
pub fn name_fields() -> Vec<Field> {
    vec![
        required_text(LAST_NAME, "фамилия", 60),
        required_text(FIRST_NAME, "имя", 60),
        text(SECOND_NAME, "отчество", 60),
    ]
}

pub fn birth_date_field() -> Field {
    Field::new(Kind::Date, BIRTH_DATE, "дата рождения")
        .required()
        .attr("required", "required")
}

/// The school select; a new student starts at «выберите школу».
pub fn school_field(db: &mut mysql::Conn, new: bool) -> Result<Field, AppError> {
    let mut options = Vec::new();
    if new {
        options.push((NO_SCHOOL.to_string(), "выберите школу".to_string()));
    }
    options.extend(pairs(students::schools(db)?));
    Ok(Field::new(Kind::Select, SCHOOL, "школа")
        .required()
        .with_options(options))
}

pub fn grade_shift_fields() -> Vec<Field> {
    vec![
        required_text(GRADE, "класс", 31),
        required_text(SHIFT, "смена", 31),
    ]
}

fn view(ctx: &mut Ctx, id: Option<u32>) -> Result<FormView, AppError> {
    let parent_options: Vec<(String, String)> = [
        (NO_PARENT.to_string(), "нет".to_string()),
        (NEW_PARENT.to_string(), "создать нового".to_string()),
    ]
    .into_iter()
    .chain(pairs(parents::choices(&mut ctx.db)?))
    .collect();
    let mut fields = Vec::new();
    match id {
        Some(_) => {
            fields.push(account_form::login_field());
            fields.push(account_form::fio_field("фио"));
            fields.push(account_form::enabled_field());
        }
        None => {
            fields.push(account_form::enabled_field());
            fields.extend(name_fields());
        }
    }
    fields.extend([
        birth_date_field(),
        required_text(BIRTH_PLACE, "место рождения", 255),
        required_text(REGISTRATION_PLACE, "адрес регистрации", 255),
        required_text(ACTUAL_ADDRESS, "фактический адрес проживания", 255),
        Field::new(Kind::Textarea, ADDITIONAL_INFO, "дополнительная информация").max_length(255),
        text(KNOWN_FROM, "откуда узнал(а) о ЦМИТ", 255),
        Field::new(Kind::Select, CITIZENSHIP, "гражданство")
            .required()
            .with_options(pairs(students::citizenships(&mut ctx.db)?)),
        school_field(&mut ctx.db, id.is_none())?,
    ]);
    fields.extend(grade_shift_fields());
    fields.push(
        text(PHONE, "телефон", 11)
            .attr("inputmode", "tel")
            .attr("placeholder", "89012223344"),
    );
    fields.push(
        Field::new(Kind::Select, CONTACT_PHONE, "телефон для связи")
            .required()
            .with_options(
                [
                    ("1", "телефон ученика"),
                    ("2", "телефон матери"),
                    ("3", "телефон отца"),
                ]
                .map(|(v, l)| (v.to_string(), l.to_string()))
                .to_vec(),
            ),
    );
    for side in [&MOTHER, &FATHER] {
        fields.push(
            Field::new(Kind::Select, side.select, side.select_label)
                .with_options(parent_options.clone())
                .filterable(),
        );
    }
    for side in [&MOTHER, &FATHER] {
        let [fio, phone, email, passport, address, home, vk, types] = side.names;
        let [
            l_fio,
            l_phone,
            l_email,
            l_passport,
            l_address,
            l_home,
            l_vk,
            l_types,
        ] = side.labels;
        fields.extend([
            text(fio, l_fio, 255).required(),
            text(phone, l_phone, 11).required().attr("inputmode", "tel"),
            text(email, l_email, 128).attr("inputmode", "email"),
            text(passport, l_passport, 255),
            text(address, l_address, 255),
            text(home, l_home, 32),
            text(vk, l_vk, 64).attr("placeholder", "vk.com/id12345678"),
            Field::new(Kind::Multiselect, types, l_types).with_options(
                std::iter::once(("-1".to_string(), "нет".to_string()))
                    .chain(CHANNELS.map(|(v, l)| (v.to_string(), l.to_string())))
                    .collect(),
            ),
        ]);
    }
    let (action, submit) = match id {
        Some(id) => (format!("/users/student/{id}"), "сохранить"),
        None => ("/users/register/student".to_string(), "создать ученика"),
    };
    let mut form = FormView::new(ctx.url(&action), submit, fields).with_cancel();
    form.field_mut(MOTHER.select).select(&NO_PARENT.to_string());
    form.field_mut(FATHER.select).select(&NO_PARENT.to_string());
    Ok(form)
}

pub fn register_get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let form = view(ctx, None)?;
    render_form(ctx, CLASS, false, form)
}

pub fn edit_get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let id = ctx.params.id("id");
    let (user_id, p) = students::load(&mut ctx.db, id)?.ok_or(AppError::NotFound)?;
    let account =
        crate::auth::user::account_by_id(&mut ctx.db, user_id)?.ok_or(AppError::NotFound)?;
    let (mother, father) = parents::of_student(&mut ctx.db, id)?;
    let mut form = view(ctx, Some(id))?;
    form.field_mut(account_form::LOGIN).value = account.login;
    form.field_mut(account_form::FIO).value = p.fio;
    form.field_mut(ENABLED).checked = account.enabled;
    form.field_mut(BIRTH_DATE).value = p.birth_date.format("%Y-%m-%d").to_string();
    form.field_mut(BIRTH_PLACE).value = p.birth_place;
    form.field_mut(REGISTRATION_PLACE).value = p.registration_place;
    form.field_mut(ACTUAL_ADDRESS).value = p.actual_address;
    form.field_mut(ADDITIONAL_INFO).value = p.additional_info.unwrap_or_default();
    form.field_mut(KNOWN_FROM).value = p.known_from.unwrap_or_default();
    form.field_mut(CITIZENSHIP)
        .select(&p.citizenship_id.to_string());
    form.field_mut(SCHOOL).select(&p.school_id.to_string());
    form.field_mut(GRADE).value = p.grade;
    form.field_mut(SHIFT).value = p.shift;
    form.field_mut(PHONE).value = p.phone.unwrap_or_default();
    form.field_mut(CONTACT_PHONE)
        .select(&p.contact_phone.to_string());
    let id_or_none = |p: Option<u32>| p.map_or(NO_PARENT.to_string(), |id| id.to_string());
    form.field_mut(MOTHER.select).select(&id_or_none(mother));
    form.field_mut(FATHER.select).select(&id_or_none(father));
    render_form(ctx, CLASS, true, form)
}

pub fn register_post(ctx: &mut Ctx) -> Result<Response, AppError> {
    save(ctx, None)
}

pub fn edit_post(ctx: &mut Ctx) -> Result<Response, AppError> {
    let id = ctx.params.id("id");
    let (user_id, old) = students::load(&mut ctx.db, id)?.ok_or(AppError::NotFound)?;
    save(ctx, Some((id, user_id, old)))
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

/// The default password of a student: the birth date as DDMMYYYY.
pub fn default_password(birth_date: NaiveDate) -> String {
    birth_date.format("%d%m%Y").to_string()
}

/// What a parent select asks for.
enum Choice {
    None,
    Existing(u32),
    New(Parent),
}

/// Validates the select of `side` and, for «создать нового», its new-parent block.
fn check_side(
    db: &mut mysql::Conn,
    form: &mut FormView,
    submitted: &Form,
    side: &Side,
) -> Result<Option<Choice>, AppError> {
    let raw = submitted.str(side.select).trim();
    if !check_choice(form, side.select, raw) {
        return Ok(None);
    }
    let value: i64 = raw.parse().unwrap_or(NO_PARENT);
    match value {
        NO_PARENT => return Ok(Some(Choice::None)),
        NEW_PARENT => {}
        id => return Ok(u32::try_from(id).ok().map(Choice::Existing)),
    }
    let n = &side.names;
    let fio = check_text(form, submitted, n[P_FIO], 0, 255);
    let phone = submitted.str(n[P_PHONE]).trim().to_string();
    check_phone(form, n[P_PHONE], &phone, true);
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
    let parent = with_contacts(form, submitted, &fields, fio, phone);
    if let Some(passport) = &parent.passport {
        if parent_store::passport_taken(db, passport, 0)? {
            form.error(side.select, side.passport_taken);
        }
    }
    Ok(Some(Choice::New(parent)))
}

/// The cross-field rules on the parents and the contact phone.
fn check_parents(
    form: &mut FormView,
    mother: &Choice,
    father: &Choice,
    contact: Option<i32>,
    own_phone: &Option<String>,
) {
    if let (Choice::Existing(m), Choice::Existing(f)) = (mother, father) {
        if m == f {
            form.error(FATHER.select, "отец не может быть матерью!");
        }
    }
    if let (Choice::New(m), Choice::New(f)) = (mother, father) {
        if m.passport.is_some() && m.passport == f.passport {
            form.error(FATHER.select, "паспорта родителей совпадают!");
        }
    }
    match contact {
        Some(1) if own_phone.is_none() => form.error(CONTACT_PHONE, "укажите телефон ученика!"),
        Some(2) if matches!(mother, Choice::None) => form.error(CONTACT_PHONE, MOTHER.missing),
        Some(3) if matches!(father, Choice::None) => form.error(CONTACT_PHONE, FATHER.missing),
        _ => {}
    }
}

/// The account part: generated for a new student, typed in on edit.
struct AccountPart {
    login: String,
    fio: String,
}

/// Validates and writes; on any error the form comes back with the visitor's input.
fn save(ctx: &mut Ctx, old: Option<(u32, u32, Profile)>) -> Result<Response, AppError> {
    let submitted = ctx.form.clone();
    let mut form = view(ctx, old.as_ref().map(|o| o.0))?;
    form.fill(&submitted);
    let today = ctx.today();
    let account = match &old {
        None => check_names(&mut ctx.db, &mut form, &submitted)?
            .map(|(fio, login)| AccountPart { login, fio }),
        Some((_, user_id, _)) => {
            let login = account_form::check_login(&mut ctx.db, &mut form, &submitted, *user_id)?;
            let fio = account_form::check_fio(&mut form, &submitted);
            login
                .zip(fio)
                .map(|(login, fio)| AccountPart { login, fio })
        }
    };
    let birth_date = check_birth_date(&mut form, &submitted, today);
    let birth_place = check_text(&mut form, &submitted, BIRTH_PLACE, 1, 255);
    let registration_place = check_text(&mut form, &submitted, REGISTRATION_PLACE, 1, 255);
    let actual_address = check_text(&mut form, &submitted, ACTUAL_ADDRESS, 1, 255);
    let additional_info = optional_text(&mut form, &submitted, ADDITIONAL_INFO, 255);
    let known_from = optional_text(&mut form, &submitted, KNOWN_FROM, 255);
    let citizenship = submitted.str(CITIZENSHIP).trim();
    let citizenship_id = check_choice(&mut form, CITIZENSHIP, citizenship)
        .then(|| citizenship.parse::<u32>().ok())
        .flatten();
    let school_id = check_school(&mut form, &submitted);
    let grade = check_text(&mut form, &submitted, GRADE, 1, 31);
    let shift = check_text(&mut form, &submitted, SHIFT, 1, 31);
    let phone = Some(submitted.str(PHONE).trim().to_string()).filter(|p| !p.is_empty());
    if let Some(phone) = &phone {
        check_phone(&mut form, PHONE, phone, false);
    }
    let contact = submitted.str(CONTACT_PHONE).trim();
    let contact = check_choice(&mut form, CONTACT_PHONE, contact)
        .then(|| contact.parse::<i32>().ok())
        .flatten();
    let mother = check_side(&mut ctx.db, &mut form, &submitted, &MOTHER)?;
    let father = check_side(&mut ctx.db, &mut form, &submitted, &FATHER)?;
    if let (Some(mother), Some(father)) = (&mother, &father) {
        check_parents(&mut form, mother, father, contact, &phone);
    }
    let (
        Some(account),
        Some(birth_date),
        Some(citizenship_id),
        Some(school_id),
        Some(contact_phone),
        Some(mother),
        Some(father),
    ) = (
        account,
        birth_date,
        citizenship_id,
        school_id,
        contact,
        mother,
        father,
    )
    else {
        return render_form(ctx, CLASS, old.is_some(), form);
    };
    if form.has_errors() {
        return render_form(ctx, CLASS, old.is_some(), form);
    }
    let profile = Profile {
        fio: account.fio.clone(),
        birth_date,
        birth_place,
        registration_place,
        actual_address,
        additional_info,
        known_from,
        school_id,
        citizenship_id,
        grade,
        shift,
        phone,
        contact_phone,
        filled: true,
    };
    let enabled = submitted.flag(ENABLED);
    let student_id = match &old {
        None => {
            let hash = password::hash(&default_password(birth_date));
            let written = store::insert_system_user(
                &mut ctx.db,
                Role::Student,
                &account.login,
                &hash,
                enabled,
                ctx.now,
            );
            let Some(user_id) = account_form::saved(&mut form, written)? else {
                return render_form(ctx, CLASS, false, form);
            };
            students::insert(&mut ctx.db, user_id, &profile)?
        }
        Some((id, user_id, old)) => {
            let written =
                store::update_login_enabled(&mut ctx.db, *user_id, &account.login, enabled);
            if account_form::saved(&mut form, written)?.is_none() {
                return render_form(ctx, CLASS, true, form);
            }
            rederive_password(ctx, *user_id, old.birth_date, birth_date)?;
            students::update(&mut ctx.db, *id, &profile)?;
            *id
        }
    };
    let mut created = Vec::new();
    let mut ids = [None, None];
    for (slot, choice) in ids.iter_mut().zip([mother, father]) {
        *slot = match choice {
            Choice::None => None,
            Choice::Existing(id) => Some(id),
            Choice::New(p) => {
                let id = parent_store::insert(&mut ctx.db, &p)?;
                created.push(p.fio);
                Some(id)
            }
        };
    }
    parents::link(&mut ctx.db, student_id, ids[0], ids[1])?;
    for fio in created {
        ctx.flash_done(Done::new(format!("родитель {fio}"), "создан", ""));
    }
    let student = format!("ученик {}", account.fio);
    ctx.flash_done(match old {
        None => Done::new(student, "создан", "."),
        Some(_) => Done::new(student, "изменен", ""),
    });
    Ok(ctx.redirect("/users/students"))
}

/// A password that is still the default of the old birth date follows a changed birth date, and
/// the student must log in again with it (`force_ask_to_login`). Any other password stays.
fn rederive_password(
    ctx: &mut Ctx,
    user_id: u32,
    old_date: NaiveDate,
    new_date: NaiveDate,
) -> Result<(), AppError> {
    if old_date == new_date {
        return Ok(());
    }
    let account =
        crate::auth::user::account_by_id(&mut ctx.db, user_id)?.ok_or(AppError::NotFound)?;
    if password::verify(&account.password_hash, &default_password(old_date)) {
        let hash = password::hash(&default_password(new_date));
        store::set_password(&mut ctx.db, user_id, &hash, true)?;
    }
    Ok(())
}
