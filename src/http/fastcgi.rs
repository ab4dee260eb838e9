//! The FastCGI adapter (FastCGI 1.0 specification, Responder role), hand-written like the CGI one.
//! One request at a time per process, as mod_fcgid runs its applications: multiplexing is refused
//! (`FCGI_MPXS_CONNS` 0, a second request id gets `FCGI_CANT_MPX_CONN`) and connections are served
//! one after another. The request is built by the CGI adapter's code from the PARAMS name-value
//! pairs, and the answer is the bytes a CGI run would print, so both modes answer identically.

use super::{ReadError, Request, Response, cgi};
use std::collections::HashMap;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::os::fd::{FromRawFd, RawFd};
use std::os::unix::net::UnixListener;

const VERSION: u8 = 1;
const BEGIN_REQUEST: u8 = 1;
const ABORT_REQUEST: u8 = 2;
const END_REQUEST: u8 = 3;
const PARAMS: u8 = 4;
const STDIN: u8 = 5;
const STDOUT: u8 = 6;
const GET_VALUES: u8 = 9;
const GET_VALUES_RESULT: u8 = 10;
const UNKNOWN_TYPE: u8 = 11;

const RESPONDER: u16 = 1;
const KEEP_CONN: u8 = 1;

const REQUEST_COMPLETE: u8 = 0;
const CANT_MPX_CONN: u8 = 1;
const UNKNOWN_ROLE: u8 = 3;

/// The largest content of one record.
const MAX_CONTENT: usize = 65535;

/// One record: the header's fields that matter plus the content (padding is dropped on reading).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub kind: u8,
    pub request_id: u16,
    pub content: Vec<u8>,
}

impl Record {
    fn new(kind: u8, request_id: u16, content: Vec<u8>) -> Record {
        Record {
            kind,
            request_id,
            content,
        }
    }

    /// Reads one record; `None` at a clean end of the stream between records.
    pub fn read(r: &mut impl Read) -> io::Result<Option<Record>> {
        let mut header = [0u8; 8];
        match r.read(&mut header[..1])? {
            0 => return Ok(None),
            _ => r.read_exact(&mut header[1..])?,
        }
        if header[0] != VERSION {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("FastCGI version {}", header[0]),
            ));
        }
        let length = u16::from_be_bytes([header[4], header[5]]) as usize;
        let mut content = vec![0; length + header[6] as usize];
        r.read_exact(&mut content)?;
        content.truncate(length);
        let request_id = u16::from_be_bytes([header[2], header[3]]);
        Ok(Some(Record::new(header[1], request_id, content)))
    }

    /// Writes the record padded to a multiple of 8 bytes, as the FastCGI 1.0 specification
    /// recommends.
    pub fn write(&self, w: &mut impl Write) -> io::Result<()> {
        assert!(self.content.len() <= MAX_CONTENT, "record content too long");
        let padding = (8 - self.content.len() % 8) % 8;
        let [id_hi, id_lo] = self.request_id.to_be_bytes();
        let [len_hi, len_lo] = (self.content.len() as u16).to_be_bytes();
        w.write_all(&[
            VERSION,
            self.kind,
            id_hi,
            id_lo,
            len_hi,
            len_lo,
            padding as u8,
            0,
        ])?;
        w.write_all(&self.content)?;
        w.write_all(&[0u8; 8][..padding])
    }
}

