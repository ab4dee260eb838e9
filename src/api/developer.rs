//! Developer-only overviews: `last_seens` and `access_tokens`.

use super::json::json;
use super::people::system_user_json;
use crate::app::{AppError, Ctx};
use crate::auth::token;
use crate::http::Response;
use crate::users::store::people::{Owner, Owners, owners};
use serde_json::{Value, json};

fn owner_json(o: &Owner) -> Value {
    json!({
        "detailsId": o.details_id,
        "fio": o.fio,
        "systemUser": system_user_json(&o.account),
    })
}

pub fn last_seens(ctx: &mut Ctx) -> Result<Response, AppError> {
    let items: Vec<Value> = owners(&mut ctx.db, Owners::Seen)?
        .iter()
        .map(owner_json)
        .collect();
    Ok(json(200, &items))
}

/// Every token owner with their tokens (newest expiry first); owners by their first token's last
/// use, newest first, compared as the formatted text as the original does.
pub fn access_tokens(ctx: &mut Ctx) -> Result<Response, AppError> {
    let owners = owners(&mut ctx.db, Owners::WithTokens)?;
    let mut items = Vec::with_capacity(owners.len());
    for owner in owners {
        let tokens = token::of_user(&mut ctx.db, owner.account.id)?;
        let first_use = tokens
            .first()
            .map(|t| t.last_use.clone())
            .unwrap_or_default();
        let tokens: Vec<Value> = tokens
            .into_iter()
            .map(|t| {
                json!({"appVersion": t.app_version, "device": t.device, "expires": t.expires, "lastUse": t.last_use})
            })
            .collect();
        let mut v = owner_json(&owner);
        let obj = v.as_object_mut().expect("an object");
        obj.insert("tokens".into(), tokens.into());
        items.push((first_use, v));
    }
    items.sort_by(|a, b| b.0.cmp(&a.0));
    let items: Vec<Value> = items.into_iter().map(|(_, v)| v).collect();
    Ok(json(200, &items))
}
