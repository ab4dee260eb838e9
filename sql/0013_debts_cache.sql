-- 0013_debts_cache: the debts of every membership, computed from every membership and payment of
-- the centre, kept between requests. Every write that can change a debt (payments, memberships,
-- groups, sections, a student's name or phone) raises `version` in its own transaction, so the
-- row lock orders the writers as they commit, and a body is stored only under the version it was
-- computed from. Without the row nothing is cached. A re-run gets error 1050 and inserts nothing.
CREATE TABLE `debts_cache` (
  `id` tinyint(4) NOT NULL,
  `version` bigint(20) NOT NULL,
  `month` int(11) NOT NULL,
  `body` mediumblob NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT IGNORE INTO `debts_cache` (`id`, `version`, `month`, `body`) VALUES (1, 0, -1, '');