/// Decodes name-value pairs (lengths of one byte below 128, else four with the top bit set).
pub fn decode_pairs(mut data: &[u8]) -> Result<Vec<(String, String)>, ReadError> {
    fn length(data: &mut &[u8]) -> Result<usize, ReadError> {
        let bad = ReadError::Malformed("параметры FastCGI");
        match data.first() {
            Some(&b) if b < 0x80 => {
                *data = &data[1..];
                Ok(b as usize)
            }
            Some(_) if data.len() >= 4 => {
                let n = u32::from_be_bytes([data[0] & 0x7f, data[1], data[2], data[3]]);
                *data = &data[4..];
                Ok(n as usize)
            }
            _ => Err(bad),
        }
    }
    let mut pairs = Vec::new();
    while !data.is_empty() {
        let (name_len, value_len) = (length(&mut data)?, length(&mut data)?);
        if data.len() < name_len + value_len {
            return Err(ReadError::Malformed("параметры FastCGI"));
        }
        let name = String::from_utf8_lossy(&data[..name_len]).into_owned();
        let value = String::from_utf8_lossy(&data[name_len..name_len + value_len]).into_owned();
        pairs.push((name, value));
        data = &data[name_len + value_len..];
    }
    Ok(pairs)
}

pub fn encode_pairs(pairs: &[(&str, &str)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, value) in pairs {
        for len in [name.len(), value.len()] {
            if len < 0x80 {
                out.push(len as u8);
            } else {
                out.extend_from_slice(&(len as u32 | 0x8000_0000).to_be_bytes());
            }
        }
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(value.as_bytes());
    }
    out
}

/// True when the process was started as a FastCGI application: the web server hands it a
/// listening socket as standard input (a CGI program gets a pipe, or a connected socket under
/// mod_cgid, together with `GATEWAY_INTERFACE`).
pub fn stdin_is_listening_socket() -> bool {
    use std::os::unix::fs::FileTypeExt;
    // Borrowed, never closed: ManuallyDrop keeps fd 0 open.
    let stdin = std::mem::ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(0) });
    let is_socket = stdin.metadata().is_ok_and(|m| m.file_type().is_socket());
    is_socket && std::env::var_os("GATEWAY_INTERFACE").is_none() && listening_unix(0).is_some()
}

/// The Unix-domain listener on `fd`, if it is one.
fn listening_unix(fd: RawFd) -> Option<std::mem::ManuallyDrop<UnixListener>> {
    // SAFETY: fd 0 stays owned by the process; ManuallyDrop never closes it.
    let listener = std::mem::ManuallyDrop::new(unsafe { UnixListener::from_raw_fd(fd) });
    listener.local_addr().ok().map(|_| listener)
}

/// The application: answers a request, or one that could not be read (then with its `PATH_INFO`).
pub trait Handler: FnMut(Result<Request, ReadError>, &str) -> Response {}
impl<F: FnMut(Result<Request, ReadError>, &str) -> Response> Handler for F {}

/// Serves the listening socket handed over as fd 0 until the web server stops the process.
pub fn serve_stdin(app: &mut impl Handler, url_prefix: &str, max_body: usize) -> io::Result<()> {
    let listener = listening_unix(0)
        .ok_or_else(|| io::Error::other("стандартный ввод не слушающий сокет Unix"))?;
    loop {
        let (stream, _) = listener.accept()?;
        let _ = serve_connection(&stream, &stream, app, url_prefix, max_body);
    }
}

/// Serves a Unix socket path or a TCP address (for testing and for servers that connect to an
/// already running application).
pub fn serve_address(
    listen: &str,
    app: &mut impl Handler,
    url_prefix: &str,
    max_body: usize,
) -> io::Result<()> {
    if listen.contains('/') {
        let _ = std::fs::remove_file(listen);
        let listener = UnixListener::bind(listen)?;
        loop {
            let (stream, _) = listener.accept()?;
            let _ = serve_connection(&stream, &stream, app, url_prefix, max_body);
        }
    }
    let listener = std::net::TcpListener::bind(listen)?;
    loop {
        let (stream, _) = listener.accept()?;
        let _ = serve_connection(&stream, &stream, app, url_prefix, max_body);
    }
}

/// The request being received on a connection.
struct Pending {
    id: u16,
    keep_conn: bool,
    params: Vec<u8>,
    params_done: bool,
    stdin: Vec<u8>,
}

