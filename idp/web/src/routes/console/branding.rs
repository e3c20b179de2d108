//! `/admin/branding`: the tenant's look and its public-sector mentions
//! (logo, primary colour, footer links, RGAA status, the collectivité's
//! site), changed with the rules and the audit event of `trame tenant set`
//! and the admin API (`trame_app::branding`). The form is
//! `multipart/form-data` for the logo ([`super::upload`]); a refused value
//! comes back at its field, in the page's language, the first one focused.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use minijinja::{Value, context};
use trame_app::branding::{self, BrandingChange, LogoChange, LogoRefusal, SetError};
use trame_core::branding::{Branding, BrandingRefusal};

use super::guard::{self, Console};
use super::upload::{self, File};
use super::{NoticeQuery, back, notice, page_with};
use crate::error::{ApiError, ApiResult, OrApi};
use crate::extract::ClientIp;
use crate::render::lang_of;
use crate::state::AppState;
use crate::tenancy::TenantCtx;

/// The text settings, in the form's order: (form field, the page's id,
/// the label's message).
const LINKS: &[(&str, &str, &str)] = &[
    ("service_url", "service-url", "console-branding-service"),
    ("legal_notice_url", "legal-notice-url", "console-branding-legal-notice"),
    ("privacy_url", "privacy-url", "console-branding-privacy"),
    ("accessibility_url", "accessibility-url", "console-branding-accessibility"),
    ("contact_url", "contact-url", "console-branding-contact"),
];

/// What the page shows in its fields: the stored branding, or what was
/// sent when something was refused.
#[derive(Debug, Clone, Default)]
struct Values {
    primary_color: String,
    links: Vec<String>,
    accessibility_status: String,
    remove_logo: bool,
}

impl Values {
    fn of(b: &Branding) -> Self {
        let link = |field: &str| {
            match field {
                "service_url" => &b.service_url,
                "legal_notice_url" => &b.legal_notice_url,
                "privacy_url" => &b.privacy_url,
                "accessibility_url" => &b.accessibility_url,
                _ => &b.contact_url,
            }
            .clone()
            .unwrap_or_default()
        };
        Self {
            primary_color: b.primary_color.map(|c| c.to_string()).unwrap_or_default(),
            links: LINKS.iter().map(|(f, ..)| link(f)).collect(),
            accessibility_status: b.accessibility_status.as_str().to_owned(),
            remove_logo: false,
        }
    }

    /// The values of a posted form, trimmed. A field sent twice is not
    /// this page's form (its fields are each there once): refused, rather
    /// than read as empty, which would clear the setting.
    fn sent(f: &[(String, String)]) -> Result<Self, ApiError> {
        let get = |name: &str| crate::extract::single(f, name).map(|v| v.unwrap_or_default().trim().to_owned());
        Ok(Self {
            primary_color: get("primary_color")?,
            links: LINKS.iter().map(|(name, ..)| get(name)).collect::<Result<_, _>>()?,
            accessibility_status: get("accessibility_status")?,
            remove_logo: !get("remove_logo")?.is_empty(),
        })
    }
}

/// A refused field: its message, with the contrast found for the colour.
#[derive(Debug, Clone)]
struct FieldError {
    field: &'static str,
    message: &'static str,
    ratio: String,
}

/// The message of a refused setting (the page's words for
/// `trame_core::branding`'s reasons).
fn refusal(r: &BrandingRefusal, lang: &str) -> FieldError {
    let (field, message, ratio) = match r {
        BrandingRefusal::Color(_) => ("primary_color", "console-branding-color-syntax", String::new()),
        BrandingRefusal::Contrast { ratio, .. } => ("primary_color", "console-branding-color-contrast", decimal(*ratio, lang)),
        // The contact may also be a mailto: address, which its message says.
        BrandingRefusal::Url { field, mailto, .. } if !mailto.is_empty() => (*field, "console-branding-contact-invalid", String::new()),
        BrandingRefusal::Url { field, .. } => (*field, "console-branding-url-invalid", String::new()),
        BrandingRefusal::AccessibilityStatus(_) => ("accessibility_status", "console-branding-status-invalid", String::new()),
    };
    FieldError { field, message, ratio }
}

/// The message of a refused logo.
fn logo_refusal(r: &LogoRefusal) -> FieldError {
    let message = match r {
        LogoRefusal::TooLarge => "console-branding-logo-too-large",
        LogoRefusal::NotAnImage => "console-branding-logo-not-an-image",
        LogoRefusal::Png(_) => "console-branding-logo-png-unreadable",
        LogoRefusal::PngSize => "console-branding-logo-png-size",
        LogoRefusal::Svg(_) => "console-branding-logo-svg-unreadable",
        LogoRefusal::SvgDtd => "console-branding-logo-svg-dtd",
        LogoRefusal::SvgText => "console-branding-logo-svg-text",
        LogoRefusal::SvgEmpty => "console-branding-logo-svg-empty",
    };
    FieldError { field: "logo", message, ratio: String::new() }
}

