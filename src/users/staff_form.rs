//! Registration and edit forms of masters, teachers (M, D), bots and developers (D):
//! `/users/register/<role>` and `/users/<role>/<id>`.

use crate::app::forms::{Field, FormView, check_phone};
use crate::app::{AppError, Ctx, Done};
use crate::auth::{Role, password};
use crate::http::Response;
use crate::users::account_form::{self, ENABLED};
use crate::users::store::staff::{self, Account, Staff, Which};
use crate::users::store::{self, created_word, enabled_word};
use crate::users::{password_form, render_form};

const PHONE: &str = "phone";

fn view(ctx: &Ctx, staff: &Staff, id: Option<u32>) -> FormView {
    // The bot form, which the developer edit page also uses, calls the name «имя».
    let named = staff.role == Role::Bot || (staff.role == Role::Developer && id.is_some());
    let mut fields = vec![
        account_form::login_field(),
        account_form::fio_field(if named { "имя" } else { "фио" }),
    ];
    if id.is_none() {
        fields.extend(account_form::password_fields());
    }
    fields.push(account_form::enabled_field());
    if staff.is_teacher() {
        fields.push(
            Field::phone(PHONE, "телефон")
                .required()
                .attr("required", "required")
                .attr("placeholder", "+7 912 345-67-89"),
        );
    }
    let (action, submit) = match id {
        Some(id) => (format!("/users/{}/{id}", staff.singular), "сохранить"),
        None => (
            format!("/users/register/{}", staff.singular),
            staff.create_label,
        ),
    };
    FormView::new(ctx.url(&action), submit, fields).with_cancel()
}

pub fn register_get<W: Which>(ctx: &mut Ctx) -> Result<Response, AppError> {
    let form = view(ctx, &W::STAFF, None);
    render_form(ctx, W::STAFF.genitive, false, form)
}

pub fn edit_get<W: Which>(ctx: &mut Ctx) -> Result<Response, AppError> {
    let staff = &W::STAFF;
    let id = ctx.params.id("id");
    let account = staff::find(&mut ctx.db, staff, id)?.ok_or(AppError::NotFound)?;
    let mut form = view(ctx, staff, Some(id));
    form.field_mut(account_form::LOGIN).value = account.login;
    form.field_mut(account_form::FIO).value = account.fio;
    form.field_mut(ENABLED).checked = account.enabled;
    if staff.is_teacher() {
        form.field_mut(PHONE).value = account.phone;
    }
    render_form(ctx, staff.genitive, true, form)
}

pub fn register_post<W: Which>(ctx: &mut Ctx) -> Result<Response, AppError> {
    save(ctx, &W::STAFF, None)
}

pub fn edit_post<W: Which>(ctx: &mut Ctx) -> Result<Response, AppError> {
    let staff = &W::STAFF;
    let id = ctx.params.id("id");
    let account = staff::find(&mut ctx.db, staff, id)?.ok_or(AppError::NotFound)?;
    save(ctx, staff, Some(account))
}

/// Validates and writes; on any error the form comes back with the visitor's input.
fn save(ctx: &mut Ctx, staff: &Staff, old: Option<Account>) -> Result<Response, AppError> {
    let submitted = &ctx.form;
    let mut form = view(ctx, staff, old.as_ref().map(|a| a.id));
    form.fill(submitted);
    let except = old.as_ref().map_or(0, |a| a.user_id);
    let login = account_form::check_login(&mut ctx.db, &mut form, submitted, except)?;
    let fio = account_form::check_fio(&mut form, submitted);
    let new_password = match old {
        None => password_form::validate(&mut form, submitted),
        Some(_) => None,
    };
    let phone = match staff.is_teacher() {
        true => check_phone(&mut form, PHONE, submitted.str(PHONE), false),
        false => submitted.str(PHONE).trim().to_string(),
    };
    let editing = old.is_some();
    let (Some(login), Some(fio)) = (login, fio) else {
        return render_form(ctx, staff.genitive, editing, form);
    };
    if form.has_errors() {
        return render_form(ctx, staff.genitive, editing, form);
    }
    let mut account = Account {
        id: old.as_ref().map_or(0, |a| a.id),
        user_id: except,
        login,
        fio,
        enabled: submitted.flag(ENABLED),
        phone,
    };
    let written = match &old {
        None => {
            let hash = password::hash(&new_password.unwrap_or_default());
            staff::insert(&mut ctx.db, staff, &account, &hash, ctx.now)
        }
        Some(old) => {
            if staff.role == Role::Master && old.user_id == ctx.user()?.id && !account.enabled {
                ctx.flash("вы не можете отключить себя!");
                account.enabled = old.enabled;
            }
            staff::update(&mut ctx.db, staff, &account)
        }
    };
    let Some(user_id) = account_form::saved(&mut form, written)? else {
        return render_form(ctx, staff.genitive, editing, form);
    };
    let logged = match &old {
        None => Some(created_word(account.enabled)),
        Some(old) if old.enabled != account.enabled => {
            Some(enabled_word(account.enabled).to_string())
        }
        Some(_) => None,
    };
    if let Some(new) = logged {
        let was = old.as_ref().map_or("—", |o| enabled_word(o.enabled));
        let entry = store::account_change(user_id, None, &account.login, was, &new);
        ctx.log_changes(&[entry])?;
    }
    ctx.flash_done(match editing {
        true => Done::new(format!("{} {}", staff.noun, account.fio), "изменен", ""),
        false => Done::new(format!("{} {}", staff.noun, account.login), "создан", "."),
    });
    Ok(ctx.redirect(&staff.list_path()))
}
