-- 0007_unread_messages_index: every page of a master, teacher or student counts the dialogs with
-- unread messages (the «(N)» in the menu). Without this index MariaDB intersects the owner and
-- forward indexes and reads every message of the user (599 rows and 1.4 ms for a master of the
-- large demo data, growing with every message sent); unread messages are few, so it now starts
-- from them (0.3 ms). A re-run gets error 1061, which the runner tolerates.
ALTER TABLE `message_details` ADD KEY `ix_message_details_unread` (`unread`);
