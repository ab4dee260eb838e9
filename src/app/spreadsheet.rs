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
        let money = Format::new().set_num_format("#,##0 \"₽\"");
        let text = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        let date = Format::new().set_num_format("dd.mm.yyyy");
        for (c, column) in self.columns.iter().enumerate() {
            let c = column_index(c);
            sheet.write_string_with_format(0, c, &column.header, &header)?;
            sheet.set_column_width(c, column.width)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        for (r, row) in self.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            for (c, value) in row.iter().enumerate() {
                let c = column_index(c);
                match value {
                    Value::Text(s) if s.is_empty() => continue,
                    Value::Empty => continue,
                    Value::Text(s) => sheet.write_string_with_format(r, c, s, &text)?,
                    Value::Number(n) => sheet.write_number(r, c, *n as f64)?,
                    Value::Money(n) => sheet.write_number_with_format(r, c, *n as f64, &money)?,
                    Value::Date(d) => {
                        sheet.write_datetime_with_format(r, c, excel_date(*d)?, &date)?
                    }
                };
            }
        }
        book.save_to_buffer()
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
}
