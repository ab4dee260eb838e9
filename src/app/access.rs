//! Per-group access (the original's `check_access_group_write`): a missing group is 404; writing
//! needs a "group writer" — masters and developers always, a teacher only for his own groups.

use super::{AppError, Ctx, Refusal};
use crate::auth::Actor;
use crate::ids::{GroupId, TeacherId};
use crate::month::Month;
use mysql::prelude::Queryable;
use serde::Serialize;

/// A group with what access checks and money rules need.
#[derive(Debug, Clone, Serialize)]
pub struct GroupRef {
    pub id: GroupId,
    pub name: String,
    pub section_id: u32,
    /// The group's current teacher (`groups.teacher_id`) and his FIO.
    pub teacher_id: TeacherId,
    pub teacher_fio: String,
    pub start_month: Month,
    pub end_month: Month,
    /// The section's monthly price in rubles.
    pub price: i32,
    /// The current user may change this group's lessons, attendance and payments.
    pub writable: bool,
}

impl GroupRef {
    pub fn has_month(&self, month: Month) -> bool {
        self.start_month <= month && month <= self.end_month
    }

    /// A month number from a URL: 404 outside the group period.
    pub fn month(&self, number: u32) -> Result<Month, AppError> {
        i32::try_from(number)
            .map(Month)
            .ok()
            .filter(|&m| self.has_month(m))
            .ok_or(AppError::NotFound)
    }

    /// Every month of the group period, in order.
    pub fn months(&self) -> impl Iterator<Item = Month> + use<> {
        (self.start_month.0..=self.end_month.0).map(Month)
    }
}

/// `can_user_write_group`: masters and developers always, a teacher only his own groups; the
/// one rule for web users and API callers alike.
pub fn can_write_group(actor: &impl Actor, group_teacher_id: TeacherId) -> bool {
    actor.is_master() || actor.own_teacher_id() == Some(group_teacher_id)
}

/// The group for a page any staff member may view: 404 when missing; `writable` says whether the
/// user may also change it.
pub fn group_for_read(ctx: &mut Ctx, group_id: GroupId) -> Result<GroupRef, AppError> {
    type Row = (GroupId, String, u32, TeacherId, String, i32, i32, i32);
    let row: Option<Row> = ctx.db.exec_first(
        "SELECT g.id, g.name, g.section_id, g.teacher_id, t.fio, g.start_month, g.end_month,
                s.price
         FROM `groups` g JOIN sections s ON s.id = g.section_id
         JOIN teachers t ON t.id = g.teacher_id WHERE g.id = ?",
        (group_id,),
    )?;
    let (id, name, section_id, teacher_id, teacher_fio, start, end, price) =
        row.ok_or(AppError::NotFound)?;
    Ok(GroupRef {
        id,
        name,
        section_id,
        teacher_id,
        teacher_fio,
        start_month: Month(start),
        end_month: Month(end),
        price,
        writable: can_write_group(ctx.user()?, teacher_id),
    })
}

/// The group for a page or action only its writers may use: 404 when missing, 403 otherwise.
pub fn group_for_write(ctx: &mut Ctx, group_id: GroupId) -> Result<GroupRef, AppError> {
    let group = group_for_read(ctx, group_id)?;
    if !group.writable {
        return Err(AppError::Refused(Refusal::OtherTeachersGroup));
    }
    Ok(group)
}
