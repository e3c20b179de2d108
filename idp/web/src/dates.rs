//! Times as the pages show them: in the page's language, with the month's
//! name and the order and words of the translations (`date-day`,
//! `date-time`, `month-1`…`month-12`), in the tenant's time zone (its
//! setting, Europe/Paris by default), which the text names by its offset
//! from UTC at that moment ("UTC+1", "UTC+2" in summer): the same in every
//! language, and right for a collectivité overseas. The zone's rules,
//! summer time included, are jiff's bundled database. Date fields (the
//! audit log's filters) take the ISO form, [`day_start`], in that zone too.

use jiff::tz::TimeZone;
use trame_app::i18n::{Arg, I18n, args};

/// The page's way of writing dates: its language's translations and its
/// tenant's zone.
pub struct Dates {
    i18n: std::sync::Arc<I18n>,
    lang: String,
    zone: TimeZone,
}

impl Dates {
    pub fn new(themes: &crate::themes::Themes, lang: &str, zone: &trame_core::tenant::TimeZoneName) -> Self {
        Self { i18n: themes.current().base.i18n.clone(), lang: lang.to_owned(), zone: zone.zone() }
    }

    fn local(&self, ts: i64) -> Option<jiff::ZonedDateTime> {
        jiff::Timestamp::from_second(ts).ok().map(|t| t.to_zoned_datetime(self.zone.clone()))
    }

    fn day_of(&self, d: &jiff::ZonedDateTime) -> String {
        let month = self.i18n.t(&self.lang, &format!("month-{}", d.month()), None);
        let a = args(&[("day", Arg::Text(d.day().to_string())), ("month", Arg::Text(month)), ("year", Arg::Text(d.year().to_string()))]);
        self.i18n.t(&self.lang, "date-day", Some(&a))
    }

    /// `6 décembre 2026`, `6. Dezember 2026`, `December 6, 2026`…
    pub fn date(&self, ts: i64) -> String {
        self.local(ts).map(|d| self.day_of(&d)).unwrap_or_default()
    }

    /// `6 décembre 2026 à 19:20 (UTC+1)`…
    pub fn date_time(&self, ts: i64) -> String {
        let Some(d) = self.local(ts) else { return String::new() };
        let a = args(&[
            ("date", Arg::Text(self.day_of(&d))),
            ("time", Arg::Text(format!("{:02}:{:02}", d.hour(), d.minute()))),
            ("zone", Arg::Text(utc_offset(d.offset().seconds()))),
        ]);
        self.i18n.t(&self.lang, "date-time", Some(&a))
    }
}

/// `UTC`, `UTC+1`, `UTC−3`, `UTC+5:30`, `UTC+12:45`: the minus sign is the
/// typographic one, which screen readers read as "minus".
fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '\u{2212}' } else { '+' };
    let (h, m) = (seconds.unsigned_abs() / 3600, seconds.unsigned_abs() % 3600 / 60);
    match (h, m) {
        (0, 0) => "UTC".to_owned(),
        (h, 0) => format!("UTC{sign}{h}"),
        (h, m) => format!("UTC{sign}{h}:{m:02}"),
    }
}

/// The start of a day given as `YYYY-MM-DD` (a date field) in the tenant's
/// zone, in Unix seconds; `None` when it is not such a day.
pub fn day_start(day: &str, zone: &trame_core::tenant::TimeZoneName) -> Option<i64> {
    start_of(parse_day(day)?, zone)
}

/// The end of that day (the next one's start: 23 or 25 hours later on the
/// nights summer time begins or ends).
pub fn day_end(day: &str, zone: &trame_core::tenant::TimeZoneName) -> Option<i64> {
    start_of(parse_day(day)?.tomorrow().ok()?, zone)
}

fn parse_day(day: &str) -> Option<jiff::civil::Date> {
    let day = day.trim();
    // Only the ISO form: jiff would also take a date with a time.
    if day.len() != 10 {
        return None;
    }
    day.parse().ok()
}

fn start_of(date: jiff::civil::Date, zone: &trame_core::tenant::TimeZoneName) -> Option<i64> {
    date.to_zoned_datetime(zone.zone()).ok().map(|d| d.timestamp().as_second())
}

#[cfg(test)]
mod tests {
    use super::*;
    use trame_core::tenant::TimeZoneName;

