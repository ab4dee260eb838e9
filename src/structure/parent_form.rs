//! `GET, POST /structure/parent` (add) and `/structure/parent/<id>` (edit), M, D, T: a
//! parent's contacts and the notification channels, each channel needing its address.

use crate::app::forms::{
    Field, FormView, Kind, check_choice, check_email, check_phone, check_text, check_vk_link,
    optional_text, phone_or_text,
};
use crate::app::{AppError, Ctx, Done};
use crate::db;
use crate::http::{Form, Response};
use crate::structure::store::parents::{self, CHANNELS, EMAIL_BIT, Parent, VK_BIT};
use crate::structure::{names, render_form, submit_label};

const WHAT: &str = "родителя";
const FIO: &str = "fio";
const PHONE: &str = "phone";
const EMAIL: &str = "email";
const PASSPORT: &str = "passport";
const ADDRESS: &str = "address";
const HOME_PHONE: &str = "home_phone";
const VK: &str = "vk_link";
const TYPES: &str = "notification_types";
/// The «нет» choice of the channels select: no bit.
const NO_CHANNEL: &str = "-1";
const VK_PREFIX: &str = "vk.com/";
/// A home phone is free text (a city number may have no code) of at most this many characters.
pub const HOME_PHONE_MAX: usize = 32;

fn text(name: &'static str, label: &'static str, max: usize) -> Field {
    Field::new(Kind::Text, name, label).max_length(max)
}

fn view(ctx: &Ctx, id: Option<u32>) -> FormView {
    let action = match id {
        Some(id) => format!("/structure/parent/{id}"),
        None => "/structure/parent".to_string(),
    };
    let mut options = vec![(NO_CHANNEL.to_string(), "нет".to_string())];
    options.extend(
        CHANNELS
            .iter()
            .enumerate()
            .map(|(shift, name)| (shift.to_string(), name.to_string())),
    );
    let fields = vec![
        text(FIO, "фио", names::MAX)
            .required()
            .attr("required", "required"),
        Field::phone(PHONE, "телефон")
            .required()
            .attr("required", "required")
            .attr("placeholder", "+7 912 345-67-89"),
        text(EMAIL, "email", 128).attr("inputmode", "email"),
        text(PASSPORT, "паспорт", 255),
        text(ADDRESS, "адрес", 255),
        Field::phone(HOME_PHONE, "домашний телефон").max_length(HOME_PHONE_MAX),
        text(VK, "ВКонтакте", 64),
        Field::new(Kind::Multiselect, TYPES, "уведомления").with_options(options),
    ];
    FormView::new(ctx.url(&action), submit_label(id.is_some()), fields).with_cancel()
}

pub fn add_get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let mut form = view(ctx, None);
    // As in the original: the link's prefix is typed in already.
    form.field_mut(VK).value = VK_PREFIX.to_string();
    render_form(ctx, WHAT, false, form)
}

pub fn add_post(ctx: &mut Ctx) -> Result<Response, AppError> {
    save(ctx, None)
}

pub fn edit_get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let id = ctx.params.id("id");
    let p = parents::find(&mut ctx.db, id)?.ok_or(AppError::NotFound)?;
    let mut form = view(ctx, Some(id));
    for (name, value) in [
        (FIO, Some(&p.fio)),
        (PHONE, Some(&p.phone)),
        (EMAIL, p.email.as_ref()),
        (PASSPORT, p.passport.as_ref()),
        (ADDRESS, p.address.as_ref()),
        (HOME_PHONE, p.home_phone.as_ref()),
        (VK, p.vk_link.as_ref()),
    ] {
        form.field_mut(name).value = value.cloned().unwrap_or_default();
    }
    let shifts: Vec<String> = (0..CHANNELS.len())
        .filter(|shift| p.notification_types & (1 << shift) != 0)
        .map(|shift| shift.to_string())
        .collect();
    let shifts: Vec<&str> = shifts.iter().map(String::as_str).collect();
    form.field_mut(TYPES).select_all(&shifts);
    render_form(ctx, WHAT, true, form)
}

pub fn edit_post(ctx: &mut Ctx) -> Result<Response, AppError> {
    let id = ctx.params.id("id");
    parents::find(&mut ctx.db, id)?.ok_or(AppError::NotFound)?;
    save(ctx, Some(id))
}

/// The names of a parent's fields after FIO and phone: the parent form has one set, the student
/// form one for each new parent.
pub struct ContactFields {
    pub email: &'static str,
    pub passport: &'static str,
    pub address: &'static str,
    pub home_phone: &'static str,
    pub vk: &'static str,
    pub types: &'static str,
}

