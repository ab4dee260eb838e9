//! `/student/notifications` (web-ui.md §10.3): notifications to the student's groups (also those
//! sent before the student joined) and to the student's own memberships, newest first.

use crate::app::list::ListQuery;
use crate::app::{AppError, Ctx};
use crate::http::Response;
use chrono::NaiveDateTime;
use minijinja::context;
use minijinja::value::Serde;
use mysql::prelude::Queryable;
use serde::Serialize;

#[derive(Debug, Serialize)]
struct NotificationRow {
    time: String,
    sender: String,
    receiver: String,
    subject: String,
    body: String,
}

/// Type 1 is addressed to a group, type 2 to one student-in-group.
const OWN_NOTIFICATIONS: &str = "FROM notifications n
     WHERE (n.receiver_type = 1
            AND n.receiver_id IN (SELECT group_id FROM student_in_groups WHERE student_id = ?))
        OR (n.receiver_type = 2
            AND n.receiver_id IN (SELECT id FROM student_in_groups WHERE student_id = ?))";

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let student_id = ctx.user()?.student_id;
    let tz = ctx.config.time_zone().unwrap_or(chrono_tz::Asia::Barnaul);
    let list = ListQuery::parse(&ctx.query()?);
    let total: u64 = ctx
        .db
        .exec_first(
            format!("SELECT COUNT(*) {OWN_NOTIFICATIONS}"),
            (student_id, student_id),
        )?
        .unwrap_or(0);
    let (limit, offset) = list.limit();
    let rows: Vec<NotificationRow> = ctx.db.exec_map(
        format!(
            "SELECT n.send_time, COALESCE(m.fio, t.fio, d.fio, ''), r.name,
                    COALESCE(g.name, s.fio, ''), n.subject, n.body
             FROM (SELECT n.id {OWN_NOTIFICATIONS}) own
             JOIN notifications n ON n.id = own.id
             JOIN system_users su ON su.id = n.sender_id
             JOIN system_roles r ON r.id = su.system_role_id
             LEFT JOIN masters m ON m.system_user_id = su.id
             LEFT JOIN teachers t ON t.system_user_id = su.id
             LEFT JOIN developers d ON d.system_user_id = su.id
             LEFT JOIN `groups` g ON n.receiver_type = 1 AND g.id = n.receiver_id
             LEFT JOIN student_in_groups sig ON n.receiver_type = 2 AND sig.id = n.receiver_id
             LEFT JOIN students s ON s.id = sig.student_id
             ORDER BY n.send_time DESC, n.id DESC LIMIT ? OFFSET ?"
        ),
        (student_id, student_id, limit, offset),
        |(time, fio, role, receiver, subject, body): (
            NaiveDateTime,
            String,
            String,
            String,
            String,
            String,
        )| NotificationRow {
            time: crate::time::format_datetime(time, tz),
            sender: format!("{fio} ({role})"),
            receiver,
            subject,
            body,
        },
    )?;
    let pages = list.pages(&ctx.url("/student/notifications"), total);
    ctx.render(
        "student/notifications_list.html",
        context! { notifications => Serde(rows), pages => Serde(pages) },
    )
}
