-- 0011_change_log: the change log of payments, attendance marks, memberships and accounts (who,
-- when in UTC, what, old and new value). No foreign keys: an entry outlives the rows it speaks
-- of, and keeps the login and the values as they were. Read newest first, by student, group,
-- user or time.
CREATE TABLE IF NOT EXISTS `change_log` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `changed_at` datetime NOT NULL,
  `user_id` int(11) DEFAULT NULL,
  `user_login` varchar(255) NOT NULL,
  `via` tinyint(4) NOT NULL,
  `kind` varchar(16) NOT NULL,
  `table_name` varchar(64) NOT NULL,
  `row_id` int(11) NOT NULL,
  `student_id` int(11) DEFAULT NULL,
  `group_id` int(11) DEFAULT NULL,
  `what` varchar(255) NOT NULL,
  `old_value` varchar(255) NOT NULL,
  `new_value` varchar(255) NOT NULL,
  PRIMARY KEY (`id`),
  KEY `ix_change_log_changed_at` (`changed_at`),
  KEY `ix_change_log_student` (`student_id`, `id`),
  KEY `ix_change_log_group` (`group_id`, `id`),
  KEY `ix_change_log_user` (`user_id`, `id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
