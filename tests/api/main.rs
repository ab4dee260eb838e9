//! The REST API v1.1.0 through the CGI binary: logging in and tokens (`auth`), and every
//! endpoint's answers byte for byte (`endpoints`).

#[path = "../common/mod.rs"]
mod common;

mod auth;
mod endpoints;
