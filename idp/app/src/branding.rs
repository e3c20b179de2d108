//! A tenant's branding, whoever changes it (the CLI, the admin API): the
//! rules of each setting (`trame_core::branding`) and the logo's bytes,
//! checked here because that means parsing them.
//!
//! A logo is shown on every page of the tenant and served from its issuer,
//! so a hostile file must not become a script on Trame's origin. A PNG is
//! decoded whole (a file that does not decode is refused). An SVG is parsed
//! by `usvg` (the resvg project's parser: it resolves styles, uses and
//! transforms into plain shapes) and written back from that tree, so
//! nothing it does not model survives: no script, no event attribute, no
//! foreignObject, no link, no external reference (the image resolver here
//! reads no file and fetches no URL; images embedded as data stay). Text
//! would need fonts on the server and is refused with a clear message
//! (convert text to paths). The logo is also served with a CSP that
//! allows nothing and is shown through `<img>`, which runs no script: the
//! rewrite is the line that holds if either of those ever changes.

use sha2::{Digest, Sha256};
use trame_core::branding::{self, AccessibilityStatus, Branding, BrandingRefusal, Color, LogoKind, LogoRef};
use trame_core::crypto::b64url;
use trame_store::{Store, StoreError};

use crate::audit::{self, By, Event};

/// The largest logo accepted, as uploaded: under the 64 KiB every request
/// body is held to, so the admin API can take one.
pub const MAX_LOGO_BYTES: usize = 60 * 1024;
/// The largest PNG, in pixels per side.
const MAX_PNG_SIDE: u32 = 2048;

/// A logo checked and ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub kind: LogoKind,
    pub bytes: Vec<u8>,
}

impl Logo {
    pub fn reference(&self) -> LogoRef {
        LogoRef { kind: self.kind, digest: b64url(&Sha256::digest(&self.bytes)[..16]) }
    }
}

/// Why a logo is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LogoRefusal {
    #[error("the logo is larger than {} KiB", MAX_LOGO_BYTES / 1024)]
    TooLarge,
    #[error("the logo must be an SVG or a PNG image")]
    NotAnImage,
    #[error("the PNG could not be read: {0}")]
    Png(String),
    #[error("the PNG is larger than {MAX_PNG_SIDE}×{MAX_PNG_SIDE} pixels")]
    PngSize,
    #[error("the SVG could not be read: {0}")]
    Svg(String),
    #[error("the SVG has a document type declaration (DTD); export it without one")]
    SvgDtd,
    #[error("the SVG has text elements, which depend on the viewer's fonts: convert the text to paths (outlines) in the drawing program")]
    SvgText,
    #[error("the SVG draws nothing")]
    SvgEmpty,
}

/// Checks an uploaded logo (its type read from its bytes, not from a name
/// or a header) and returns what is stored: the PNG as sent, the SVG
/// rewritten.
pub fn check_logo(bytes: &[u8]) -> Result<Logo, LogoRefusal> {
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(LogoRefusal::TooLarge);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        check_png(bytes)?;
        return Ok(Logo { kind: LogoKind::Png, bytes: bytes.to_vec() });
    }
    let text = std::str::from_utf8(bytes).map_err(|_| LogoRefusal::NotAnImage)?;
    if !text.contains("<svg") {
        return Err(LogoRefusal::NotAnImage);
    }
    Ok(Logo { kind: LogoKind::Svg, bytes: rewrite_svg(text)?.into_bytes() })
}

fn check_png(bytes: &[u8]) -> Result<(), LogoRefusal> {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().map_err(|e| LogoRefusal::Png(e.to_string()))?;
    let info = reader.info();
    if info.width > MAX_PNG_SIDE || info.height > MAX_PNG_SIDE {
        return Err(LogoRefusal::PngSize);
    }
    let size = reader.output_buffer_size().ok_or(LogoRefusal::PngSize)?;
    let mut buf = vec![0; size];
    reader.next_frame(&mut buf).map_err(|e| LogoRefusal::Png(e.to_string()))?;
    Ok(())
}

