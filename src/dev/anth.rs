//! `GET /anth` — «ещё» (M, D): links to the rarely used pages; the template shows the
//! developer's tools only to developers.

use crate::app::{AppError, Ctx};
use crate::http::Response;
use minijinja::context;

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    ctx.render("dev/anth.html", context! {})
}
