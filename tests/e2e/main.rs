//! Through a private Apache httpd: the CGI and FastCGI sites (`apache`, `fastcgi`), and headless
//! Chromium logging in (`browser`) and playing everyday scenarios end to end (`scenarios`).

#[path = "../common/mod.rs"]
mod common;

mod a11y;
mod apache;
mod browser;
mod chat;
mod csp;
mod desktop;
mod fastcgi;
mod lists;
mod phone;
mod scenarios;
mod screens;
