//! Times as the pages show them. (Per-locale formats are the themes'
//! work, issue 18; until then one unambiguous form for every language.)

/// `2026-12-06`, from Unix seconds.
pub fn date(ts: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ts).map(|d| format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())).unwrap_or_default()
}

/// `2026-12-06 18:20 UTC`, from Unix seconds.
pub fn date_time(ts: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ts)
        .map(|d| format!("{:04}-{:02}-{:02} {:02}:{:02} UTC", d.year(), u8::from(d.month()), d.day(), d.hour(), d.minute()))
        .unwrap_or_default()
}

/// The start of a day given as `YYYY-MM-DD` (a date field), in Unix
/// seconds, UTC; `None` when it is not such a day.
pub fn day_start(day: &str) -> Option<i64> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(day.trim(), &format).ok().map(|d| d.midnight().assume_utc().unix_timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days() {
        assert_eq!(day_start("2026-12-06"), Some(1_796_515_200));
        assert_eq!(date(1_796_515_200), "2026-12-06");
        assert_eq!(date_time(1_796_515_200 + 3_600 + 120), "2026-12-06 01:02 UTC");
        for bad in ["", "2026-13-01", "06/12/2026", "2026-12-06T00:00", "x"] {
            assert_eq!(day_start(bad), None, "{bad}");
        }
    }
}
