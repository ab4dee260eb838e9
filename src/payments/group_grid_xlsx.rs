//! `GET /payments/group/<group_id>/xlsx` (group writers): the payments grid as an Excel file.
//! A row per member and a column per month of the group with the amount paid (empty outside
//! the member's period), then what the member paid, what is confirmed and what is due; the
//! last row sums every column.

use super::group_grid::Grid;
use super::store::max_value;
use crate::app::access::group_for_write;
use crate::app::spreadsheet::{Column, Sheet, Value};
use crate::app::{AppError, Ctx};
use crate::http::Response;
use crate::ids::GroupId;

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let group = group_for_write(ctx, GroupId(ctx.params.id("group_id")))?;
    let grid = Grid::load(ctx, &group)?;
    let months: Vec<_> = group.months().collect();
    // Per column after the name: the months, paid, confirmed, due.
    let mut sums = vec![0i64; months.len() + 3];
    let mut rows: Vec<Vec<Value>> = Vec::with_capacity(grid.members.len() + 1);
    for member in &grid.members {
        let mut row = vec![Value::Text(member.fio.clone())];
        let (mut paid, mut confirmed, mut due) = (0i64, 0i64, 0i64);
        for (i, &month) in months.iter().enumerate() {
            if !member.in_month(month) {
                row.push(Value::Empty);
                continue;
            }
            let cell = grid.stored(member, month).cloned().unwrap_or_default();
            let value = i64::from(cell.value);
            row.push(Value::Money(value));
            sums[i] += value;
            paid += value;
            confirmed += if cell.confirmed { value } else { 0 };
            due += i64::from(max_value(group.price, member.discount));
        }
        for (offset, figure) in [paid, confirmed, due].into_iter().enumerate() {
            row.push(Value::Money(figure));
            sums[months.len() + offset] += figure;
        }
        rows.push(row);
    }
    let mut total = vec![Value::Text("всего".into())];
    total.extend(sums.into_iter().map(Value::Money));
    rows.push(total);
    let mut columns = vec![Column::new("ученик", 32.0)];
    columns.extend(months.iter().map(|m| Column::new(&m.name(), 12.0)));
    for header in ["оплачено", "подтверждено", "к оплате"] {
        columns.push(Column::new(header, 13.0));
    }
    let name = format!(
        "оплата {} {}-{}",
        group.name,
        group.start_month.year(),
        group.end_month.year()
    );
    Sheet {
        name,
        columns,
        rows,
    }
    .download()
}
