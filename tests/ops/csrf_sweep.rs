//! Every state-changing web route (each POST of `crmit routes` that is not the API) refuses a
//! request without a CSRF token and one with a wrong token with 400, and writes nothing (the
//! content of every table is the same before and after). Sent by someone the route admits, so
//! that the CSRF check, not the role check, is what answers.

use crate::common;

use crate::sweep::{Fixture, Who, changed, default_path, describe, routes, session_csrf, snapshot};
use common::CgiRequest;

/// Who passes the role check of a route with these role letters.
fn admitted(access: &str) -> Who {
    match access {
        "S" => Who::Student,
        a if a.contains('M') => Who::Master,
        a if a.contains('D') => Who::Developer,
        "anyone" => Who::Anonymous,
        other => panic!("no fixture user for access {other}"),
    }
}

#[test]
fn every_web_post_refuses_a_missing_or_wrong_token_and_writes_nothing() {
    let fx = Fixture::new();
    let posts: Vec<_> = routes(&fx.db)
        .into_iter()
        .filter(|r| r.method == "POST" && !r.is_api())
        .collect();
    assert!(posts.len() > 30, "{} web POST routes", posts.len());
    let mut wrong = Vec::new();
    for route in &posts {
        let path = fx.fill(&default_path(&route.pattern));
        let mut web = fx.web(admitted(&route.access));
        let good = session_csrf(&mut web);
        // The right token with its last character changed.
        let last = if good.ends_with('x') { "y" } else { "x" };
        let bad = format!("{}{last}", &good[..good.len() - 1]);
        let attempts: [(&str, Vec<(&str, &str)>); 3] = [
            ("no token", vec![("name", "x")]),
            ("wrong token", vec![("name", "x"), ("csrf_token", &bad)]),
            ("empty token", vec![("csrf_token", "")]),
        ];
        for (what, fields) in attempts {
            let before = snapshot(&fx.db);
            let resp = web.send(CgiRequest::post_form(&path, &fields));
            let after = snapshot(&fx.db);
            if resp.status != 400 {
                wrong.push(format!("{} {what}: {}", route.key(), describe(&resp)));
            }
            let diff = changed(&before, &after);
            if !diff.is_empty() {
                wrong.push(format!("{} {what}: wrote {diff:?}", route.key()));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
