//! `GET, POST /lessons/delete_empty_past` (M, D): up to 100 past lessons without
//! «был» as checkboxes; the ticked ones are deleted. Unlike the original, emptiness is checked
//! again on submit and unknown ids are refused instead of crashing.

use super::store;
use crate::app::{AppError, Ctx, Done};
use crate::http::Response;
use minijinja::context;
use minijinja::value::Serde;

/// The most lessons the page lists at once.
const SHOWN: u32 = 100;

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let today = ctx.today();
    // One more than shown tells whether there are more.
    let mut lessons = store::empty_past_lessons(&mut ctx.db, today, SHOWN + 1)?;
    let all_shown = lessons.len() <= SHOWN as usize;
    lessons.truncate(SHOWN as usize);
    ctx.render(
        "lessons/delete_empty_past.html",
        context! { lessons => Serde(lessons), all_shown },
    )
}

pub fn post(ctx: &mut Ctx) -> Result<Response, AppError> {
    let today = ctx.today();
    let mut ids = Vec::new();
    for (key, _) in ctx.form.pairs() {
        if let Some(id) = key.strip_prefix("l_") {
            ids.push(
                id.parse::<u32>()
                    .map_err(|_| AppError::BadRequest(format!("«{id}» — не номер занятия")))?,
            );
        }
    }
    ids.sort_unstable();
    ids.dedup();
    let empty = store::still_empty_past(&mut ctx.db, &ids, today)?;
    store::delete_lessons(&mut ctx.db, &empty)?;
    let skipped = ids.len() - empty.len();
    let message = match skipped {
        0 => format!("удалено занятий: {}", empty.len()),
        n => format!(
            "удалено занятий: {}; оставлено (уже не пустые или не найдены): {n}",
            empty.len()
        ),
    };
    let not_done = format!("занятия не удалены (было бы удалено: {})", empty.len());
    ctx.flash_done(Done::with(message, not_done));
    Ok(ctx.redirect("/lessons/list"))
}
