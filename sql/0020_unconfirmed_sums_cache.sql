-- 0020_unconfirmed_sums_cache: a second row of `debts_cache` keeps the unconfirmed sum of every
-- group, which the app shows with every group (its groups, teachers and students lists). The
-- writes that raise the debts' version raise it too, so it is computed again after any of them.
-- A re-run inserts nothing.
INSERT IGNORE INTO `debts_cache` (`id`, `version`, `month`, `body`) VALUES (2, 0, -1, '');
