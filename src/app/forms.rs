//! Forms as the templates draw them (`macros/forms.html`), and the shared validators with their
//! Russian messages. A handler builds a `FormView`, fills values from the request, validates, and
//! either writes or renders the same view again with the errors and the visitor's input.

use minijinja::HtmlEscape;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

#[derive(Debug, Clone, Serialize)]
pub struct SelectOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Text,
    /// `<input type="number">`; the server parses and range-checks the text again.
    Number,
    Password,
    /// `<input type="tel">`: a phone number, written with spaces, dashes and brackets.
    Tel,
    Checkbox,
    /// `<input type="date">`: the value is `YYYY-MM-DD`.
    Date,
    Textarea,
    /// One of `options`; the chosen one is `value` and marked `selected`.
    Select,
    /// Any of `options`, each marked `selected`.
    Multiselect,
}

#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    pub value: String,
    pub checked: bool,
    pub required: bool,
    pub errors: Vec<String>,
    /// Given to templates as the `<option>` elements themselves, escaped here in one pass: a
    /// template loop over the 2 × 3,900 parents of the student form took most of its time.
    #[serde(serialize_with = "options_html")]
    pub options: Vec<SelectOption>,
    /// How many options there are (a multi-select's height).
    pub option_count: usize,
    /// A select with a text box above it that narrows its options (app.js).
    pub filter: bool,
    /// A select whose options are found on the server: the box `<name>_search` and a «найти»
    /// button that posts the form back with `find=<name>` (works without JavaScript).
    pub finder: Option<Finder>,
    pub attrs: BTreeMap<&'static str, String>,
}

impl Field {
    pub fn new(kind: Kind, name: &'static str, label: &'static str) -> Field {
        Field {
            name,
            label,
            kind,
            value: String::new(),
            checked: false,
            required: false,
            errors: Vec::new(),
            options: Vec::new(),
            option_count: 0,
            filter: false,
            finder: None,
            attrs: BTreeMap::new(),
        }
    }

    /// A phone number's box: the phone keyboard, the browser's own number offered, and room for
    /// the number written as people write it (`+7 (912) 345-67-89`).
    pub fn phone(name: &'static str, label: &'static str) -> Field {
        Field::new(Kind::Tel, name, label)
            .max_length(PHONE_MAX)
            .attr("inputmode", "tel")
            .attr("autocomplete", "tel")
    }

    /// The choices of a select: (value, label) pairs, none selected yet.
    pub fn with_options(mut self, options: Vec<(String, String)>) -> Field {
        self.options = options
            .into_iter()
            .map(|(value, label)| SelectOption {
                value,
                label,
                selected: false,
            })
            .collect();
        self.option_count = self.options.len();
        self
    }

    /// Adds the text box that narrows a long select.
    pub fn filterable(mut self) -> Field {
        self.filter = true;
        self
    }

    /// Makes the select one found by a search on the server (see [`Field::finder`]).
    pub fn found_by(mut self, finder: Finder) -> Field {
        self.finder = Some(finder);
        self
    }

    /// Chooses `value` in a select (and keeps it as the field's value).
    pub fn select(&mut self, value: &str) {
        self.select_all(&[value]);
        self.value = value.to_string();
    }

    /// Chooses every option whose value is in `values` (a multi-select).
    pub fn select_all(&mut self, values: &[&str]) {
        for o in &mut self.options {
            o.selected = values.contains(&o.value.as_str());
        }
    }

    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }

    /// The browser-side length limit; the server checks it again.
    pub fn max_length(mut self, n: usize) -> Field {
        self.attrs.insert("maxlength", n.to_string());
        self
    }

    pub fn attr(mut self, name: &'static str, value: &str) -> Field {
        self.attrs.insert(name, value.to_string());
        self
    }
}

/// The search box of a select found on the server: what was searched, and what came of it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Finder {
    pub search: String,
    /// «найдено: 3 — выберите в списке», «никого не найдено», …; empty before a search.
    pub note: String,
}

/// The name of the button a finder's search is posted with (its value is the select's name).
pub const FIND: &str = "find";

