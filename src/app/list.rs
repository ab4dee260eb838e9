//! Search and pagination shared by the list pages: 20 rows a page, `?page=` read forgivingly
//! (below 1 is 1, past the end an empty table), `?search=` as a literal case-insensitive
//! substring (the original let `%` and `_` act as wildcards), and the `pages` map that the
//! `pagination` macro of `templates/macros/ui.html` draws.

use super::Ctx;
use crate::http::{Form, Response};
use mysql::Conn;
use mysql::prelude::Queryable;
use serde::Serialize;

pub const PER_PAGE: u32 = 20;

/// The SQL condition for a search on `column` with the pattern of [`ListQuery::like`] as its
/// parameter. `!` is the escape character because `\` stops being one under the
/// `NO_BACKSLASH_ESCAPES` SQL mode; `LOWER` on both sides keeps the match case-insensitive
/// whatever the column's collation.
pub fn like(column: &str) -> String {
    format!("LOWER({column}) LIKE LOWER(?) ESCAPE '!'")
}

/// How many rows of `from` (a constant `FROM` clause, e.g. `sections s`) match the search on
/// `column`: the total of a list without other filters.
pub fn count_matching(
    db: &mut Conn,
    from: &str,
    column: &str,
    q: &ListQuery,
) -> Result<u64, mysql::Error> {
    let sql = format!("SELECT COUNT(*) FROM {from} WHERE {}", like(column));
    Ok(db.exec_first(sql, (q.like(),))?.unwrap_or(0))
}

/// The list parameters of one request.
#[derive(Debug, Clone)]
pub struct ListQuery {
    /// 1-based; never below 1, possibly past the last page (which then shows an empty table).
    pub page: u32,
    pub search: String,
    /// Rows of a page: [`PER_PAGE`], or every row for a download.
    per_page: u32,
    /// Every other query parameter (filters), kept in the page links.
    others: Vec<(String, String)>,
}

impl ListQuery {
    pub fn parse(query: &Form) -> ListQuery {
        ListQuery {
            page: parse_page(query.str("page")),
            search: query.str("search").to_string(),
            per_page: PER_PAGE,
            others: query
                .pairs()
                .iter()
                .filter(|(k, _)| k != "page")
                .cloned()
                .collect(),
        }
    }

    /// The `LIKE` parameter for [`like`]: the search text as a literal substring. Unlike the
    /// original (where `%` and `_` typed into the box acted as wildcards), every character
    /// matches itself — a deliberate decision, since nobody searching «10%» means a pattern.
    pub fn like(&self) -> String {
        let mut pattern = String::with_capacity(self.search.len() + 2);
        pattern.push('%');
        for c in self.search.chars() {
            if matches!(c, '%' | '_' | '!') {
                pattern.push('!');
            }
            pattern.push(c);
        }
        pattern.push('%');
        pattern
    }

    /// The same search and filters on one page holding every row: what a download exports.
    pub fn every_row(self) -> ListQuery {
        ListQuery {
            page: 1,
            per_page: u32::MAX,
            ..self
        }
    }

    /// `LIMIT ? OFFSET ?` parameters.
    pub fn limit(&self) -> (u32, u64) {
        (
            self.per_page,
            u64::from(self.page - 1) * u64::from(self.per_page),
        )
    }

    /// The pagination widget for `total` matching rows, linking to `url` (prefix included) with
    /// this request's other parameters.
    pub fn pages(&self, url: &str, total: u64) -> Pages {
        let last = u32::try_from(total.div_ceil(u64::from(PER_PAGE))).unwrap_or(u32::MAX);
        let link = |n: u32| -> String {
            let mut pairs: Vec<(&str, String)> = self
                .others
                .iter()
                .map(|(k, v)| (k.as_str(), v.clone()))
                .collect();
            pairs.push(("page", n.to_string()));
            format!(
                "{url}?{}",
                serde_urlencoded::to_string(pairs).unwrap_or_default()
            )
        };
        let links = page_numbers(self.page, last)
            .into_iter()
            .map(|n| PageLink {
                number: n,
                url: n.map(link).unwrap_or_default(),
                current: n == Some(self.page),
            })
            .collect();
        Pages {
            current: self.page,
            total: last,
            links,
            prev_url: (self.page > 1).then(|| link(self.page - 1)),
            next_url: (self.page < last).then(|| link(self.page + 1)),
        }
    }
}

