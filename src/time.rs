//! Dates and times as the centre reads them: stored naive UTC, shown in the configured zone in
//! Russian («28 февраля 2019 г., 13:36», «5 минут назад»).

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeZone, Timelike};

/// The variable that fixes the clock (`YYYY-MM-DD HH:MM:SS`, UTC), so that a test can stand at a
/// chosen hour of the centre's day. Apache passes a CGI program only the variables its
/// configuration names, so a request cannot set it.
pub const FIXED_NOW_VAR: &str = "CRMIT_NOW";

/// Now, naive UTC, as the database stores times.
pub fn now_utc() -> NaiveDateTime {
    std::env::var(FIXED_NOW_VAR)
        .ok()
        .and_then(|v| NaiveDateTime::parse_from_str(v.trim(), "%Y-%m-%d %H:%M:%S").ok())
        .unwrap_or_else(|| chrono::Utc::now().naive_utc())
}

/// The start of the minute of `at`: the precision every shown time of a visit has.
pub fn minute_start(at: NaiveDateTime) -> NaiveDateTime {
    at.with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(at)
}

/// The centre's wall-clock time at the UTC instant `utc`.
pub fn local(utc: NaiveDateTime, tz: chrono_tz::Tz) -> NaiveDateTime {
    tz.from_utc_datetime(&utc).naive_local()
}

/// The centre's date at the UTC instant `utc`: a day starts at local midnight, not at UTC's.
pub fn local_date(utc: NaiveDateTime, tz: chrono_tz::Tz) -> NaiveDate {
    local(utc, tz).date()
}

const MONTHS_GENITIVE: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

/// Serializes a day as `YYYY-MM-DD` for a template (`#[serde(serialize_with = …)]`).
pub fn serialize_iso_date<S: serde::Serializer>(day: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&day.format("%Y-%m-%d"))
}

/// A day as the UI shows it, `13.01.2020`, from the `YYYY-MM-DD` that pages carry in links and
/// date inputs; anything else (an empty value, a text already formatted) passes unchanged, so a
/// template can apply it to an optional day. Registered as the template filter `ru_date`.
pub fn ru_date(value: &str) -> String {
    match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        Ok(day) if value.len() == 10 => day.format("%d.%m.%Y").to_string(),
        _ => value.to_string(),
    }
}

/// «28 февраля 2019 г., 13:36» in the zone `tz`.
pub fn format_datetime(utc: NaiveDateTime, tz: chrono_tz::Tz) -> String {
    let local = tz.from_utc_datetime(&utc);
    format!(
        "{} {} {} г., {}",
        local.day(),
        MONTHS_GENITIVE[local.month0() as usize],
        local.year(),
        local.format("%H:%M")
    )
}

/// «только что», «5 минут назад», «3 часа назад», «2 дня назад», «4 месяца назад», «год назад».
pub fn relative(then: NaiveDateTime, now: NaiveDateTime) -> String {
    let seconds = (now - then).num_seconds().max(0);
    let (n, forms) = match seconds {
        0..=44 => return "только что".into(),
        45..=3599 => ((seconds + 30) / 60, ["минуту", "минуты", "минут"]),
        3600..=86_399 => ((seconds + 1800) / 3600, ["час", "часа", "часов"]),
        86_400..=2_591_999 => ((seconds + 43_200) / 86_400, ["день", "дня", "дней"]),
        2_592_000..=31_535_999 => (
            (seconds + 1_296_000) / 2_592_000,
            ["месяц", "месяца", "месяцев"],
        ),
        _ => (seconds / 31_536_000, ["год", "года", "лет"]),
    };
    format!("{} {} назад", n.max(1), plural(n.max(1), forms))
}

/// Russian plural form for a count: 1 минуту, 2 минуты, 5 минут, 21 минуту.
pub fn plural(n: i64, forms: [&'static str; 3]) -> &'static str {
    let (d10, d100) = (n % 10, n % 100);
    if d10 == 1 && d100 != 11 {
        forms[0]
    } else if (2..=4).contains(&d10) && !(12..=14).contains(&d100) {
        forms[1]
    } else {
        forms[2]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    #[test]
    fn days_are_shown_day_first_and_other_values_pass() {
        assert_eq!(ru_date("2020-01-13"), "13.01.2020");
        assert_eq!(ru_date(""), "");
        assert_eq!(ru_date("13.01.2020"), "13.01.2020");
        assert_eq!(ru_date("2020-1-13"), "2020-1-13");
    }

    #[test]
    fn barnaul_is_utc_plus_7() {
        assert_eq!(
            format_datetime(at(2019, 2, 28, 6, 36), chrono_tz::Asia::Barnaul),
            "28 февраля 2019 г., 13:36"
        );
        assert_eq!(
            format_datetime(at(2019, 12, 31, 20, 0), chrono_tz::Asia::Barnaul),
            "1 января 2020 г., 03:00"
        );
    }

    #[test]
    fn the_local_day_starts_at_local_midnight() {
        // 02:00 in Barnaul is 19:00 UTC of the day before.
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let barnaul = chrono_tz::Asia::Barnaul;
        assert_eq!(local_date(at(2026, 12, 5, 19, 0), barnaul), d(2026, 12, 6));
        assert_eq!(local_date(at(2026, 12, 5, 16, 59), barnaul), d(2026, 12, 5));
        assert_eq!(
            local(at(2026, 12, 5, 19, 0), barnaul),
            at(2026, 12, 6, 2, 0)
        );
    }

    #[test]
    fn relative_times() {
        let now = at(2020, 1, 10, 12, 0);
        assert_eq!(relative(now, now), "только что");
        assert_eq!(relative(at(2020, 1, 10, 11, 55), now), "5 минут назад");
        assert_eq!(relative(at(2020, 1, 10, 11, 39), now), "21 минуту назад");
        assert_eq!(relative(at(2020, 1, 10, 9, 0), now), "3 часа назад");
        assert_eq!(relative(at(2020, 1, 8, 12, 0), now), "2 дня назад");
        assert_eq!(relative(at(2018, 1, 8, 12, 0), now), "2 года назад");
    }
}