/// Serves requests on one connection until the server closes it or a request without
/// `FCGI_KEEP_CONN` is answered.
pub fn serve_connection(
    input: impl Read,
    output: impl Write,
    app: &mut impl Handler,
    url_prefix: &str,
    max_body: usize,
) -> io::Result<()> {
    let mut input = BufReader::new(input);
    let mut out = BufWriter::new(output);
    let mut pending: Option<Pending> = None;
    while let Some(rec) = Record::read(&mut input)? {
        match (rec.kind, &mut pending) {
            (GET_VALUES, _) if rec.request_id == 0 => {
                Record::new(GET_VALUES_RESULT, 0, values_result(&rec.content)).write(&mut out)?;
                out.flush()?;
            }
            (BEGIN_REQUEST, None) if rec.content.len() >= 8 => {
                let role = u16::from_be_bytes([rec.content[0], rec.content[1]]);
                let keep_conn = rec.content[2] & KEEP_CONN != 0;
                if role != RESPONDER {
                    end_request(&mut out, rec.request_id, UNKNOWN_ROLE)?;
                    if !keep_conn {
                        return Ok(());
                    }
                    continue;
                }
                pending = Some(Pending {
                    id: rec.request_id,
                    keep_conn,
                    params: Vec::new(),
                    params_done: false,
                    stdin: Vec::new(),
                });
            }
            (BEGIN_REQUEST, Some(_)) => end_request(&mut out, rec.request_id, CANT_MPX_CONN)?,
            (PARAMS, Some(p)) if p.id == rec.request_id => match rec.content.is_empty() {
                true => p.params_done = true,
                false => p.params.extend_from_slice(&rec.content),
            },
            // The body beyond the limit is read and dropped: CONTENT_LENGTH makes it a 413.
            (STDIN, Some(p)) if p.id == rec.request_id && !rec.content.is_empty() => {
                let room = (max_body + 1).saturating_sub(p.stdin.len());
                p.stdin
                    .extend_from_slice(&rec.content[..rec.content.len().min(room)]);
            }
            (STDIN, Some(p)) if p.id == rec.request_id && p.params_done => {
                let p = pending.take().expect("matched");
                let resp = answer(app, &p, url_prefix, max_body);
                write_stdout(&mut out, p.id, &resp)?;
                end_request(&mut out, p.id, REQUEST_COMPLETE)?;
                out.flush()?;
                if !p.keep_conn {
                    return Ok(());
                }
            }
            (ABORT_REQUEST, Some(p)) if p.id == rec.request_id => {
                let keep_conn = p.keep_conn;
                end_request(&mut out, rec.request_id, REQUEST_COMPLETE)?;
                out.flush()?;
                pending = None;
                if !keep_conn {
                    return Ok(());
                }
            }
            (kind, _) if rec.request_id == 0 => {
                Record::new(UNKNOWN_TYPE, 0, vec![kind, 0, 0, 0, 0, 0, 0, 0]).write(&mut out)?;
                out.flush()?;
            }
            // Records of a request that is not (or no longer) active are ignored, as the
            // specification asks.
            _ => {}
        }
    }
    out.flush()
}

fn answer(app: &mut impl Handler, p: &Pending, url_prefix: &str, max_body: usize) -> Vec<u8> {
    let pairs = decode_pairs(&p.params);
    let params: HashMap<String, String> = pairs
        .as_ref()
        .map(|v| v.iter().cloned().collect())
        .unwrap_or_default();
    let var = |name: &str| params.get(name).cloned().unwrap_or_default();
    let req = match pairs {
        Ok(_) => cgi::build_request(var, p.stdin.as_slice(), url_prefix, max_body),
        Err(e) => Err(e),
    };
    let resp = app(req, &var("PATH_INFO"));
    cgi::response_bytes(&resp, var("REQUEST_METHOD") == "HEAD")
}

/// Answers the management query: one request at a time, one connection, no multiplexing.
fn values_result(query: &[u8]) -> Vec<u8> {
    let known = [
        ("FCGI_MAX_CONNS", "1"),
        ("FCGI_MAX_REQS", "1"),
        ("FCGI_MPXS_CONNS", "0"),
    ];
    let asked = decode_pairs(query).unwrap_or_default();
    let answer: Vec<(&str, &str)> = known
        .into_iter()
        .filter(|(name, _)| asked.iter().any(|(n, _)| n == name))
        .collect();
    encode_pairs(&answer)
}

