-- 0023_attendance_marks_cache: row 0 of `debts_cache` keeps the attendance marks of every group
-- per day over the overview's year, which the overview of money and attendance charts. Summing
-- them reads every mark of the year (26,000 on the large demo data). A mark's write raises this
-- row alone; a body is good only for the day it was counted on. Row 0 comes before the others,
-- so a write raising every row locks it first, as a mark's write does. A re-run inserts nothing.
INSERT IGNORE INTO `debts_cache` (`id`, `version`, `month`, `body`) VALUES (0, 0, -1, '');
