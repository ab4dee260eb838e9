//! Search, sorting and pagination shared by the list pages: 20 rows a page, `?page=` read
//! forgivingly (below 1 is 1, past the end an empty table), `?search=` as words that must each
//! occur, literally and case-insensitively, in the name (the original let `%` and `_` act as
//! wildcards and wanted the words in the stored order), `?sort=&order=` as a typed key of the
//! list, and the `pages` map that the `pagination` macro of `templates/macros/ui.html` draws.

use super::Ctx;
use crate::http::{Form, Response};
use mysql::Conn;
use mysql::prelude::Queryable;
use serde::Serialize;
use std::collections::BTreeMap;

pub const PER_PAGE: u32 = 20;

/// How many people a search that picks someone (a new dialog's receiver, a student to add to a
/// group) shows at most; the query asks for one more to know whether there are more.
pub const FOUND_AT_MOST: usize = 30;

/// The rows of such a search, read with `LIMIT FOUND_AT_MOST + 1`: at most [`FOUND_AT_MOST`],
/// and whether there were more.
pub fn at_most<T>(mut found: Vec<T>) -> (Vec<T>, bool) {
    let more = found.len() > FOUND_AT_MOST;
    found.truncate(FOUND_AT_MOST);
    (found, more)
}

/// A piece of a `WHERE` clause with the parameters of its placeholders, in order.
#[derive(Debug, Clone)]
pub struct Condition {
    pub sql: String,
    pub params: Vec<mysql::Value>,
}

impl Condition {
    /// `self OR other`, both kept whole.
    pub fn or(mut self, other: Condition) -> Condition {
        self.params.extend(other.params);
        Condition {
            sql: format!("({} OR {})", self.sql, other.sql),
            params: self.params,
        }
    }

    /// These parameters followed by `more` (those of the placeholders after the condition).
    pub fn params_then(&self, more: impl IntoIterator<Item = mysql::Value>) -> Vec<mysql::Value> {
        self.params.iter().cloned().chain(more).collect()
    }
}

/// How many rows of `from` (a constant `FROM` clause, e.g. `sections s`) match the search on
/// `column`: the total of a list without other filters.
pub fn count_matching(
    db: &mut Conn,
    from: &str,
    column: &str,
    q: &ListQuery,
) -> Result<u64, mysql::Error> {
    let cond = q.words_in(column);
    let sql = format!("SELECT COUNT(*) FROM {from} WHERE {}", cond.sql);
    Ok(db.exec_first(sql, cond.params)?.unwrap_or(0))
}

/// Which way a sorted column runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Asc,
    Desc,
}

/// The columns a list can be sorted by: each key with its `?sort=` name. The store turns a key
/// into its `ORDER BY` from a fixed list, so nothing of the request reaches the SQL.
pub trait SortKey: Copy + PartialEq + 'static {
    const KEYS: &'static [(Self, &'static str)];
    /// The way a first click sorts: newest visits first, but names from «А».
    fn first_direction(self) -> Direction {
        Direction::Asc
    }
}

/// A list's chosen order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort<K> {
    pub key: K,
    pub direction: Direction,
}

/// A sortable column header: where a click leads and how the header says it is sorted.
#[derive(Debug, Clone, Serialize)]
pub struct SortLink {
    pub url: String,
    /// `aria-sort` of the sorted column («ascending», «descending»), none for the others.
    pub aria_sort: Option<&'static str>,
    /// ▲ or ▼ after the sorted column's name.
    pub arrow: &'static str,
}

/// The list parameters of one request.
#[derive(Debug, Clone)]
pub struct ListQuery {
    /// 1-based; never below 1, possibly past the last page (which then shows an empty table).
    pub page: u32,
    /// Trimmed, with inner runs of spaces as one.
    pub search: String,
    /// `?sort=` and `?order=` as given.
    sort: String,
    order: String,
    /// Rows of a page: [`PER_PAGE`], or every row for a download.
    per_page: u32,
    /// Every other query parameter (filters), kept in the page links.
    others: Vec<(String, String)>,
}