    fn zone(name: &str) -> TimeZoneName {
        name.parse().unwrap()
    }

    #[test]
    fn every_language_writes_dates_in_its_own_words() {
        let themes = crate::themes::Themes::default_theme();
        // 2026-12-06 18:20 UTC: 19:20 in Paris (winter time).
        let ts = 1_796_515_200 + 18 * 3_600 + 20 * 60;
        let cases = [
            ("fr", "6 décembre 2026", "6 décembre 2026 à 19:20 (UTC+1)"),
            ("en", "6 December 2026", "6 December 2026, 19:20 (UTC+1)"),
            ("de", "6. Dezember 2026", "6. Dezember 2026, 19:20 Uhr (UTC+1)"),
            ("es", "6 de diciembre de 2026", "6 de diciembre de 2026, 19:20 (UTC+1)"),
            ("it", "6 dicembre 2026", "6 dicembre 2026, ore 19:20 (UTC+1)"),
            ("pt", "6 de dezembro de 2026", "6 de dezembro de 2026, 19:20 (UTC+1)"),
            ("ar", "6 ديسمبر 2026", "6 ديسمبر 2026، الساعة 19:20 (UTC+1)"),
        ];
        for (lang, day, at) in cases {
            let d = Dates::new(&themes, lang, &TimeZoneName::default());
            assert_eq!(d.date(ts), day, "{lang}");
            assert_eq!(d.date_time(ts), at, "{lang}");
        }
        assert_eq!(Dates::new(&themes, "fr", &TimeZoneName::default()).date(i64::MAX), "", "out of range: nothing rather than a panic");
    }

    #[test]
    fn times_are_the_tenants_with_its_summer_time() {
        let themes = crate::themes::Themes::default_theme();
        let at = |z: &str, ts: i64| Dates::new(&themes, "fr", &zone(z)).date_time(ts);
        let winter = 1_796_515_200 + 18 * 3_600 + 20 * 60; // 2026-12-06 18:20 UTC
        let summer = 1_783_296_000 + 18 * 3_600 + 20 * 60; // 2026-07-06 18:20 UTC
        assert_eq!(at("Europe/Paris", summer), "6 juillet 2026 à 20:20 (UTC+2)");
        assert_eq!(at("Indian/Reunion", winter), "6 décembre 2026 à 22:20 (UTC+4)");
        assert_eq!(at("America/Cayenne", winter), "6 décembre 2026 à 15:20 (UTC\u{2212}3)");
        // Past midnight there: the day is the zone's, not UTC's.
        assert_eq!(at("Pacific/Noumea", winter), "7 décembre 2026 à 05:20 (UTC+11)");
        assert_eq!(at("Asia/Kolkata", winter), "6 décembre 2026 à 23:50 (UTC+5:30)");
        assert_eq!(at("UTC", winter), "6 décembre 2026 à 18:20 (UTC)");
        // The night summer time ends, 02:30 happens twice: the offset tells which.
        let first = 1_792_888_200; // 2026-10-25 00:30 UTC
        assert_eq!(at("Europe/Paris", first), "25 octobre 2026 à 02:30 (UTC+2)");
        assert_eq!(at("Europe/Paris", first + 3_600), "25 octobre 2026 à 02:30 (UTC+1)");
    }

    #[test]
    fn days_start_at_the_tenants_midnight() {
        assert_eq!(day_start("2026-12-06", &zone("UTC")), Some(1_796_515_200));
        assert_eq!(day_start("2026-12-06", &TimeZoneName::default()), Some(1_796_515_200 - 3_600));
        assert_eq!(day_start("2026-12-06", &zone("Pacific/Noumea")), Some(1_796_515_200 - 11 * 3_600));
        // The night summer time ends is 25 hours long.
        assert_eq!(day_end("2026-10-25", &TimeZoneName::default()), Some(1_792_886_400 + 25 * 3_600 - 2 * 3_600));
        assert_eq!(day_end("2026-12-06", &zone("UTC")), Some(1_796_515_200 + 86_400));
        for bad in ["", "2026-13-01", "06/12/2026", "2026-12-06T00:00", "x", "2026-02-30"] {
            assert_eq!(day_start(bad, &TimeZoneName::default()), None, "{bad}");
            assert_eq!(day_end(bad, &TimeZoneName::default()), None, "{bad}");
        }
    }
}
