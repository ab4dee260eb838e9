//! The app's session endpoints (src/api/README.md §10): `login`, `logout`, `app_info`
//! and `cabinet_info`.

use super::ACTUAL_APP_BUILD_CODE;
use super::groups::lessons_json;
use super::json::{Body, bad_request, json, ok};
use super::people::account_type;
use crate::app::{AppError, Ctx, authenticated};
use crate::auth::token;
use crate::auth::user::{SeenWhere, account_by_login, note_seen};
use crate::auth::{Actor, Role, password, throttle};
use crate::http::Response;
use crate::lessons::store::last_conducted;
use serde_json::json;

/// The cabinet's number of last lessons when the app asks for none (or for nonsense).
const DEFAULT_LAST_LESSONS: i64 = 10;

/// Login's business errors: HTTP 400 with a JSON body the Android app maps to its messages.
fn login_error(reason: &str) -> Response {
    json(400, &json!({ "loginErrorReason": reason }))
}

const WRONG_LOGIN_OR_PASSWORD: &str = "WRONG_LOGIN_OR_PASSWORD";

pub fn login(ctx: &mut Ctx) -> Result<Response, AppError> {
    let body = Body::of(ctx)?;
    let (login, pass) = (body.string("login")?, body.string("password")?);
    let (device, app_version) = (body.string("device")?, body.string("appVersion")?);
    let address = ctx.req.remote_addr.clone();
    // Throttled per login and per address: the app has no message for "try later", so the answer
    // is the one for a wrong password, given without looking at the password at all.
    if throttle::locked_until(&mut ctx.db, &login, &address, ctx.now)?.is_some() {
        return Ok(login_error(WRONG_LOGIN_OR_PASSWORD));
    }
    let account = account_by_login(&mut ctx.db, &login)?
        .filter(|a| password::verify(&a.password_hash, &pass));
    match &account {
        Some(_) => throttle::record_success(&mut ctx.db, &login, &address)?,
        None => throttle::record_failure(&mut ctx.db, &login, &address, ctx.now)?,
    }
    // The throttle's bookkeeping must survive the 400 answers below, which roll back.
    ctx.commit_so_far()?;
    let Some(account) = account else {
        return Ok(login_error(WRONG_LOGIN_OR_PASSWORD));
    };
    if !account.enabled {
        return Ok(login_error("ACCOUNT_DISABLED"));
    }
    let role = match account.role {
        Some(Role::Student) => return Ok(login_error("STUDENT_ACCOUNT_IN_NOT_SUPPORTED")),
        // A role row the code does not know: nothing the app could work with.
        None => return Ok(login_error(WRONG_LOGIN_OR_PASSWORD)),
        Some(role) => role,
    };
    let token = token::new_token();
    token::insert(
        &mut ctx.db,
        ctx.config.security.secret_key.as_bytes(),
        &token,
        account.id,
        ctx.now,
        &device,
        &app_version,
    )?;
    note_seen(&mut ctx.db, account.id, SeenWhere::Android, ctx.now)?;
    Ok(json(
        200,
        &json!({
            "accountType": account_type(Some(role)),
            "detailsId": account.details_id,
            "token": token,
        }),
    ))
}

pub fn logout(ctx: &mut Ctx) -> Result<Response, AppError> {
    let caller = authenticated(&ctx.caller)?;
    token::delete(&mut ctx.db, caller.token_id)?;
    Ok(ok())
}

pub fn app_info(_ctx: &mut Ctx) -> Result<Response, AppError> {
    Ok(json(
        200,
        &json!({ "actualAppBuildCode": ACTUAL_APP_BUILD_CODE }),
    ))
}

pub fn cabinet_info(ctx: &mut Ctx) -> Result<Response, AppError> {
    let caller = authenticated(&ctx.caller)?;
    let body = Body::of(ctx)?;
    let (device, app_version) = (body.string("device")?, body.string("appVersion")?);
    let count = body.int("lastLessonsCount").unwrap_or(DEFAULT_LAST_LESSONS);
    let count = u64::try_from(count).map_err(|_| bad_request())?;
    token::set_device(&mut ctx.db, caller.token_id, &device, &app_version)?;
    let today = ctx.today();
    // Teachers see the lessons they conducted; masters and developers every lesson.
    let lessons = last_conducted(&mut ctx.db, caller.own_teacher_id(), today, count)?;
    Ok(json(
        200,
        &json!({
            "actualAppBuildCode": ACTUAL_APP_BUILD_CODE,
            "fio": caller.fio,
            "lastLessons": lessons_json(&lessons),
        }),
    ))
}
