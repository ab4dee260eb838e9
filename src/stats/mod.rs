//! Group statistics (`/stat/…`): per month of a group its students, lessons, attendance and
//! payments, as a table and a chart.

pub mod group;
mod store;
