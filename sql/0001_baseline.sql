-- 0001_baseline: the original crmit schema at Alembic revision 2c04d7e752c7 (its 26 tables).
-- Column order, key names and FK names reproduce what the Alembic chain left behind, so that
-- SHOW CREATE TABLE matches an adopted live database. CHECKs stay unnamed on purpose: the server
-- names them the same way it did for the original.
-- Each statement ends with a semicolon at the end of a line, and that is the only place one may appear.

CREATE TABLE `system_roles` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `name` varchar(255) NOT NULL,
  `details_table_name` varchar(255) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `name` (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE `system_users` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `login` varchar(255) NOT NULL,
  `password_hash` varchar(255) NOT NULL,
  `system_role_id` int(11) NOT NULL,
  `last_seen` datetime NOT NULL,
  `enabled` tinyint(1) NOT NULL DEFAULT 1,
  `last_seen_where` int(11) NOT NULL DEFAULT 2,
  `force_ask_to_login` tinyint(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`),
  UNIQUE KEY `login` (`login`),
  UNIQUE KEY `password_hash` (`password_hash`),
  KEY `ix_system_users_last_seen` (`last_seen`),
  KEY `ix_system_users_system_role_id` (`system_role_id`),
  CONSTRAINT `system_users_ibfk_1` FOREIGN KEY (`system_role_id`) REFERENCES `system_roles` (`id`),
  CHECK (`enabled` in (0,1)),
  CHECK (`force_ask_to_login` in (0,1))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE `schools` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `name` varchar(255) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `name` (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE `citizenships` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `name` varchar(255) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `name` (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE `parents` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `fio` varchar(255) NOT NULL,
  `phone` varchar(255) NOT NULL,
  `email` varchar(255) DEFAULT NULL,
  `passport` varchar(255) DEFAULT NULL,
  `address` varchar(255) DEFAULT NULL,
  `home_phone` varchar(255) DEFAULT NULL,
  `vk_link` varchar(255) DEFAULT NULL,
  `notification_types` int(11) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `passport` (`passport`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE `sections` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `name` varchar(255) NOT NULL,
  `price` int(11) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `name` (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- candidates (unused by the app)

CREATE TABLE `candidates` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `fio` varchar(255) NOT NULL,
  `shift` int(11) NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE `day_preferences` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `day` int(11) NOT NULL,
  `candidate_id` int(11) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `candidate_id` (`candidate_id`,`day`),
  CONSTRAINT `day_preferences_ibfk_1` FOREIGN KEY (`candidate_id`) REFERENCES `candidates` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE `section_preferences` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `section_id` int(11) NOT NULL,
  `candidate_id` int(11) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `candidate_id` (`candidate_id`,`section_id`),
  KEY `section_id` (`section_id`),
  CONSTRAINT `section_preferences_ibfk_1` FOREIGN KEY (`candidate_id`) REFERENCES `candidates` (`id`),
  CONSTRAINT `section_preferences_ibfk_2` FOREIGN KEY (`section_id`) REFERENCES `sections` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- role detail tables (1:1 with system_users)

CREATE TABLE `masters` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `fio` varchar(255) NOT NULL,
  `system_user_id` int(11) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `system_user_id` (`system_user_id`),
  CONSTRAINT `masters_ibfk_1` FOREIGN KEY (`system_user_id`) REFERENCES `system_users` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE `teachers` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `fio` varchar(255) NOT NULL,
  `system_user_id` int(11) NOT NULL,
  `phone` varchar(255) NOT NULL DEFAULT 'n/a',
  PRIMARY KEY (`id`),
  UNIQUE KEY `system_user_id` (`system_user_id`),
  CONSTRAINT `teachers_ibfk_1` FOREIGN KEY (`system_user_id`) REFERENCES `system_users` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE `bots` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `system_user_id` int(11) NOT NULL,
  `fio` varchar(255) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `system_user_id` (`system_user_id`),
  CONSTRAINT `bots_ibfk_1` FOREIGN KEY (`system_user_id`) REFERENCES `system_users` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE `developers` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `fio` varchar(255) NOT NULL,
  `system_user_id` int(11) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `system_user_id` (`system_user_id`),
  CONSTRAINT `developers_ibfk_1` FOREIGN KEY (`system_user_id`) REFERENCES `system_users` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE `students` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `fio` varchar(255) NOT NULL,
  `birth_date` date NOT NULL,
  `birth_place` varchar(255) NOT NULL,
  `registration_place` varchar(255) NOT NULL,
  `actual_address` varchar(255) NOT NULL,
  `additional_info` text DEFAULT NULL,
  `known_from` text DEFAULT NULL,
  `school_id` int(11) NOT NULL,
  `citizenship_id` int(11) NOT NULL,
  `system_user_id` int(11) NOT NULL,
  `contact_phone` int(11) NOT NULL DEFAULT 1,
  `grade` varchar(32) NOT NULL DEFAULT 'n/a',
  `phone` varchar(255) DEFAULT 'n/a',
  `shift` varchar(32) NOT NULL DEFAULT 'n/a',
  `filled` tinyint(1) NOT NULL DEFAULT 1,
  PRIMARY KEY (`id`),
  UNIQUE KEY `system_user_id` (`system_user_id`),
  KEY `citizenship_id` (`citizenship_id`),
  KEY `school_id` (`school_id`),
  CONSTRAINT `students_ibfk_1` FOREIGN KEY (`citizenship_id`) REFERENCES `citizenships` (`id`),
  CONSTRAINT `students_ibfk_2` FOREIGN KEY (`school_id`) REFERENCES `schools` (`id`),
  CONSTRAINT `students_ibfk_3` FOREIGN KEY (`system_user_id`) REFERENCES `system_users` (`id`),
  CHECK (`filled` in (0,1))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE `parent_of_students` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `student_id` int(11) NOT NULL,
  `parent_id` int(11) NOT NULL,
  `is_mother` tinyint(1) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `student_id` (`student_id`,`is_mother`),
  UNIQUE KEY `student_id_2` (`student_id`,`parent_id`),
  UNIQUE KEY `student_id_3` (`student_id`,`parent_id`,`is_mother`),
  KEY `parent_id` (`parent_id`),
  CONSTRAINT `parent_of_students_ibfk_1` FOREIGN KEY (`parent_id`) REFERENCES `parents` (`id`),
  CONSTRAINT `parent_of_students_ibfk_2` FOREIGN KEY (`student_id`) REFERENCES `students` (`id`),
  CHECK (`is_mother` in (0,1))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- groups, membership, payments, lessons

CREATE TABLE `groups` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `name` varchar(255) NOT NULL,
  `section_id` int(11) NOT NULL,
  `teacher_id` int(11) NOT NULL,
  `start_month` int(11) NOT NULL,
  `end_month` int(11) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `name` (`name`),
  KEY `section_id` (`section_id`),
  KEY `teacher_id` (`teacher_id`),
  KEY `ix_groups_end_month` (`end_month`),
  KEY `ix_groups_start_month` (`start_month`),
  CONSTRAINT `groups_ibfk_1` FOREIGN KEY (`section_id`) REFERENCES `sections` (`id`),
  CONSTRAINT `groups_ibfk_2` FOREIGN KEY (`teacher_id`) REFERENCES `teachers` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE `student_in_groups` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `student_id` int(11) NOT NULL,
  `group_id` int(11) NOT NULL,
  `discount` int(11) NOT NULL,
  `enter_month` int(11) NOT NULL,
  `exit_month` int(11) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `student_id` (`student_id`,`group_id`),
  KEY `ix_student_in_groups_enter_month` (`enter_month`),
  KEY `ix_student_in_groups_exit_month` (`exit_month`),
  KEY `ix_student_in_groups_group_id` (`group_id`),
  KEY `ix_student_in_groups_student_id` (`student_id`),
  CONSTRAINT `student_in_groups_ibfk_1` FOREIGN KEY (`group_id`) REFERENCES `groups` (`id`),
  CONSTRAINT `student_in_groups_ibfk_2` FOREIGN KEY (`student_id`) REFERENCES `students` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE `payments` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `student_in_group_id` int(11) NOT NULL,
  `month` int(11) NOT NULL,
  `value` int(11) NOT NULL,
  `cash` tinyint(1) NOT NULL,
  `confirmed` tinyint(1) NOT NULL,
  `comment` varchar(32) NOT NULL DEFAULT '',
  PRIMARY KEY (`id`),
  UNIQUE KEY `student_in_group_id` (`student_in_group_id`,`month`),
  KEY `ix_payments_month` (`month`),
  KEY `ix_payments_student_in_group_id` (`student_in_group_id`),
  CONSTRAINT `payments_ibfk_1` FOREIGN KEY (`student_in_group_id`) REFERENCES `student_in_groups` (`id`),
  CHECK (`cash` in (0,1)),
  CHECK (`confirmed` in (0,1))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE `lessons` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `date` date NOT NULL,
  `teacher_id` int(11) NOT NULL,
  `group_id` int(11) NOT NULL,
  PRIMARY KEY (`id`),
  KEY `ix_lessons_date` (`date`),
  KEY `ix_lessons_group_id` (`group_id`),
  KEY `ix_lessons_teacher_id` (`teacher_id`),
  CONSTRAINT `lessons_ibfk_1` FOREIGN KEY (`group_id`) REFERENCES `groups` (`id`),
  CONSTRAINT `lessons_ibfk_2` FOREIGN KEY (`teacher_id`) REFERENCES `teachers` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE `attendings` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `lesson_id` int(11) NOT NULL,
  `student_id` int(11) NOT NULL,
  `state` int(11) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `student_id` (`student_id`,`lesson_id`),
  KEY `ix_attendings_lesson_id` (`lesson_id`),
  KEY `ix_attendings_student_id` (`student_id`),
  CONSTRAINT `attendings_ibfk_1` FOREIGN KEY (`lesson_id`) REFERENCES `lessons` (`id`),
  CONSTRAINT `attendings_ibfk_2` FOREIGN KEY (`student_id`) REFERENCES `students` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- notifications

CREATE TABLE `notifications` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `sender_id` int(11) NOT NULL,
  `receiver_type` int(11) NOT NULL,
  `receiver_id` int(11) NOT NULL,
  `subject` text NOT NULL,
  `body` text NOT NULL,
  `send_time` datetime NOT NULL,
  `receivers` text NOT NULL,
  PRIMARY KEY (`id`),
  KEY `ix_notifications_receiver_id` (`receiver_id`),
  KEY `ix_notifications_receiver_type` (`receiver_type`),
  KEY `ix_notifications_sender_id` (`sender_id`),
  KEY `ix_notifications_send_time` (`send_time`),
  CONSTRAINT `notifications_ibfk_1` FOREIGN KEY (`sender_id`) REFERENCES `system_users` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- timetable

CREATE TABLE `schedule_times` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `time` varchar(8) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE `schedule_groups` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `schedule_time_id` int(11) NOT NULL,
  `day_of_week` int(11) NOT NULL,
  `group_id` int(11) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `schedule_time_id` (`schedule_time_id`,`day_of_week`),
  KEY `group_id` (`group_id`),
  CONSTRAINT `schedule_groups_ibfk_1` FOREIGN KEY (`group_id`) REFERENCES `groups` (`id`),
  CONSTRAINT `schedule_groups_ibfk_2` FOREIGN KEY (`schedule_time_id`) REFERENCES `schedule_times` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- API access tokens

CREATE TABLE `access_tokens` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `system_user_id` int(11) NOT NULL,
  `expires` datetime NOT NULL,
  `token_hash` varchar(255) NOT NULL,
  `device` text NOT NULL,
  `last_use` datetime NOT NULL,
  `app_version` text NOT NULL,
  PRIMARY KEY (`id`),
  KEY `system_user_id` (`system_user_id`),
  KEY `ix_access_tokens_expires` (`expires`),
  KEY `ix_access_tokens_last_use` (`last_use`),
  CONSTRAINT `access_tokens_ibfk_1` FOREIGN KEY (`system_user_id`) REFERENCES `system_users` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- messages (0021 cdbc5eb765a3)

CREATE TABLE `message_details` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `body` text NOT NULL,
  `send_time` datetime NOT NULL,
  `unread` tinyint(1) NOT NULL,
  PRIMARY KEY (`id`),
  KEY `ix_message_details_send_time` (`send_time`),
  CHECK (`unread` in (0,1))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE `messages` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `owner_id` int(11) NOT NULL,
  `receiver_id` int(11) NOT NULL,
  `message_details_id` int(11) NOT NULL,
  `forward` tinyint(1) NOT NULL,
  PRIMARY KEY (`id`),
  KEY `ix_messages_forward` (`forward`),
  KEY `ix_messages_message_details_id` (`message_details_id`),
  KEY `ix_messages_owner_id` (`owner_id`),
  KEY `ix_messages_receiver_id` (`receiver_id`),
  CONSTRAINT `messages_ibfk_1` FOREIGN KEY (`message_details_id`) REFERENCES `message_details` (`id`),
  CONSTRAINT `messages_ibfk_2` FOREIGN KEY (`owner_id`) REFERENCES `system_users` (`id`),
  CONSTRAINT `messages_ibfk_3` FOREIGN KEY (`receiver_id`) REFERENCES `system_users` (`id`),
  CHECK (`forward` in (0,1))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Alembic bookkeeping

CREATE TABLE `alembic_version` (
  `version_num` varchar(32) NOT NULL,
  PRIMARY KEY (`version_num`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT IGNORE INTO `alembic_version` (`version_num`) VALUES ('2c04d7e752c7');
