//! A tenant's look and its public-sector mentions: the collectivité's logo
//! and colour, and the links every page's footer must carry (legal notice,
//! personal data, the RGAA accessibility status, contact). The rules a
//! setting must meet live here; the logo's bytes are checked by the
//! application layer (`trame_app::branding`), which parses them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What a tenant shows of itself. Every field is optional but the
/// accessibility status, which French public-sector sites must always
/// state (RGAA, article 47 of law 2005-102): "non conforme" until an audit
/// says otherwise.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Branding {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo: Option<LogoRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_color: Option<Color>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legal_notice_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub privacy_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accessibility_url: Option<String>,
    pub accessibility_status: AccessibilityStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_url: Option<String>,
    /// The collectivité's own site: the header links there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_url: Option<String>,
}

impl Branding {
    pub fn from_json(s: &str) -> Result<Self, String> {
        serde_json::from_str(s).map_err(|e| format!("branding: {e}"))
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("branding serializes")
    }
}

/// The stored logo, as the catalog knows it: its type and a digest of its
/// bytes (the pages' logo address carries it, so a new logo is a new
/// address and browsers may keep one for long).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogoRef {
    pub kind: LogoKind,
    pub digest: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogoKind {
    Svg,
    Png,
}

impl LogoKind {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Svg => "image/svg+xml",
            Self::Png => "image/png",
        }
    }

    pub fn from_content_type(ct: &str) -> Option<Self> {
        match ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase().as_str() {
            "image/svg+xml" => Some(Self::Svg),
            "image/png" => Some(Self::Png),
            _ => None,
        }
    }
}

/// The RGAA compliance mention ("Accessibilité : totalement / partiellement
/// / non conforme").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccessibilityStatus {
    Full,
    Partial,
    #[default]
    None,
}

impl AccessibilityStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Partial => "partial",
            Self::None => "none",
        }
    }
}

impl FromStr for AccessibilityStatus {
    type Err = BrandingRefusal;
    fn from_str(s: &str) -> Result<Self, BrandingRefusal> {
        match s {
            "full" => Ok(Self::Full),
            "partial" => Ok(Self::Partial),
            "none" => Ok(Self::None),
            _ => Err(BrandingRefusal::AccessibilityStatus(s.to_owned())),
        }
    }
}

/// An sRGB colour, `#RRGGBB`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Color(pub [u8; 3]);

/// The contrast WCAG 2.1 asks of normal text (1.4.3, level AA): the
/// primary colour is the background of white button labels and the colour
/// of links on white.
pub const MIN_CONTRAST: f64 = 4.5;

impl Color {
    /// WCAG 2.1 relative luminance.
    fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.040_45 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        let [r, g, b] = self.0;
        0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    }

    /// The WCAG contrast ratio with white (1 to 21).
    pub fn contrast_with_white(self) -> f64 {
        1.05 / (self.luminance() + 0.05)
    }
}

impl FromStr for Color {
    type Err = BrandingRefusal;
    fn from_str(s: &str) -> Result<Self, BrandingRefusal> {
        let bad = || BrandingRefusal::Color(s.to_owned());
        let hex = s.strip_prefix('#').ok_or_else(bad)?;
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| bad());
        Ok(Self([byte(0)?, byte(2)?, byte(4)?]))
    }
}

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [r, g, b] = self.0;
        write!(f, "#{r:02x}{g:02x}{b:02x}")
    }
}

