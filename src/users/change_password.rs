//! `/users/change_password` (M, D, T, S): the user's own password; ends app sessions, keeps
//! this web session.

use crate::app::forms::{Field, FormView, Kind, check_required};
use crate::app::{AppError, Ctx, form_page, signed_in};
use crate::auth::{password, web_sessions};
use crate::http::Response;
use crate::users::{password_form, store};

const TITLE: &str = "смена пароля";

fn view(ctx: &Ctx) -> FormView {
    let mut fields =
        vec![Field::new(Kind::Password, "current_password", "текущий пароль").required()];
    fields.extend(password_form::fields());
    FormView::new(ctx.url("/users/change_password"), "изменить пароль", fields).with_cancel()
}

fn render(ctx: &mut Ctx, form: FormView) -> Result<Response, AppError> {
    form_page::render(ctx, TITLE, TITLE, form)
}

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let form = view(ctx);
    render(ctx, form)
}

pub fn post(ctx: &mut Ctx) -> Result<Response, AppError> {
    let mut form = view(ctx);
    let submitted = &ctx.form;
    let current = submitted.str("current_password");
    check_required(&mut form, "current_password", current);
    let Some(new_password) = password_form::validate(&mut form, submitted) else {
        return render(ctx, form);
    };
    let user = signed_in(&ctx.user)?;
    if !password::verify(&user.password_hash, current) {
        ctx.flash("неверный старый пароль!");
        return render(ctx, form);
    }
    let hash = password::hash(&new_password);
    store::set_password(&mut ctx.db, user.id, &hash, false)?;
    store::delete_access_tokens(&mut ctx.db, user.id)?;
    // This session stays, under the new password; the other browsers' sessions end.
    web_sessions::end_all_but(&mut ctx.db, user.id, Some(user.session_id))?;
    let key = ctx.config.security.secret_key.as_bytes();
    web_sessions::retag(&mut ctx.db, key, user.session_id, &hash)?;
    ctx.flash("ваш пароль изменен и все ваши сессии в мобильном приложении завершены");
    Ok(ctx.redirect("/"))
}
