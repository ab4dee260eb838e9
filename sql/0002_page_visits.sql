-- 0002_page_visits: visit counter per page and API endpoint, one upsert per request, shown to
-- developers on /visit_stats (the original had such a table once and dropped it).
CREATE TABLE IF NOT EXISTS `page_visits` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `page_name` varchar(255) NOT NULL,
  `visits_count` int(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`),
  UNIQUE KEY `ix_page_visits_page_name` (`page_name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
