-- 0021_lessons_held_cache: a third row of `debts_cache` keeps every teacher's lessons, those held
-- by a day and all of them, which the app shows with every teacher (its teachers list and a
-- teacher's details) and the lessons list counts as it opens. Counting them reads every lesson.
-- The writes of lessons raise the version with those of the money figures, and a body is good
-- only for the day it was counted on. A re-run inserts nothing.
INSERT IGNORE INTO `debts_cache` (`id`, `version`, `month`, `body`) VALUES (3, 0, -1, '');
