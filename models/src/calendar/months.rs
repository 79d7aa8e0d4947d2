//! Calendar months and the installers' working-day calendar.
//!
//! Installs happen on working days: Monday to Friday, less the bank holidays of
//! England and Wales (assumption: Scotland's differ slightly; one-off holidays such as
//! coronations and jubilees are left out). DOMAIN §6: "Monthly seasonality and
//! working-day effects are visible: the Q2 2024 dip is explained by one fewer
//! working day".

use std::fmt;

use super::{Date, days_in_month};

/// A calendar month, counted from year 0 so that months subtract.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(i32);

impl Month {
    /// The month `month` (1 to 12) of `year`.
    pub fn new(year: i32, month: u32) -> Month {
        debug_assert!((1..=12).contains(&month));
        Month(year * 12 + month as i32 - 1)
    }

    /// Parses "YYYY-MM" (years 1900 to 2200).
    pub fn parse(s: &str) -> Result<Month, String> {
        let bad = || format!("{s:?} is not a month; allowed: \"YYYY-MM\", e.g. \"2027-03\"");
        let (y, m) = s.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let (year, month) = (y.parse::<i32>().map_err(|_| bad())?, m.parse::<u32>().map_err(|_| bad())?);
        if !(1900..=2200).contains(&year) || !(1..=12).contains(&month) {
            return Err(bad());
        }
        Ok(Month::new(year, month))
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    /// The month of the year, 1 to 12.
    pub fn month(self) -> u32 {
        self.0.rem_euclid(12) as u32 + 1
    }

    /// The month `n` months later (earlier if negative).
    pub fn plus(self, n: i32) -> Month {
        Month(self.0 + n)
    }

    /// Months from `earlier` to `self` (negative if `earlier` is later).
    pub fn since(self, earlier: Month) -> i32 {
        self.0 - earlier.0
    }

    /// Its first day.
    pub fn first_day(self) -> Date {
        Date { year: self.year(), month: self.month(), day: 1 }
    }

    /// Days in the month.
    pub fn days(self) -> u32 {
        days_in_month(self.year(), self.month())
    }

    /// Its working days, in order (day of the month, from 1).
    pub fn working_days(self) -> Vec<u32> {
        let holidays = bank_holidays(self.year());
        (1..=self.days())
            .filter(|&day| {
                let date = Date { year: self.year(), month: self.month(), day };
                !is_weekend(date) && !holidays.contains(&date)
            })
            .collect()
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

/// Saturday or Sunday (1970-01-01 was a Thursday).
fn is_weekend(date: Date) -> bool {
    let weekday = (date.days_since_epoch() + 3).rem_euclid(7); // 0 = Monday
    weekday >= 5
}

fn weekday(date: Date) -> i64 {
    (date.days_since_epoch() + 3).rem_euclid(7)
}

fn shift(date: Date, days: i64) -> Date {
    Date::from_days_since_epoch(date.days_since_epoch() + days)
}

/// Easter Sunday (the anonymous Gregorian algorithm, "Meeus/Jones/Butcher").
fn easter_sunday(year: i32) -> Date {
    let a = year % 19;
    let (b, c) = (year / 100, year % 100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date { year, month: month as u32, day: day as u32 }
}

/// The first `weekday` (0 = Monday) on or after `date`.
fn next_weekday(date: Date, wanted: i64) -> Date {
    shift(date, (wanted - weekday(date)).rem_euclid(7))
}

/// England and Wales bank holidays of `year`, with weekend substitutes.
pub fn bank_holidays(year: i32) -> Vec<Date> {
    let d = |month, day| Date { year, month, day };
    let easter = easter_sunday(year);
    let mut days = vec![
        // New Year's Day, or the Monday after it falls at a weekend.
        next_weekday_if_weekend(d(1, 1)),
        shift(easter, -2),
        shift(easter, 1),
        next_weekday(d(5, 1), 0),
        shift(next_weekday(d(6, 1), 0), -7),
        shift(next_weekday(d(9, 1), 0), -7),
    ];
    // Christmas and Boxing Day: a weekend one moves to the next free weekday.
    let christmas = d(12, 25);
    let boxing = d(12, 26);
    match weekday(christmas) {
        5 => days.extend([shift(christmas, 2), shift(christmas, 3)]),
        6 => days.extend([shift(christmas, 2), boxing]),
        4 => days.extend([christmas, shift(christmas, 3)]),
        _ => days.extend([christmas, boxing]),
    }
    days
}

fn next_weekday_if_weekend(date: Date) -> Date {
    if is_weekend(date) { next_weekday(date, 0) } else { date }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_print_and_subtract() {
        let m = Month::parse("2027-03").unwrap();
        assert_eq!((m.year(), m.month()), (2027, 3));
        assert_eq!(m.to_string(), "2027-03");
        assert_eq!(m.plus(-10).to_string(), "2026-05");
        assert_eq!(m.plus(10).since(m), 10);
        assert_eq!(Month::parse("2024-02").unwrap().days(), 29);
        for bad in ["2027-3", "2027-13", "27-03", "2027/03", "", "2027-03-01"] {
            assert!(Month::parse(bad).unwrap_err().contains("YYYY-MM"), "{bad}");
        }
    }

    #[test]
    fn easter_and_bank_holidays_match_the_published_dates() {
        assert_eq!(easter_sunday(2024), Date { year: 2024, month: 3, day: 31 });
        assert_eq!(easter_sunday(2025), Date { year: 2025, month: 4, day: 20 });
        // gov.uk, England and Wales 2024: 1 Jan, 29 Mar, 1 Apr, 6 May, 27 May, 26 Aug, 25 Dec, 26 Dec.
        let want = [(1, 1), (3, 29), (4, 1), (5, 6), (5, 27), (8, 26), (12, 25), (12, 26)];
        let mut got: Vec<(u32, u32)> = bank_holidays(2024).iter().map(|d| (d.month, d.day)).collect();
        got.sort_unstable();
        assert_eq!(got, want);
        // 2021: Christmas on Saturday, so 27 and 28 December.
        let dec: Vec<u32> = bank_holidays(2021).iter().filter(|d| d.month == 12).map(|d| d.day).collect();
        assert_eq!(dec, [27, 28]);
    }

    #[test]
    fn working_days_of_known_months() {
        // Q2 2024 (DOMAIN §6 mentions its working days): April 21, May 21, June 20.
        let q2: Vec<usize> = (4..=6).map(|m| Month::new(2024, m).working_days().len()).collect();
        assert_eq!(q2, [21, 21, 20]);
        let year: usize = (1..=12).map(|m| Month::new(2023, m).working_days().len()).sum();
        assert_eq!(year, 252);
    }
}
