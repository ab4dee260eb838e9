//! `GET /payments/debtors/xlsx` (M, D, T): the debtors report with the page's filters and
//! rules as an Excel file, every row on one sheet, totals last.

use super::debtors::filters;
use super::debts;
use crate::app::spreadsheet::{Column, Sheet, Value};
use crate::app::{AppError, Ctx};
use crate::http::Response;

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let query = ctx.query()?;
    let f = filters(ctx, &query)?;
    let report = debts::report(&mut ctx.db, f.up_to, f.scope, 0..usize::MAX)?;
    let mut rows: Vec<Vec<Value>> = report
        .debtors
        .iter()
        .map(|d| {
            vec![
                Value::Text(d.fio.clone()),
                Value::Text(d.group_name.clone()),
                Value::Text(debts::months_text(&d.months)),
                Value::Number(d.months.len() as i64),
                Value::Money(d.owed),
                Value::Text(d.contact.clone()),
                Value::Text(d.parents.join("\n")),
            ]
        })
        .collect();
    rows.push(vec![
        Value::Text("всего".into()),
        Value::Empty,
        Value::Empty,
        Value::Empty,
        Value::Money(report.total),
    ]);
    let sheet = Sheet {
        name: format!("должники по {}", f.up_to.name()),
        columns: vec![
            Column::new("ФИО", 32.0),
            Column::new("группа", 18.0),
            Column::new("месяцы", 40.0),
            Column::new("месяцев", 9.0),
            Column::new("долг", 12.0),
            Column::new("телефон для связи", 22.0),
            Column::new("родители", 40.0),
        ],
        rows,
    };
    sheet.download()
}