/// Appends one `<option>` on its own line, escaped, to `out`: what a select of a form draws for
/// each of its options, written straight into the select's HTML.
fn push_option(out: &mut String, value: &str, label: &str, selected: bool) {
    let selected = if selected { " selected" } else { "" };
    // Writing into a String cannot fail.
    let _ = write!(
        out,
        "\n<option value=\"{}\"{selected}>{}</option>",
        HtmlEscape(value),
        HtmlEscape(label)
    );
}

fn options_html<S: serde::Serializer>(options: &[SelectOption], s: S) -> Result<S::Ok, S::Error> {
    let bytes: usize = options.iter().map(|o| o.value.len() + o.label.len()).sum();
    let mut html = String::with_capacity(bytes + options.len() * 40);
    for o in options {
        push_option(&mut html, &o.value, &o.label, o.selected);
    }
    minijinja::Value::from_safe_string(html).serialize(s)
}

#[derive(Debug, Clone, Serialize)]
pub struct FormView {
    pub action: String,
    pub method: &'static str,
    pub submit: &'static str,
    pub cancel: bool,
    pub errors: Vec<String>,
    pub fields: Vec<Field>,
}

impl FormView {
    pub fn new(action: String, submit: &'static str, fields: Vec<Field>) -> FormView {
        FormView {
            action,
            method: "post",
            submit,
            cancel: false,
            errors: Vec::new(),
            fields,
        }
    }

    pub fn with_cancel(mut self) -> FormView {
        self.cancel = true;
        self
    }

    /// Copies the submitted values into the fields (passwords are never echoed back).
    pub fn fill(&mut self, form: &crate::http::Form) {
        for f in &mut self.fields {
            match f.kind {
                Kind::Checkbox => f.checked = form.flag(f.name),
                Kind::Password => {}
                Kind::Text | Kind::Number | Kind::Tel | Kind::Date | Kind::Textarea => {
                    f.value = form.str(f.name).to_string()
                }
                Kind::Select => {
                    let value = form.str(f.name).to_string();
                    f.select(&value);
                }
                Kind::Multiselect => f.select_all(&form.all(f.name)),
            }
        }
    }

    pub fn field_mut(&mut self, name: &str) -> &mut Field {
        self.fields
            .iter_mut()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("no field {name}"))
    }

    pub fn error(&mut self, field: &str, message: impl Into<String>) {
        self.field_mut(field).errors.push(message.into());
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty() || self.fields.iter().any(|f| !f.errors.is_empty())
    }
}

/// «Это поле обязательно.» when the value is empty or only spaces.
pub fn check_required(form: &mut FormView, field: &str, value: &str) {
    if value.trim().is_empty() {
        form.error(field, "Это поле обязательно.");
    }
}

/// The length rule of the original's forms, counted in characters.
pub fn check_length(form: &mut FormView, field: &str, value: &str, min: usize, max: usize) {
    let n = value.chars().count();
    if n < min || n > max {
        form.error(
            field,
            format!("Длина поля должна быть от {min} до {max} символов."),
        );
    }
}

/// A trimmed text of `min..=max` characters.
pub fn check_text(
    form: &mut FormView,
    submitted: &crate::http::Form,
    name: &str,
    min: usize,
    max: usize,
) -> String {
    let value = submitted.str(name).trim();
    check_length(form, name, value, min, max);
    value.to_string()
}

/// An optional text of at most `max` characters: trimmed, `None` when empty.
pub fn optional_text(
    form: &mut FormView,
    submitted: &crate::http::Form,
    name: &str,
    max: usize,
) -> Option<String> {
    Some(check_text(form, submitted, name, 0, max)).filter(|v| !v.is_empty())
}

/// The submitted value is one of the field's options (a select cannot be trusted to send one).
pub fn check_choice(form: &mut FormView, field: &str, value: &str) -> bool {
    let known = form
        .field_mut(field)
        .options
        .iter()
        .any(|o| o.value == value);
    if !known {
        form.error(field, "Выберите значение из списка.");
    }
    known
}

/// The longest phone number as written that a phone field takes.
pub const PHONE_MAX: usize = 20;

/// What a phone number must look like, with examples of how it may be written.
const PHONE_FORMAT: &str = "телефон не распознан: напишите номер с кодом города или оператора, \
     например +7 912 345-67-89, 8 (912) 345-67-89 или 8 (3852) 12-34-56";

