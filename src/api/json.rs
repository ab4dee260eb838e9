//! The API's wire format (src/api/README.md §2, §9): responses encoded as Flask 1.0 `jsonify` does
//! in production, and request values read the way Flask/Werkzeug and Python's `str()`/`int()` read
//! them.

use crate::app::{AppError, Ctx};
use crate::db::LikePage;
use crate::http::form::forbidden_control;
use crate::http::{JSON_CONTENT_TYPE, Response};
use serde::Serialize;
use serde_json::Value;

/// Compact JSON with sorted keys, raw UTF-8 and a trailing newline. serde_json (built without
/// `preserve_order`) keeps object keys in a BTreeMap, so sorting holds at every level.
pub fn json(status: u16, value: &impl Serialize) -> Response {
    let mut body = serde_json::to_vec(value).expect("an answer always serialises");
    body.push(b'\n');
    Response::new(status, JSON_CONTENT_TYPE, body)
}

/// The body of successful writes and of logout.
pub fn ok() -> Response {
    Response::new(200, JSON_CONTENT_TYPE, b"ok".to_vec())
}

/// Malformed client input: the contract's `400 bad request`.
pub fn bad_request() -> AppError {
    AppError::BadRequest("bad request".into())
}

/// Python's `int(s)`: surrounding whitespace, one sign, ASCII digits with single underscores
/// between them. Values beyond i64 are refused like malformed ones.
pub fn py_int(s: &str) -> Option<i64> {
    let s = s.trim();
    let (negative, digits) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let b = digits.as_bytes();
    let well_formed = !b.is_empty()
        && b.first().is_some_and(u8::is_ascii_digit)
        && b.last().is_some_and(u8::is_ascii_digit)
        && b.iter().all(|c| c.is_ascii_digit() || *c == b'_')
        && !digits.contains("__");
    if !well_formed {
        return None;
    }
    let value: i64 = digits.replace('_', "").parse().ok()?;
    Some(if negative { -value } else { value })
}

/// Python's `str(x)` of a decoded JSON value.
pub fn py_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => py_repr(other),
    }
}

fn py_repr(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) if n.is_f64() => py_float(n.as_f64().unwrap_or_default()),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(py_repr).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) => {
            let items: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", py_repr(&Value::String(k.clone())), py_repr(v)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
    }
}

/// Python's float repr for the common cases (`1.0`, `1.5`, `1e+16`).
fn py_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e16 {
        format!("{f:.1}")
    } else if f.abs() >= 1e16 {
        let s = format!("{f:e}");
        match s.split_once('e') {
            Some((m, e)) if !e.starts_with('-') => format!("{m}e+{e}"),
            _ => s,
        }
    } else {
        f.to_string()
    }
}

/// `search`, `offset` and `count` of the `*_list` endpoints (src/api/README.md §8). The search
/// text is not escaped: `%` and `_` in it are wildcards, as in the original (`search=%` matches
/// every row).
pub fn list_page(ctx: &Ctx) -> Result<LikePage, AppError> {
    let q = Query::of(ctx)?;
    Ok(LikePage {
        pattern: format!("%{}%", q.str("search").unwrap_or("")),
        // No count means every row: MySQL's own idiom for "no limit".
        limit: q.non_negative("count")?.unwrap_or(u64::MAX),
        offset: q.non_negative("offset")?.unwrap_or(0),
    })
}

/// The query string: the first value of a repeated parameter wins.
pub struct Query(crate::http::Form);

impl Query {
    pub fn of(ctx: &Ctx) -> Result<Query, AppError> {
        ctx.query().map(Query)
    }

    pub fn str(&self, name: &str) -> Option<&str> {
        self.0.get(name)
    }

    /// Werkzeug's `type=int`: a value Python's `int()` refuses counts as absent.
    pub fn int(&self, name: &str) -> Option<i64> {
        self.str(name).and_then(py_int)
    }

    /// `offset`/`count`: negative values made the original's database fail (a 500); they are a
    /// 400 here (src/api/README.md §3).
    pub fn non_negative(&self, name: &str) -> Result<Option<u64>, AppError> {
        match self.int(name) {
            Some(n) if n < 0 => Err(bad_request()),
            n => Ok(n.map(|n| n as u64)),
        }
    }
}

