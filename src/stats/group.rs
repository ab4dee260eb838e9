//! `GET /stat/group/<group_id>` (group writers): one row per month of the group —
//! students, lessons, attendance percentage, payments — and a bar chart of attendance and payments
//! drawn as inline SVG (no scripts, scales to a phone's width).

use super::store;
use crate::app::access::group_for_write;
use crate::app::{AppError, Ctx};
use crate::http::Response;
use crate::ids::GroupId;
use crate::month::Month;
use minijinja::context;
use minijinja::value::Serde;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthStat {
    pub month: i32,
    pub name: String,
    pub students: u32,
    pub lessons: u32,
    /// «был» marks on the month's lessons.
    pub present: u32,
    /// ⌊100 × present / (students × lessons)⌋, 0 without students or lessons.
    pub attendance: u32,
    pub confirmed: u32,
    /// Payments with a value above 0 or confirmed.
    pub paid: u32,
    /// ⌊100 × paid / students⌋, 0 without students (the chart's second bar).
    pub paid_percent: u32,
}

fn percent(part: u32, whole: u32) -> u32 {
    match whole {
        0 => 0,
        w => (u64::from(part) * 100 / u64::from(w)) as u32,
    }
}

impl MonthStat {
    fn new(
        month: Month,
        students: u32,
        lessons: u32,
        present: u32,
        confirmed: u32,
        paid: u32,
    ) -> MonthStat {
        MonthStat {
            month: month.0,
            name: month.name(),
            students,
            lessons,
            present,
            attendance: percent(present, students * lessons),
            confirmed,
            paid,
            paid_percent: percent(paid, students),
        }
    }
}

/// One month's pair of bars in the chart, in SVG user units.
#[derive(Serialize)]
struct Bars {
    x: u32,
    label: String,
    year: String,
    attendance: u32,
    paid: u32,
}

/// Chart geometry: 100 units of height for 100 %, one slot per month.
const SLOT: u32 = 36;

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let group = group_for_write(ctx, GroupId(ctx.params.id("group_id")))?;
    let members = store::memberships(&mut ctx.db, group.id)?;
    let lessons = store::lessons_by_month(&mut ctx.db, group.id)?;
    let payments = store::payments_by_month(&mut ctx.db, group.id)?;
    let months: Vec<MonthStat> = group
        .months()
        .map(|m| {
            let students = members
                .iter()
                .filter(|(enter, exit)| *enter <= m.0 && m.0 <= *exit)
                .count() as u32;
            let (n, present) = lessons.get(&m.0).copied().unwrap_or((0, 0));
            let (confirmed, paid) = payments.get(&m.0).copied().unwrap_or((0, 0));
            MonthStat::new(m, students, n, present, confirmed, paid)
        })
        .collect();
    let bars: Vec<Bars> = months
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let m = Month(s.month);
            Bars {
                x: i as u32 * SLOT,
                label: m.name().chars().take(3).collect(),
                year: format!("{:02}", m.year() % 100),
                attendance: s.attendance.min(100),
                paid: s.paid_percent.min(100),
            }
        })
        .collect();
    ctx.render(
        "stats/group.html",
        context! {
            group => Serde(&group),
            months => Serde(months),
            bars => Serde(bars),
            width => SLOT * group.months().count() as u32,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attendance_is_floored_and_zero_without_students_or_lessons() {
        let s = MonthStat::new(Month(20), 3, 4, 5, 1, 2);
        assert_eq!(s.attendance, 41); // 500 / 12 = 41.6
        assert_eq!(s.paid_percent, 66);
        assert_eq!(MonthStat::new(Month(20), 0, 4, 0, 0, 0).attendance, 0);
        assert_eq!(MonthStat::new(Month(20), 3, 0, 0, 0, 0).attendance, 0);
        assert_eq!(s.name, "сентябрь 2018");
    }
}
