//! Mail as the tests receive it: the envelope and the raw message of one letter, and the message
//! decoded as a mail reader would (headers with RFC 2047 words, base64 and quoted-printable
//! bodies, multipart parts). Used with the plain SMTP sink of `web/notifications.rs` and the TLS
//! server of `smtp.rs`.

/// One message a test server received: envelope sender, envelope recipients and the message.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

/// The unfolded value of header `name` in a header block.
pub fn header(head: &str, name: &str) -> Option<String> {
    let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    let prefix = format!("{}:", name.to_ascii_lowercase());
    unfolded
        .split("\r\n")
        .find(|l| l.to_ascii_lowercase().starts_with(&prefix))
        .map(|l| l[prefix.len()..].trim().to_string())
}

/// RFC 2047 encoded words (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`) back to text.
pub fn decode_words(value: &str) -> String {
    let mut out = Vec::new();
    for word in value.split_whitespace() {
        let inner = word.strip_prefix("=?").and_then(|w| w.strip_suffix("?="));
        let Some(inner) = inner else {
            if !out.is_empty() {
                out.push(b' ');
            }
            out.extend_from_slice(word.as_bytes());
            continue;
        };
        let mut pieces = inner.splitn(3, '?');
        let (_, encoding, text) = (
            pieces.next(),
            pieces.next().unwrap(),
            pieces.next().unwrap(),
        );
        if encoding.eq_ignore_ascii_case("b") {
            out.extend(base64_decode(text));
        } else {
            out.extend(quoted_printable(&text.replace('_', " ")));
        }
    }
    String::from_utf8(out).unwrap()
}

pub fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine;
    let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(clean)
        .unwrap()
}

pub fn quoted_printable(text: &str) -> Vec<u8> {
    let text = text.replace("=\r\n", "");
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// A message or one part of a multipart message: its header block and its still encoded body.
pub struct Part {
    pub head: String,
    pub body: String,
}

impl Part {
    pub fn parse(raw: &str) -> Part {
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((raw, ""));
        Part {
            head: format!("{head}\r\n"),
            body: body.to_string(),
        }
    }

    pub fn header(&self, name: &str) -> Option<String> {
        header(&self.head, name)
    }

    pub fn decoded(&self) -> Vec<u8> {
        let encoding = self
            .header("Content-Transfer-Encoding")
            .unwrap_or_default()
            .to_ascii_lowercase();
        match encoding.as_str() {
            "base64" => base64_decode(&self.body),
            "quoted-printable" => quoted_printable(&self.body),
            _ => self.body.as_bytes().to_vec(),
        }
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.decoded())
            .unwrap()
            .replace("\r\n", "\n")
            .trim_end()
            .to_string()
    }

    /// The parts of a multipart message, or the message itself.
    pub fn parts(&self) -> Vec<Part> {
        let content_type = self.header("Content-Type").unwrap_or_default();
        let Some(boundary) = content_type.split("boundary=").nth(1) else {
            return vec![Part::parse(&format!("{}\r\n{}", self.head, self.body))];
        };
        let boundary = format!("--{}", boundary.trim_matches('"'));
        self.body
            .split(&boundary)
            .skip(1)
            .filter(|p| !p.starts_with("--"))
            .map(|p| Part::parse(p.trim_start_matches("\r\n")))
            .collect()
    }
}
