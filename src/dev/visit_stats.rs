//! `GET /visit_stats` (developers only): how often each page and API endpoint was requested, from
//! `page_visits` (a feature the original once had and removed; we count again).

use crate::app::{AppError, Ctx};
use crate::http::Response;
use minijinja::context;
use mysql::prelude::Queryable;

/// `?sort=`: by visits (the default, most visited first) or by page name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sort {
    Count,
    Name,
}

impl Sort {
    fn parse(value: &str) -> Result<Sort, AppError> {
        match value {
            "" | "count" => Ok(Sort::Count),
            "name" => Ok(Sort::Name),
            _ => Err(AppError::BadRequest(
                "неизвестная сортировка: допустимы sort=count и sort=name".into(),
            )),
        }
    }

    fn sql(self) -> &'static str {
        match self {
            Sort::Count => {
                "SELECT page_name, visits_count FROM page_visits
                 ORDER BY visits_count DESC, page_name"
            }
            Sort::Name => "SELECT page_name, visits_count FROM page_visits ORDER BY page_name",
        }
    }
}

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let sort = Sort::parse(ctx.query()?.str("sort"))?;
    let pages: Vec<(String, i64)> = ctx.db.query(sort.sql())?;
    ctx.render(
        "dev/visit_stats.html",
        context! { pages, by_name => sort == Sort::Name },
    )
}