/// A contrast ratio as the page's language writes a decimal (two digits,
/// rounded down so a refused 4.496 never reads "4,50").
fn decimal(x: f64, lang: &str) -> String {
    let s = format!("{:.2}", (x * 100.0).floor() / 100.0);
    // A decimal point in English and in Arabic written with Western digits.
    if matches!(lang, "en" | "ar") { s } else { s.replace('.', ",") }
}

/// A digest of the branding as the page showed it: a change made meanwhile
/// (another administrator, the API, the CLI) is not overwritten.
fn version(b: &Branding) -> String {
    use sha2::{Digest, Sha256};
    trame_core::crypto::b64url(&Sha256::digest(b.to_json().as_bytes())[..16])
}

#[allow(clippy::too_many_arguments)]
fn branding_page(
    state: &AppState,
    tenant: &TenantCtx,
    headers: &HeaderMap,
    c: &Console,
    status: StatusCode,
    notice: Option<String>,
    values: &Values,
    errors: &[FieldError],
) -> Response {
    let b = &tenant.tenant.branding;
    let error_of = |field: &str| errors.iter().find(|e| e.field == field);
    let error_view = |field: &str| error_of(field).map(|e| context! { message => e.message, ratio => e.ratio.clone() });
    let links: Vec<Value> = LINKS
        .iter()
        .zip(&values.links)
        .map(|((field, id, label), value)| {
            context! {
                name => *field, id => *id, label => *label, value => value,
                help => if *field == "contact_url" { "console-branding-contact-help" } else { "console-branding-url-help" },
                error => error_view(field),
            }
        })
        .collect();
    let ctx = context! {
        logo => b.logo.as_ref().map(|l| format!("{}/brand/logo?v={}", tenant.tenant.issuer.path_prefix(), l.digest)),
        version => version(b),
        primary_color => values.primary_color.clone(),
        color_error => error_view("primary_color"),
        links => links,
        status => values.accessibility_status.clone(),
        status_error => error_view("accessibility_status"),
        remove_logo => values.remove_logo,
        logo_error => error_view("logo"),
        // The first field in error, in the form's order, is focused.
        focus => ["primary_color"].into_iter().chain(LINKS.iter().map(|(f, ..)| *f)).chain(["accessibility_status", "logo"]).find(|f| error_of(f).is_some()),
        invalid => !errors.is_empty(),
        notice => notice,
    };
    page_with(state, tenant, headers, c, status, "branding", "console_branding.html", ctx)
}

pub async fn show(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Query(q): Query<NoticeQuery>,
) -> ApiResult<Response> {
    let c = match guard::enter(&state, &tenant, &headers, ip).await? {
        Ok(c) => c,
        Err(redirect) => return Ok(redirect),
    };
    let values = Values::of(&tenant.tenant.branding);
    Ok(branding_page(&state, &tenant, &headers, &c, StatusCode::OK, notice(q.notice), &values, &[]))
}

/// The change the form asks: each setting whose value differs from the
/// one the page showed (so the audit trail names what changed), an empty
/// field clearing it.
fn change(sent: &Values, shown: &Values) -> BrandingChange {
    let given = |new: &String, old: &String| (new != old).then(|| new.clone());
    let link = |i: usize| given(&sent.links[i], &shown.links[i]);
    BrandingChange {
        primary_color: given(&sent.primary_color.to_ascii_lowercase(), &shown.primary_color),
        service_url: link(0),
        legal_notice_url: link(1),
        privacy_url: link(2),
        accessibility_url: link(3),
        contact_url: link(4),
        accessibility_status: given(&sent.accessibility_status, &shown.accessibility_status),
    }
}

