//! Tenants (one per collectivité): the rules of a new tenant, of a
//! changed one and of a removal, whoever asks (the operator's CLI and the
//! operator's admin API).

use trame_core::ids::{IdError, Issuer, TenantSlug};
pub use trame_core::tenant::DEFAULT_SLUG as DEFAULT_TENANT;
use trame_core::tenant::{Tenant, TimeZoneName};
use trame_store::{Store, StoreError, TenantChange};

use crate::audit::{self, By, Event};
use crate::error::Error;

/// Why a tenant cannot be made as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TenantRefusal {
    #[error("{0}")]
    Id(#[from] IdError),
    #[error("the display name must be 1 to 200 printable characters")]
    DisplayName,
    /// Not a name of the bundled IANA database (the message says which).
    #[error("{0}")]
    TimeZone(String),
}

/// A new tenant's details, checked.
#[derive(Debug, Clone)]
pub struct NewTenant {
    pub slug: TenantSlug,
    pub issuer: Issuer,
    pub display_name: String,
}

/// Checks a new tenant: its slug (not one of the reserved endpoint names),
/// its issuer (by default `<public_url>/<slug>`), its display name (by
/// default the slug).
pub fn check(public_url: &Issuer, slug: &str, issuer: Option<&str>, display_name: Option<&str>) -> Result<NewTenant, TenantRefusal> {
    let slug = TenantSlug::for_new_tenant(slug)?;
    let issuer = match issuer {
        Some(i) => Issuer::parse(i.trim_end_matches('/'))?,
        None => Issuer::parse(&format!("{public_url}/{slug}"))?,
    };
    let display_name = checked_name(display_name.unwrap_or(slug.as_str()))?;
    Ok(NewTenant { slug, issuer, display_name })
}

/// Checks a display name: 1 to 200 printable characters, trimmed.
pub fn checked_name(name: &str) -> Result<String, TenantRefusal> {
    if name.trim().is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(TenantRefusal::DisplayName);
    }
    Ok(name.trim().to_owned())
}

/// Why [`update`] or [`remove`] changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error(transparent)]
    Refused(#[from] TenantRefusal),
    #[error("no tenant '{0}'")]
    NotFound(String),
    #[error("the issuer {issuer} belongs to {holder}")]
    IssuerTaken { issuer: String, holder: String },
    /// The default tenant holds the installation's operators and its
    /// issuer is `public_url`'s.
    #[error("the default tenant cannot be removed")]
    Default,
    /// The tenant changed since the caller read it.
    #[error("the tenant changed meanwhile")]
    Stale,
    #[error(transparent)]
    Failed(#[from] Error),
}

impl From<StoreError> for ChangeError {
    fn from(e: StoreError) -> Self {
        Self::Failed(e.into())
    }
}

/// A tenant changed by [`update`], and whether its issuer changed: then
/// every relying party of the tenant must be reconfigured (tokens carry the
/// old `iss`, discovery moved).
pub struct Updated {
    pub tenant: Tenant,
    pub issuer_changed: bool,
}

/// What [`update`] changes: the members given, unchecked.
#[derive(Debug, Default, Clone, Copy)]
pub struct Change<'a> {
    pub issuer: Option<&'a str>,
    pub display_name: Option<&'a str>,
    /// An IANA time zone name: the one the tenant's pages write times in.
    pub time_zone: Option<&'a str>,
}

impl Change<'_> {
    /// The settings it names, as the audit event lists them.
    fn names(&self) -> Vec<&'static str> {
        [("issuer", self.issuer.is_some()), ("display_name", self.display_name.is_some()), ("time_zone", self.time_zone.is_some())]
            .into_iter()
            .filter_map(|(name, given)| given.then_some(name))
            .collect()
    }
}

