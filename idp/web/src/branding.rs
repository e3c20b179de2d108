//! What every page shows of its tenant: the collectivité's name, logo,
//! colour and site in the header, and in the footer the mentions a French
//! public-sector site must carry (legal notice, personal data, the RGAA
//! accessibility status, contact). Pages pass `tenant => branding::view(t)`
//! and `base.html` draws it.

use trame_core::tenant::Tenant;

/// The page view of `t`, as templates take it: `name`; `logo` (its address,
/// versioned by its digest) and `style` (the tenant's stylesheet, versioned
/// by its colour), both paths under the issuer since pages are served
/// from the issuer's own host; `home`, `legal_notice`, `privacy`,
/// `accessibility` and `contact` links; `accessibility_status` (`full`,
/// `partial` or `none`, the footer's RGAA mention).
pub fn view(t: &Tenant) -> minijinja::Value {
    let b = &t.branding;
    let base = t.issuer.path_prefix();
    minijinja::context! {
        name => t.display_name.clone(),
        logo => b.logo.as_ref().map(|l| format!("{base}/brand/logo?v={}", l.digest)),
        style => b.primary_color.map(|c| format!("{base}/brand/style.css?v={}", &c.to_string()[1..])),
        home => b.service_url.clone(),
        legal_notice => b.legal_notice_url.clone(),
        privacy => b.privacy_url.clone(),
        accessibility => b.accessibility_url.clone(),
        accessibility_status => b.accessibility_status.as_str(),
        contact => b.contact_url.clone(),
        transparency => format!("{base}/transparence"),
        language => format!("{base}/language"),
    }
}
