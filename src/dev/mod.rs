//! Developer tools and the dump: the «ещё» page, the change log, visit statistics, the integrity
//! reports and the JSON dump.

pub mod anth;
pub mod change_log;
pub mod check_integrity;
pub mod dump;
pub mod integrity;
pub mod visit_stats;
