//! Calendar dates for reporting periods: simulated time is microseconds from a
//! scenario's start date, and measures are reported per calendar month.

use sim::SimTime;

/// A day of the proleptic Gregorian calendar.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year, e.g. 2026.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u32,
    /// Day of the month, from 1.
    pub day: u32,
}

impl std::fmt::Display for Date {
    /// As written in a scenario: `YYYY-MM-DD`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Date {
    /// 1970-01-01.
    pub const EPOCH: Date = Date { year: 1970, month: 1, day: 1 };

    /// Parses "YYYY-MM-DD", checking the day exists.
    pub fn parse(s: &str) -> Result<Date, String> {
        let bad = || format!("{s:?} is not a date; allowed: YYYY-MM-DD, e.g. \"2026-01-01\"");
        let mut parts = s.split('-');
        let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        let (year, month, day) = (
            y.parse::<i32>().map_err(|_| bad())?,
            m.parse::<u32>().map_err(|_| bad())?,
            d.parse::<u32>().map_err(|_| bad())?,
        );
        let date = Date { year, month, day };
        if !(1900..=2200).contains(&year) || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month)
        {
            return Err(bad());
        }
        Ok(date)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Civil-to-days over 400-year eras: March-based years put the leap day last.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let year_of_era = y - era * 400;
        let m = i64::from(self.month);
        let day_of_year = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (year_of_era + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// The date at simulated time `t` when time zero is the start of `self`.
    pub fn plus(self, t: SimTime) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch() + (t.as_micros() / 86_400_000_000) as i64)
    }

    /// Milliseconds since 1970-01-01 00:00 UTC of simulated time `t`, when time
    /// zero is 00:00 UTC of `self`: what the tables' `*_utc` columns hold.
    pub fn unix_ms(self, t: SimTime) -> i64 {
        self.days_since_epoch() * 86_400_000 + (t.as_micros() / 1_000) as i64
    }

    /// Simulated time `t` as a UTC clock time, "YYYY-MM-DD HH:MM:SS", when time zero
    /// is 00:00 UTC of `self`.
    pub fn clock(self, t: SimTime) -> String {
        let seconds = t.as_micros() / 1_000_000;
        let (h, m, s) = (seconds / 3600 % 24, seconds / 60 % 60, seconds % 60);
        format!("{} {h:02}:{m:02}:{s:02}", self.plus(t))
    }

    /// The day of the week, 0 = Monday to 6 = Sunday (1970-01-01 was a Thursday).
    pub fn weekday(self) -> usize {
        (self.days_since_epoch() + 3).rem_euclid(7) as usize
    }

    /// The calendar month, "YYYY-MM".
    pub fn month_label(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

/// Days in `month` of `year`.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn clock_times_and_unix_milliseconds_count_from_midnight_utc_of_the_start_date() {
        use super::Date;
        use sim::SimTime;
        let start = Date::parse("2021-11-26").unwrap();
        let t = SimTime::from_secs(2 * 86_400 + 17 * 3600 + 42 * 60 + 5);
        assert_eq!(start.clock(t), "2021-11-28 17:42:05");
        assert_eq!(start.clock(SimTime::ZERO), "2021-11-26 00:00:00");
        // 2021-11-26 00:00 UTC is 1637884800 s after the epoch.
        assert_eq!(start.unix_ms(SimTime(1_500)), 1_637_884_800_001);
        assert_eq!(Date::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
    }

    use super::*;

    #[test]
    fn known_days() {
        assert_eq!(Date::EPOCH.days_since_epoch(), 0);
        assert_eq!(Date::parse("2000-03-01").unwrap().days_since_epoch(), 11_017);
        assert_eq!(Date::parse("2026-01-01").unwrap().days_since_epoch(), 20_454);
        for days in [-1000, 0, 59, 60, 11_016, 20_454, 40_000] {
            assert_eq!(Date::from_days_since_epoch(days).days_since_epoch(), days);
        }
    }

    #[test]
    fn months_roll_over_at_midnight_including_leap_days() {
        let start = Date::parse("2028-02-28").unwrap();
        assert_eq!(start.plus(SimTime::from_secs(86_399)).month_label(), "2028-02");
        assert_eq!(start.plus(SimTime::from_secs(86_400)), Date { year: 2028, month: 2, day: 29 });
        assert_eq!(start.plus(SimTime::from_secs(2 * 86_400)).month_label(), "2028-03");
    }

    #[test]
    fn bad_dates_are_explained() {
        for s in ["2026-02-29", "2026-13-01", "26-1-1x", "2026/01/01", ""] {
            assert!(Date::parse(s).unwrap_err().contains("YYYY-MM-DD"), "{s}");
        }
    }
}

mod months;

pub use months::{Month, bank_holidays};
