//! Internal messages between masters, teachers and students.

use mysql::Conn;
use mysql::prelude::Queryable;

/// How many dialogs hold at least one unread incoming message (the «(N)» in the menu).
pub fn unread_dialogs(conn: &mut Conn, system_user_id: u32) -> mysql::Result<u64> {
    Ok(conn
        .exec_first(
            "SELECT COUNT(DISTINCT m.receiver_id) FROM messages m
             JOIN message_details d ON d.id = m.message_details_id
             WHERE m.owner_id = ? AND m.forward = 0 AND d.unread = 1",
            (system_user_id,),
        )?
        .unwrap_or(0))
}
