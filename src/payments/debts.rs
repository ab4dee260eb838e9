//! Who owes the centre, for which months, and whom to call: the figures of the debtors report
//! and its Excel download, built from the debts of a scope with their payments (`store::debts`)
//! and, for the rows shown, their parents.

use super::store::{self, DebtRow, Scope};
use crate::ids::{GroupId, StudentId, StudentInGroupId};
use crate::month::Month;
use mysql::Conn;
use serde::Serialize;
use std::collections::HashMap;

/// One month a membership owes for.
#[derive(Debug, Clone, Serialize)]
pub struct OwedMonth {
    pub month: Month,
    /// «сентябрь 2019».
    pub name: String,
    pub owed: i64,
    pub paid: i64,
    /// Part of the month is paid, not yet confirmed by a master.
    pub unconfirmed: bool,
}

/// A student owing in one group.
#[derive(Debug, Clone, Serialize)]
pub struct Debtor {
    pub student_in_group_id: StudentInGroupId,
    pub student_id: StudentId,
    pub fio: String,
    pub group_id: GroupId,
    pub group_name: String,
    pub owed: i64,
    pub months: Vec<OwedMonth>,
    /// The number the family asked to be called on, with whose it is: «89012223344 (мать)».
    pub contact: String,
    /// «мать: Иванова Мария, 89001112233».
    pub parents: Vec<String>,
}

/// The debt of one group.
#[derive(Debug, Clone, Serialize)]
pub struct GroupTotal {
    pub group_id: GroupId,
    pub group_name: String,
    pub debtors: usize,
    pub owed: i64,
}

/// The whole report: the rows asked for, the totals of every row.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub debtors: Vec<Debtor>,
    pub count: usize,
    pub groups: Vec<GroupTotal>,
    pub total: i64,
}

/// The debts of `scope` up to `up_to`; `rows` picks which of them (largest debt first) are
/// given in full: a page, or all of them for a download. Seven statements at most.
pub fn report(
    db: &mut Conn,
    up_to: Month,
    scope: Scope,
    rows: std::ops::Range<usize>,
) -> mysql::Result<Report> {
    let all = store::debts(db, up_to, scope)?;
    let groups = group_totals(&all);
    let total = all.iter().map(|d| d.owed).sum();
    let count = all.len();
    let shown = &all[rows.start.min(count)..rows.end.min(count)];
    let sig_ids: Vec<StudentInGroupId> = shown.iter().map(|d| d.student_in_group_id).collect();
    let mut paid: HashMap<StudentInGroupId, HashMap<Month, (i64, bool)>> = HashMap::new();
    for (sig, month, value, confirmed) in store::payments_of(db, &sig_ids)? {
        paid.entry(sig)
            .or_default()
            .insert(month, (value, confirmed));
    }
    let students: Vec<StudentId> = shown.iter().map(|d| d.student_id).collect();
    let mut families: HashMap<StudentId, Vec<(bool, String, String)>> = HashMap::new();
    for (student, is_mother, fio, phone) in store::parents_of(db, &students)? {
        families
            .entry(student)
            .or_default()
            .push((is_mother, fio, phone));
    }
    let debtors = shown
        .iter()
        .map(|d| {
            debtor(
                d,
                paid.get(&d.student_in_group_id),
                families.get(&d.student_id).map_or(&[][..], Vec::as_slice),
            )
        })
        .collect();
    Ok(Report {
        debtors,
        count,
        groups,
        total,
    })
}

/// A debtor's row of the report, from its debt, its payments (month → value, confirmed) and
/// its parents.
fn debtor(
    d: &DebtRow,
    paid: Option<&HashMap<Month, (i64, bool)>>,
    family: &[(bool, String, String)],
) -> Debtor {
    let months = (d.first.0..=d.last.0)
        .filter_map(|m| {
            let (value, confirmed) = paid
                .and_then(|p| p.get(&Month(m)).copied())
                .unwrap_or((0, true));
            let owed = d.due - value.min(d.due);
            (owed > 0).then(|| OwedMonth {
                month: Month(m),
                name: Month(m).name(),
                owed,
                paid: value,
                unconfirmed: value > 0 && !confirmed,
            })
        })
        .collect();
    let parent_phone = |mother: bool| {
        family
            .iter()
            .find(|(is_mother, _, _)| *is_mother == mother)
            .map(|(_, _, phone)| phone.clone())
    };
    let contact = match d.contact_phone {
        2 => format!("{} (мать)", parent_phone(true).unwrap_or_default()),
        3 => format!("{} (отец)", parent_phone(false).unwrap_or_default()),
        _ => format!("{} (ученик)", d.phone),
    };
    let parents = family
        .iter()
        .map(|(is_mother, fio, phone)| {
            let who = if *is_mother { "мать" } else { "отец" };
            format!("{who}: {fio}, {phone}")
        })
        .collect();
    Debtor {
        student_in_group_id: d.student_in_group_id,
        student_id: d.student_id,
        fio: d.fio.clone(),
        group_id: d.group_id,
        group_name: d.group_name.clone(),
        owed: d.owed,
        months,
        contact,
        parents,
    }
}

/// Per group, largest debt first.
fn group_totals(all: &[DebtRow]) -> Vec<GroupTotal> {
    let mut by_group: HashMap<GroupId, GroupTotal> = HashMap::new();
    for d in all {
        let g = by_group.entry(d.group_id).or_insert_with(|| GroupTotal {
            group_id: d.group_id,
            group_name: d.group_name.clone(),
            debtors: 0,
            owed: 0,
        });
        g.debtors += 1;
        g.owed += d.owed;
    }
    let mut groups: Vec<GroupTotal> = by_group.into_values().collect();
    groups.sort_by(|a, b| {
        b.owed
            .cmp(&a.owed)
            .then_with(|| a.group_name.cmp(&b.group_name))
    });
    groups
}

/// «сентябрь 2019, октябрь 2019 (оплачено 300 ₽, не подтверждено)».
pub fn months_text(months: &[OwedMonth]) -> String {
    months
        .iter()
        .map(|m| match (m.paid, m.unconfirmed) {
            (0, _) => m.name.clone(),
            (paid, true) => format!("{} (оплачено {paid} ₽, не подтверждено)", m.name),
            (paid, false) => format!("{} (оплачено {paid} ₽)", m.name),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
