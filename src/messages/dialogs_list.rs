//! `GET /messages/dialogs_list` (M, T, S; developers may not use messages): the user's dialogs,
//! newest first, with unread counts, and the way to open a new dialog: a student picks from a
//! select, the staff search by name (`?search=`) and open a found person's dialog.

use super::store;
use crate::app::forms::{Field, Kind};
use crate::app::list::{FOUND_AT_MOST, ListQuery};
use crate::app::{AppError, Ctx, signed_in};
use crate::http::Response;
use minijinja::context;
use minijinja::value::Serde;
use serde::Serialize;

/// The list shows this many characters of the last message.
const PREVIEW_CHARS: usize = 84;

#[derive(Debug, Serialize)]
struct DialogRow {
    with: u32,
    name: String,
    unread: u64,
    time: String,
    preview: String,
    last_forward: bool,
    last_unread: bool,
}

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let me = signed_in(&ctx.user)?;
    let list = ListQuery::parse(&ctx.query()?);
    let tz = ctx.config.zone();
    let total = store::dialogs_count(&mut ctx.db, me.id)?;
    let rows: Vec<DialogRow> = store::dialogs(&mut ctx.db, me.id, list.limit())?
        .into_iter()
        .map(|d| DialogRow {
            with: d.with,
            name: d.name,
            unread: d.unread,
            time: crate::time::format_datetime(d.last_time, tz),
            preview: preview(&d.last_body),
            last_forward: d.last_forward,
            last_unread: d.last_unread,
        })
        .collect();
    // A student writes to the few masters and teachers of a select; the staff, who may write to
    // every student too, search for the receiver by name instead of a select of thousands.
    let picker = me
        .is_student
        .then(|| Field::new(Kind::Select, "receiver_id", "получатель"));
    let picker = match picker {
        Some(field) => Some(
            field.with_options(
                store::receivers_of_student(&mut ctx.db, me.id)?
                    .into_iter()
                    .map(|(id, name)| (id.to_string(), name))
                    .collect(),
            ),
        ),
        None => None,
    };
    let (found, more) = match picker.is_none() && !list.search.is_empty() {
        true => store::receivers_found(&mut ctx.db, me.id, &list)?,
        false => (Vec::new(), false),
    };
    let pages = list.pages(&ctx.url("/messages/dialogs_list"), total);
    ctx.render(
        "messages/dialogs_list.html",
        context! {
            dialogs => Serde(rows),
            picker => Serde(picker),
            search => list.search,
            found => Serde(found),
            more,
            found_at_most => FOUND_AT_MOST,
            total,
            pages => Serde(pages),
        },
    )
}

fn preview(body: &str) -> String {
    if body.chars().count() > PREVIEW_CHARS {
        let cut: String = body.chars().take(PREVIEW_CHARS).collect();
        format!("{cut}...")
    } else {
        body.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_bodies_are_cut() {
        assert_eq!(preview("привет"), "привет");
        let long = "я".repeat(85);
        assert_eq!(preview(&long), format!("{}...", "я".repeat(84)));
        assert_eq!(preview(&"я".repeat(84)), "я".repeat(84));
    }
}
