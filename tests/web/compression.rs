//! gzip on the way out: text answers over 1 KB are compressed for a client that accepts it, read
//! back to the same bytes; small answers, downloads and clients without gzip get them as they are.

use crate::common;
use crate::common::api;
use common::{CgiRequest, TestDb, WebClient};
use std::io::Read;

fn gunzip(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(body)
        .read_to_end(&mut out)
        .expect("a gzip body");
    out
}

#[test]
fn text_answers_are_gzipped_for_clients_that_accept_it() {
    let db = TestDb::seeded();
    let token = api::valid_token(&db, "ma1");
    let list = format!("/api/v1.1.0/students_list?access_token={token}");
    for _ in 0..6 {
        common::fixture::add_student(
            &db,
            &format!("s{}", db.count("students")),
            "Ученик Длинное Имя",
        );
    }
    let plain = db.cgi(&CgiRequest::get(&list));
    let zipped = db.cgi(&CgiRequest::get(&list).header("Accept-Encoding", "gzip, deflate, br"));
    assert_eq!(zipped.header("content-encoding"), Some("gzip"));
    assert_eq!(zipped.header("vary"), Some("Accept-Encoding"));
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(
        gunzip(&zipped.body),
        plain.body,
        "the API's bytes, once unpacked"
    );
    assert!(
        zipped.body.len() * 4 < plain.body.len(),
        "{} of {}",
        zipped.body.len(),
        plain.body.len()
    );

    // A page of the site, and a stylesheet.
    let mut web = WebClient::login(&db, "ma1", "12");
    let page = web.send(CgiRequest::get("/users/students").header("Accept-Encoding", "gzip"));
    assert_eq!(page.header("content-encoding"), Some("gzip"));
    assert!(
        String::from_utf8(gunzip(&page.body))
            .unwrap()
            .contains("Ученик Длинное Имя")
    );
    let css = db.cgi(&CgiRequest::get("/static/app.css").header("Accept-Encoding", "gzip"));
    assert_eq!(css.header("content-encoding"), Some("gzip"));

    // Small answers, a refusing client and downloads stay as they are.
    let small = db.cgi(&CgiRequest::get("/api/v1.1.0/app_info").header("Accept-Encoding", "gzip"));
    assert_eq!(small.header("content-encoding"), None);
    let refused = db.cgi(&CgiRequest::get(&list).header("Accept-Encoding", "gzip;q=0"));
    assert_eq!(refused.body, plain.body);
    let xlsx = web.send(CgiRequest::get("/users/students/xlsx").header("Accept-Encoding", "gzip"));
    assert_eq!(xlsx.status, 200);
    assert_eq!(xlsx.header("content-encoding"), None);
}
