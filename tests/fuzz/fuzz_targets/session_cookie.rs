//! The session cookie: an arbitrary `Cookie:` header never panics and never yields a session
//! (nothing forges the HMAC); a session written as `Set-Cookie` and sent back reads the same.
#![no_main]

use arbitrary::Arbitrary;
use crmit::fuzzing::{SessionView, session_from_cookie_header, session_set_cookie};
use libfuzzer_sys::fuzz_target;

const KEY: &[u8] = b"fuzzing secret key";

#[derive(Arbitrary, Debug)]
enum Input {
    Header {
        header: String,
        now: i64,
    },
    RoundTrip {
        user: Option<(bool, String)>,
        flashes: Vec<String>,
        /// Seconds since 1970, as the clock gives them (up to 2106).
        now: u32,
        under_prefix: bool,
        /// Other cookies the browser sends along.
        before: String,
    },
}

fuzz_target!(|input: Input| match input {
    Input::Header { header, now } => {
        let view = session_from_cookie_header(&header, KEY, now);
        assert_eq!(
            view,
            SessionView {
                user: None,
                flashes: Vec::new()
            }
        );
    }
    Input::RoundTrip {
        user,
        flashes,
        now,
        under_prefix,
        before,
    } => {
        let sent = SessionView { user, flashes };
        let path = if under_prefix { "/crm" } else { "" };
        let Some(set_cookie) = session_set_cookie(&sent, KEY, now.into(), path) else {
            assert!(sent.user.is_none() && sent.flashes.is_empty());
            return;
        };
        let cookie = cookie::Cookie::parse(set_cookie).expect("Set-Cookie parses");
        let mut header = String::new();
        if !before.is_empty() && !before.contains("crmit_session") {
            header = format!("{before}; ");
        }
        header.push_str(&format!("{}={}", cookie.name(), cookie.value()));
        let back = session_from_cookie_header(&header, KEY, now.into());
        let mut expected = sent;
        // A remembered session is not bound to the address and browser.
        if let Some((true, binding)) = &mut expected.user {
            binding.clear();
        }
        assert_eq!(back, expected, "header {header:?}");
    }
});
