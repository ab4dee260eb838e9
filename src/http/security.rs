//! What every answer says to the browser about itself (the security headers), and whether a
//! request came from a page of this site (its `Origin` or `Referer`), for the web's POST forms.

use super::{Request, Response};

/// Scripts, styles, images and fonts only from this site, no inline ones (the templates have
/// neither `<script>` bodies, `on…=` handlers nor `style="…"`; the CSS and JS are files under
/// `/static/`), no framing, forms only to this site, no `<base>`.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

/// One year, the value the HSTS preload list asks for; sent only when `[security] hsts` is on.
pub const HSTS: &str = "max-age=31536000";

/// Adds the security headers to an answer, whatever it is (a page, an error, a redirect, JSON, a
/// download, a static file). An answer that names its own cache policy keeps it (the static
/// files, cached for a year); every other is `no-store`, since pages, downloads and API answers
/// carry personal data. `hsts`: the request came over HTTPS and the config allows HSTS.
pub fn secure(mut resp: Response, hsts: bool) -> Response {
    let has = |resp: &Response, name: &str| {
        resp.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    };
    if !has(&resp, "Cache-Control") {
        resp = resp.with_header("Cache-Control", "no-store");
    }
    resp = resp
        .with_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .with_header("X-Frame-Options", "DENY")
        .with_header("X-Content-Type-Options", "nosniff")
        .with_header("Referrer-Policy", "same-origin");
    if hsts {
        resp = resp.with_header("Strict-Transport-Security", HSTS);
    }
    resp
}

/// The origin (`scheme://host[:port]`, lower case, without a default port) of an absolute URL;
/// `None` for anything else (`null`, a relative reference, no host).
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    host_origin(&scheme, authority)
}

/// `scheme://authority` normalised as a browser serialises an origin.
fn host_origin(scheme: &str, authority: &str) -> Option<String> {
    let authority = authority.to_ascii_lowercase();
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    let host = authority.strip_suffix(default_port).unwrap_or(&authority);
    if host.is_empty() || host.contains('@') {
        return None;
    }
    Some(format!("{scheme}://{host}"))
}

impl Request {
    /// This site's origin as the request reached it: https when it came over HTTPS, and the
    /// `Host` it named.
    pub fn own_origin(&self) -> Option<String> {
        host_origin(if self.https { "https" } else { "http" }, &self.host)
    }

    /// False when the browser says the request comes from another site: a present `Origin` that
    /// is not this site's, or else a present `Referer` whose origin is not. Neither present (old
    /// browsers, privacy settings) passes; the CSRF token is still required.
    pub fn is_from_own_site(&self) -> bool {
        let claimed = match (self.origin.trim(), self.referer.trim()) {
            ("", "") => return true,
            ("", referer) => origin_of(referer),
            (origin, _) => origin_of(origin),
        };
        claimed.is_some() && claimed == self.own_origin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::Method;

    fn request(https: bool, host: &str, origin: &str, referer: &str) -> Request {
        let mut req = Request::new(Method::Post, "/");
        req.https = https;
        req.host = host.into();
        req.origin = origin.into();
        req.referer = referer.into();
        req
    }

    #[test]
    fn origins_are_normalised() {
        assert_eq!(
            origin_of("HTTPS://Crm.Example.ru:443/a?b#c").as_deref(),
            Some("https://crm.example.ru")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8080").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(origin_of("null"), None);
        assert_eq!(origin_of("/users/login"), None);
        assert_eq!(origin_of("ftp://x"), None);
        assert_eq!(origin_of("http://evil@x/"), None);
    }

    #[test]
    fn own_site_by_origin_then_referer() {
        let own = |o: &str, r: &str| request(false, "crm.example.ru", o, r).is_from_own_site();
        assert!(own("", ""));
        assert!(own("http://crm.example.ru", ""));
        assert!(own("http://crm.example.ru:80", "http://evil.example/"));
        assert!(!own("http://evil.example", "http://crm.example.ru/"));
        assert!(!own("null", ""));
        assert!(own("", "http://crm.example.ru/users/login?next=/"));
        assert!(!own("", "http://evil.example/crm.example.ru"));
        // The scheme counts: a page over HTTP is another origin than the site over HTTPS.
        assert!(!request(true, "crm.example.ru", "http://crm.example.ru", "").is_from_own_site());
        assert!(request(true, "crm.example.ru", "https://crm.example.ru", "").is_from_own_site());
    }

    #[test]
    fn every_answer_gets_the_headers_and_static_files_keep_their_cache() {
        let page = secure(Response::html(200, String::new()), false);
        let get = |r: &Response, n: &str| {
            r.headers
                .iter()
                .filter(|(k, _)| k == n)
                .map(|(_, v)| v.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(get(&page, "Cache-Control"), ["no-store"]);
        assert_eq!(get(&page, "X-Frame-Options"), ["DENY"]);
        assert!(get(&page, "Strict-Transport-Security").is_empty());
        let asset = Response::text(200, "").with_header("Cache-Control", "public, max-age=3600");
        let asset = secure(asset, true);
        assert_eq!(get(&asset, "Cache-Control"), ["public, max-age=3600"]);
        assert_eq!(get(&asset, "Strict-Transport-Security"), [HSTS]);
    }
}
