//! REST API v1.1.0 for the Android and Flutter apps; the contract they depend on is
//! `src/api/README.md`.

pub mod account;
pub mod details;
pub mod developer;
pub mod dump;
pub mod group_contents;
pub mod groups;
pub mod json;
pub mod lessons;
pub mod lists;
pub mod payments;
pub mod people;
pub mod schedule;

/// The newest Android build (`init_model.actual_app_build_code`): older apps offer an update.
pub const ACTUAL_APP_BUILD_CODE: i32 = 9;
