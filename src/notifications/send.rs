//! `GET, POST /notifications/send?group_id=<id>`: a group writer notifies the
//! whole group or one member. The notification is always stored; delivery to the parents happens
//! over the configured channels and its outcome per receiver is stored with it.
//! Developers may look at the form, but a valid submit is refused.

use super::delivery::{self, Receivers};
use super::{Receiver, store};
use crate::app::access::{GroupRef, group_for_write};
use crate::app::forms::{Field, FormView, Kind, check_choice, check_length, check_required};
use crate::app::{AppError, Ctx, Refusal};
use crate::http::Response;
use crate::ids::{GroupId, StudentInGroupId};
use minijinja::context;
use minijinja::value::Serde;

const RECEIVER: &str = "receiver";
const SUBJECT: &str = "subject";
const BODY: &str = "body";

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let group = the_group(ctx)?;
    let members = store::members(&mut ctx.db, group.id)?;
    let form = view(ctx, &group, &members);
    render(ctx, &group, &members, form)
}

pub fn post(ctx: &mut Ctx) -> Result<Response, AppError> {
    let group = the_group(ctx)?;
    let members = store::members(&mut ctx.db, group.id)?;
    let submitted = &ctx.form;
    let mut form = view(ctx, &group, &members);
    form.fill(submitted);
    let (receiver, subject, body) = (
        submitted.str(RECEIVER),
        submitted.str(SUBJECT),
        submitted.str(BODY),
    );
    let chosen = check_choice(&mut form, RECEIVER, receiver);
    check_required(&mut form, SUBJECT, subject);
    check_length(&mut form, SUBJECT, subject, 1, 255);
    check_required(&mut form, BODY, body);
    check_length(&mut form, BODY, body, 1, 1024);
    if !chosen || form.has_errors() {
        return render(ctx, &group, &members, form);
    }
    let user = ctx.user()?;
    if user.is_developer {
        return Err(AppError::Refused(Refusal::DeveloperSends));
    }
    let sender_id = user.id;
    let receiver = match receiver.parse::<u32>() {
        Ok(0) | Err(_) => Receiver::Group(group.id),
        Ok(member) => Receiver::Member(StudentInGroupId(member)),
    };
    let parents = store::parents_of(&mut ctx.db, receiver)?;
    let report = delivery::deliver(ctx.config, &Receivers::of(&parents), subject, body);
    let receivers = report.receivers_text();
    store::insert(
        &mut ctx.db,
        sender_id,
        receiver,
        subject,
        body,
        ctx.now,
        &receivers,
    )?;
    ctx.flash("уведомление отправлено!");
    for line in report.summary() {
        ctx.flash(line);
    }
    Ok(ctx.redirect("/notifications/list"))
}

/// `?group_id=`: a missing or malformed id is group 0, which does not exist (404), as in the
/// original.
fn the_group(ctx: &mut Ctx) -> Result<GroupRef, AppError> {
    let id = ctx.query()?.str("group_id").trim().parse().unwrap_or(0);
    group_for_write(ctx, GroupId(id))
}

fn view(ctx: &Ctx, group: &GroupRef, members: &[store::Member]) -> FormView {
    let mut options = vec![(
        "0".to_string(),
        format!("{} (учеников: {})", group.name, members.len()),
    )];
    options.extend(members.iter().map(|m| (m.id.to_string(), m.fio.clone())));
    let mut receiver = Field::new(Kind::Select, RECEIVER, "получатель").with_options(options);
    receiver.select("0");
    let fields = vec![
        receiver,
        Field::new(Kind::Text, SUBJECT, "тема")
            .required()
            .max_length(255)
            .attr("required", "required"),
        Field::new(Kind::Textarea, BODY, "сообщение")
            .required()
            .max_length(1024)
            .attr("required", "required"),
    ];
    let action = format!("/notifications/send?group_id={}", group.id);
    FormView::new(ctx.url(&action), "отправить", fields).with_cancel()
}

fn render(
    ctx: &mut Ctx,
    group: &GroupRef,
    members: &[store::Member],
    form: FormView,
) -> Result<Response, AppError> {
    let group_link = format!(
        "/structure/groups?{}",
        serde_urlencoded::to_string([("search", &group.name)]).unwrap_or_default()
    );
    let (email, vk) = (ctx.config.mail.is_some(), ctx.config.vk.is_some());
    ctx.render(
        "notifications/send.html",
        context! {
            group_name => group.name.clone(),
            group_link,
            members => Serde(members),
            form => Serde(form),
            email_configured => email,
            vk_configured => vk,
        },
    )
}
