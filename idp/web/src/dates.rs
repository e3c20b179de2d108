//! Times as the pages show them: in the page's language, with the month's
//! name and the order and words of the translations (`date-day`,
//! `date-time`, `month-1`…`month-12`), in UTC, which the text says. Date
//! fields (the audit log's filters) take the ISO form, [`day_start`].

use trame_app::i18n::{Arg, I18n, args};

/// The page's way of writing dates: its language's translations.
pub struct Dates {
    i18n: std::sync::Arc<I18n>,
    lang: String,
}

impl Dates {
    pub fn new(themes: &crate::themes::Themes, lang: &str) -> Self {
        Self { i18n: themes.current().base.i18n.clone(), lang: lang.to_owned() }
    }

    /// `6 décembre 2026`, `6. Dezember 2026`, `December 6, 2026`…
    pub fn date(&self, ts: i64) -> String {
        let Ok(d) = time::OffsetDateTime::from_unix_timestamp(ts) else { return String::new() };
        let month = self.i18n.t(&self.lang, &format!("month-{}", u8::from(d.month())), None);
        let a = args(&[("day", Arg::Text(d.day().to_string())), ("month", Arg::Text(month)), ("year", Arg::Text(d.year().to_string()))]);
        self.i18n.t(&self.lang, "date-day", Some(&a))
    }

    /// `6 décembre 2026 à 18:20 (UTC)`…
    pub fn date_time(&self, ts: i64) -> String {
        let Ok(d) = time::OffsetDateTime::from_unix_timestamp(ts) else { return String::new() };
        let a = args(&[("date", Arg::Text(self.date(ts))), ("time", Arg::Text(format!("{:02}:{:02}", d.hour(), d.minute())))]);
        self.i18n.t(&self.lang, "date-time", Some(&a))
    }
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
    fn every_language_writes_dates_in_its_own_words() {
        let themes = crate::themes::Themes::default_theme();
        let ts = 1_796_515_200 + 18 * 3_600 + 20 * 60;
        let cases = [
            ("fr", "6 décembre 2026", "6 décembre 2026 à 18:20 (UTC)"),
            ("en", "6 December 2026", "6 December 2026, 18:20 (UTC)"),
            ("de", "6. Dezember 2026", "6. Dezember 2026, 18:20 Uhr (UTC)"),
            ("es", "6 de diciembre de 2026", "6 de diciembre de 2026, 18:20 (UTC)"),
            ("it", "6 dicembre 2026", "6 dicembre 2026, ore 18:20 (UTC)"),
            ("pt", "6 de dezembro de 2026", "6 de dezembro de 2026, 18:20 (UTC)"),
            ("ar", "6 ديسمبر 2026", "6 ديسمبر 2026، الساعة 18:20 (UTC)"),
        ];
        for (lang, day, at) in cases {
            let d = Dates::new(&themes, lang);
            assert_eq!(d.date(ts), day, "{lang}");
            assert_eq!(d.date_time(ts), at, "{lang}");
        }
        assert_eq!(Dates::new(&themes, "fr").date(i64::MAX), "", "out of range: nothing rather than a panic");
    }

    #[test]
    fn days() {
        assert_eq!(day_start("2026-12-06"), Some(1_796_515_200));
        for bad in ["", "2026-13-01", "06/12/2026", "2026-12-06T00:00", "x"] {
            assert_eq!(day_start(bad), None, "{bad}");
        }
    }
}
