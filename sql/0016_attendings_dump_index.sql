-- 0016_attendings_dump_index: the dump (and the month grids) read every mark of a lesson with its
-- student; with the student in the index those reads need not visit the table rows (157,000 of
-- them for a dump of the large demo data: its SQL took 186 ms, now about 106). A re-run gets
-- error 1061, which the runner tolerates.
ALTER TABLE `attendings` ADD KEY `ix_attendings_marks_students` (`lesson_id`, `state`, `student_id`);