const CONTACTS: ContactFields = ContactFields {
    email: EMAIL,
    passport: PASSPORT,
    address: ADDRESS,
    home_phone: HOME_PHONE,
    vk: VK,
    types: TYPES,
};

/// A parent with `fio`, `phone` and the contacts read from `fields`, each checked: lengths, the
/// e-mail and VK formats, the channels and their addresses. Whether the passport is taken is the
/// caller's to check: the two forms report it on different fields.
pub fn with_contacts(
    form: &mut FormView,
    submitted: &Form,
    fields: &ContactFields,
    fio: String,
    phone: String,
) -> Parent {
    let email = optional_text(form, submitted, fields.email, 128);
    if let Some(email) = &email {
        check_email(form, fields.email, email);
    }
    let passport = optional_text(form, submitted, fields.passport, 255);
    let address = optional_text(form, submitted, fields.address, 255);
    let home_phone =
        optional_text(form, submitted, fields.home_phone, HOME_PHONE_MAX).map(phone_or_text);
    let vk_link =
        optional_text(form, submitted, fields.vk, 64).map(|vk| check_vk_link(form, fields.vk, &vk));
    let notification_types = check_channels(
        form,
        fields.types,
        &submitted.all(fields.types),
        email.is_some(),
        vk_link.is_some(),
    );
    Parent {
        fio,
        phone,
        email,
        passport,
        address,
        home_phone,
        vk_link,
        notification_types,
    }
}

/// Reads and checks every field; `None` when the form has errors (they are on the fields).
fn check(
    ctx: &mut Ctx,
    form: &mut FormView,
    submitted: &Form,
    except: u32,
) -> Result<Option<Parent>, AppError> {
    let fio = check_text(form, submitted, FIO, 1, names::MAX);
    let phone = check_phone(form, PHONE, submitted.str(PHONE), false);
    let parent = with_contacts(form, submitted, &CONTACTS, fio, phone);
    if let Some(passport) = &parent.passport
        && parents::passport_taken(&mut ctx.db, passport, except)?
    {
        form.error(PASSPORT, PASSPORT_TAKEN);
    }
    Ok((!form.has_errors()).then_some(parent))
}

/// The channels chosen in the multi-select `field` (bit shifts 0…2; «нет» is −1 and sets no
/// bit) as a `notification_types` bitmask. Each value must be one of the field's options, and
/// the e-mail and VK channels need their address («укажите email!», «укажите ВКонтакте!»).
fn check_channels(
    form: &mut FormView,
    field: &str,
    chosen: &[&str],
    has_email: bool,
    has_vk: bool,
) -> i32 {
    let mut types = 0;
    for raw in chosen {
        if !check_choice(form, field, raw) {
            break;
        }
        if let Ok(shift @ 0..=2) = raw.parse::<i32>() {
            types |= 1 << shift;
        }
    }
    if types & EMAIL_BIT != 0 && !has_email {
        form.error(field, "укажите email!");
    }
    if types & VK_BIT != 0 && !has_vk {
        form.error(field, "укажите ВКонтакте!");
    }
    types
}

const PASSPORT_TAKEN: &str = "этот паспорт уже зарегистрирован!";

/// Validates and writes; on any error the form comes back with the visitor's input.
fn save(ctx: &mut Ctx, id: Option<u32>) -> Result<Response, AppError> {
    let submitted = ctx.form.clone();
    let mut form = view(ctx, id);
    form.fill(&submitted);
    let Some(parent) = check(ctx, &mut form, &submitted, id.unwrap_or(0))? else {
        return render_form(ctx, WHAT, id.is_some(), form);
    };
    let written = match id {
        Some(id) => parents::update(&mut ctx.db, id, &parent),
        None => parents::insert(&mut ctx.db, &parent).map(drop),
    };
    match written {
        Ok(()) => {}
        // A parent saved with the same passport since the check above.
        Err(e) if db::is_duplicate_key(&e) => {
            form.error(PASSPORT, PASSPORT_TAKEN);
            return render_form(ctx, WHAT, id.is_some(), form);
        }
        Err(e) => return Err(e.into()),
    }
    let verb = if id.is_some() {
        "изменен"
    } else {
        "создан"
    };
    ctx.flash_done(Done::new(format!("родитель {}", parent.fio), verb, ""));
    Ok(ctx.redirect("/structure/parents"))
}
