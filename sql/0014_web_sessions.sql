-- 0014_web_sessions: a signed-in browser is a row, so that logging out, «завершить» and a
-- password change end it for good: the cookie holds a random secret, the row only its keyed hash.
-- The row keeps the tag of the password it was opened with, when and from what browser. No
-- foreign key: an account's rows are deleted with it by hand, as its app tokens are. A re-run
-- gets error 1050, which the runner tolerates.
CREATE TABLE `web_sessions` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `system_user_id` int(11) NOT NULL,
  `token_hash` char(64) NOT NULL,
  `password_tag` varchar(32) NOT NULL,
  `remember` tinyint(1) NOT NULL,
  `created` datetime NOT NULL,
  `last_seen` datetime NOT NULL,
  `expires` datetime NOT NULL,
  `browser` varchar(255) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `ix_web_sessions_token_hash` (`token_hash`),
  KEY `ix_web_sessions_user` (`system_user_id`),
  KEY `ix_web_sessions_expires` (`expires`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
