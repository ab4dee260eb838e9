//! The binary as an operator and an attacker meet it: migrations of the original's database,
//! backups (and their mailing over TLS), the developer's dump and integrity pages, the demo seed,
//! faults (a database that is down or hung, killed saves, deadlocks), and the sweeps generated from
//! the route table (`sweep`): the authorisation matrix, CSRF on every POST and the hostile-input
//! corpus.

#[path = "../common/mod.rs"]
mod common;

mod authz_matrix;
mod backup;
mod csrf_sweep;
mod dev_dump;
mod dev_integrity;
mod faults;
mod hostile_input;
mod migrations;
mod seed_demo;
mod sweep;
