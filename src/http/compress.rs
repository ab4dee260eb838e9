//! Smaller answers: HTML, JSON, CSS, JavaScript, SVG and plain text over 1 KB are sent
//! gzip-compressed to a client that accepts it (browsers and the apps' HTTP library all do). The
//! students list's 39 KB of HTML become about 5; the body the client reads is the same bytes.

use super::{Request, Response};
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;

/// Answers smaller than this gain less than the header costs.
const MIN_BYTES: usize = 1024;

/// Level 5 of 9: within a few percent of the best size at about half the time of level 9.
const LEVEL: u32 = 5;

impl Request {
    /// Whether `Accept-Encoding` names gzip without refusing it (`gzip;q=0`).
    pub fn accepts_gzip(&self) -> bool {
        self.accept_encoding.split(',').any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let name = parts.next().unwrap_or("");
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
    }
}

/// Text the client reads as it is; downloads (xlsx, gzip backups) are compressed already.
fn is_text(content_type: &str) -> bool {
    let mime = content_type.split(';').next().unwrap_or("").trim();
    mime.starts_with("text/")
        || matches!(
            mime,
            "application/json" | "application/javascript" | "image/svg+xml"
        )
}

/// The answer gzip-compressed when the client accepts it and it is text worth compressing.
pub fn gzip_if_accepted(mut resp: Response, accepted: bool) -> Response {
    let header = |resp: &Response, name: &str| {
        resp.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let text = header(&resp, "Content-Type").is_some_and(|t| is_text(&t));
    if !text || header(&resp, "Content-Encoding").is_some() {
        return resp;
    }
    // A cache must keep the two forms of a compressible answer apart.
    resp = resp.with_header("Vary", "Accept-Encoding");
    if !accepted || resp.body.len() < MIN_BYTES {
        return resp;
    }
    let mut encoder = GzEncoder::new(
        Vec::with_capacity(resp.body.len() / 4),
        Compression::new(LEVEL),
    );
    if encoder.write_all(&resp.body).is_err() {
        return resp;
    }
    match encoder.finish() {
        Ok(compressed) => {
            resp.body = compressed;
            resp.with_header("Content-Encoding", "gzip")
        }
        Err(_) => resp,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::Method;
    use std::io::Read;

    fn accepting(value: &str) -> bool {
        let mut req = Request::new(Method::Get, "/");
        req.accept_encoding = value.into();
        req.accepts_gzip()
    }

    #[test]
    fn gzip_is_accepted_unless_refused() {
        assert!(accepting("gzip, deflate, br"));
        assert!(accepting("br;q=1.0, GZIP;q=0.5"));
        assert!(accepting("*"));
        assert!(!accepting(""));
        assert!(!accepting("deflate, br"));
        assert!(!accepting("gzip;q=0"));
    }

    #[test]
    fn text_over_a_kilobyte_is_compressed_and_reads_back_the_same() {
        let page = "<p>ученик</p>\n".repeat(200);
        let resp = gzip_if_accepted(
            Response::new(200, "text/html; charset=utf-8", page.clone()),
            true,
        );
        assert!(
            resp.headers
                .contains(&("Content-Encoding".into(), "gzip".into()))
        );
        assert!(resp.body.len() < page.len() / 10);
        let mut back = String::new();
        flate2::read::GzDecoder::new(resp.body.as_slice())
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, page);
        let small = gzip_if_accepted(Response::new(200, "application/json", "[]"), true);
        assert_eq!(small.body, b"[]");
        let refused = gzip_if_accepted(Response::new(200, "text/html", page.clone()), false);
        assert_eq!(refused.body, page.as_bytes());
        let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        let download = gzip_if_accepted(Response::new(200, xlsx, page.clone()), true);
        assert_eq!(download.body, page.as_bytes());
    }
}
