-- 0018_messages_owner_index: every signed-in page counts the dialogs with unread messages for the
-- menu. With the owner, the direction, the message and the receiver in one index, the count reads
-- the unread messages of the centre and checks each against the index alone (a master with 600
-- messages: 0.7 -> 0.25 ms on every page of the large demo data). A re-run gets error 1061, which
-- the runner tolerates.
ALTER TABLE `messages` ADD KEY `ix_messages_owner_dialogs` (`owner_id`, `forward`, `message_details_id`, `receiver_id`);
