//! The overview of the centre's money and attendance for the master's (every group) or a
//! teacher's (his own groups) dashboard: this month's due, received and confirmed payments, the
//! debt up to this month, the students and groups of this month, the attendance of the last four
//! weeks, and the last twelve months of payments and attendance for the chart.

use super::store;
use crate::auth::CurrentUser;
use crate::ids::TeacherId;
use crate::month::Month;
use chrono::{Days, NaiveDate};
use mysql::Conn;
use serde::Serialize;

/// The attendance figure covers this many days up to today.
const ATTENDANCE_DAYS: u64 = 28;

#[derive(Debug, Clone, Serialize)]
pub struct MonthPoint {
    pub month: i32,
    /// «янв».
    pub label: String,
    pub name: String,
    pub received: i64,
    /// Percent of the month's marks that are «был»; `None` without lessons.
    pub attendance: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub month_name: String,
    pub due: i64,
    pub received: i64,
    pub confirmed: i64,
    pub debt: i64,
    pub debtors: u64,
    pub students: u32,
    pub groups: u32,
    /// Percent of the last four weeks' marks that are «был»; `None` without lessons.
    pub attendance: Option<u32>,
    pub months: Vec<MonthPoint>,
}

/// Whose groups the overview covers: a master's or developer's every group, a teacher's own.
pub fn scope_of(user: &CurrentUser) -> Option<TeacherId> {
    match user.is_master {
        true => None,
        // A teacher without a teachers row sees no group (an id no group has).
        false => Some(user.teacher_id.unwrap_or(TeacherId(0))),
    }
}

fn percent(part: u64, whole: u64) -> Option<u32> {
    (whole > 0).then(|| (part * 100 / whole) as u32)
}

/// Six statements, whatever the data size; for every group three text reads of `debts_cache`
/// when the figures are kept (a teacher's overview sums the marks and money of their groups
/// afresh, the debt from the kept debts of every group).
pub fn load(
    db: &mut Conn,
    teacher: Option<TeacherId>,
    today: NaiveDate,
) -> mysql::Result<Overview> {
    let this = Month::of_date(today);
    // The kept figures in the order of their rows (marks 0, debts 1 within the money 4,
    // received 5): see `db::kept`.
    let marks = store::year_marks(db, today, teacher)?;
    let money = store::month_money(db, this, teacher)?;
    let by_month = store::received_by_month(db, today, teacher)?;
    let (present, all_marks) = marks.since(today - Days::new(ATTENDANCE_DAYS - 1));
    let first = store::chart_start(today);
    let marks_by_month = marks.by_month();
    let months = (first.0..=this.0)
        .map(Month)
        .map(|m| {
            let (present, marks) = marks_by_month.get(&m.0).copied().unwrap_or((0, 0));
            MonthPoint {
                month: m.0,
                label: m.name().chars().take(3).collect(),
                name: m.name(),
                received: by_month.get(&m.0).copied().unwrap_or(0),
                attendance: percent(present, marks),
            }
        })
        .collect();
    Ok(Overview {
        month_name: this.name(),
        due: money.due,
        received: money.received,
        confirmed: money.confirmed,
        debt: money.debt,
        debtors: money.debtors,
        students: money.students,
        groups: money.groups,
        attendance: percent(present, all_marks),
        months,
    })
}

/// The chart's geometry: bars of received money scaled to the highest month, a line of
/// attendance on 0–100 %.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub width: u32,
    pub height: u32,
    pub bars: Vec<Bar>,
    /// `x,y x,y …` of the attendance line (months without lessons are left out).
    pub line: String,
    pub top: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub x: u32,
    pub y: u32,
    pub height: u32,
    pub label: String,
    pub title: String,
    pub attendance_y: Option<u32>,
}

/// One slot per month, 100 units of height.
const SLOT: u32 = 40;
const HEIGHT: u32 = 100;

pub fn chart(o: &Overview) -> Chart {
    let top = o
        .months
        .iter()
        .map(|m| m.received)
        .max()
        .unwrap_or(0)
        .max(1);
    let bars: Vec<Bar> = o
        .months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let height = (m.received.max(0) * i64::from(HEIGHT) / top) as u32;
            let attendance = m.attendance.map_or("нет занятий".into(), |a| {
                format!("посещаемость {a}%")
            });
            Bar {
                x: i as u32 * SLOT,
                y: HEIGHT - height,
                height,
                label: m.label.clone(),
                title: format!("{}: получено {} ₽, {attendance}", m.name, m.received),
                attendance_y: m.attendance.map(|a| HEIGHT - a.min(100)),
            }
        })
        .collect();
    let line = bars
        .iter()
        .filter_map(|b| b.attendance_y.map(|y| format!("{},{y}", b.x + SLOT / 2)))
        .collect::<Vec<_>>()
        .join(" ");
    Chart {
        width: SLOT * bars.len() as u32,
        height: HEIGHT,
        bars,
        line,
        top,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(month: i32, received: i64, attendance: Option<u32>) -> MonthPoint {
        MonthPoint {
            month,
            label: Month(month).name().chars().take(3).collect(),
            name: Month(month).name(),
            received,
            attendance,
        }
    }

    #[test]
    fn bars_scale_to_the_best_month_and_the_line_skips_months_without_lessons() {
        let o = Overview {
            month_name: String::new(),
            due: 0,
            received: 0,
            confirmed: 0,
            debt: 0,
            debtors: 0,
            students: 0,
            groups: 0,
            attendance: None,
            months: vec![
                point(0, 500, Some(80)),
                point(1, 1000, None),
                point(2, 0, Some(50)),
            ],
        };
        let c = chart(&o);
        assert_eq!(
            c.bars.iter().map(|b| b.height).collect::<Vec<_>>(),
            [50, 100, 0]
        );
        assert_eq!(c.line, "20,20 100,50");
        assert_eq!(c.bars[0].label, "янв");
        assert_eq!(
            c.bars[1].title,
            "февраль 2017: получено 1000 ₽, нет занятий"
        );
    }
}
