//! Forms as the templates draw them (`macros/forms.html`), and the shared validators with their
//! Russian messages. A handler builds a `FormView`, fills values from the request, validates, and
//! either writes or renders the same view again with the errors and the visitor's input.

use super::options::option_parts;
use serde::Serialize;
use std::collections::BTreeMap;

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
            attrs: BTreeMap::new(),
        }
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

fn options_html<S: serde::Serializer>(options: &[SelectOption], s: S) -> Result<S::Ok, S::Error> {
    let mut html = String::new();
    for o in options {
        let (open, close) = option_parts(&o.value, &o.label);
        html.push_str(&open);
        if o.selected {
            html.push_str(" selected");
        }
        html.push_str(&close);
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
                Kind::Text | Kind::Number | Kind::Date | Kind::Textarea => {
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

/// The original's `Phone`: `89` and nine more digits; `allow_empty` also accepts "".
pub fn check_phone(form: &mut FormView, field: &str, value: &str, allow_empty: bool) {
    let ok = (allow_empty && value.is_empty())
        || (value.len() == 11
            && value.starts_with("89")
            && value.bytes().all(|b| b.is_ascii_digit()));
    if !ok {
        form.error(field, "телефон в формате 89012223344");
    }
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

/// The original's `VkLink`: `vk.com/` and then letters, digits or `_` (at least one).
pub fn check_vk_link(form: &mut FormView, field: &str, value: &str) {
    let ok = value.strip_prefix("vk.com/").is_some_and(|rest| {
        !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    });
    if !ok {
        form.error(field, "ссылка на страницу ВКонтакте вида vk.com/id12345678");
    }
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
    fn phones() {
        assert!(errors(|f| check_phone(f, "f", "89012223344", false)).is_empty());
        assert!(errors(|f| check_phone(f, "f", "", true)).is_empty());
        for bad in [
            "",
            "79012223344",
            "8901222334",
            "890122233445",
            "8901222334a",
            "+89012223344",
        ] {
            assert_eq!(
                errors(|f| check_phone(f, "f", bad, false)).len(),
                1,
                "{bad}"
            );
        }
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
        assert!(errors(|f| check_vk_link(f, "f", "vk.com/id_123")).is_empty());
        for bad in ["vk.com/", "https://vk.com/id1", "vk.com/a.b", "id123"] {
            assert_eq!(errors(|f| check_vk_link(f, "f", bad)).len(), 1, "{bad}");
        }
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
