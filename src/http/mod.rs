//! HTTP plumbing shared by the CGI adapter and the development server: the request and response
//! types, form/query decoding and cookies. Nothing here knows about crmit's pages.

pub mod cgi;
pub mod compress;
pub mod dev_server;
pub mod fastcgi;
pub mod form;
pub mod security;

pub use form::Form;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Head,
    Post,
    Options,
    Other,
}

impl Method {
    pub fn parse(s: &str) -> Method {
        match s {
            "GET" => Method::Get,
            "HEAD" => Method::Head,
            "POST" => Method::Post,
            "OPTIONS" => Method::Options,
            _ => Method::Other,
        }
    }
}

/// One request, whatever carried it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    /// The path below the site prefix, always starting with `/`, percent-decoded.
    pub path: String,
    /// The raw query string (without `?`).
    pub query: String,
    pub cookie_header: String,
    pub content_type: String,
    pub remote_addr: String,
    pub https: bool,
    pub host: String,
    pub user_agent: String,
    pub referer: String,
    pub origin: String,
    /// `Accept-Encoding`: whether the answer may be gzip-compressed.
    pub accept_encoding: String,
    pub body: Vec<u8>,
}

impl Request {
    pub fn new(method: Method, path: &str) -> Request {
        Request {
            method,
            path: path.to_string(),
            query: String::new(),
            cookie_header: String::new(),
            content_type: String::new(),
            remote_addr: String::new(),
            https: false,
            host: String::new(),
            user_agent: String::new(),
            referer: String::new(),
            origin: String::new(),
            accept_encoding: String::new(),
            body: Vec::new(),
        }
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        cookie::Cookie::split_parse(self.cookie_header.as_str())
            .filter_map(Result::ok)
            .find(|c| c.name() == name)
            .map(|c| c.value().to_string())
    }

    /// The query string decoded; invalid encodings are a 400.
    pub fn query_form(&self) -> Result<Form, form::FormError> {
        Form::parse(self.query.as_bytes())
    }

    /// The urlencoded body of a web form (text a person typed: a NUL in it is refused); other
    /// content types are refused.
    pub fn body_form(&self) -> Result<Form, form::FormError> {
        if self
            .content_type
            .starts_with("application/x-www-form-urlencoded")
            || self.content_type.is_empty()
        {
            Form::parse_typed(&self.body)
        } else {
            Err(form::FormError::ContentType)
        }
    }
}

/// Why a request could not even be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("тело запроса больше допустимого")]
    TooLarge,
    #[error("неверный запрос: {0}")]
    Malformed(&'static str),
    #[error("ошибка чтения запроса: {0}")]
    Io(#[from] std::io::Error),
}

/// The type of every API answer, the plain `ok` and error texts included; the Flutter client
/// falls back to Latin-1 without the charset.
pub const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    pub fn html(status: u16, body: String) -> Response {
        Response::new(status, "text/html; charset=utf-8", body)
    }

    pub fn text(status: u16, body: &str) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            body.as_bytes().to_vec(),
        )
    }

    /// 302 to an absolute path on this site (the caller adds the prefix).
    pub fn redirect(location: &str) -> Response {
        let mut r = Response::new(302, "text/html; charset=utf-8", Vec::new());
        r.headers.push(("Location".into(), location.into()));
        r
    }

    /// A file to save: `Content-Disposition: attachment` with the name as it is (RFC 6266's
    /// `filename*`, UTF-8, so Cyrillic survives) and an ASCII stand-in for old clients. Never
    /// stored by a cache, as every answer but a static file (`security::secure`).
    pub fn download(file_name: &str, content_type: &str, body: Vec<u8>) -> Response {
        let ascii: String = file_name
            .chars()
            .map(|c| match c {
                ' '..='~' if c != '"' && c != '\\' => c,
                _ => '_',
            })
            .collect();
        let encoded =
            percent_encoding::utf8_percent_encode(file_name, percent_encoding::NON_ALPHANUMERIC);
        Response::new(200, content_type, body).with_header(
            "Content-Disposition",
            &format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"),
        )
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn is_success(&self) -> bool {
        self.status < 400
    }
}

pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Payload Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

/// Percent-decodes a URL path; a path that does not decode to UTF-8 is refused.
pub fn decode_path(raw: &str) -> Result<String, ReadError> {
    percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| ReadError::Malformed("путь не в UTF-8"))
}
