//! The structure area's SQL, one file per table (schools and citizenships share `catalog`, the
//! members of groups are `student_in_groups`).

pub mod catalog;
pub mod groups;
pub mod members;
pub mod parents;
pub mod sections;