/// Changes a tenant's issuer, display name and time zone (the ones
/// given). An issuer another tenant has is refused, naming it; one set
/// here is the operator's, so the default tenant stops following
/// `public_url`. With `read` (the tenant as the caller read it: the admin
/// API's `If-Match`, the console's version field), only if those three are
/// still what was read, checked in the write itself ([`ChangeError::Stale`]
/// otherwise). Everything is checked before anything is written. Audited
/// as an installation event naming the settings changed.
pub async fn update(store: &Store, slug: &str, change: Change<'_>, read: Option<&Tenant>, now: i64, by: impl Into<By>) -> Result<Updated, ChangeError> {
    let Some(current) = store.tenant_by_slug(slug).await? else {
        return Err(ChangeError::NotFound(slug.to_owned()));
    };
    if read.is_some_and(|r| r.issuer != current.issuer || r.display_name != current.display_name || r.settings.time_zone != current.settings.time_zone) {
        return Err(ChangeError::Stale);
    }
    let issuer = change.issuer.map(|i| Issuer::parse(i.trim_end_matches('/'))).transpose().map_err(TenantRefusal::from)?;
    let display_name = change.display_name.map(checked_name).transpose()?;
    let time_zone: Option<TimeZoneName> = change.time_zone.map(str::parse).transpose().map_err(TenantRefusal::TimeZone)?;
    if let Some(i) = &issuer
        && let Some(holder) = store.list_tenants().await?.into_iter().find(|t| t.issuer == *i && t.id != current.id)
    {
        return Err(ChangeError::IssuerTaken { issuer: i.to_string(), holder: format!("tenant {}", holder.slug) });
    }
    let checked = TenantChange { issuer: issuer.as_ref(), display_name: display_name.as_deref(), time_zone: time_zone.as_ref() };
    let written = match read {
        None => store.set_tenant_identity(slug, checked).await.map(Some),
        Some(r) => store.set_tenant_identity_if(slug, checked, r).await,
    };
    let tenant = match written {
        Ok(Some(t)) => t,
        // Changed (or removed) between the read and the write.
        Ok(None) => return Err(if store.tenant_by_slug(slug).await?.is_some() { ChangeError::Stale } else { ChangeError::NotFound(slug.to_owned()) }),
        Err(StoreError::NotFound(_)) => return Err(ChangeError::NotFound(slug.to_owned())),
        // Taken between the check and the write.
        Err(StoreError::Conflict(_)) => {
            return Err(ChangeError::IssuerTaken { issuer: issuer.map(|i| i.to_string()).unwrap_or_default(), holder: "another tenant".to_owned() });
        }
        Err(e) => return Err(e.into()),
    };
    let event = Event::installation(by, "tenant.updated").on(audit::tenant(slug)).with(serde_json::json!({ "settings": change.names() }));
    audit::record(store, now, event).await;
    Ok(Updated { issuer_changed: tenant.issuer != current.issuer, tenant })
}

/// Changes a tenant's time zone from its console's settings page. Audited
/// in the tenant's own trail (its administrators changed it), naming the
/// setting; the operator's changes go through [`update`].
pub async fn set_time_zone(store: &Store, slug: &str, name: &str, now: i64, by: impl Into<By>) -> Result<Tenant, ChangeError> {
    let zone: TimeZoneName = name.parse().map_err(TenantRefusal::TimeZone)?;
    let tenant = match store.set_tenant_identity(slug, TenantChange { time_zone: Some(&zone), ..TenantChange::default() }).await {
        Ok(t) => t,
        Err(StoreError::NotFound(_)) => return Err(ChangeError::NotFound(slug.to_owned())),
        Err(e) => return Err(e.into()),
    };
    let event = Event::new(&tenant.id, by, "tenant.updated").on(audit::tenant(slug)).with(serde_json::json!({ "settings": ["time_zone"] }));
    audit::record(store, now, event).await;
    Ok(tenant)
}

/// Removes a tenant and everything it holds (accounts, clients, keys,
/// grants, consents, its audit records) in one transaction; the removal
/// itself is recorded as an installation event. The default tenant stays.
pub async fn remove(store: &Store, slug: &str, now: i64, by: impl Into<By>) -> Result<Tenant, ChangeError> {
    if slug == DEFAULT_TENANT {
        return Err(ChangeError::Default);
    }
    let Some(tenant) = store.tenant_by_slug(slug).await? else {
        return Err(ChangeError::NotFound(slug.to_owned()));
    };
    if !store.remove_tenant(&tenant.id).await? {
        return Err(ChangeError::NotFound(slug.to_owned()));
    }
    audit::record(store, now, Event::installation(by, "tenant.removed").on(audit::tenant(slug))).await;
    Ok(tenant)
}

/// Creates a checked tenant (its keys come with it); a slug or issuer
/// already taken is the store's `Conflict`. Audited as an installation
/// event.
pub async fn create(store: &Store, new: NewTenant, now: i64, by: impl Into<By>) -> Result<Tenant, StoreError> {
    let t = store.create_tenant(&new.slug, &new.issuer, &new.display_name, now).await?;
    audit::record(store, now, Event::installation(by, "tenant.created").on(audit::tenant(t.slug.as_str()))).await;
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_tenant_is_checked_whole() {
        let base = Issuer::parse("https://id.example").unwrap();
        let t = check(&base, "ville", None, None).unwrap();
        assert_eq!((t.issuer.as_str(), t.display_name.as_str()), ("https://id.example/ville", "ville"));
        let t = check(&base, "ville", Some("https://id.ville.example/"), Some(" Ville de Test ")).unwrap();
        assert_eq!((t.issuer.as_str(), t.display_name.as_str()), ("https://id.ville.example", "Ville de Test"));
        assert!(matches!(check(&base, "Bad Slug", None, None), Err(TenantRefusal::Id(IdError::BadSlug))));
        assert!(matches!(check(&base, "jwks", None, None), Err(TenantRefusal::Id(IdError::ReservedSlug(_)))));
        assert!(matches!(check(&base, "x", Some("ftp://x.example"), None), Err(TenantRefusal::Id(IdError::BadIssuer(..)))));
        assert_eq!(check(&base, "x", None, Some("  ")).unwrap_err(), TenantRefusal::DisplayName);
        assert_eq!(check(&base, "x", None, Some("a\u{7}b")).unwrap_err(), TenantRefusal::DisplayName);
    }
}
