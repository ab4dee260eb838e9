//! Developer tools and the dump (web-ui.md §2.2–§2.6, decisions.md §16, §18, §19): the «ещё»
//! page, visit statistics, the integrity reports and the JSON dump.

pub mod anth;
pub mod check_integrity;
pub mod dump;
pub mod integrity;
pub mod visit_stats;
