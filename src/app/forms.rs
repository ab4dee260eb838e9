//! Forms as the templates draw them (`macros/forms.html`), and the shared validators with their
//! Russian messages. A handler builds a `FormView`, fills values from the request, validates, and
//! either writes or renders the same view again with the errors and the visitor's input.

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
    pub options: Vec<SelectOption>,
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
            attrs: BTreeMap::new(),
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
                Kind::Text | Kind::Number => f.value = form.str(f.name).to_string(),
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
