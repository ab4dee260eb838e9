//! Month numbers: months since January 2017 (`(year − 2017) × 12 + month − 1`), as every
//! month column of the schema stores them (0 = January 2017, 20 = September 2018).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

const NAMES: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];
pub const FIRST_YEAR: i32 = 2017;
pub const LAST_YEAR: i32 = 2042;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Month(pub i32);

impl Month {
    pub fn from_year_month(year: i32, month1: u32) -> Month {
        Month((year - FIRST_YEAR) * 12 + month1 as i32 - 1)
    }

    pub fn of_date(date: NaiveDate) -> Month {
        Month::from_year_month(date.year(), date.month())
    }

    pub fn year(self) -> i32 {
        FIRST_YEAR + self.0.div_euclid(12)
    }

    /// 0 = January.
    pub fn month0(self) -> u32 {
        self.0.rem_euclid(12) as u32
    }

    /// «сентябрь 2018».
    pub fn name(self) -> String {
        format!("{} {}", NAMES[self.month0() as usize], self.year())
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year(), self.month0() + 1, 1).expect("valid month")
    }

    pub fn last_day(self) -> NaiveDate {
        Month(self.0 + 1)
            .first_day()
            .pred_opt()
            .expect("valid date")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_matches_the_spec() {
        assert_eq!(Month::from_year_month(2017, 1), Month(0));
        assert_eq!(Month::from_year_month(2018, 9), Month(20));
        assert_eq!(Month(20).name(), "сентябрь 2018");
        assert_eq!(Month(11).name(), "декабрь 2017");
        assert_eq!(
            Month(37).last_day(),
            NaiveDate::from_ymd_opt(2020, 2, 29).unwrap()
        );
        assert_eq!(
            Month(25).last_day(),
            NaiveDate::from_ymd_opt(2019, 2, 28).unwrap()
        );
        assert_eq!(
            Month::of_date(NaiveDate::from_ymd_opt(2019, 12, 31).unwrap()),
            Month(35)
        );
    }
}
