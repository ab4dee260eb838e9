//! Statistics (`/stat/…`): per month of a group its students, lessons, attendance and payments,
//! as a table and a chart; and the overview of the centre's money and attendance.

pub mod dashboard;
pub mod dashboard_svg;
pub mod group;
pub mod overview;
mod store;
