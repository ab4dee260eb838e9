//! `GET /stat/dashboard.svg` (M, D, T): the overview as one server-drawn SVG image, which the
//! index page shows. As an image of its own it costs the index page nothing: the page stays as
//! fast as before, and the browser fetches the figures beside it.

use super::overview::{self, chart, scope_of};
use crate::app::render::environment;
use crate::app::{AppError, Ctx, signed_in};
use crate::http::Response;
use minijinja::context;
use minijinja::value::Serde;

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let teacher = scope_of(signed_in(&ctx.user)?);
    let today = ctx.today();
    let o = overview::load(&mut ctx.db, teacher, today)?;
    let c = chart(&o);
    let svg = environment(&ctx.config.site.url_prefix)
        .get_template("stats/dashboard_svg.html")?
        .render(context! { o => Serde(&o), chart => Serde(&c) })?;
    Ok(Response::new(200, "image/svg+xml; charset=utf-8", svg))
}
