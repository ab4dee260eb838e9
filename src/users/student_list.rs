//! `GET /users/students` (M, D, T): students not yet filled in first, then by FIO, or sorted by
//! FIO or last visit; filtered by a group (`group_id`, 0 = all, 404 for an unknown one) and
//! searched by FIO, login or a parent's phone.

use crate::app::access::{GroupRef, group_for_read};
use crate::app::list::ListQuery;
use crate::app::{AppError, Ctx, signed_in};
use crate::http::Response;
use crate::ids::GroupId;
use crate::structure::store::groups;
use crate::users::store::people::PersonSort;
use crate::users::store::students;
use minijinja::context;
use minijinja::value::Serde;

/// The search and the group filter of the list (and of its download).
pub(super) fn filters(ctx: &mut Ctx) -> Result<(ListQuery, Option<GroupRef>), AppError> {
    let query = ctx.query()?;
    let q = ListQuery::parse(&query);
    // Like the original's `type=int` with default 0: anything but a positive number means «все».
    let group = match query.str("group_id").trim().parse::<i64>() {
        Ok(id) if id > 0 => Some(group_for_read(
            ctx,
            GroupId(u32::try_from(id).map_err(|_| AppError::NotFound)?),
        )?),
        _ => None,
    };
    Ok((q, group))
}

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let (q, group) = filters(ctx)?;
    let group_id = group.as_ref().map(|g| g.id);
    let me = signed_in(&ctx.user)?;
    let (rows, total) = students::page(&mut ctx.db, &q, group_id, me, ctx.now)?;
    let groups = groups::for_user(&mut ctx.db, me.teacher_id)?;
    let pages = q.pages(&ctx.url("/users/students"), total);
    let mut filter = vec![("search", q.search.clone())];
    filter.extend(group_id.map(|id| ("group_id", id.to_string())));
    filter.extend(
        q.sort_params::<PersonSort>()
            .into_iter()
            .map(|(k, v)| (k, v.to_string())),
    );
    let export = serde_urlencoded::to_string(filter)
        .map(|f| ctx.url(&format!("/users/students/xlsx?{f}")))
        .unwrap_or_default();
    ctx.render(
        "users/student_list.html",
        context! {
            rows => Serde(rows),
            sorts => Serde(q.sort_links::<PersonSort>(&ctx.url("/users/students"))),
            search => q.search,
            pages => Serde(pages),
            export,
            groups => Serde(groups),
            group_id => group_id.map_or(0, u32::from),
            group_name => group.map(|g| g.name).unwrap_or_default(),
        },
    )
}
