-- 0024_month_money_cache: rows 4 and 5 of `debts_cache` keep what the overview shows of money for
-- every group: row 4 the month's due, received and confirmed sums with its students and groups,
-- row 5 the payments received for each month of its chart. Summing them reads every membership
-- of the month and every payment of the year. Every write that can change them (payments,
-- memberships, groups, sections) raises every row; a body is good only for the month it was
-- summed for. A re-run inserts nothing.
INSERT IGNORE INTO `debts_cache` (`id`, `version`, `month`, `body`) VALUES (4, 0, -1, ''), (5, 0, -1, '');
