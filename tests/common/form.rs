//! A rendered form read back as a browser would post it: its fields and their values, some changed.

/// HTML text or an attribute value as the browser reads it.
pub fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let marker = format!(" {name}=\"");
    let start = tag.find(&marker)? + marker.len();
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

fn has_flag(tag: &str, name: &str) -> bool {
    tag.split(|c: char| c.is_whitespace() || c == '>')
        .any(|w| w == name)
}

/// What a browser posts for the form that contains `marker` (e.g. its action): inputs with their
/// values (ticked, enabled checkboxes and radio buttons only) and selects with their selected option, inside the
/// form and, when it has an id, anywhere on the page with `form="<id>"` (the month grid's cells).
pub fn form_fields(html: &str, marker: &str) -> Vec<(String, String)> {
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} in page"));
    let form_start = html[..start].rfind("<form").unwrap();
    let form_end = html[start..].find("</form>").unwrap() + start;
    let form = &html[form_start..form_end];
    let mut fields = Vec::new();
    if let Some(id) = attr(&form[..=form.find('>').unwrap()], "id") {
        let outside = format!("{}{}", &html[..form_start], &html[form_end..]);
        let marker = format!(" form=\"{id}\"");
        collect_fields(&outside, |tag| tag.contains(&marker), &mut fields);
    }
    collect_fields(form, |_| true, &mut fields);
    fields
}

/// The fields of the tags in `fragment` that `belongs` accepts.
fn collect_fields(
    fragment: &str,
    belongs: impl Fn(&str) -> bool,
    fields: &mut Vec<(String, String)>,
) {
    let mut rest = fragment;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let end = rest.find('>').unwrap();
        let tag = &rest[..=end];
        if belongs(tag) {
            push_field(tag, rest, fields);
        }
        rest = &rest[end + 1..];
    }
}

/// The field of one tag (`rest` starts with it: a select's options follow), if it posts one.
fn push_field(tag: &str, rest: &str, fields: &mut Vec<(String, String)>) {
    if tag.starts_with("<input") && !has_flag(tag, "disabled") {
        let name = attr(tag, "name");
        let kind = attr(tag, "type").unwrap_or_else(|| "text".into());
        if let Some(name) = name {
            let value = attr(tag, "value").unwrap_or_default();
            let ticked = (kind != "checkbox" && kind != "radio") || has_flag(tag, "checked");
            if ticked {
                fields.push((
                    name,
                    if kind == "checkbox" && value.is_empty() {
                        "on".into()
                    } else {
                        value
                    },
                ));
            }
        }
    } else if tag.starts_with("<select") && !has_flag(tag, "disabled") {
        let name = attr(tag, "name").unwrap();
        let close = rest.find("</select>").unwrap();
        let body = &rest[..close];
        let selected = body
            .split("<option")
            .skip(1)
            .find(|o| has_flag(&format!(" {o}"), "selected"))
            .or_else(|| body.split("<option").nth(1))
            .and_then(|o| attr(&format!(" {o}"), "value"))
            .unwrap_or_default();
        fields.push((name, selected));
    } else if tag.starts_with("<button")
        && let (Some(name), Some(value)) = (attr(tag, "name"), attr(tag, "value"))
    {
        fields.push((name, value));
    }
}

/// Replaces (or adds, or with `None` removes) one field of a collected form.
pub fn set_field(fields: &mut Vec<(String, String)>, name: &str, value: Option<&str>) {
    fields.retain(|(n, _)| n != name);
    if let Some(v) = value {
        fields.push((name.to_string(), v.to_string()));
    }
}

pub fn as_refs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}
