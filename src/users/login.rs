//! `/users/login` (everyone; bots are refused): the login form, throttled per login and per
//! address (see `auth::throttle`).

use crate::app::forms::{Field, FormView, Kind, check_length, check_required};
use crate::app::{AppError, Ctx, form_page};
use crate::auth::web_sessions::{self, SignIn};
use crate::auth::{Role, password, throttle, user};
use crate::http::Response;

const TITLE: &str = "авторизация";

fn view(ctx: &Ctx) -> FormView {
    let action = match ctx.req.query.as_str() {
        "" => ctx.url("/users/login"),
        q => format!("{}?{q}", ctx.url("/users/login")),
    };
    FormView::new(
        action,
        "войти",
        vec![
            Field::new(Kind::Text, "login", "логин")
                .required()
                .max_length(64)
                .attr("autocomplete", "username"),
            Field::new(Kind::Password, "password", "пароль")
                .required()
                .attr("autocomplete", "current-password"),
            Field::new(Kind::Checkbox, "remember", "запомнить меня"),
        ],
    )
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
    form.fill(submitted);
    let (login, pass) = (submitted.str("login"), submitted.str("password"));
    check_length(&mut form, "login", login, 1, 64);
    check_required(&mut form, "password", pass);
    if form.has_errors() {
        return render(ctx, form);
    }
    let address = ctx.req.remote_addr.clone();
    if let Some(until) = throttle::locked_until(&mut ctx.db, login, &address, ctx.now)? {
        let minutes = ((until - ctx.now).num_seconds() + 59) / 60;
        ctx.flash(format!(
            "слишком много неудачных попыток входа: попробуйте снова через {minutes} {}",
            crate::time::plural(minutes, ["минуту", "минуты", "минут"])
        ));
        return render(ctx, form);
    }
    let account = user::account_by_login(&mut ctx.db, login)?
        .filter(|a| password::verify(&a.password_hash, pass));
    let Some(account) = account else {
        throttle::record_failure(&mut ctx.db, login, &address, ctx.now)?;
        ctx.flash("неверный логин или пароль!");
        return render(ctx, form);
    };
    throttle::record_success(&mut ctx.db, login, &address)?;
    if !account.enabled {
        ctx.flash("ваш аккаунт был отключен!");
        return Ok(ctx.redirect("/users/login"));
    }
    crate::users::store::clear_force_ask_to_login(&mut ctx.db, account.id)?;
    if account.role == Some(Role::Bot) || account.role.is_none() {
        ctx.flash("боты не могут авторизовываться на сайте!");
        return Ok(ctx.redirect("/users/login"));
    }
    // The sessions a forced re-login refused stay ended once the flag is cleared.
    if account.force_ask_to_login {
        web_sessions::end_all_but(&mut ctx.db, account.id, None)?;
    }
    let who = SignIn {
        user_id: account.id,
        password_hash: &account.password_hash,
        remember: submitted.flag("remember"),
        remote_addr: &ctx.req.remote_addr,
        user_agent: &ctx.req.user_agent,
    };
    let key = ctx.config.security.secret_key.as_bytes();
    web_sessions::start(&mut ctx.db, &mut ctx.session, key, &who, ctx.now)?;
    let next = ctx
        .query()?
        .get("next")
        .filter(|n| is_local_path(n))
        .map(str::to_string);
    Ok(match next {
        Some(next) => Response::redirect(&next),
        None => ctx.redirect("/"),
    })
}

/// `next` may only lead somewhere on this site (no `//host`, no scheme, no backslash tricks).
fn is_local_path(next: &str) -> bool {
    next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_must_be_local() {
        assert!(super::is_local_path("/users/students?page=2"));
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "evil",
            "",
            "/a\nb",
        ] {
            assert!(!super::is_local_path(bad), "{bad}");
        }
    }
}