/// A phone number as people write it (`+7 912 345-67-89`, `8 (3852) 12-34-56`, `9123456789`:
/// spaces, dashes, dots and brackets anywhere) in the one form the database holds and the API
/// returns: `8` and the ten digits of the code and the number. `None` when it is not a full
/// Russian number: a code never begins with 0, 1 or 2, and a code beginning with 7 or 8 needs
/// the leading 8 or +7.
pub fn normalise_phone(text: &str) -> Option<String> {
    let text = text.trim();
    let (plus, rest) = match text.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if !rest
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'))
    {
        return None;
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    let ten = match (plus, digits.len(), digits.as_bytes().first()) {
        (true, 11, Some(b'7')) | (false, 11, Some(b'7' | b'8')) => &digits[1..],
        // Ten digits that begin with 8 or 7 are more likely an 11-digit number missing a digit.
        (false, 10, Some(b'3'..=b'6' | b'9')) => &digits[..],
        _ => return None,
    };
    matches!(ten.as_bytes()[0], b'3'..=b'9').then(|| format!("8{ten}"))
}

/// A phone field's number, normalised ([`normalise_phone`]); `allow_empty` also accepts "".
/// Returns what is to be stored: the normalised number, or the text as typed when it is empty or
/// wrong (the form then comes back with the error).
#[must_use]
pub fn check_phone(form: &mut FormView, field: &str, value: &str, allow_empty: bool) -> String {
    let value = value.trim();
    if allow_empty && value.is_empty() {
        return String::new();
    }
    normalise_phone(value).unwrap_or_else(|| {
        form.error(field, PHONE_FORMAT);
        value.to_string()
    })
}

/// A phone box of free text (a home phone, say): a full number is normalised like a mobile one,
/// anything else (a six-digit city number without its code) is kept as typed.
pub fn phone_or_text(text: String) -> String {
    normalise_phone(&text).unwrap_or(text)
}

/// An e-mail address as WTForms' `Email` checks it: something, `@`, a domain with a dot, no spaces.
pub fn check_email(form: &mut FormView, field: &str, value: &str) {
    let ok = match value.rsplit_once('@') {
        Some((user, domain)) => {
            !user.is_empty()
                && !value.chars().any(char::is_whitespace)
                && domain.split('.').count() >= 2
                && domain.split('.').all(|part| !part.is_empty())
        }
        None => false,
    };
    if !ok {
        form.error(field, "Неверный адрес электронной почты.");
    }
}

/// A VK page's address as people copy it (`https://vk.com/id1`, `m.vk.com/durov/`,
/// `www.vk.com/durov`) in the form the database holds and the VK sender reads:
/// `vk.com/<name>`, the name of letters, digits or `_`.
pub fn normalise_vk_link(text: &str) -> Option<String> {
    let text = text.trim();
    let lower = text.to_ascii_lowercase();
    let skip = ["https://", "http://"]
        .iter()
        .find(|scheme| lower.starts_with(*scheme))
        .map_or(0, |scheme| scheme.len());
    let host_and_path = &text[skip..];
    let host_end = host_and_path.find('/')?;
    let host = host_and_path[..host_end].to_ascii_lowercase();
    if !matches!(host.as_str(), "vk.com" | "www.vk.com" | "m.vk.com") {
        return None;
    }
    let path = &host_and_path[host_end + 1..];
    let name = path.strip_suffix('/').unwrap_or(path);
    let ok = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    ok.then(|| format!("vk.com/{name}"))
}

/// A VK field's address, normalised ([`normalise_vk_link`]); the text as typed when wrong (the
/// form then comes back with the error).
#[must_use]
pub fn check_vk_link(form: &mut FormView, field: &str, value: &str) -> String {
    normalise_vk_link(value).unwrap_or_else(|| {
        form.error(
            field,
            "ссылка на страницу ВКонтакте вида vk.com/id12345678 или https://vk.com/durov",
        );
        value.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(check: impl Fn(&mut FormView)) -> Vec<String> {
        let mut form = FormView::new(String::new(), "", vec![Field::new(Kind::Text, "f", "f")]);
        check(&mut form);
        form.fields[0].errors.clone()
    }

    #[test]
    fn an_option_is_escaped_and_marked_when_selected() {
        let mut html = String::new();
        push_option(&mut html, "1", "робо-71", false);
        push_option(&mut html, "2\"", "<b>&'", true);
        assert_eq!(
            html,
            "\n<option value=\"1\">робо-71</option>\
             \n<option value=\"2&quot;\" selected>&lt;b&gt;&amp;&#x27;</option>"
        );
    }

    #[test]
    fn phones_as_people_write_them() {
        for (written, stored) in [
            ("89012223344", "89012223344"),
            ("+7 912 345-67-89", "89123456789"),
            ("8-912-345-67-89", "89123456789"),
            ("8 (912) 345 67 89", "89123456789"),
            ("(912) 345-67-89", "89123456789"),
            ("9123456789", "89123456789"),
            ("7 912 345.67.89", "89123456789"),
            ("8 (3852) 12-34-56", "83852123456"),
            ("+7 3852 123456", "83852123456"),
            (" +7(912)3456789 ", "89123456789"),
            ("8 (812) 123-45-67", "88121234567"),
        ] {
            assert_eq!(
                normalise_phone(written).as_deref(),
                Some(stored),
                "{written}"
            );
        }
        for bad in [
            "",
            "123456",
            "8901222334",
            "890122233445",
            "8901222334a",
            "+89012223344",
            "+7 012 345-67-89",
            "8 (212) 345-67-89",
            "0123456789",
            "(812) 123-45-67",
            "+7 912 345-67-89 доб. 5",
            "++79123456789",
            "7 912 345 67 89 0",
        ] {
            assert_eq!(normalise_phone(bad), None, "{bad}");
        }
    }

    #[test]
    fn phone_fields() {
        let stored = |f: &mut FormView| {
            assert_eq!(
                check_phone(f, "f", "8 (912) 345-67-89", false),
                "89123456789"
            )
        };
        assert!(errors(stored).is_empty());
        assert!(errors(|f| assert_eq!(check_phone(f, "f", " ", true), "")).is_empty());
        let wrong = errors(|f| assert_eq!(check_phone(f, "f", "12-34", false), "12-34"));
        assert!(wrong[0].contains("+7 912 345-67-89"), "{wrong:?}");
        assert_eq!(errors(|f| drop(check_phone(f, "f", "", false))).len(), 1);
    }

    #[test]
    fn phones_or_text() {
        assert_eq!(phone_or_text("8 (3852) 12-34-56".into()), "83852123456");
        assert_eq!(phone_or_text("12-34-56".into()), "12-34-56");
    }

    #[test]
    fn emails() {
        for good in ["a@b.ru", "first.last+tag@mail.example.com"] {
            assert!(errors(|f| check_email(f, "f", good)).is_empty(), "{good}");
        }
        for bad in ["a", "a@b", "@b.ru", "a b@c.ru", "a@b..ru", "a@.ru"] {
            assert_eq!(errors(|f| check_email(f, "f", bad)).len(), 1, "{bad}");
        }
    }

    #[test]
    fn vk_links() {
        for (written, stored) in [
            ("vk.com/id_123", "vk.com/id_123"),
            ("https://vk.com/id1", "vk.com/id1"),
            ("http://vk.com/id1", "vk.com/id1"),
            ("https://m.vk.com/durov", "vk.com/durov"),
            ("www.vk.com/durov", "vk.com/durov"),
            ("vk.com/durov/", "vk.com/durov"),
            ("HTTPS://VK.com/Durov", "vk.com/Durov"),
        ] {
            assert_eq!(
                normalise_vk_link(written).as_deref(),
                Some(stored),
                "{written}"
            );
        }
        for bad in [
            "vk.com/",
            "vk.com/a.b",
            "id123",
            "https://vk.com",
            "https://evil.com/vk.com/a",
            "https://vk.com.evil.com/a",
            "ftp://vk.com/a",
            "vk.com/a/b",
            "vk.com/a//",
        ] {
            assert_eq!(normalise_vk_link(bad), None, "{bad}");
        }
        assert_eq!(errors(|f| drop(check_vk_link(f, "f", "id123"))).len(), 1);
    }

    #[test]
    fn choices_must_be_offered() {
        let mut form = FormView::new(
            String::new(),
            "",
            vec![Field::new(Kind::Select, "s", "s").with_options(vec![("1".into(), "a".into())])],
        );
        assert!(check_choice(&mut form, "s", "1"));
        assert!(!check_choice(&mut form, "s", "2"));
        assert_eq!(form.fields[0].errors.len(), 1);
    }
}