fn write_stdout(out: &mut impl Write, id: u16, data: &[u8]) -> io::Result<()> {
    for chunk in data.chunks(MAX_CONTENT) {
        Record::new(STDOUT, id, chunk.to_vec()).write(out)?;
    }
    Record::new(STDOUT, id, Vec::new()).write(out)
}

fn end_request(out: &mut impl Write, id: u16, protocol_status: u8) -> io::Result<()> {
    Record::new(END_REQUEST, id, vec![0, 0, 0, 0, protocol_status, 0, 0, 0]).write(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn begin(id: u16, keep_conn: bool) -> Record {
        Record::new(
            BEGIN_REQUEST,
            id,
            vec![0, 1, keep_conn as u8, 0, 0, 0, 0, 0],
        )
    }

    fn stream(records: &[Record]) -> Vec<u8> {
        let mut out = Vec::new();
        for r in records {
            r.write(&mut out).unwrap();
        }
        out
    }

    fn records(mut data: &[u8]) -> Vec<Record> {
        std::iter::from_fn(|| Record::read(&mut data).unwrap()).collect()
    }

    fn request(id: u16, keep_conn: bool, params: &[(&str, &str)], body: &[u8]) -> Vec<Record> {
        let mut v = vec![
            begin(id, keep_conn),
            Record::new(PARAMS, id, encode_pairs(params)),
            Record::new(PARAMS, id, vec![]),
        ];
        if !body.is_empty() {
            v.push(Record::new(STDIN, id, body.to_vec()));
        }
        v.push(Record::new(STDIN, id, vec![]));
        v
    }

    /// Echoes method, path and body; a request that could not be read answers 400 with its path.
    fn echo(req: Result<Request, ReadError>, path_info: &str) -> Response {
        match req {
            Ok(r) => Response::text(
                200,
                &format!(
                    "{:?} {} {}",
                    r.method,
                    r.path,
                    String::from_utf8_lossy(&r.body)
                ),
            ),
            Err(e) => Response::text(400, &format!("{path_info}: {e}")),
        }
    }

    fn serve(input: &[u8]) -> Vec<Record> {
        let mut out = Vec::new();
        serve_connection(input, &mut out, &mut echo, "", 16).unwrap();
        records(&out)
    }

    fn stdout_text(recs: &[Record], id: u16) -> String {
        let bytes: Vec<u8> = recs
            .iter()
            .filter(|r| r.kind == STDOUT && r.request_id == id)
            .flat_map(|r| r.content.clone())
            .collect();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn records_round_trip_with_padding() {
        let rec = Record::new(STDOUT, 513, b"hello".to_vec());
        let bytes = stream(std::slice::from_ref(&rec));
        assert_eq!(bytes.len(), 16);
        assert_eq!(&bytes[..8], &[1, STDOUT, 2, 1, 0, 5, 3, 0]);
        assert_eq!(records(&bytes), vec![rec]);
    }

    #[test]
    fn pairs_round_trip_with_long_lengths() {
        let long = "x".repeat(300);
        let data = encode_pairs(&[("A", "1"), ("LONG", &long), ("EMPTY", "")]);
        assert_eq!(&data[..2], &[1, 1]);
        assert_eq!(data[5..9], [0x80, 0, 1, 44]);
        let pairs = decode_pairs(&data).unwrap();
        assert_eq!(pairs[1], ("LONG".to_string(), long));
        assert_eq!(pairs[2], ("EMPTY".to_string(), String::new()));
        assert!(decode_pairs(&[5, 1, b'a']).is_err());
        assert!(decode_pairs(&[0x80, 0]).is_err());
    }

    #[test]
    fn answers_a_request_as_cgi_would_and_closes_without_keep_conn() {
        let mut input = stream(&request(
            1,
            false,
            &[
                ("REQUEST_METHOD", "POST"),
                ("REQUEST_URI", "/a%20b"),
                ("CONTENT_LENGTH", "3"),
            ],
            b"abc",
        ));
        // Anything after the answered request is not read.
        input.extend(stream(&request(2, false, &[], b"")));
        let recs = serve(&input);
        let text = stdout_text(&recs, 1);
        assert!(text.starts_with("Status: 200 OK\r\n"), "{text}");
        assert!(text.ends_with("\r\n\r\nPost /a b abc"), "{text}");
        let last = recs.last().unwrap();
        assert_eq!((last.kind, last.request_id), (END_REQUEST, 1));
        assert_eq!(last.content, vec![0, 0, 0, 0, REQUEST_COMPLETE, 0, 0, 0]);
        assert!(recs.iter().all(|r| r.request_id == 1));
    }

    #[test]
    fn keeps_the_connection_for_the_next_request() {
        let mut records_in = request(1, true, &[("REQUEST_URI", "/one")], b"");
        records_in.extend(request(2, true, &[("REQUEST_URI", "/two")], b""));
        let recs = serve(&stream(&records_in));
        assert!(stdout_text(&recs, 1).ends_with("Other /one "));
        assert!(stdout_text(&recs, 2).ends_with("Other /two "));
        let ends = recs.iter().filter(|r| r.kind == END_REQUEST).count();
        assert_eq!(ends, 2);
    }

    #[test]
    fn refuses_multiplexing_and_unknown_roles() {
        let recs = serve(&stream(&[begin(1, true), begin(2, true)]));
        assert_eq!(recs.len(), 1);
        assert_eq!((recs[0].request_id, recs[0].content[4]), (2, CANT_MPX_CONN));
        let authorizer = Record::new(BEGIN_REQUEST, 3, vec![0, 2, 0, 0, 0, 0, 0, 0]);
        let recs = serve(&stream(&[authorizer]));
        assert_eq!((recs[0].request_id, recs[0].content[4]), (3, UNKNOWN_ROLE));
    }

    #[test]
    fn answers_management_records() {
        let query = encode_pairs(&[
            ("FCGI_MPXS_CONNS", ""),
            ("FCGI_MAX_REQS", ""),
            ("OTHER", ""),
        ]);
        let input = stream(&[
            Record::new(GET_VALUES, 0, query),
            Record::new(42, 0, vec![]),
        ]);
        let recs = serve(&input);
        assert_eq!(recs[0].kind, GET_VALUES_RESULT);
        let mut values = decode_pairs(&recs[0].content).unwrap();
        values.sort();
        assert_eq!(
            values,
            vec![
                ("FCGI_MAX_REQS".to_string(), "1".to_string()),
                ("FCGI_MPXS_CONNS".to_string(), "0".to_string())
            ]
        );
        assert_eq!(recs[1].kind, UNKNOWN_TYPE);
        assert_eq!(recs[1].content[0], 42);
    }

    #[test]
    fn too_large_body_is_refused_without_keeping_it() {
        let big = vec![b'x'; 100];
        let recs = serve(&stream(&request(
            7,
            false,
            &[
                ("REQUEST_METHOD", "POST"),
                ("CONTENT_LENGTH", "100"),
                ("PATH_INFO", "/p"),
            ],
            &big,
        )));
        let text = stdout_text(&recs, 7);
        assert!(text.starts_with("Status: 400"), "{text}");
        assert!(
            text.contains("/p: тело запроса больше допустимого"),
            "{text}"
        );
    }

    #[test]
    fn abort_ends_the_request() {
        let input = stream(&[begin(1, false), Record::new(ABORT_REQUEST, 1, vec![])]);
        let recs = serve(&input);
        assert_eq!(recs.len(), 1);
        assert_eq!((recs[0].kind, recs[0].request_id), (END_REQUEST, 1));
    }
}
