//! Blueprint `student` (web-ui.md §10): the student's own cabinet.
