//! The CGI adapter: arbitrary meta-variables and body → `build_request`, then the query, the body
//! form, the session cookie and the route table. Never panics; a request it accepts is coherent.
#![no_main]

use arbitrary::Arbitrary;
use crmit::fuzzing::cgi_request;
use libfuzzer_sys::fuzz_target;

/// The meta-variables the adapter reads, so that most generated names mean something.
const KNOWN: [&str; 14] = [
    "REQUEST_METHOD",
    "QUERY_STRING",
    "REQUEST_URI",
    "PATH_INFO",
    "HTTP_COOKIE",
    "CONTENT_TYPE",
    "CONTENT_LENGTH",
    "REMOTE_ADDR",
    "HTTPS",
    "REQUEST_SCHEME",
    "HTTP_HOST",
    "HTTP_USER_AGENT",
    "HTTP_REFERER",
    "HTTP_ORIGIN",
];

#[derive(Arbitrary, Debug)]
enum Name {
    Known(u8),
    Other(String),
}

#[derive(Arbitrary, Debug)]
struct Input {
    vars: Vec<(Name, String)>,
    under_prefix: bool,
    /// Bounded like the configured `max_body_bytes`, small enough for fast runs.
    max_body: u16,
    body: Vec<u8>,
}

fuzz_target!(|input: Input| {
    let env: Vec<(String, String)> = input
        .vars
        .into_iter()
        .map(|(name, value)| match name {
            Name::Known(i) => (KNOWN[i as usize % KNOWN.len()].to_string(), value),
            Name::Other(name) => (name, value),
        })
        .collect();
    let prefix = if input.under_prefix { "/crm" } else { "" };
    let max_body = input.max_body as usize;
    let Ok(req) = cgi_request(&env, &input.body, prefix, max_body) else {
        return;
    };
    assert!(req.path.starts_with('/'), "path {:?}", req.path);
    let length = env
        .iter()
        .find(|(n, _)| n == "CONTENT_LENGTH")
        .map_or("", |(_, v)| v.trim());
    let length: usize = if length.is_empty() {
        0
    } else {
        length.parse().unwrap()
    };
    assert!(length <= max_body);
    assert_eq!(req.body, input.body[..length]);
});
