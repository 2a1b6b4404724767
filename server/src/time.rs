//! Dates and times in UTC from the system clock, or from `SOURCE_DATE_EPOCH`
//! (the reproducible-builds convention) so that tests and scripted runs can
//! pin what gets written into new artifacts and bundles.

/// Seconds since the Unix epoch.
pub fn now_secs() -> u64 {
    if let Some(s) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        return s;
    }
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Today's date, `YYYY-MM-DD`.
pub fn today() -> String {
    civil(now_secs() / 86_400)
}

/// Now, as RFC 3339 with seconds: `2025-11-07T10:30:00Z`.
pub fn now_rfc3339() -> String {
    rfc3339(now_secs())
}

pub fn rfc3339(secs: u64) -> String {
    let rest = secs % 86_400;
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        civil(secs / 86_400),
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Days since 1970-01-01 of a date that starts `YYYY-MM-DD` (a date, an
/// RFC 3339 time, a dated folder name `2025-11-07-payments`); None otherwise.
pub fn days_of(s: &str) -> Option<u64> {
    let d = s.get(..10)?.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let b = d.get(r)?;
        if !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(b).ok()?.parse().ok()
    };
    if d.get(4) != Some(&b'-') || d.get(7) != Some(&b'-') {
        return None;
    }
    let (y, m, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) {
        return None;
    }
    // Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    u64::try_from(era * 146_097 + doe - 719_468).ok()
}

/// Days since 1970-01-01 → `YYYY-MM-DD`.
pub fn date(days: u64) -> String {
    civil(days)
}

/// Days since 1970-01-01 → `YYYY-MM-DD` (Howard Hinnant's algorithm).
fn civil(days: u64) -> String {
    let z = days as i64 + 719_468;
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
    fn dates() {
        assert_eq!(civil(0), "1970-01-01");
        assert_eq!(civil(20_399), "2025-11-07");
        assert_eq!(rfc3339(1_762_511_400), "2025-11-07T10:30:00Z");
        assert_eq!(days_of("2025-11-07"), Some(20_399));
        assert_eq!(days_of("2025-11-07T10:30:00Z"), Some(20_399));
        assert_eq!(days_of("2025-11-07-payments"), Some(20_399));
        assert_eq!(days_of("2024-02-29"), Some(19_782));
        assert_eq!(days_of("1970-01-01"), Some(0));
        for bad in [
            "2025-13-01",
            "2025-11",
            "20251107",
            "２０２５-11-07",
            "1969-12-31",
            "YYYY-MM-DD",
        ] {
            assert_eq!(days_of(bad), None, "{bad}");
        }
    }
}