/// `text` trimmed, with inner runs of spaces as one.
fn one_spaced(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl ListQuery {
    pub fn parse(query: &Form) -> ListQuery {
        ListQuery {
            page: parse_page(query.str("page")),
            search: one_spaced(query.str("search")),
            sort: query.str("sort").trim().to_string(),
            order: query.str("order").trim().to_string(),
            per_page: PER_PAGE,
            others: query
                .pairs()
                .iter()
                .filter(|(k, _)| k != "page")
                .cloned()
                .collect(),
        }
    }

    /// A search alone, say that of a form's search box: no paging, no filters.
    pub fn of_search(text: &str) -> ListQuery {
        ListQuery {
            page: 1,
            search: one_spaced(text),
            sort: String::new(),
            order: String::new(),
            per_page: PER_PAGE,
            others: Vec::new(),
        }
    }

    /// The condition that every word of the search occurs in `column`, in any order («Дарья
    /// Блинова» finds «Блинова Дарья»); always true without a search. Unlike the original
    /// (where `%` and `_` typed into the box acted as wildcards), every character matches
    /// itself — nobody searching «10%» means a pattern. `!` is the escape character because `\`
    /// stops being one under the `NO_BACKSLASH_ESCAPES` SQL mode; `LOWER` on both sides keeps
    /// the match case-insensitive whatever the column's collation.
    pub fn words_in(&self, column: &str) -> Condition {
        let patterns: Vec<mysql::Value> = self
            .search
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(|w| literal_pattern(w).into())
            .collect();
        let sql = match patterns.len() {
            0 => "TRUE".to_string(),
            n => {
                let one = format!("LOWER({column}) LIKE LOWER(?) ESCAPE '!'");
                format!("({})", vec![one; n].join(" AND "))
            }
        };
        Condition {
            sql,
            params: patterns,
        }
    }

    /// The digits of a search that looks like (a part of) a phone number — at least 5 digits
    /// however written, «+7 912 345», «912-34», «8 (912) 345-67-89» — as they would stand in a
    /// number stored as 11 digits from 8: a leading +7, or the 7 of 11 digits, means 8.
    pub fn phone_digits(&self) -> Option<String> {
        let search = self.search.as_str();
        if search.chars().any(|c| c.is_alphabetic()) {
            return None;
        }
        let mut digits: String = search.chars().filter(char::is_ascii_digit).collect();
        let international =
            search.starts_with("+7") || (digits.len() == 11 && digits.starts_with('7'));
        if international {
            digits.replace_range(..1, "8");
        }
        (digits.len() >= 5).then_some(digits)
    }

    /// The chosen order: `?sort=` naming a key of the list, `?order=desc` or ascending; `None`
    /// (the list's own order, which no header is marked for) for a missing or unknown key.
    pub fn sort<K: SortKey>(&self) -> Option<Sort<K>> {
        let chosen = K::KEYS
            .iter()
            .find(|(_, name)| self.sort.eq_ignore_ascii_case(name));
        match chosen {
            Some(&(key, _)) => Some(Sort {
                key,
                direction: match self.order.eq_ignore_ascii_case("desc") {
                    true => Direction::Desc,
                    false => Direction::Asc,
                },
            }),
            None => None,
        }
    }

    /// The sortable headers of a list at `url`, by key name: a click keeps the search and the
    /// filters, goes back to page 1 and sorts by the column (the other way when it is sorted
    /// already).
    pub fn sort_links<K: SortKey>(&self, url: &str) -> BTreeMap<&'static str, SortLink> {
        let current = self.sort::<K>();
        K::KEYS
            .iter()
            .map(|&(key, name)| {
                let sorted = current.filter(|s| s.key == key).map(|s| s.direction);
                let next = match sorted {
                    Some(Direction::Asc) => Direction::Desc,
                    Some(Direction::Desc) => Direction::Asc,
                    None => key.first_direction(),
                };
                let mut pairs: Vec<(&str, &str)> = self
                    .others
                    .iter()
                    .filter(|(k, _)| k != "sort" && k != "order")
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                pairs.push(("sort", name));
                pairs.push(("order", direction_name(next)));
                let link = SortLink {
                    url: format!(
                        "{url}?{}",
                        serde_urlencoded::to_string(pairs).unwrap_or_default()
                    ),
                    aria_sort: sorted.map(|d| match d {
                        Direction::Asc => "ascending",
                        Direction::Desc => "descending",
                    }),
                    arrow: match sorted {
                        Some(Direction::Asc) => "▲",
                        Some(Direction::Desc) => "▼",
                        None => "",
                    },
                };
                (name, link)
            })
            .collect()
    }

    /// `sort=…&order=…` of the chosen order (empty for the list's own), for a download link.
    pub fn sort_params<K: SortKey>(&self) -> Vec<(&'static str, &'static str)> {
        let Some(sort) = self.sort::<K>() else {
            return Vec::new();
        };
        let name = K::KEYS
            .iter()
            .find(|(key, _)| *key == sort.key)
            .map_or("", |(_, name)| *name);
        vec![("sort", name), ("order", direction_name(sort.direction))]
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

fn direction_name(d: Direction) -> &'static str {
    match d {
        Direction::Asc => "asc",
        Direction::Desc => "desc",
    }
}

/// `word` as a `LIKE` pattern that finds it anywhere, each character standing for itself.
fn literal_pattern(word: &str) -> String {
    let mut pattern = String::with_capacity(word.len() + 2);
    pattern.push('%');
    for c in word.chars() {
        if matches!(c, '%' | '_' | '!') {
            pattern.push('!');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
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

    fn patterns(q: &str) -> (String, Vec<mysql::Value>) {
        let c = query(q).words_in("x.fio");
        (c.sql, c.params)
    }

    #[test]
    fn search_is_literal_words() {
        let (sql, params) = patterns("search=+a%25b_c!d++%D0%AF+");
        assert_eq!(query("search=+a%25b_c!d++%D0%AF+").search, "a%b_c!d Я");
        assert_eq!(sql.matches("LIKE LOWER(?)").count(), 2);
        assert_eq!(params, vec!["%a!%b!_c!!d%".into(), "%Я%".into()]);
        assert_eq!(patterns("search=\\").1, vec!["%\\%".into()]);
        assert_eq!(patterns("search=+++"), ("TRUE".to_string(), vec![]));
    }

    #[test]
    fn phone_digits_any_way_written() {
        for (raw, digits) in [
            ("%2B7+912+345", Some("8912345")),
            ("912-34", Some("91234")),
            ("8+(912)+345-67-89", Some("89123456789")),
            ("79123456789", Some("89123456789")),
            ("7912", None),
            ("Иванов 12345", None),
            ("", None),
        ] {
            let q = query(&format!("search={raw}"));
            assert_eq!(q.phone_digits().as_deref(), digits, "{raw}");
        }
    }

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Key {
        Name,
        Seen,
    }

    impl SortKey for Key {
        const KEYS: &'static [(Key, &'static str)] = &[(Key::Name, "name"), (Key::Seen, "seen")];
        fn first_direction(self) -> Direction {
            match self {
                Key::Name => Direction::Asc,
                Key::Seen => Direction::Desc,
            }
        }
    }

    #[test]
    fn sort_is_forgiving_and_links_flip() {
        assert_eq!(query("sort=bogus&order=desc").sort::<Key>(), None);
        let q = query("sort=NAME&order=desc&search=a&page=3");
        let sort = q.sort::<Key>().unwrap();
        assert_eq!((sort.key, sort.direction), (Key::Name, Direction::Desc));
        assert_eq!(
            query("sort=seen&order=up").sort::<Key>().unwrap().direction,
            Direction::Asc
        );
        let links = q.sort_links::<Key>("/x");
        assert_eq!(links["name"].url, "/x?search=a&sort=name&order=asc");
        assert_eq!(links["name"].aria_sort, Some("descending"));
        assert_eq!(links["seen"].url, "/x?search=a&sort=seen&order=desc");
        assert_eq!((links["seen"].aria_sort, links["seen"].arrow), (None, ""));
        assert_eq!(
            q.pages("/x", 100).prev_url.as_deref(),
            Some("/x?sort=NAME&order=desc&search=a&page=2")
        );
        assert_eq!(
            q.sort_params::<Key>(),
            vec![("sort", "name"), ("order", "desc")]
        );
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
