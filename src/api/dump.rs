//! `dump`: the backup document for the cron script, only for the bot
//! `dump_creator`. The document itself is the one the web `/dump` serves.

use super::token::{Allowed, authenticate};
use crate::app::{AppError, Ctx};
use crate::http::{JSON_CONTENT_TYPE, Response};

/// The only bot the original let fetch the dump.
const DUMP_BOTS: &[&str] = &["dump_creator"];

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    authenticate(ctx, Allowed::Bots(DUMP_BOTS))?;
    let body = crate::dev::dump::document(&mut ctx.db, ctx.now)?;
    Ok(Response::new(200, JSON_CONTENT_TYPE, body))
}
