//! `dump`: the backup document for the cron script, only for the bot
//! `dump_creator`. The document itself is the one the web `/dump` serves.

use crate::app::{AppError, Ctx};
use crate::http::{JSON_CONTENT_TYPE, Response};

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let body = crate::dev::dump::document(&mut ctx.db, ctx.now)?;
    Ok(Response::new(200, JSON_CONTENT_TYPE, body))
}