/// What `?page=` says, Flask-style: missing, malformed or below 1 means 1; a number too big for
/// any real list is clamped (it simply lies past the end).
fn parse_page(raw: &str) -> u32 {
    let raw = raw.trim();
    let digits = raw.strip_prefix('+').unwrap_or(raw);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return 1;
    }
    digits.parse::<u32>().unwrap_or(u32::MAX).max(1)
}

/// After an action on a list row (a delete): back to the list page the visitor came from, with
/// its search and page (the original's deletes went back to the Referer), or to `fallback`. Only
/// a Referer of this site is followed.
pub fn back_to_list(ctx: &Ctx, fallback: &str) -> Response {
    let here = ctx
        .req
        .referer
        .split_once("://")
        .and_then(|(_, rest)| rest.split_at_checked(rest.find('/')?))
        .filter(|(host, _)| *host == ctx.req.host)
        .and_then(|(_, path)| path.strip_prefix(ctx.config.site.url_prefix.as_str()))
        .filter(|path| path.starts_with('/') && !path.starts_with("//"));
    ctx.redirect(here.unwrap_or(fallback))
}

#[derive(Debug, Clone, Serialize)]
pub struct Pages {
    pub current: u32,
    pub total: u32,
    pub links: Vec<PageLink>,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    /// `None` is the «…» gap.
    pub number: Option<u32>,
    pub url: String,
    pub current: bool,
}

/// The numbers the widget shows, with `None` for a gap: 2 at each edge, 2 before the current page
/// and 4 after it (Flask-SQLAlchemy's `iter_pages` defaults, which the original used).
fn page_numbers(current: u32, last: u32) -> Vec<Option<u32>> {
    let (current, last) = (i64::from(current), i64::from(last));
    let mut shown = Vec::new();
    let mut previous = 0;
    for n in 1..=last {
        let near = n > current - 3 && n < current + 5;
        if n <= 2 || near || n > last - 2 {
            if previous + 1 != n {
                shown.push(None);
            }
            shown.push(Some(n as u32));
            previous = n;
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(q: &str) -> ListQuery {
        ListQuery::parse(&Form::parse(q.as_bytes()).unwrap())
    }

    #[test]
    fn page_is_forgiving() {
        for (raw, page) in [
            ("", 1),
            ("page=0", 1),
            ("page=-3", 1),
            ("page=abc", 1),
            ("page=2.5", 1),
            ("page=7", 7),
            ("page=%2B2", 2),
            ("page=99999999999999999999", u32::MAX),
        ] {
            assert_eq!(query(raw).page, page, "{raw}");
        }
        assert_eq!(query("page=99999999999999999999").limit().1, 85_899_345_880);
    }

    #[test]
    fn search_is_literal() {
        assert_eq!(query("search=a%25b_c!d").like(), "%a!%b!_c!!d%");
        assert_eq!(query("search=\\").like(), "%\\%");
        assert_eq!(query("").like(), "%%");
    }

    #[test]
    fn links_keep_filters_and_mark_gaps() {
        let q = query("search=%D1%88&page=10&teacher_id=3");
        let p = q.pages("/x", 30 * 20);
        assert_eq!(p.total, 30);
        let numbers: Vec<Option<u32>> = p.links.iter().map(|l| l.number).collect();
        let expected = [1, 2, 0, 8, 9, 10, 11, 12, 13, 14, 0, 29, 30];
        let expected: Vec<Option<u32>> = expected.iter().map(|&n| (n != 0).then_some(n)).collect();
        assert_eq!(numbers, expected);
        assert_eq!(
            p.prev_url.as_deref(),
            Some("/x?search=%D1%88&teacher_id=3&page=9")
        );
        assert!(p.links.iter().any(|l| l.current && l.number == Some(10)));
    }

    #[test]
    fn past_the_end_and_empty() {
        let p = query("page=5").pages("/x", 0);
        assert_eq!((p.total, p.links.len()), (0, 0));
        assert!(p.next_url.is_none());
        assert_eq!(p.prev_url.as_deref(), Some("/x?page=4"));
        let p = query("").pages("/x", 20);
        assert_eq!(p.total, 1);
        assert!(p.prev_url.is_none() && p.next_url.is_none());
    }
}
