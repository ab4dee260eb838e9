//! Blueprint `schedule`: the weekly timetable, 20 time slots × 7 days.

pub mod shown;
pub mod store;
pub mod timetable;
