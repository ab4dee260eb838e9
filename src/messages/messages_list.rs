//! `GET, POST /messages/messages_list/<receiver_id>` (M, T, S): one dialog, 20 messages
//! a page, newest first, and the form that sends a new message; and the picker's redirect
//! `/messages/messages_list/forward?receiver_id=` (0 or none: back to the dialogs). Opening a
//! page marks the incoming messages shown on it read — after they were loaded, so this page
//! still highlights them.

use super::store;
use crate::app::forms::{Field, FormView, Kind, check_length, check_required};
use crate::app::list::ListQuery;
use crate::app::{AppError, Ctx, Done, Refusal};
use crate::auth::Role;
use crate::auth::user::{Account, account_by_id};
use crate::http::Response;
use minijinja::context;
use minijinja::value::Serde;
use serde::Serialize;

const BODY: &str = "body";

/// `?receiver_id=` of the new-dialog picker: 0, missing or malformed goes back to the dialogs.
pub fn forward(ctx: &mut Ctx) -> Result<Response, AppError> {
    let id: u32 = ctx.query()?.str("receiver_id").trim().parse().unwrap_or(0);
    Ok(match id {
        0 => ctx.redirect("/messages/dialogs_list"),
        id => ctx.redirect(&format!("/messages/messages_list/{id}")),
    })
}

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let other = interlocutor(ctx)?;
    let form = view(ctx, other.id);
    render(ctx, &other, form)
}

pub fn post(ctx: &mut Ctx) -> Result<Response, AppError> {
    let other = interlocutor(ctx)?;
    let body = ctx.form.str(BODY).to_string();
    let mut form = view(ctx, other.id);
    form.field_mut(BODY).value = body.clone();
    check_required(&mut form, BODY, &body);
    check_length(&mut form, BODY, &body, 1, 1024);
    if form.has_errors() {
        return render(ctx, &other, form);
    }
    let me = ctx.user()?.id;
    store::send(&mut ctx.db, me, other.id, &body, ctx.now)?;
    ctx.flash_done(Done::new("сообщение", "отправлено", ""));
    Ok(ctx.redirect(&format!("/messages/messages_list/{}", other.id)))
}

/// The other side of the dialog: 404 when missing; 403 for oneself and for pairs that may not
/// write to each other (developers, bots, two students).
fn interlocutor(ctx: &mut Ctx) -> Result<Account, AppError> {
    let id = ctx.params.id("receiver_id");
    let other = account_by_id(&mut ctx.db, id)?.ok_or(AppError::NotFound)?;
    let me = ctx.user()?;
    if other.id == me.id {
        return Err(AppError::Refused(Refusal::OwnDialog));
    }
    if !other.role.is_some_and(|r| super::may_write(me.role, r)) {
        return Err(AppError::Refused(Refusal::DialogNotAllowed));
    }
    Ok(other)
}

fn view(ctx: &Ctx, with: u32) -> FormView {
    let body = Field::new(Kind::Textarea, BODY, "новое сообщение")
        .required()
        .max_length(1024)
        .attr("required", "required");
    let action = ctx.url(&format!("/messages/messages_list/{with}"));
    FormView::new(action, "отправить", vec![body])
}

#[derive(Debug, Serialize)]
struct MessageRow {
    time: String,
    mine: bool,
    unread: bool,
    body: String,
}

fn render(ctx: &mut Ctx, other: &Account, form: FormView) -> Result<Response, AppError> {
    let (me_id, me_student) = ctx.user().map(|me| (me.id, me.is_student))?;
    let list = ListQuery::parse(&ctx.query()?);
    let tz = ctx.config.zone();
    let total = store::messages_count(&mut ctx.db, me_id, other.id)?;
    let shown = store::messages(&mut ctx.db, me_id, other.id, list.limit())?;
    // Before rendering, so the menu's unread counter already reflects this visit.
    if store::mark_read(&mut ctx.db, &shown)? {
        let unread = crate::auth::user::unread_dialogs(&mut ctx.db, me_id)?;
        if let Some(user) = &mut ctx.user {
            user.unread_dialogs = unread;
        }
    }
    let rows: Vec<MessageRow> = shown
        .into_iter()
        .map(|m| MessageRow {
            time: crate::time::format_datetime(m.time, tz),
            mine: m.forward,
            unread: m.unread,
            body: m.body,
        })
        .collect();
    let search = || serde_urlencoded::to_string([("search", &other.fio)]).unwrap_or_default();
    let link = match other.role {
        _ if me_student => None,
        Some(Role::Master) => Some(format!("/users/masters?{}", search())),
        Some(Role::Teacher) => Some(format!("/users/teachers?{}", search())),
        Some(Role::Student) => Some(format!("/users/student_details/{}", other.details_id)),
        _ => None,
    };
    let pages = list.pages(
        &ctx.url(&format!("/messages/messages_list/{}", other.id)),
        total,
    );
    ctx.render(
        "messages/messages_list.html",
        context! {
            other_fio => other.fio.clone(),
            other_role => other.role.map(Role::db_name),
            other_link => link,
            messages => Serde(rows),
            form => Serde(form),
            pages => Serde(pages),
        },
    )
}
