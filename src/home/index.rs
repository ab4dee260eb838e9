//! `GET /` (everyone): greeting, a teacher's roll calls due, the overview, a link to the sessions,
//! and the student's own card.

use super::student_card;
use crate::app::{AppError, Ctx};
use crate::http::Response;
use crate::lessons::store::roll_calls_due;
use minijinja::context;
use minijinja::value::Serde;

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let Some((student, teacher)) = ctx.user.as_ref().map(|u| (u.student_id, u.teacher_id)) else {
        return ctx.render("home/index.html", context! { hide_acting_as => true });
    };
    let card = match student {
        Some(student_id) => student_card::load(&mut ctx.db, student_id)?,
        None => None,
    };
    // A teacher's day starts here: the lessons to take the roll of.
    let today = ctx.today();
    let roll_calls: Vec<_> = match teacher {
        Some(teacher) => roll_calls_due(&mut ctx.db, teacher, today)?
            .into_iter()
            .map(|l| {
                context! { lesson_id => l.lesson_id, group_name => l.group_name, marked => l.marked,
                date => l.date.format("%d.%m.%Y").to_string(), today => l.date == today }
            })
            .collect(),
        None => Vec::new(),
    };
    ctx.render(
        "home/index.html",
        context! {
            hide_acting_as => true,
            roll_calls,
            student_card => Serde(card.as_ref().map(|c| &c.card)),
            parents => Serde(card.as_ref().map(|c| &c.parents)),
            groups => Serde(card.as_ref().map(|c| &c.groups)),
        },
    )
}
