//! Blueprint `schedule` (web-ui.md §9): the weekly timetable.
