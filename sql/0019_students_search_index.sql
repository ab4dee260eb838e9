-- 0019_students_search_index: a search of the students list tests every student's FIO and login
-- and shows the found ones in the list's order (not filled in first, then FIO, then id). With
-- this key the server reads the students in that order from the key alone, the FIO and the
-- account to check the login included, instead of reading every row and sorting the found ones
-- (a search of «ов» on the large demo data: 5.0 → 1.8 ms for the found ids in order, 2.5 → 0.6 ms
-- for one page). A re-run gets error 1061, which the runner tolerates.
ALTER TABLE `students` ADD KEY `ix_students_search` (`filled`, `fio`, `id`, `system_user_id`);
