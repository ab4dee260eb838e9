//! The `phone_link` template filter: a stored phone number as a link that dials it. A number
//! stored the usual way, 11 digits from 8, dials as +7… (E.164) and reads «8 912 345-67-89»;
//! anything else dials its digits and reads as stored. A contact phone shown with whose it is,
//! «89123456789 (мать)», links the number and keeps the note after it.

use minijinja::HtmlEscape;
use minijinja::value::Value;

/// `<a href="tel:…">…</a>` for `stored`, the text as it is when it holds no digits.
pub fn phone_link(shown: &str) -> Value {
    let shown = shown.trim();
    let (stored, note) = match shown.split_once(" (") {
        Some((number, whose)) if whose.ends_with(')') => (number.trim(), &shown[number.len()..]),
        _ => (shown, ""),
    };
    let digits: String = stored.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return Value::from(shown);
    }
    let html = match digits.strip_prefix('8') {
        Some(rest) if digits.len() == 11 && digits == stored => format!(
            "<a class=\"tel\" href=\"tel:+7{rest}\">8 {} {}-{}-{}</a>",
            &rest[..3],
            &rest[3..6],
            &rest[6..8],
            &rest[8..]
        ),
        _ => format!(
            "<a class=\"tel\" href=\"tel:{digits}\">{}</a>",
            HtmlEscape(stored)
        ),
    };
    Value::from_safe_string(format!("{html}{}", HtmlEscape(note)))
}

#[cfg(test)]
mod tests {
    use super::phone_link;

    #[test]
    fn dials_e164_and_reads_in_groups() {
        assert_eq!(
            phone_link("89123456789").to_string(),
            "<a class=\"tel\" href=\"tel:+79123456789\">8 912 345-67-89</a>"
        );
        assert_eq!(
            phone_link("22-33-44 <b>").to_string(),
            "<a class=\"tel\" href=\"tel:223344\">22-33-44 &lt;b&gt;</a>"
        );
        assert_eq!(
            phone_link("89123456789 (мать)").to_string(),
            "<a class=\"tel\" href=\"tel:+79123456789\">8 912 345-67-89</a> (мать)"
        );
        assert_eq!(phone_link(" (отец)").to_string(), "(отец)");
        assert_eq!(phone_link("").to_string(), "");
        assert_eq!(phone_link("нет").to_string(), "нет");
    }
}
