//! `GET /users/students/xlsx` (M, D, T): the students list with its search and group filter as
//! an Excel file, every matching row on one sheet in the page's order.

use super::student_list::filters;
use crate::app::spreadsheet::{Column, Sheet, Value};
use crate::app::{AppError, Ctx, signed_in};
use crate::http::Response;
use crate::users::store::students;

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let (q, group) = filters(ctx)?;
    let mut name = String::from("ученики");
    if let Some(group) = &group {
        name = format!("{name} {}", group.name);
    }
    if !q.search.is_empty() {
        name = format!("{name} «{}»", q.search);
    }
    let me = signed_in(&ctx.user)?;
    let (rows, _) = students::page(
        &mut ctx.db,
        &q.every_row(),
        group.map(|g| g.id),
        me,
        ctx.now,
    )?;
    let names = |links: &[students::Link]| {
        let names: Vec<&str> = links.iter().map(|l| l.name.as_str()).collect();
        Value::Text(names.join("\n"))
    };
    let rows = rows
        .iter()
        .map(|r| {
            vec![
                Value::Text(r.person.fio.clone()),
                Value::Text(if r.filled { "да" } else { "нет" }.into()),
                Value::Text(r.person.login.clone()),
                Value::Date(r.birth_date),
                Value::Text(r.school.clone()),
                names(&r.parents),
                names(&r.groups),
                Value::Text(r.contact_phone.clone()),
                Value::Text(r.person.last_seen.clone()),
            ]
        })
        .collect();
    Sheet {
        name,
        columns: vec![
            Column::new("ФИО", 32.0),
            Column::new("заполнен", 10.0),
            Column::new("логин", 16.0),
            Column::new("дата рождения", 12.0),
            Column::new("школа / класс / смена", 28.0),
            Column::new("родители", 32.0),
            Column::new("группы", 18.0),
            Column::new("телефон для связи", 22.0),
            Column::new("последний визит", 16.0),
        ],
        rows,
    }
    .download()
}
