//! Add and edit forms of a school or citizenship (M, D): one unique name of 1…255 characters.

use crate::app::forms::FormView;
use crate::app::{AppError, Ctx, Done};
use crate::http::Response;
use crate::structure::store::catalog::{self, Catalog, Which};
use crate::structure::{names, render_form, submit_label};

fn view(ctx: &Ctx, c: &Catalog, id: Option<u32>) -> FormView {
    let action = match id {
        Some(id) => format!("{}/{id}", c.item_path),
        None => c.item_path.to_string(),
    };
    let fields = vec![names::field(c.field_label)];
    FormView::new(ctx.url(&action), submit_label(id.is_some()), fields).with_cancel()
}

fn existing(ctx: &mut Ctx, c: &Catalog) -> Result<(u32, String), AppError> {
    let id = ctx.params.id("id");
    let name = catalog::name(&mut ctx.db, c, id)?.ok_or(AppError::NotFound)?;
    Ok((id, name))
}

pub fn add_get<C: Which>(ctx: &mut Ctx) -> Result<Response, AppError> {
    let c = &C::CATALOG;
    let form = view(ctx, c, None);
    render_form(ctx, c.genitive, false, form)
}

pub fn add_post<C: Which>(ctx: &mut Ctx) -> Result<Response, AppError> {
    save(ctx, &C::CATALOG, None)
}

pub fn edit_get<C: Which>(ctx: &mut Ctx) -> Result<Response, AppError> {
    let c = &C::CATALOG;
    let (id, name) = existing(ctx, c)?;
    let mut form = view(ctx, c, Some(id));
    form.field_mut(names::FIELD).value = name;
    render_form(ctx, c.genitive, true, form)
}

pub fn edit_post<C: Which>(ctx: &mut Ctx) -> Result<Response, AppError> {
    let c = &C::CATALOG;
    let (id, _) = existing(ctx, c)?;
    save(ctx, c, Some(id))
}

/// Validates and writes; on any error the form comes back with the visitor's input.
fn save(ctx: &mut Ctx, c: &Catalog, id: Option<u32>) -> Result<Response, AppError> {
    let submitted = &ctx.form;
    let mut form = view(ctx, c, id);
    form.fill(submitted);
    let value = submitted.str(names::FIELD);
    let except = id.unwrap_or(0);
    let Some(name) = names::check(&mut ctx.db, &mut form, c.table, value, except, c.taken)? else {
        return render_form(ctx, c.genitive, id.is_some(), form);
    };
    let written = match id {
        Some(id) => catalog::rename(&mut ctx.db, c, id, &name),
        None => catalog::insert(&mut ctx.db, c, &name),
    };
    if names::saved(&mut form, c.taken, written)?.is_none() {
        return render_form(ctx, c.genitive, id.is_some(), form);
    }
    let verb = if id.is_some() { c.changed } else { c.created };
    ctx.flash_done(Done::new(format!("{} {name}", c.noun), verb, ""));
    Ok(ctx.redirect(c.list_path))
}