fn rewrite_svg(text: &str) -> Result<String, LogoRefusal> {
    // roxmltree's defaults refuse a DTD (so no entity expansion reaches
    // usvg, which allows them); the same parse tells whether there is text.
    let doc = roxmltree::Document::parse(text).map_err(|e| match e {
        roxmltree::Error::DtdDetected => LogoRefusal::SvgDtd,
        e => LogoRefusal::Svg(e.to_string()),
    })?;
    if doc.descendants().any(|n| n.is_element() && n.tag_name().name() == "text") {
        return Err(LogoRefusal::SvgText);
    }
    let opt = usvg::Options {
        resources_dir: None,
        image_href_resolver: usvg::ImageHrefResolver { resolve_data: usvg::ImageHrefResolver::default_data_resolver(), resolve_string: Box::new(|_, _| None) },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(text, &opt).map_err(|e| LogoRefusal::Svg(e.to_string()))?;
    if !tree.root().has_children() {
        return Err(LogoRefusal::SvgEmpty);
    }
    Ok(tree.to_string(&usvg::WriteOptions::default()))
}

/// A change to a tenant's branding as asked: for each setting, `None`
/// leaves it, `Some("")` removes it, anything else replaces it.
#[derive(Debug, Clone, Default)]
pub struct BrandingChange {
    pub primary_color: Option<String>,
    pub legal_notice_url: Option<String>,
    pub privacy_url: Option<String>,
    pub accessibility_url: Option<String>,
    pub accessibility_status: Option<String>,
    pub contact_url: Option<String>,
    pub service_url: Option<String>,
}

/// A [`BrandingChange`] whose every value was checked: for each setting,
/// `None` leaves it, `Some(None)` removes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckedChange {
    primary_color: Option<Option<Color>>,
    legal_notice_url: Option<Option<String>>,
    privacy_url: Option<Option<String>>,
    accessibility_url: Option<Option<String>>,
    accessibility_status: Option<AccessibilityStatus>,
    contact_url: Option<Option<String>>,
    service_url: Option<Option<String>>,
}

/// Why a [`BrandingChange`] was refused: every refused setting, in the
/// order the forms show them (the colour, the collectivité's site, the
/// footer's links in its order, the RGAA status). Never empty.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusals(Vec<BrandingRefusal>);

impl Refusals {
    /// The first refused setting: the one a single answer names (the API's
    /// problem, the CLI's message).
    pub fn first(&self) -> &BrandingRefusal {
        &self.0[0]
    }

    /// All of them, in the forms' order.
    pub fn all(&self) -> &[BrandingRefusal] {
        &self.0
    }
}

impl BrandingChange {
    /// Checks every given value, and says every refusal, not only the
    /// first: a form shows each at its field.
    pub fn check(&self) -> Result<CheckedChange, Refusals> {
        /// A setting's checked value, its refusal kept for the answer.
        fn kept<T>(checked: Result<Option<T>, BrandingRefusal>, refused: &mut Vec<BrandingRefusal>) -> Option<T> {
            checked.unwrap_or_else(|e| {
                refused.push(e);
                None
            })
        }
        let link = |field: &'static str, given: &Option<String>, mailto: bool| -> Result<Option<Option<String>>, BrandingRefusal> {
            Ok(match given.as_deref().map(str::trim) {
                None => None,
                Some("") => Some(None),
                Some(v) => Some(Some(branding::check_url(field, v, mailto)?)),
            })
        };
        let color = match self.primary_color.as_deref().map(str::trim) {
            None => Ok(None),
            Some("") => Ok(Some(None)),
            Some(c) => branding::check_color(c).map(|c| Some(Some(c))),
        };
        let r = &mut Vec::new();
        let checked = CheckedChange {
            primary_color: kept(color, r),
            service_url: kept(link("service_url", &self.service_url, false), r),
            legal_notice_url: kept(link("legal_notice_url", &self.legal_notice_url, false), r),
            privacy_url: kept(link("privacy_url", &self.privacy_url, false), r),
            accessibility_url: kept(link("accessibility_url", &self.accessibility_url, false), r),
            contact_url: kept(link("contact_url", &self.contact_url, true), r),
            accessibility_status: kept(self.accessibility_status.as_deref().map(|s| s.trim().parse()).transpose(), r),
        };
        if r.is_empty() { Ok(checked) } else { Err(Refusals(std::mem::take(r))) }
    }
}

impl CheckedChange {
    /// The branding after the change.
    pub fn apply(&self, current: &Branding) -> Branding {
        fn put<T: Clone>(slot: &mut Option<T>, given: &Option<Option<T>>) {
            if let Some(v) = given {
                slot.clone_from(v);
            }
        }
        let mut b = current.clone();
        put(&mut b.primary_color, &self.primary_color);
        put(&mut b.legal_notice_url, &self.legal_notice_url);
        put(&mut b.privacy_url, &self.privacy_url);
        put(&mut b.accessibility_url, &self.accessibility_url);
        put(&mut b.contact_url, &self.contact_url);
        put(&mut b.service_url, &self.service_url);
        if let Some(s) = self.accessibility_status {
            b.accessibility_status = s;
        }
        b
    }

