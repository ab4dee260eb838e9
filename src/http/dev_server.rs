//! `crmit serve`: a small HTTP/1.1 server for development. Each connection gets a thread and one
//! request (Connection: close), handled by the same function the CGI adapter calls: also a request
//! that cannot be read (too large, malformed) goes to it, to be answered as CGI answers it.

use super::{Method, ReadError, Request, Response, decode_path, reason_phrase};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};

/// What answers a request: the request or why it could not be read, and the `PATH_INFO` of an
/// unreadable one (none here: the CGI adapter's error page then speaks of `/`).
pub type Handler = fn(Result<Request, ReadError>, &str) -> Response;

pub fn serve(listen: &str, handler: Handler, max_body: usize) -> std::io::Result<()> {
    let listener = TcpListener::bind(listen)?;
    eprintln!("crmit: слушаю http://{listen}/");
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        std::thread::spawn(move || {
            let _ = serve_one(stream, handler, max_body);
        });
    }
    Ok(())
}

fn serve_one(stream: TcpStream, handler: Handler, max_body: usize) -> std::io::Result<()> {
    let peer = stream
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default();
    let mut reader = BufReader::new(stream.try_clone()?);
    let req = read_request(&mut reader, peer, max_body);
    let head = matches!(&req, Ok(r) if r.method == Method::Head);
    write_response(stream, &handler(req, ""), head)
}

fn read_request(
    reader: &mut impl BufRead,
    peer: String,
    max_body: usize,
) -> Result<Request, ReadError> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Err(ReadError::Malformed("строка запроса"));
    };
    let (raw_path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut req = Request::new(Method::parse(method), &decode_path(raw_path)?);
    req.query = query.to_string();
    req.remote_addr = peer;
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 {
            break;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let Some((name, value)) = header.split_once(':') else {
            continue;
        };
        let value = value.trim().to_string();
        match name.to_ascii_lowercase().as_str() {
            "content-length" => {
                length = value
                    .parse()
                    .map_err(|_| ReadError::Malformed("Content-Length"))?
            }
            "content-type" => req.content_type = value,
            "cookie" => req.cookie_header = value,
            "host" => req.host = value,
            "user-agent" => req.user_agent = value,
            "referer" => req.referer = value,
            "origin" => req.origin = value,
            "accept-encoding" => req.accept_encoding = value,
            _ => {}
        }
    }
    if length > max_body {
        return Err(ReadError::TooLarge);
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    req.body = body;
    Ok(req)
}

fn write_response(mut stream: TcpStream, resp: &Response, head_only: bool) -> std::io::Result<()> {
    let mut out = Vec::with_capacity(resp.body.len() + 256);
    write!(
        out,
        "HTTP/1.1 {} {}\r\n",
        resp.status,
        reason_phrase(resp.status)
    )?;
    for (name, value) in &resp.headers {
        write!(out, "{name}: {value}\r\n")?;
    }
    write!(
        out,
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        resp.body.len()
    )?;
    if !head_only {
        out.extend_from_slice(&resp.body);
    }
    stream.write_all(&out)?;
    let _ = stream.shutdown(std::net::Shutdown::Write);
    // Drain what the client may still send so it sees our answer rather than a reset.
    let _ = stream.read(&mut [0u8; 1024]);
    Ok(())
}
