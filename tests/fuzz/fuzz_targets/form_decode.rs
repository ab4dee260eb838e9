//! The form decoder: arbitrary bytes never panic and decode as the WHATWG urlencoded parser says,
//! refused exactly when a name or value is not UTF-8 (never silently replaced); what it accepts
//! survives re-encoding; arbitrary text pairs, encoded as a browser does, decode to themselves.
#![no_main]

use arbitrary::Arbitrary;
use crmit::fuzzing::form_decode;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Input {
    Raw(Vec<u8>),
    Pairs(Vec<(String, String)>),
}

fn encode(pairs: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// The urlencoded parser of the URL standard, strict about UTF-8: the expected answer.
fn strict_parse(raw: &[u8]) -> Option<Vec<(String, String)>> {
    let decode = |part: &[u8]| {
        let spaced: Vec<u8> = part
            .iter()
            .map(|&b| if b == b'+' { b' ' } else { b })
            .collect();
        String::from_utf8(percent_encoding::percent_decode(&spaced).collect()).ok()
    };
    raw.split(|&b| b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = match pair.iter().position(|&b| b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &pair[..0]),
            };
            Some((decode(name)?, decode(value)?))
        })
        .collect()
}

fuzz_target!(|input: Input| match input {
    Input::Raw(raw) => {
        let decoded = form_decode(&raw);
        assert_eq!(decoded, strict_parse(&raw));
        if let Some(pairs) = decoded {
            assert_eq!(form_decode(encode(&pairs).as_bytes()), Some(pairs));
        }
    }
    Input::Pairs(pairs) => {
        assert_eq!(form_decode(encode(&pairs).as_bytes()), Some(pairs));
    }
});
