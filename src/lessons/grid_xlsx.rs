//! `GET /lessons/<group_id>/<month_number>/xlsx` (M, D, T): the month grid as an Excel file —
//! a row per member with a mark per lesson and the number of «был», the last row counting
//! «был» per lesson. Like the page, only the group's writers get the payment columns.

use super::grid::Grid;
use super::state_word;
use crate::app::access::group_for_read;
use crate::app::spreadsheet::{Column, Sheet, Value};
use crate::app::{AppError, Ctx};
use crate::http::Response;
use crate::ids::GroupId;

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let group = group_for_read(ctx, GroupId(ctx.params.id("group_id")))?;
    let month = group.month(ctx.params.id("month_number"))?;
    let grid = Grid::load(ctx, &group, month)?;
    let mut columns = vec![Column::new("ученик", 32.0)];
    columns.extend(
        grid.lessons
            .iter()
            .map(|l| Column::new(&l.date.format("%d.%m.%Y").to_string(), 11.0)),
    );
    columns.push(Column::new("был", 6.0));
    if group.writable {
        columns.push(Column::new("оплата", 11.0));
        columns.push(Column::new("комментарий", 24.0));
    }
    let mut rows: Vec<Vec<Value>> = grid
        .members
        .iter()
        .map(|member| {
            let mut row = vec![Value::Text(member.fio.clone())];
            let mut present = 0;
            for lesson in &grid.lessons {
                let state = grid.state(lesson.id, member.student_id);
                present += i64::from(state == 1);
                row.push(Value::Text(state_word(state.into())));
            }
            row.push(Value::Number(present));
            if group.writable {
                let cell = grid
                    .payments
                    .get(&member.id)
                    .map(|p| p.cell.clone())
                    .unwrap_or_default();
                row.push(Value::Money(cell.value.into()));
                row.push(Value::Text(cell.comment));
            }
            row
        })
        .collect();
    let mut total = vec![Value::Text("всего".into())];
    total.extend(grid.lessons.iter().map(|l| Value::Number(l.present.into())));
    total.push(Value::Number(
        grid.lessons.iter().map(|l| i64::from(l.present)).sum(),
    ));
    rows.push(total);
    let name = format!("посещения {} {}", group.name, month.name());
    Sheet {
        name,
        columns,
        rows,
    }
    .download()
}
