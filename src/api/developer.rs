//! Developer-only overviews: `last_seens` and `access_tokens`.

use super::json::json;
use super::people::owners_where;
use crate::app::{AppError, Ctx};
use crate::http::Response;
use mysql::prelude::Queryable;
use serde_json::{Value, json};

pub fn last_seens(ctx: &mut Ctx) -> Result<Response, AppError> {
    let users = owners_where(
        &mut ctx.db,
        "su.last_seen_where != 1 ORDER BY su.last_seen DESC, su.id",
        vec![],
    )?;
    let items: Vec<Value> = users.into_iter().map(|(_, v)| v).collect();
    Ok(json(200, &items.into()))
}

/// Every token owner with their tokens (newest expiry first); owners by their first token's last
/// use, newest first, compared as the formatted text as the original does.
pub fn access_tokens(ctx: &mut Ctx) -> Result<Response, AppError> {
    let owners = owners_where(
        &mut ctx.db,
        "su.id IN (SELECT system_user_id FROM access_tokens) ORDER BY su.id",
        vec![],
    )?;
    let mut items = Vec::with_capacity(owners.len());
    for (user_id, mut owner) in owners {
        // Rows from before the original's migration 0022 may hold the zero date.
        let tokens: Vec<Value> = ctx.db.exec_map(
            "SELECT app_version, device,
                COALESCE(DATE_FORMAT(expires, '%Y-%m-%d %H:%i'), '0000-00-00 00:00'),
                COALESCE(DATE_FORMAT(last_use, '%Y-%m-%d %H:%i'), '0000-00-00 00:00')
             FROM access_tokens WHERE system_user_id = ? ORDER BY expires DESC, id",
            (user_id,),
            |(app_version, device, expires, last_use): (String, String, String, String)| {
                json!({"appVersion": app_version, "device": device, "expires": expires, "lastUse": last_use})
            },
        )?;
        let first_use = tokens
            .first()
            .and_then(|t| t["lastUse"].as_str())
            .unwrap_or("")
            .to_string();
        owner
            .as_object_mut()
            .expect("an object")
            .insert("tokens".into(), tokens.into());
        items.push((first_use, owner));
    }
    items.sort_by(|a, b| b.0.cmp(&a.0));
    let items: Vec<Value> = items.into_iter().map(|(_, v)| v).collect();
    Ok(json(200, &items.into()))
}