pub async fn update(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<Response> {
    let invalid = || ApiError::page(StatusCode::BAD_REQUEST, "console-invalid-form");
    let form = upload::read(form.map_err(|_| invalid())?, "logo", branding::MAX_LOGO_BYTES).await.map_err(|_| invalid())?;
    let c = match guard::act(&state, &tenant, &headers, ip, &form.fields).await {
        Ok(c) => c,
        // A body cut at its limit before its token was read: nothing is
        // changed, so the page is shown, to whoever may see it, with the
        // logo refused at its field and the branding as it is.
        Err(_) if form.cut && crate::extract::single(&form.fields, "csrf").ok().flatten().is_none() => {
            let c = match guard::enter(&state, &tenant, &headers, ip).await? {
                Ok(c) => c,
                Err(redirect) => return Ok(redirect),
            };
            let values = Values::of(&tenant.tenant.branding);
            return Ok(branding_page(&state, &tenant, &headers, &c, StatusCode::UNPROCESSABLE_ENTITY, None, &values, &[logo_refusal(&LogoRefusal::TooLarge)]));
        }
        Err(e) => return Err(e),
    };
    let lang = lang_of(&state.themes, &headers);
    let current = state.store.tenant_by_slug(tenant.tenant.slug.as_str()).await.html_err()?.ok_or_else(super::not_found)?.branding;
    let shown = crate::extract::single(&form.fields, "version").ok().flatten().unwrap_or_default();
    if shown != version(&current) {
        state.catalog.refresh(&state.store, state.now()).await.html_err()?;
        return Ok(back(&tenant, "/admin/branding", "console-branding-stale"));
    }
    let sent = Values::sent(&form.fields).map_err(|_| invalid())?;
    let change = change(&sent, &Values::of(&current));
    let checked = change.check();
    let mut errors: Vec<FieldError> = checked.as_ref().err().map(|r| r.all().iter().map(|r| refusal(r, &lang)).collect()).unwrap_or_default();
    let logo = match form.file {
        File::None if sent.remove_logo => LogoChange::Remove,
        File::None => LogoChange::Keep,
        File::TooLarge => {
            errors.push(logo_refusal(&LogoRefusal::TooLarge));
            LogoChange::Keep
        }
        File::Bytes(bytes) => match branding::check_logo(&bytes) {
            Ok(l) => LogoChange::Set(l),
            Err(r) => {
                errors.push(logo_refusal(&r));
                LogoChange::Keep
            }
        },
    };
    let checked = match checked {
        Ok(checked) if errors.is_empty() => checked,
        _ => return Ok(branding_page(&state, &tenant, &headers, &c, StatusCode::UNPROCESSABLE_ENTITY, None, &sent, &errors)),
    };
    if checked.settings().is_empty() && matches!(logo, LogoChange::Keep) {
        // Nothing to write, nothing to record.
        return Ok(back(&tenant, "/admin/branding", "console-branding-saved"));
    }
    match branding::set(&state.store, tenant.tenant.slug.as_str(), &checked, logo, Some(&current), state.now(), c.by()).await {
        Ok(_) => {}
        Err(SetError::Stale) => {
            state.catalog.refresh(&state.store, state.now()).await.html_err()?;
            return Ok(back(&tenant, "/admin/branding", "console-branding-stale"));
        }
        Err(SetError::NotFound(_)) => return Err(super::not_found()),
        Err(SetError::Failed(e)) => return Err(e).html_err(),
    }
    // This node shows it at once; the others at their next catalog poll.
    state.catalog.refresh(&state.store, state.now()).await.html_err()?;
    Ok(back(&tenant, "/admin/branding", "console-branding-saved"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ratio_reads_in_the_pages_language_and_never_rounds_up() {
        assert_eq!(decimal(4.496, "fr"), "4,49");
        assert_eq!(decimal(1.07, "en"), "1,07".replace(',', "."));
        assert_eq!(decimal(3.0, "de"), "3,00");
    }

    #[test]
    fn only_what_changed_is_asked_and_every_refusal_is_at_its_field() {
        let shown = Values::of(&Branding { privacy_url: Some("https://ville.example/donnees".into()), ..Branding::default() });
        let mut sent = shown.clone();
        assert!(change(&sent, &shown).check().unwrap().settings().is_empty(), "nothing changed, nothing asked");
        sent.links[2] = String::new();
        sent.primary_color = "#1E3A8A".into();
        assert_eq!(change(&sent, &shown).check().unwrap().settings(), ["primary_color", "privacy_url"]);
        sent.primary_color = "#ffff00".into();
        sent.links[0] = "http://ville.example".into();
        sent.links[4] = "javascript:alert(1)".into();
        let refused = change(&sent, &shown).check().unwrap_err();
        let errors: Vec<_> = refused.all().iter().map(|r| refusal(r, "fr")).collect();
        let fields: Vec<_> = errors.iter().map(|e| (e.field, e.message)).collect();
        assert_eq!(
            fields,
            [
                ("primary_color", "console-branding-color-contrast"),
                ("service_url", "console-branding-url-invalid"),
                ("contact_url", "console-branding-contact-invalid")
            ]
        );
        assert_eq!(errors[0].ratio, "1,07");
    }
}