impl Serialize for Color {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Color {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

/// Why a branding setting is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BrandingRefusal {
    #[error("'{0}' is not a colour: write it #RRGGBB")]
    Color(String),
    #[error("white text on {color} has a contrast of {ratio:.2}:1, below the 4.5:1 WCAG AA asks: choose a darker colour")]
    Contrast { color: String, ratio: f64 },
    #[error("{field}: '{value}' is not an absolute https URL{mailto}")]
    Url { field: &'static str, value: String, mailto: &'static str },
    #[error("'{0}' is not an accessibility status (full, partial, none)")]
    AccessibilityStatus(String),
}

/// Checks a primary colour: a colour and enough contrast with white.
pub fn check_color(s: &str) -> Result<Color, BrandingRefusal> {
    let c: Color = s.trim().parse()?;
    let ratio = c.contrast_with_white();
    if ratio < MIN_CONTRAST {
        return Err(BrandingRefusal::Contrast { color: c.to_string(), ratio });
    }
    Ok(c)
}

/// Checks a footer or header link: an absolute `https` URL (what pages of
/// a public service link to), or for the contact a `mailto:` address too.
/// Nothing else: no `javascript:`, no `http:` a network could rewrite.
pub fn check_url(field: &'static str, s: &str, mailto_allowed: bool) -> Result<String, BrandingRefusal> {
    let refused = || BrandingRefusal::Url { field, value: s.to_owned(), mailto: if mailto_allowed { " or a mailto: address" } else { "" } };
    let s = s.trim();
    if s.len() > 2000 || s.chars().any(char::is_control) {
        return Err(refused());
    }
    let u = url::Url::parse(s).map_err(|_| refused())?;
    match u.scheme() {
        "https" if u.host_str().is_some_and(|h| !h.is_empty()) && u.username().is_empty() && u.password().is_none() => Ok(u.to_string()),
        "mailto" if mailto_allowed && u.path().contains('@') => Ok(u.to_string()),
        _ => Err(refused()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_is_wcag_s() {
        // Black on white is 21:1, white on white 1:1.
        assert!((Color([0, 0, 0]).contrast_with_white() - 21.0).abs() < 1e-9);
        assert!((Color([255, 255, 255]).contrast_with_white() - 1.0).abs() < 1e-9);
        // The French state's blue (#000091) and a mid grey near the limit.
        assert!(check_color("#000091").is_ok());
        assert!(check_color("#767676").is_ok(), "4.54:1, just enough");
        let Err(BrandingRefusal::Contrast { ratio, .. }) = check_color("#777777") else { panic!("#777777 is 4.48:1") };
        assert!((ratio - 4.48).abs() < 0.01);
        assert!(matches!(check_color("#ffcc00"), Err(BrandingRefusal::Contrast { .. })));
    }

    #[test]
    fn colours_are_six_hex_digits() {
        assert_eq!(check_color(" #1E3A8A ").unwrap().to_string(), "#1e3a8a");
        for bad in ["1e3a8a", "#1e3a8", "#1e3a8a0", "#gggggg", "#1e3a8é", "", "#"] {
            assert!(matches!(check_color(bad), Err(BrandingRefusal::Color(_))), "{bad}");
        }
    }

    #[test]
    fn links_are_https_or_a_contact_address() {
        assert_eq!(check_url("privacy_url", "https://ville.example/donnees", false).unwrap(), "https://ville.example/donnees");
        assert_eq!(check_url("contact_url", "mailto:mairie@ville.example", true).unwrap(), "mailto:mairie@ville.example");
        for bad in ["http://ville.example/", "javascript:alert(1)", "/relative", "https://user:pw@ville.example/", "data:text/html,x", "https://"] {
            assert!(check_url("legal_notice_url", bad, false).is_err(), "{bad}");
        }
        assert!(check_url("privacy_url", "mailto:x@ville.example", false).is_err(), "mailto only for the contact");
        assert!(check_url("contact_url", "mailto:nobody", true).is_err());
    }

    #[test]
    fn branding_round_trips_and_old_rows_read_as_default() {
        let b = Branding {
            logo: Some(LogoRef { kind: LogoKind::Svg, digest: "abc".into() }),
            primary_color: Some(Color([0x1e, 0x3a, 0x8a])),
            accessibility_status: AccessibilityStatus::Partial,
            contact_url: Some("mailto:a@b.example".into()),
            ..Branding::default()
        };
        assert_eq!(Branding::from_json(&b.to_json()).unwrap(), b);
        assert_eq!(Branding::from_json("{}").unwrap(), Branding::default());
        assert_eq!(Branding::default().accessibility_status, AccessibilityStatus::None);
        assert!(Branding::from_json(r#"{"primary_color":"red"}"#).is_err());
    }
}
