//! Blueprint `payments`: the payments grid of a group, and the money reports (debtors). The store and the cell form are shared
//! with the month grid of `lessons` (its payment column).

pub mod cell_form;
pub mod debtors;
pub mod debtors_xlsx;
pub mod debts;
pub mod group_grid;
pub mod group_grid_xlsx;
pub mod month;
pub mod store;

use crate::app::Ctx;

/// The groups list searched by a group's name: where a group's name links to.
pub fn groups_list_url(ctx: &Ctx, group_name: &str) -> String {
    let query = serde_urlencoded::to_string([("search", group_name)]).unwrap_or_default();
    ctx.url(&format!("/structure/groups?{query}"))
}
