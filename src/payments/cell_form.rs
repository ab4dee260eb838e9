//! One payment cell of a grid form (the payments page and the month grid): reading what was
//! posted, with a Russian message for bad money, and the hidden «shown» field that lets a save
//! write only the cells the visitor changed.

use super::store::{COMMENT_CHARS, Cell, Submitted, clamp};
use crate::http::Form;
use crate::ids::StudentInGroupId;
use crate::month::Month;

/// The field names of one cell, e.g. `p_9_1`, `cash_9_1`, `comment_9_1`, `conf_9_1`, `was_9_1`.
pub struct CellFields {
    pub value: String,
    pub cash: String,
    pub comment: String,
    /// `None` on a form without a confirmation checkbox (the month grid).
    pub confirm: Option<String>,
    pub shown: String,
}

impl CellFields {
    /// The names `<kind>_<key>` used by the payments page.
    pub fn with_key(key: &str) -> CellFields {
        CellFields {
            value: format!("p_{key}"),
            cash: format!("cash_{key}"),
            comment: format!("comment_{key}"),
            confirm: Some(format!("conf_{key}")),
            shown: format!("was_{key}"),
        }
    }
}

/// The hidden «shown» value of a cell: `value;cash;confirmed;comment` (the comment last, so it
/// may contain `;`).
pub fn encode_shown(cell: &Cell) -> String {
    format!(
        "{};{};{};{}",
        cell.value,
        u8::from(cell.cash),
        u8::from(cell.confirmed),
        cell.comment
    )
}

pub fn decode_shown(raw: &str) -> Option<Cell> {
    let mut parts = raw.splitn(4, ';');
    let value = parts.next()?.parse().ok()?;
    let flag = |s: Option<&str>| match s {
        Some("0") => Some(false),
        Some("1") => Some(true),
        _ => None,
    };
    let cash = flag(parts.next())?;
    let confirmed = flag(parts.next())?;
    let comment = parts.next()?.to_string();
    Some(Cell {
        value,
        cash,
        confirmed,
        comment,
    })
}

/// A money field: empty is 0; a negative or non-integer amount is refused with a Russian
/// message; an absurdly large one is simply more than the maximum (clamped later).
pub fn parse_money(raw: &str) -> Result<i64, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(0);
    }
    let digits = raw.strip_prefix('+').unwrap_or(raw);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(digits.parse().unwrap_or(i64::MAX));
    }
    match raw.strip_prefix('-') {
        Some(rest) if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) => {
            Err("сумма не может быть отрицательной")
        }
        _ => Err("сумма должна быть целым числом рублей"),
    }
}

/// Reads one cell; `stored` is its state in the database (when the form has no «shown» field,
/// that is what the page showed). A cell shown as confirmed posts no value, cash or comment:
/// those stay as shown, and only the confirmation checkbox speaks.
pub fn read_cell(
    form: &Form,
    names: &CellFields,
    (student_in_group_id, month): (StudentInGroupId, Month),
    max: i32,
    stored: Option<&Cell>,
) -> Result<Submitted, &'static str> {
    let shown = form.get(&names.shown).and_then(decode_shown);
    let confirm_ticked = names.confirm.as_ref().is_some_and(|n| form.flag(n));
    let default = Cell::default();
    let wanted = match shown.as_ref().or(stored).unwrap_or(&default) {
        cell if cell.confirmed => Cell {
            confirmed: confirm_ticked,
            ..cell.clone()
        },
        _ => {
            let comment = form.str(&names.comment).trim().to_string();
            if comment.chars().count() > COMMENT_CHARS {
                return Err("комментарий длиннее 32 символов");
            }
            Cell {
                value: clamp(parse_money(form.str(&names.value))?, max),
                cash: form.flag(&names.cash),
                confirmed: confirm_ticked,
                comment,
            }
        }
    };
    Ok(Submitted {
        student_in_group_id,
        month,
        shown,
        wanted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_parsing() {
        assert_eq!(parse_money(""), Ok(0));
        assert_eq!(parse_money(" 350 "), Ok(350));
        assert_eq!(parse_money("99999999999999999999999"), Ok(i64::MAX));
        assert!(parse_money("-5").unwrap_err().contains("отрицательной"));
        for bad in ["abc", "1.5", "1e3", "-", "5р"] {
            assert!(parse_money(bad).unwrap_err().contains("целым"), "{bad}");
        }
    }

    #[test]
    fn shown_round_trips() {
        let cell = Cell {
            value: 400,
            cash: false,
            confirmed: true,
            comment: "a;b".into(),
        };
        assert_eq!(decode_shown(&encode_shown(&cell)), Some(cell));
        assert_eq!(decode_shown("x;1;0;"), None);
        assert_eq!(decode_shown(""), None);
    }
}
