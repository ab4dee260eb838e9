//! `/users/force_change_password/<id>`: a master, developer or teacher (students only) resets
//! someone else's password; the target must log in again and loses app sessions.

use crate::app::forms::FormView;
use crate::app::{AppError, Ctx, Done, Refusal, form_page};
use crate::auth::{Role, password, user};
use crate::http::Response;
use crate::users::{password_form, store};

/// The target account after the permission rules; `Ok(None)` means "it is you": go home.
fn target(ctx: &mut Ctx) -> Result<Option<user::Account>, AppError> {
    let id = ctx.params.id("system_user_id");
    let account = user::account_by_id(&mut ctx.db, id)?.ok_or(AppError::NotFound)?;
    let me = ctx.user()?;
    if account.id == me.id {
        return Ok(None);
    }
    let role = account
        .role
        .ok_or(AppError::Refused(Refusal::AccountOutOfReach))?;
    if me.is_teacher && role != Role::Student {
        return Err(AppError::Refused(Refusal::AccountOutOfReach));
    }
    if !me.is_developer && matches!(role, Role::Developer | Role::Bot) {
        return Err(AppError::Refused(Refusal::AccountOutOfReach));
    }
    Ok(Some(account))
}

fn render(ctx: &mut Ctx, account: &user::Account, form: FormView) -> Result<Response, AppError> {
    let title = format!("сброс пароля {}", account.login);
    form_page::render(ctx, &title, &title, form)
}

fn view(ctx: &Ctx, account: &user::Account) -> FormView {
    FormView::new(
        ctx.url(&format!("/users/force_change_password/{}", account.id)),
        "изменить пароль",
        password_form::fields(),
    )
    .with_cancel()
}

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let Some(account) = target(ctx)? else {
        return Ok(ctx.redirect("/"));
    };
    let form = view(ctx, &account);
    render(ctx, &account, form)
}

pub fn post(ctx: &mut Ctx) -> Result<Response, AppError> {
    let Some(account) = target(ctx)? else {
        return Ok(ctx.redirect("/"));
    };
    let mut form = view(ctx, &account);
    let submitted = &ctx.form;
    let Some(new_password) = password_form::validate(&mut form, submitted) else {
        return render(ctx, &account, form);
    };
    store::set_password(
        &mut ctx.db,
        account.id,
        &password::hash(&new_password),
        true,
    )?;
    store::delete_access_tokens(&mut ctx.db, account.id)?;
    let reset = store::account_change(account.id, None, &account.login, "—", store::PASSWORD_RESET);
    ctx.log_changes(&[reset])?;
    ctx.flash_done(Done::with(
        format!(
            "пароль пользователя {} изменен и все его сессии в мобильном приложении завершены",
            account.login
        ),
        format!("пароль пользователя {} не изменен", account.login),
    ));
    Ok(ctx.redirect("/"))
}
