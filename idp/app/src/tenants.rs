//! Tenants (one per collectivité): the rules of a new tenant, whoever
//! makes it (the operator's CLI today, the admin API next).

use trame_core::ids::{IdError, Issuer, TenantSlug};
use trame_core::tenant::Tenant;
use trame_store::{Store, StoreError};

/// Why a tenant cannot be made as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TenantRefusal {
    #[error("{0}")]
    Id(#[from] IdError),
    #[error("the display name must be 1 to 200 printable characters")]
    DisplayName,
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
    let name = display_name.map_or_else(|| slug.to_string(), str::to_owned);
    if name.trim().is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(TenantRefusal::DisplayName);
    }
    Ok(NewTenant { slug, issuer, display_name: name.trim().to_owned() })
}

/// Creates a checked tenant (its keys come with it); a slug or issuer
/// already taken is the store's `Conflict`.
pub async fn create(store: &Store, new: NewTenant, now: i64) -> Result<Tenant, StoreError> {
    store.create_tenant(&new.slug, &new.issuer, &new.display_name, now).await
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
