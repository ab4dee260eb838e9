//! The web pages through the CGI binary, one module per area of the menu: sessions and layout
//! (`foundation`), the structure lists, users, groups, lessons, payments, schedule, statistics,
//! messages, notifications, the student's cabinet, the money reports and their downloads, the
//! change log and the read-only developer's flashes.

#[path = "../common/mod.rs"]
mod common;

mod change_log;
mod compression;
mod debts_cache;
mod forms_and_errors;
mod foundation;
mod groups;
mod lessons;
mod lists;
mod mail_tls;
mod messages;
mod money_reports;
mod month_payments;
mod notifications;
mod parents;
mod payments;
mod read_only_flashes;
mod roll_call;
mod schedule;
mod security_headers;
mod sessions;
mod stats;
mod structure;
mod student;
mod users;
