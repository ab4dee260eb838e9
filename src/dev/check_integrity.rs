//! `GET /check_db_integrity[/…]` (developers only): one report page per
//! group of checks, a list of problems or «нет проблем».

use super::integrity::Check;
use crate::app::{AppError, Ctx};
use crate::http::Response;
use minijinja::context;

pub fn main_rules(ctx: &mut Ctx) -> Result<Response, AppError> {
    page(ctx, Check::Main)
}

pub fn attendings_in_own_groups(ctx: &mut Ctx) -> Result<Response, AppError> {
    page(ctx, Check::AttendingsInOwnGroups)
}

pub fn notifications_and_messages(ctx: &mut Ctx) -> Result<Response, AppError> {
    page(ctx, Check::NotificationsAndMessages)
}

fn page(ctx: &mut Ctx, check: Check) -> Result<Response, AppError> {
    let problems = check.run(&mut ctx.db)?;
    ctx.render(
        "dev/check_integrity.html",
        context! { title => check.title(), problems },
    )
}
