//! `GET, POST /structure/section` (add) and `/structure/section/<id>` (edit), M and D:
//! a unique name and a monthly price of 1…4000 rubles.

use crate::app::forms::{Field, FormView, Kind};
use crate::app::{AppError, Ctx, Done};
use crate::http::Response;
use crate::structure::store::sections;
use crate::structure::{names, render_form, submit_label};

const WHAT: &str = "секции";
const PRICE: &str = "price";
const PRICE_MAX: i64 = 4000;

fn view(ctx: &Ctx, id: Option<u32>) -> FormView {
    let action = match id {
        Some(id) => format!("/structure/section/{id}"),
        None => "/structure/section".to_string(),
    };
    let fields = vec![
        names::field("название секции"),
        Field::new(Kind::Number, PRICE, "цена за месяц")
            .required()
            .attr("required", "required")
            .attr("min", "1")
            .attr("max", &PRICE_MAX.to_string()),
    ];
    FormView::new(ctx.url(&action), submit_label(id.is_some()), fields).with_cancel()
}

pub fn add_get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let form = view(ctx, None);
    render_form(ctx, WHAT, false, form)
}

pub fn add_post(ctx: &mut Ctx) -> Result<Response, AppError> {
    save(ctx, None)
}

pub fn edit_get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let id = ctx.params.id("id");
    let section = sections::find(&mut ctx.db, id)?.ok_or(AppError::NotFound)?;
    let mut form = view(ctx, Some(id));
    form.field_mut(names::FIELD).value = section.name;
    form.field_mut(PRICE).value = section.price.to_string();
    render_form(ctx, WHAT, true, form)
}

pub fn edit_post(ctx: &mut Ctx) -> Result<Response, AppError> {
    let id = ctx.params.id("id");
    sections::find(&mut ctx.db, id)?.ok_or(AppError::NotFound)?;
    save(ctx, Some(id))
}

/// Validates and writes; on any error the form comes back with the visitor's input.
fn save(ctx: &mut Ctx, id: Option<u32>) -> Result<Response, AppError> {
    let submitted = &ctx.form;
    let mut form = view(ctx, id);
    form.fill(submitted);
    let price = check_price(&mut form, submitted.str(PRICE));
    let name = names::check(
        &mut ctx.db,
        &mut form,
        sections::TABLE,
        submitted.str(names::FIELD),
        id.unwrap_or(0),
        sections::TAKEN,
    )?;
    let (Some(name), Some(price)) = (name, price) else {
        return render_form(ctx, WHAT, id.is_some(), form);
    };
    let written = match id {
        Some(id) => sections::update(&mut ctx.db, id, &name, price),
        None => sections::insert(&mut ctx.db, &name, price),
    };
    if names::saved(&mut form, sections::TAKEN, written)?.is_none() {
        return render_form(ctx, WHAT, id.is_some(), form);
    }
    let verb = if id.is_some() {
        "изменена"
    } else {
        "создана"
    };
    ctx.flash_done(Done::new(format!("секция {name}"), verb, ""));
    Ok(ctx.redirect("/structure/sections"))
}

/// The price rule of the original, its English messages in Russian: empty or 0 is «required»
/// (its DataRequired saw 0 as missing), then positive, then at most 4000.
fn check_price(form: &mut FormView, raw: &str) -> Option<i32> {
    let message = match parse_integer(raw) {
        Integer::Empty | Integer::Value(0) => "Это поле обязательно.",
        Integer::Invalid => "Введите целое число.",
        Integer::Value(n) if n < 0 => "цена должна быть положительной!",
        Integer::Value(n) if n > PRICE_MAX => "цена слишком БОЛЬШАЯ!",
        Integer::Value(n) => return i32::try_from(n).ok(),
    };
    form.error(PRICE, message);
    None
}

#[derive(Debug, PartialEq, Eq)]
enum Integer {
    Empty,
    Invalid,
    /// Saturated at the ends of `i64`: only the sign and "too big" matter beyond that.
    Value(i64),
}

/// An integer as a person types it: optional spaces around, an optional sign, decimal digits.
fn parse_integer(raw: &str) -> Integer {
    let raw = raw.trim();
    if raw.is_empty() {
        return Integer::Empty;
    }
    let (negative, digits) = match raw.as_bytes()[0] {
        b'-' => (true, &raw[1..]),
        b'+' => (false, &raw[1..]),
        _ => (false, raw),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Integer::Invalid;
    }
    let magnitude = digits.parse::<i64>().unwrap_or(i64::MAX);
    Integer::Value(if negative { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_as_typed() {
        assert_eq!(parse_integer(" 12 "), Integer::Value(12));
        assert_eq!(parse_integer("+7"), Integer::Value(7));
        assert_eq!(parse_integer("-0"), Integer::Value(0));
        assert_eq!(parse_integer("-5"), Integer::Value(-5));
        assert_eq!(
            parse_integer("99999999999999999999"),
            Integer::Value(i64::MAX)
        );
        assert_eq!(
            parse_integer("-99999999999999999999"),
            Integer::Value(-i64::MAX)
        );
        for bad in ["abc", "1.5", "1e3", "-", "12a", "١٢"] {
            assert_eq!(parse_integer(bad), Integer::Invalid, "{bad}");
        }
        assert_eq!(parse_integer("  "), Integer::Empty);
    }
}
