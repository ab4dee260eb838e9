-- 0022_attendings_student_marks_index: the app's students list and a student's details show how
-- many lessons each student attended («был»). With this key the count is read from the key alone,
-- not from every attendance row of the student (a page of 20 found students on the large demo
-- data: 1.45 → 0.25 ms for the counts, 2.4 → 1.2 ms for the page). A re-run gets error 1061,
-- which the runner tolerates.
ALTER TABLE `attendings` ADD KEY `ix_attendings_student_marks` (`student_id`, `state`);