/// A POST body that Flask's `request.json` would have parsed.
pub struct Body(serde_json::Map<String, Value>);

impl Body {
    /// Only `application/json` and `application/<x>+json` bodies are read. Other types, bodies
    /// that do not parse and JSON that is not an object are all a 400 (the original crashed with
    /// a 500 on some of these; src/api/README.md §3).
    pub fn of(ctx: &Ctx) -> Result<Body, AppError> {
        let mime = ctx
            .req
            .content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let is_json = mime == "application/json"
            || mime
                .strip_prefix("application/")
                .is_some_and(|sub| sub.ends_with("+json"));
        if !is_json {
            return Err(bad_request());
        }
        match serde_json::from_slice(&ctx.req.body) {
            Ok(Value::Object(map)) => Ok(Body(map)),
            _ => Err(bad_request()),
        }
    }

    pub fn value(&self, name: &str) -> Option<&Value> {
        self.0.get(name)
    }

    /// A required string field, `str()`-coerced; one holding a control character (see
    /// `http::form::forbidden_control`) is bad input.
    pub fn string(&self, name: &str) -> Result<String, AppError> {
        let text = self.value(name).map(py_str).ok_or_else(bad_request)?;
        match forbidden_control(&text) {
            Some(_) => Err(bad_request()),
            None => Ok(text),
        }
    }

    /// `int(str(x))`: JSON integers and numeric strings; None when absent or not an integer.
    pub fn int(&self, name: &str) -> Option<i64> {
        self.value(name).and_then(|v| py_int(&py_str(v)))
    }

    pub fn required_int(&self, name: &str) -> Result<i64, AppError> {
        self.int(name).ok_or_else(bad_request)
    }

    /// True only for JSON `true` and the string `"True"` (`str(x) == "True"`).
    pub fn flag(&self, name: &str) -> bool {
        self.value(name).is_some_and(|v| py_str(v) == "True")
    }
}

/// An object written straight from a struct's fields, and the same object written as a value,
/// whose keys serde_json sorts: equal byte for byte when the fields stand in the order of their
/// names, as every object of the API must.
#[cfg(test)]
pub(crate) fn as_sorted_value<T: Serialize>(v: &T) -> (String, String) {
    let direct = serde_json::to_string(v).unwrap();
    let sorted = serde_json::to_string(&serde_json::to_value(v).unwrap()).unwrap();
    (direct, sorted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn python_int_rules() {
        for (s, v) in [
            ("5", 5),
            (" 5 ", 5),
            ("+7", 7),
            ("-3", -3),
            ("1_0", 10),
            ("007", 7),
        ] {
            assert_eq!(py_int(s), Some(v), "{s}");
        }
        for s in [
            "", " ", "abc", "1.0", "1e3", "_1", "1_", "1__0", "--1", "+", "True",
        ] {
            assert_eq!(py_int(s), None, "{s}");
        }
    }

    #[test]
    fn python_str_rules() {
        assert_eq!(py_str(&json!("x")), "x");
        assert_eq!(py_str(&json!(5)), "5");
        assert_eq!(py_str(&json!(5.0)), "5.0");
        assert_eq!(py_str(&json!(1.5)), "1.5");
        assert_eq!(py_str(&json!(true)), "True");
        assert_eq!(py_str(&json!(null)), "None");
        assert_eq!(py_str(&json!(["a", 1])), "['a', 1]");
        assert_eq!(py_str(&json!({"b": false})), "{'b': False}");
    }

    #[test]
    fn encoding_is_compact_sorted_raw_utf8() {
        let r = json(
            200,
            &json!({"b": {"z": 1, "a": [true, null]}, "a": "Ж/\"\n"}),
        );
        assert_eq!(
            String::from_utf8(r.body).unwrap(),
            "{\"a\":\"Ж/\\\"\\n\",\"b\":{\"a\":[true,null],\"z\":1}}\n"
        );
    }
}
