//! `application/x-www-form-urlencoded` decoding (bodies and query strings) into an ordered
//! multi-map. Invalid UTF-8 is refused instead of being silently replaced.

#[derive(Debug, thiserror::Error)]
pub enum FormError {
    #[error("данные формы не в кодировке UTF-8")]
    Utf8,
    #[error("данные формы не удалось разобрать")]
    Syntax,
    #[error("неподдерживаемый тип данных формы")]
    ContentType,
    #[error(
        "в поле формы недопустимый управляющий символ (код {0}): уберите его и отправьте форму ещё раз"
    )]
    Control(u32),
}

/// The first control character a text may not hold: NUL and the other C0 controls but tab,
/// line feed and carriage return (a textarea sends its lines as CR LF). MySQL would keep them,
/// and they cut texts short or garble them in C programs, terminals and the apps.
pub fn forbidden_control(text: &str) -> Option<char> {
    text.chars()
        .find(|c| c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{7f}'))
}

#[derive(Debug, Clone, Default)]
pub struct Form {
    pairs: Vec<(String, String)>,
}

impl Form {
    pub fn parse(raw: &[u8]) -> Result<Form, FormError> {
        // serde_urlencoded replaces bad UTF-8 with U+FFFD; check every part first so that a
        // mangled value never reaches the database.
        for part in raw.split(|b| *b == b'&' || *b == b'=') {
            let plus_decoded: Vec<u8> = part
                .iter()
                .map(|b| if *b == b'+' { b' ' } else { *b })
                .collect();
            let bytes: Vec<u8> = percent_encoding::percent_decode(&plus_decoded).collect();
            std::str::from_utf8(&bytes).map_err(|_| FormError::Utf8)?;
        }
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_bytes(raw).map_err(|_| FormError::Syntax)?;
        Ok(Form { pairs })
    }

    /// A submitted form: besides [`Form::parse`], a control character in any name or value
    /// (see [`forbidden_control`]) is refused, never stored.
    pub fn parse_typed(raw: &[u8]) -> Result<Form, FormError> {
        let form = Form::parse(raw)?;
        let found = form
            .pairs
            .iter()
            .find_map(|(k, v)| forbidden_control(k).or_else(|| forbidden_control(v)));
        match found {
            Some(c) => Err(FormError::Control(c as u32)),
            None => Ok(form),
        }
    }

    /// The first value of a field.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value, or "" when absent.
    pub fn str(&self, name: &str) -> &str {
        self.get(name).unwrap_or("")
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// A checkbox: present with any value but "", "0", "false" or "off".
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.get(name), Some(v) if !matches!(v, "" | "0" | "false" | "off"))
    }

    /// A filter's id: a positive number, or `None` (missing, 0 or not a number: «все»).
    pub fn positive_id(&self, name: &str) -> Option<u32> {
        self.str(name)
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|&id| id > 0)
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_cyrillic_and_plus() {
        let f = Form::parse("a=%D0%BF%D1%80%D0%B8+%D0%B2%D0%B5%D1%82&b=1&b=2".as_bytes()).unwrap();
        assert_eq!(f.str("a"), "при вет");
        assert_eq!(f.all("b"), vec!["1", "2"]);
        assert!(!f.has("c"));
    }

    #[test]
    fn refuses_invalid_utf8() {
        assert!(matches!(Form::parse(b"a=%FF%FE"), Err(FormError::Utf8)));
        assert!(matches!(Form::parse(b"%C3=1"), Err(FormError::Utf8)));
    }

    #[test]
    fn typed_forms_refuse_control_characters() {
        assert!(matches!(
            Form::parse_typed(b"a=x%00y"),
            Err(FormError::Control(0))
        ));
        assert!(matches!(
            Form::parse_typed(b"a%00=1"),
            Err(FormError::Control(0))
        ));
        assert!(matches!(
            Form::parse_typed(b"a=x%01y"),
            Err(FormError::Control(1))
        ));
        assert!(matches!(
            Form::parse_typed(b"a=%1B%5B2J"),
            Err(FormError::Control(27))
        ));
        assert_eq!(Form::parse(b"a=x%00y").unwrap().str("a"), "x\0y");
        let lines = Form::parse_typed(b"a=one%0D%0Atwo%09three").unwrap();
        assert_eq!(lines.str("a"), "one\r\ntwo\tthree");
    }

    #[test]
    fn tolerates_malformed_escapes() {
        let f = Form::parse(b"a=%zz&b=%").unwrap();
        assert_eq!(f.str("a"), "%zz");
        assert_eq!(f.str("b"), "%");
    }
}
