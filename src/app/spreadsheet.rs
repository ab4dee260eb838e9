//! Excel downloads (`.xlsx`) of the report and grid pages: one sheet with a bold, frozen header
//! row, numbers as numbers, money with a ruble format and set column widths, so
//! the accountant's Excel opens the same rows and figures as the page.

use super::AppError;
use crate::http::Response;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};

pub const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Number(i64),
    /// Rubles.
    Money(i64),
    /// A day, shown as `ДД.ММ.ГГГГ`.
    Date(NaiveDate),
    Empty,
}

/// A column: its header and its width in characters.
pub struct Column {
    pub header: String,
    pub width: f64,
}

impl Column {
    pub fn new(header: &str, width: f64) -> Column {
        Column {
            header: header.into(),
            width,
        }
    }
}

/// A sheet named after its page, with its header row and data rows.
pub struct Sheet {
    pub name: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Value>>,
}

impl Sheet {
    /// The `.xlsx` file as a download named after the sheet (`<name>.xlsx`: the whole name,
    /// where the sheet's tab follows Excel's rules for sheet names).
    pub fn download(&self) -> Result<Response, AppError> {
        let bytes = self.xlsx().map_err(|e| AppError::Export(e.to_string()))?;
        Ok(Response::download(
            &format!("{}.xlsx", self.name),
            CONTENT_TYPE,
            bytes,
        ))
    }

    fn xlsx(&self) -> Result<Vec<u8>, XlsxError> {
        let mut book = Workbook::new();
        // The rows go to a temporary file as they are written (in order, as here), not into
        // memory: a download of every student stays under a request's 16 MiB.
        let sheet = book.add_worksheet_with_constant_memory()?;
        sheet.set_name(sheet_name(&self.name))?;
        let header = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top);
        let formats = Formats {
            // Named, so that a cell takes it instead of falling back to its column's format.
            general: Format::new().set_num_format("General"),
            money: Format::new().set_num_format("#,##0 \"₽\""),
            text: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            date: Format::new().set_num_format("dd.mm.yyyy"),
        };
        // A column takes the format of its first value, and its cells of that kind are written
        // without one: the writer looks a cell's format up by hashing it, which cost a download of
        // 2,000 debtors 51 of its 293 million instructions.
        let kinds: Vec<Option<Kind>> = (0..self.columns.len())
            .map(|c| {
                self.rows
                    .iter()
                    .find_map(|row| row.get(c).and_then(Kind::of))
            })
            .collect();
        for (c, column) in self.columns.iter().enumerate() {
            let c = column_index(c);
            sheet.write_string_with_format(0, c, &column.header, &header)?;
            sheet.set_column_width(c, column.width)?;
        }
        for (c, kind) in kinds.iter().enumerate() {
            if let Some(format) = kind.and_then(|k| formats.of(k)) {
                sheet.set_column_format(column_index(c), format)?;
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        for (r, row) in self.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            for (c, value) in row.iter().enumerate() {
                let Some(kind) = Kind::of(value) else {
                    continue;
                };
                // Another kind than its column's has its own format, the general one for a
                // number (not the column's).
                let format = match kinds.get(c) {
                    Some(&Some(column)) if column == kind => None,
                    _ => Some(formats.of(kind).unwrap_or(&formats.general)),
                };
                let c = column_index(c);
                match (value, format) {
                    (Value::Text(s), None) => sheet.write_string(r, c, s)?,
                    (Value::Text(s), Some(f)) => sheet.write_string_with_format(r, c, s, f)?,
                    (Value::Number(n) | Value::Money(n), None) => {
                        sheet.write_number(r, c, *n as f64)?
                    }
                    (Value::Number(n) | Value::Money(n), Some(f)) => {
                        sheet.write_number_with_format(r, c, *n as f64, f)?
                    }
                    (Value::Date(d), None) => sheet.write_datetime(r, c, excel_date(*d)?)?,
                    (Value::Date(d), Some(f)) => {
                        sheet.write_datetime_with_format(r, c, excel_date(*d)?, f)?
                    }
                    (Value::Empty, _) => continue,
                };
            }
        }
        book.save_to_buffer()
    }
}

/// The kinds of cell with a format of their own (numbers have none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Number,
    Money,
    Date,
}

impl Kind {
    /// The kind of a value that is written; none for an empty one.
    fn of(value: &Value) -> Option<Kind> {
        match value {
            Value::Text(s) if s.is_empty() => None,
            Value::Empty => None,
            Value::Text(_) => Some(Kind::Text),
            Value::Number(_) => Some(Kind::Number),
            Value::Money(_) => Some(Kind::Money),
            Value::Date(_) => Some(Kind::Date),
        }
    }
}

/// The cells' formats.
struct Formats {
    general: Format,
    money: Format,
    text: Format,
    date: Format,
}

impl Formats {
    fn of(&self, kind: Kind) -> Option<&Format> {
        match kind {
            Kind::Text => Some(&self.text),
            Kind::Number => None,
            Kind::Money => Some(&self.money),
            Kind::Date => Some(&self.date),
        }
    }
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    let year = u16::try_from(d.year()).map_err(|_| XlsxError::DateTimeRangeError(d.to_string()))?;
    // Month and day always fit: 1..=12 and 1..=31.
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8)
}

fn column_index(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// Excel's rules for a sheet name: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take(31)
        .collect();
    match cleaned.trim() {
        "" => "лист".into(),
        trimmed => trimmed.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_follow_excels_rules() {
        assert_eq!(
            sheet_name("оплата робо/17а [2019]"),
            "оплата робо-17а -2019-"
        );
        assert_eq!(sheet_name(&"я".repeat(40)).chars().count(), 31);
        assert_eq!(sheet_name(" "), "лист");
    }

    #[test]
    fn cells_read_back_as_their_kind_whatever_their_columns_format() {
        use calamine::{Data, Reader, Xlsx};
        let day = NaiveDate::from_ymd_opt(2010, 1, 1).unwrap();
        let sheet = Sheet {
            name: "лист".into(),
            columns: vec![Column::new("a", 10.0), Column::new("b", 10.0)],
            rows: vec![
                vec![Value::Date(day), Value::Text("x".into())],
                vec![Value::Number(5), Value::Date(day)],
                vec![Value::Empty, Value::Money(7)],
                vec![Value::Date(day), Value::Text(String::new())],
            ],
        };
        let bytes = sheet.xlsx().unwrap();
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("лист").unwrap();
        let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
        let date = |d: &Data| match d {
            Data::DateTime(d) => Some(d.as_f64()),
            _ => None,
        };
        assert_eq!(
            rows[0],
            [Data::String("a".into()), Data::String("b".into())]
        );
        // 1 January 2010 is day 40179 of Excel's calendar: a date in the dates' column and in the
        // texts' one; a number in the dates' column is a number.
        assert_eq!(date(&rows[1][0]), Some(40179.0));
        assert_eq!(rows[1][1], Data::String("x".into()));
        assert_eq!(rows[2][0], Data::Float(5.0));
        assert_eq!(date(&rows[2][1]), Some(40179.0));
        assert_eq!(rows[3], [Data::Empty, Data::Float(7.0)]);
        assert_eq!(date(&rows[4][0]), Some(40179.0));
        assert_eq!(rows[4][1], Data::Empty);
    }
}
