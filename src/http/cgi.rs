//! The CGI adapter (RFC 3875): reads one request from the environment and stdin, writes one
//! answer to stdout. Hand-written because the CGI crates are AGPL or unmaintained.

use super::{Method, ReadError, Request, Response, decode_path, reason_phrase};
use std::io::{Read, Write};

/// True when Apache (or another server) started us as a CGI program.
pub fn is_cgi() -> bool {
    std::env::var_os("GATEWAY_INTERFACE").is_some()
}

/// Reads the request from the environment and stdin. `url_prefix` is the site's mount point: links
/// and routing never depend on `SCRIPT_NAME`, which after the htaccess rewrite names the binary, not
/// the site.
pub fn read_request(url_prefix: &str, max_body: usize) -> Result<Request, ReadError> {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    build_request(var, std::io::stdin().lock(), url_prefix, max_body)
}

/// Builds a request from the RFC 3875 meta-variables (`var` answers "" for a missing one) and the
/// body: the CGI adapter reads them from its environment, the FastCGI one from a PARAMS stream.
pub fn build_request(
    var: impl Fn(&str) -> String,
    mut body_source: impl Read,
    url_prefix: &str,
    max_body: usize,
) -> Result<Request, ReadError> {
    let mut req = Request::new(Method::parse(&var("REQUEST_METHOD")), "/");
    req.query = var("QUERY_STRING");
    req.path = request_path(&var("REQUEST_URI"), &var("PATH_INFO"), url_prefix)?;
    req.cookie_header = var("HTTP_COOKIE");
    req.content_type = var("CONTENT_TYPE");
    req.remote_addr = var("REMOTE_ADDR");
    req.https = matches!(var("HTTPS").to_ascii_lowercase().as_str(), "on" | "1")
        || var("REQUEST_SCHEME") == "https";
    req.host = var("HTTP_HOST");
    req.user_agent = var("HTTP_USER_AGENT");
    req.referer = var("HTTP_REFERER");
    req.origin = var("HTTP_ORIGIN");
    req.accept_encoding = var("HTTP_ACCEPT_ENCODING");
    let length: usize = match var("CONTENT_LENGTH").trim() {
        "" => 0,
        n => n
            .parse()
            .map_err(|_| ReadError::Malformed("неверный CONTENT_LENGTH"))?,
    };
    if length > max_body {
        return Err(ReadError::TooLarge);
    }
    let mut body = vec![0; length];
    body_source.read_exact(&mut body)?;
    req.body = body;
    Ok(req)
}

/// The path below the prefix: from the raw `REQUEST_URI` when it carries the prefix (decoded once,
/// here), else from `PATH_INFO` (which the server has already decoded; RFC 3875 does not define
/// `REQUEST_URI`, so a server may leave it out). Always starts with `/`, whatever a server puts
/// into `PATH_INFO`: links are built by prepending the prefix.
fn request_path(request_uri: &str, path_info: &str, prefix: &str) -> Result<String, ReadError> {
    let raw_path = request_uri.split('?').next().unwrap_or("");
    let below = if raw_path.is_empty() {
        None
    } else if prefix.is_empty() {
        Some(raw_path)
    } else {
        raw_path.strip_prefix(prefix)
    };
    let path = match below {
        Some(p) if p.is_empty() || p.starts_with('/') => decode_path(p)?,
        _ => path_info.to_string(),
    };
    Ok(if path.starts_with('/') {
        path
    } else {
        format!("/{path}")
    })
}

/// Writes `Status:`, the headers, `Content-Length` and the body — the body as it is, not copied
/// (a dump is megabytes).
pub fn write_response(resp: &Response, head_only: bool) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(response_head(resp).as_bytes())?;
    if !head_only {
        stdout.write_all(&resp.body)?;
    }
    stdout.flush()
}

/// The answer as a CGI program prints it (FastCGI sends the same bytes in STDOUT records).
pub fn response_bytes(resp: &Response, head_only: bool) -> Vec<u8> {
    let head = response_head(resp);
    let mut out = Vec::with_capacity(head.len() + resp.body.len());
    out.extend_from_slice(head.as_bytes());
    if !head_only {
        out.extend_from_slice(&resp.body);
    }
    out
}

fn response_head(resp: &Response) -> String {
    let mut head = format!("Status: {} {}\r\n", resp.status, reason_phrase(resp.status));
    for (name, value) in &resp.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", resp.body.len()));
    head
}

#[cfg(test)]
mod tests {
    use super::request_path;

    #[test]
    fn path_comes_from_request_uri_below_prefix() {
        assert_eq!(
            request_path("/crm/users/login?next=/", "/users/login", "/crm").unwrap(),
            "/users/login"
        );
        assert_eq!(request_path("/a%20b", "", "").unwrap(), "/a b");
        assert_eq!(request_path("/crm", "", "/crm").unwrap(), "/");
    }

    #[test]
    fn falls_back_to_path_info() {
        assert_eq!(
            request_path("/cgi-bin/crmit/x", "/x", "/crm").unwrap(),
            "/x"
        );
        assert_eq!(request_path("", "", "").unwrap(), "/");
        // A server that sets no REQUEST_URI (it is not in RFC 3875).
        assert_eq!(
            request_path("", "/api/v1.1.0/login", "").unwrap(),
            "/api/v1.1.0/login"
        );
    }

    #[test]
    fn path_starts_with_a_slash_whatever_path_info_says() {
        // Found by the cgi_request fuzz target: PATH_INFO ",,," became the path ",,,".
        assert_eq!(request_path("", ",,,", "/crm").unwrap(), "/,,,");
        assert_eq!(request_path("/crmx", "x", "/crm").unwrap(), "/x");
    }

    #[test]
    fn refuses_invalid_utf8_path() {
        assert!(request_path("/%FF", "", "").is_err());
    }
}
