//! The FastCGI responder: any byte stream (raw, or a sequence of well-framed records) ends without
//! a panic or a hang, and what it writes back is a sequence of whole, padded version-1 records.
#![no_main]

use arbitrary::Arbitrary;
use crmit::fuzzing::fastcgi_connection;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Record {
    /// The record types of the FastCGI 1.0 specification are 1…11.
    kind: u8,
    request_id: u8,
    content: Vec<u8>,
    padding: u8,
}

#[derive(Arbitrary, Debug)]
enum Input {
    Raw(Vec<u8>),
    Records(Vec<Record>),
}

fn frame(records: &[Record]) -> Vec<u8> {
    let mut out = Vec::new();
    for r in records {
        let len = (r.content.len() as u16).to_be_bytes();
        out.extend([
            1,
            r.kind % 12,
            0,
            r.request_id % 4,
            len[0],
            len[1],
            r.padding % 8,
            0,
        ]);
        out.extend_from_slice(&r.content);
        out.extend(std::iter::repeat_n(0, (r.padding % 8).into()));
    }
    out
}

fuzz_target!(|input: Input| {
    let stream = match input {
        Input::Raw(bytes) => bytes,
        Input::Records(records) => frame(&records),
    };
    let answer = fastcgi_connection(&stream, 64);
    let mut out = answer.as_slice();
    while !out.is_empty() {
        assert!(out.len() >= 8, "partial header");
        let len = u16::from_be_bytes([out[4], out[5]]) as usize + out[6] as usize;
        assert_eq!(out[0], 1, "version");
        assert_eq!(len % 8, 0, "padded to 8");
        assert!(out.len() >= 8 + len, "partial content");
        out = &out[8 + len..];
    }
});
