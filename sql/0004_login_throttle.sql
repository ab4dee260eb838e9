-- 0004_login_throttle: failed-login counters per login and per address (web and API logins).
-- scope says what subject is (a login or a client address).
CREATE TABLE IF NOT EXISTS `login_throttle` (
  `id` int NOT NULL AUTO_INCREMENT,
  `scope` varchar(16) NOT NULL,
  `subject` varchar(255) NOT NULL,
  `failures` int NOT NULL DEFAULT 0,
  `window_start` datetime NOT NULL,
  `locked_until` datetime NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `scope_subject` (`scope`, `subject`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
