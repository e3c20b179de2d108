//! What every page shows of its tenant: the collectivité's name, logo,
//! colour and site in the header, and in the footer the mentions a French
//! public-sector site must carry (legal notice, personal data, the RGAA
//! accessibility status, contact). Pages pass `tenant => branding::view(t)`
//! and `base.html` draws it.

use trame_core::tenant::Tenant;

#[derive(Debug, Clone)]
pub struct TenantView {
    pub name: String,
    /// The logo's address, versioned by its digest.
    pub logo: Option<String>,
    /// The tenant's stylesheet (its primary colour), versioned by it.
    pub style: Option<String>,
    pub home: Option<String>,
    pub legal_notice: Option<String>,
    pub privacy: Option<String>,
    pub accessibility: Option<String>,
    /// `full`, `partial` or `none`: the footer's RGAA mention.
    pub accessibility_status: &'static str,
    pub contact: Option<String>,
}

/// The page view of `t`, as templates take it.
pub fn view(t: &Tenant) -> minijinja::Value {
    let v = of(t);
    minijinja::context! {
        name => v.name,
        logo => v.logo,
        style => v.style,
        home => v.home,
        legal_notice => v.legal_notice,
        privacy => v.privacy,
        accessibility => v.accessibility,
        accessibility_status => v.accessibility_status,
        contact => v.contact,
    }
}

/// What pages show of `t`. Addresses are paths under the issuer: pages
/// are served from the issuer's own host.
pub fn of(t: &Tenant) -> TenantView {
    let b = &t.branding;
    let base = t.issuer.path_prefix();
    TenantView {
        name: t.display_name.clone(),
        logo: b.logo.as_ref().map(|l| format!("{base}/brand/logo?v={}", l.digest)),
        style: b.primary_color.map(|c| format!("{base}/brand/style.css?v={}", &c.to_string()[1..])),
        home: b.service_url.clone(),
        legal_notice: b.legal_notice_url.clone(),
        privacy: b.privacy_url.clone(),
        accessibility: b.accessibility_url.clone(),
        accessibility_status: b.accessibility_status.as_str(),
        contact: b.contact_url.clone(),
    }
}
