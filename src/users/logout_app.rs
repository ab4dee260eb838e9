//! Ending the user's own mobile-app sessions (M, D, T), one or all, as POST buttons of «мои сеансы».

use crate::app::{AppError, Ctx, Refusal};
use crate::http::Response;
use crate::users::store;

pub fn post_all(ctx: &mut Ctx) -> Result<Response, AppError> {
    let me = ctx.user()?.id;
    store::delete_access_tokens(&mut ctx.db, me)?;
    ctx.flash("все ваши сессии в мобильном приложении завершены");
    Ok(ctx.redirect("/users/sessions"))
}

pub fn post_one(ctx: &mut Ctx) -> Result<Response, AppError> {
    let me = ctx.user()?.id;
    let token_id = ctx.params.id("token_id");
    match store::access_token_owner(&mut ctx.db, token_id)? {
        None => Err(AppError::NotFound),
        Some(owner) if owner != me => Err(AppError::Refused(Refusal::OtherAccountsSession)),
        Some(_) => {
            store::delete_access_token(&mut ctx.db, token_id)?;
            ctx.flash("ваша сессия в мобильном приложении завершена");
            Ok(ctx.redirect("/users/sessions"))
        }
    }
}
