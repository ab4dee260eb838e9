//! The form decoder: arbitrary bytes never panic, and whatever it accepts survives re-encoding;
//! arbitrary text pairs, encoded as a browser does, decode to themselves.
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

fuzz_target!(|input: Input| match input {
    Input::Raw(raw) => {
        if let Some(pairs) = form_decode(&raw) {
            assert_eq!(form_decode(encode(&pairs).as_bytes()), Some(pairs));
        }
    }
    Input::Pairs(pairs) => {
        assert_eq!(form_decode(encode(&pairs).as_bytes()), Some(pairs));
    }
});
