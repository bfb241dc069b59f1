//! Calendar days without a time zone library: ISO dates (`2025-01-05`) as day numbers, and back.
//! Rumbo's dates are civil dates in Tegucigalpa (UTC−6, no daylight saving), so a day number is enough.

/// A calendar day, counted from 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i64);

impl Day {
    /// Parses `YYYY-MM-DD`; anything else (or an impossible date such as `2025-02-30`) is `None`.
    pub fn parse(iso: &str) -> Option<Self> {
        let b = iso.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let y: i32 = iso.get(0..4)?.parse().ok()?;
        let m: u32 = iso.get(5..7)?.parse().ok()?;
        let d: u32 = iso.get(8..10)?.parse().ok()?;
        (1..=12).contains(&m).then_some(())?;
        (1..=days_in_month(y, m)).contains(&d).then_some(())?;
        Some(Self(days_from_civil(y, m, d)))
    }

    /// Parses a date as Rumbo shows them, `dd/mm/aaaa` (also `d/m/aaaa`), or an ISO date.
    pub fn parse_display(s: &str) -> Option<Self> {
        let s = s.trim();
        let mut parts = s.split('/');
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(d), Some(m), Some(y), None)
                if y.len() == 4 && (1..=2).contains(&d.len()) && (1..=2).contains(&m.len()) =>
            {
                Self::parse(&format!("{y}-{m:0>2}-{d:0>2}"))
            }
            _ => Self::parse(s),
        }
    }

    pub fn from_ymd(y: i32, m: u32, d: u32) -> Self {
        Self(days_from_civil(y, m, d))
    }

    /// The ISO form, `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        civil_from_days(self.0)
    }

    /// `dd/mm/aaaa`, as Rumbo shows dates.
    pub fn display(self) -> String {
        crate::format::date(&self.iso())
    }

    #[must_use]
    pub const fn plus(self, days: i64) -> Self {
        Self(self.0 + days)
    }

    /// Year, month and day.
    pub fn ymd(self) -> (i32, u32, u32) {
        let iso = self.iso();
        let num = |r: std::ops::Range<usize>| iso.get(r).and_then(|s| s.parse::<u32>().ok()).unwrap_or(1);
        (num(0..4) as i32, num(5..7), num(8..10))
    }

    /// The last day of the month `(y, m)`.
    pub fn last_of_month(y: i32, m: u32) -> Self {
        Self(days_from_civil(y, m, days_in_month(y, m)))
    }
}

pub fn days_in_month(y: i32, m: u32) -> u32 {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(if m <= 2 { y - 1 } else { y });
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The ISO date of a day number.
pub fn civil_from_days(z: i64) -> String {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip() {
        for (y, m, d) in [(1970, 1, 1), (2024, 2, 29), (2026, 10, 31), (2000, 12, 31)] {
            let iso = format!("{y:04}-{m:02}-{d:02}");
            assert_eq!(civil_from_days(days_from_civil(y, m, d)), iso);
            assert_eq!(Day::parse(&iso).map(Day::iso), Some(iso.clone()));
            assert_eq!(Day::from_ymd(y, m, d).ymd(), (y, m, d));
        }
    }

    #[test]
    fn impossible_dates_do_not_parse() {
        for bad in ["2025-02-29", "2025-13-01", "2025-00-10", "2025-1-01", "25-01-01", "", "2025-01-32", "2025/01/01"] {
            assert_eq!(Day::parse(bad), None, "{bad}");
        }
        assert_eq!(Day::last_of_month(2024, 2).iso(), "2024-02-29");
        assert_eq!(Day::parse_display("30/11/2025").map(Day::iso).as_deref(), Some("2025-11-30"));
        assert_eq!(Day::parse_display("5/1/2026").map(Day::iso).as_deref(), Some("2026-01-05"));
        assert_eq!(Day::parse_display("2026-01-05").map(Day::iso).as_deref(), Some("2026-01-05"));
        assert_eq!(Day::parse_display("31/02/2026"), None);
        assert_eq!(Day::parse_display("11/30/2025"), None, "month first is not a date here");
        assert_eq!(Day::last_of_month(2026, 9).display(), "30/09/2026");
    }
}