    /// The names of the settings it changes (for the audit trail: names,
    /// never values).
    pub fn settings(&self) -> Vec<&'static str> {
        [
            ("primary_color", self.primary_color.is_some()),
            ("legal_notice_url", self.legal_notice_url.is_some()),
            ("privacy_url", self.privacy_url.is_some()),
            ("accessibility_url", self.accessibility_url.is_some()),
            ("accessibility_status", self.accessibility_status.is_some()),
            ("contact_url", self.contact_url.is_some()),
            ("service_url", self.service_url.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, given)| given.then_some(name))
        .collect()
    }
}

/// What to do with the logo.
#[derive(Debug, Clone)]
pub enum LogoChange {
    Keep,
    Remove,
    Set(Logo),
}

/// Why [`set`] changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum SetError {
    #[error("no tenant '{0}'")]
    NotFound(String),
    /// The branding changed since the caller read it (`If-Match`).
    #[error("the branding changed meanwhile")]
    Stale,
    #[error(transparent)]
    Failed(#[from] StoreError),
}

/// Changes a tenant's branding and logo in one write (every node shows it
/// within a catalog poll). With `read` (the branding as the caller read
/// it: the admin API's `If-Match`), only if it is still that, compared
/// under the row's lock. Audited with the names of the settings changed,
/// never their values.
pub async fn set(
    store: &Store,
    slug: &str,
    change: &CheckedChange,
    logo: LogoChange,
    read: Option<&Branding>,
    now: i64,
    by: impl Into<By>,
) -> Result<Branding, SetError> {
    let logo = match logo {
        LogoChange::Keep => None,
        LogoChange::Remove => Some(None),
        LogoChange::Set(l) => Some(Some(l)),
    };
    let stored = logo.as_ref().map(|l| l.as_ref().map(|l| (l.reference(), l.bytes.as_slice())));
    let written = store.set_tenant_branding(slug, read, |current| change.apply(current), stored).await;
    let (tenant_id, branding) = match written {
        Ok(Some(b)) => b,
        Ok(None) => return Err(SetError::Stale),
        Err(StoreError::NotFound(_)) => return Err(SetError::NotFound(slug.to_owned())),
        Err(e) => return Err(e.into()),
    };
    let mut settings = change.settings();
    if logo.is_some() {
        settings.push("logo");
    }
    let event = Event::new(&tenant_id, by, "tenant.branding_changed").on(audit::tenant(slug)).with(serde_json::json!({ "settings": settings }));
    audit::record(store, now, event).await;
    Ok(branding)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svg(body: &str) -> String {
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="40" viewBox="0 0 100 40">{body}</svg>"#
        )
    }

    #[test]
    fn an_svg_keeps_its_drawing_and_loses_everything_active() {
        let hostile = svg(concat!(
            r#"<script>alert(1)</script>"#,
            r##"<rect width="100" height="40" fill="#1e3a8a" onload="alert(2)" onclick="alert(3)"/>"##,
            r#"<foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>"#,
            r#"<a href="javascript:alert(4)"><circle cx="20" cy="20" r="10" fill="red"/></a>"#,
            r#"<image href="https://tracker.example/pixel.png" width="10" height="10"/>"#,
            r#"<image xlink:href="/etc/hostname" width="10" height="10"/>"#,
            r#"<use href="https://evil.example/sprite.svg#x"/>"#,
            r#"<style>@import url(https://evil.example/x.css); rect { fill: url(https://evil.example/p) }</style>"#,
        ));
        let logo = check_logo(hostile.as_bytes()).unwrap();
        assert_eq!(logo.kind, LogoKind::Svg);
        let out = String::from_utf8(logo.bytes).unwrap();
        for gone in ["script", "alert", "onload", "onclick", "foreignObject", "javascript", "tracker.example", "evil.example", "hostname", "<image", "<a "] {
            assert!(!out.contains(gone), "{gone} survived in {out}");
        }
        // The shapes stay (the link's circle without its link); the rect's
        // colour went with the style's unresolvable paint.
        assert!(out.contains("<path") && out.contains("#ff0000"), "the drawing stays: {out}");
    }

    #[test]
    fn an_svg_with_a_dtd_or_text_or_nothing_is_refused() {
        let bomb = format!(r#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>{}"#, svg("<desc>&b;</desc>"));
        assert_eq!(check_logo(bomb.as_bytes()), Err(LogoRefusal::SvgDtd));
        assert_eq!(check_logo(svg(r#"<text x="0" y="20">Ville</text>"#).as_bytes()), Err(LogoRefusal::SvgText));
        assert_eq!(check_logo(svg("").as_bytes()), Err(LogoRefusal::SvgEmpty));
        assert!(matches!(check_logo(b"<svg xmlns='http://www.w3.org/2000/svg'><rect"), Err(LogoRefusal::Svg(_))));
        assert_eq!(check_logo(b"GIF89a...."), Err(LogoRefusal::NotAnImage));
        assert_eq!(check_logo(&[0xff, 0xd8, 0xff, 0xe0]), Err(LogoRefusal::NotAnImage), "JPEG is not taken");
        let big = svg(&format!("<desc>{}</desc><rect width='1' height='1'/>", "x".repeat(MAX_LOGO_BYTES)));
        assert_eq!(check_logo(big.as_bytes()), Err(LogoRefusal::TooLarge));
    }

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&vec![0x80; (width * height * 4) as usize]).unwrap();
        w.finish().unwrap();
        out
    }

    #[test]
    fn a_png_must_decode_and_stay_small() {
        let ok = png(64, 32);
        let logo = check_logo(&ok).unwrap();
        assert_eq!((logo.kind, logo.bytes.as_slice()), (LogoKind::Png, ok.as_slice()), "stored as sent");
        assert_eq!(check_logo(&png(MAX_PNG_SIDE + 1, 1)), Err(LogoRefusal::PngSize));
        let mut truncated = ok.clone();
        truncated.truncate(ok.len() - 20);
        assert!(matches!(check_logo(&truncated), Err(LogoRefusal::Png(_))));
    }

    #[test]
    fn a_change_checks_each_setting_and_clears_with_empty() {
        let current = Branding { privacy_url: Some("https://a.example/p".into()), ..Branding::default() };
        let change = BrandingChange {
            primary_color: Some("#1e3a8a".into()),
            privacy_url: Some(String::new()),
            contact_url: Some("mailto:mairie@ville.example".into()),
            accessibility_status: Some("partial".into()),
            ..BrandingChange::default()
        };
        let checked = change.check().unwrap();
        assert_eq!(checked.settings(), ["primary_color", "privacy_url", "accessibility_status", "contact_url"]);
        let b = checked.apply(&current);
        assert_eq!(b.privacy_url, None);
        assert_eq!(b.accessibility_status, AccessibilityStatus::Partial);
        assert_eq!(b.primary_color.unwrap().to_string(), "#1e3a8a");
        let bad = BrandingChange { service_url: Some("http://ville.example".into()), ..BrandingChange::default() };
        assert!(matches!(bad.check().unwrap_err().all(), [BrandingRefusal::Url { field: "service_url", .. }]));
        let pale = BrandingChange { primary_color: Some("#ffff00".into()), ..BrandingChange::default() };
        assert!(matches!(pale.check().unwrap_err().first(), BrandingRefusal::Contrast { .. }));
        let odd = BrandingChange { accessibility_status: Some("mostly".into()), ..BrandingChange::default() };
        assert!(matches!(odd.check().unwrap_err().all(), [BrandingRefusal::AccessibilityStatus(_)]));
        // Every refusal at once, in the forms' order, whatever the order
        // of the settings in the struct.
        let all_wrong = BrandingChange {
            accessibility_status: Some("mostly".into()),
            contact_url: Some("javascript:alert(1)".into()),
            privacy_url: Some("https://ok.example/p".into()),
            primary_color: Some("#ffff00".into()),
            service_url: Some("ftp://ville.example".into()),
            ..BrandingChange::default()
        };
        let refused = all_wrong.check().unwrap_err();
        assert!(
            matches!(
                refused.all(),
                [
                    BrandingRefusal::Contrast { .. },
                    BrandingRefusal::Url { field: "service_url", .. },
                    BrandingRefusal::Url { field: "contact_url", .. },
                    BrandingRefusal::AccessibilityStatus(_)
                ]
            ),
            "{refused:?}"
        );
        assert_eq!(BrandingChange::default().check().unwrap().apply(&current), current, "nothing given, nothing changed");
    }
}
