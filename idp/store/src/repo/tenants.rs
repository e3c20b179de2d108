use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use trame_core::assurance::AcrPolicy;
use trame_core::branding::{Branding, LogoKind, LogoRef};
use trame_core::crypto::{b64url, b64url_decode};
use trame_core::federation::FederationSettings;
use trame_core::ids::{Issuer, TenantSlug};
use trame_core::tenant::{Tenant, TenantSettings, TimeZoneName};
use trame_jose::Alg;

use super::{catalog, keys, new_id};
use crate::entity::{
    account_session, admin_role, audit_event, cas_service_session, client, consent, directory, federated_identity, federation_key, federation_subordinate,
    grant, initial_access_token, invitation, logout_delivery, passkey, recovery_code, refresh_token, signing_key, tenant, tenant_logo, trust_mark, usage_count,
    usage_service, user,
};
use crate::{Result, Store, StoreError};
use trame_core::subject::SubjectType;

/// What [`Store::set_tenant_identity`] changes: the members given.
#[derive(Debug, Default, Clone, Copy)]
pub struct TenantChange<'a> {
    pub issuer: Option<&'a Issuer>,
    pub display_name: Option<&'a str>,
    pub time_zone: Option<&'a TimeZoneName>,
}

fn settings_of(m: &tenant::Model) -> Result<TenantSettings> {
    let rules = super::parse_list(&m.acr_policy, "tenant acr policy")?;
    Ok(TenantSettings {
        registration: m.registration.parse().map_err(StoreError::Corrupt)?,
        counter_policy: m.counter_policy.parse().map_err(StoreError::Corrupt)?,
        acr_policy: AcrPolicy::parse(&rules).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        dynamic_registration: m.dynamic_registration.parse().map_err(StoreError::Corrupt)?,
        dynamic_client_pkce: m.dynamic_client_pkce.parse().map_err(StoreError::Corrupt)?,
        credential_upgrade: m.credential_upgrade.parse().map_err(StoreError::Corrupt)?,
        usernames: m.usernames.parse().map_err(StoreError::Corrupt)?,
        default_subject_type: SubjectType::parse(&m.default_subject_type).ok_or_else(|| StoreError::Corrupt("tenant default subject type".into()))?,
        time_zone: m.time_zone.parse().map_err(StoreError::Corrupt)?,
    })
}

pub(crate) fn to_domain(m: tenant::Model) -> Result<Tenant> {
    Ok(Tenant {
        settings: settings_of(&m)?,
        federation: FederationSettings::from_json(&m.federation).map_err(StoreError::Corrupt)?,
        branding: Branding::from_json(&m.branding).map_err(StoreError::Corrupt)?,
        slug: TenantSlug::parse(&m.slug).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        issuer: Issuer::parse(&m.issuer).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        pairwise_salt: b64url_decode(&m.pairwise_salt).ok_or_else(|| StoreError::Corrupt("pairwise salt".into()))?,
        id: m.id,
        display_name: m.display_name,
    })
}

impl Store {
    /// Creates a tenant with its first signing key and its first federation
    /// key (both ES256), in one transaction: all exist afterwards or none.
    pub async fn create_tenant(&self, slug: &TenantSlug, issuer: &Issuer, display_name: &str, now: i64) -> Result<Tenant> {
        let mut salt = [0u8; 32];
        self.rng().fill(&mut salt);
        let id = new_id();
        let txn = self.begin().await?;
        let row = tenant::ActiveModel {
            id: Set(id.clone()),
            slug: Set(slug.as_str().to_owned()),
            issuer: Set(issuer.as_str().to_owned()),
            display_name: Set(display_name.to_owned()),
            pairwise_salt: Set(b64url(&salt)),
            created_at: Set(now),
            registration: Set(TenantSettings::default().registration.as_str().to_owned()),
            counter_policy: Set(TenantSettings::default().counter_policy.as_str().to_owned()),
            acr_policy: Set("[]".to_owned()),
            dynamic_registration: Set(TenantSettings::default().dynamic_registration.as_str().to_owned()),
            dynamic_client_pkce: Set(TenantSettings::default().dynamic_client_pkce.as_str().to_owned()),
            credential_upgrade: Set(TenantSettings::default().credential_upgrade.as_str().to_owned()),
            usernames: Set(TenantSettings::default().usernames.as_str().to_owned()),
            default_subject_type: Set(TenantSettings::default().default_subject_type.as_str().to_owned()),
            time_zone: Set(TenantSettings::default().time_zone.as_str().to_owned()),
            federation: Set(FederationSettings::default().to_json()),
            issuer_explicit: Set(false),
            branding: Set(Branding::default().to_json()),
        };
        let model = row.insert(&txn).await.map_err(|e| StoreError::from_db(e, format!("a tenant with slug '{slug}' or issuer '{issuer}'")))?;
        keys::insert_new_key(&txn, self, &id, Alg::ES256, now, now).await?;
        super::federation::insert_federation_key(&txn, self, &id, Alg::ES256, now, now).await?;
        catalog::bump(&txn).await?;
        txn.commit().await.map_err(StoreError::Db)?;
        to_domain(model)
    }

    pub async fn list_tenants(&self) -> Result<Vec<Tenant>> {
        let rows = tenant::Entity::find().order_by_asc(tenant::Column::Slug).all(&self.db).await.map_err(StoreError::Db)?;
        rows.into_iter().map(to_domain).collect()
    }

    /// A page of tenants in slug order, after `after`: at most `limit`,
    /// plus whether more follow. One range over the slug index, however
    /// many tenants there are.
    pub async fn tenants_page(&self, after: Option<&str>, limit: u64) -> Result<(Vec<Tenant>, bool)> {
        let mut find = tenant::Entity::find();
        if let Some(a) = after {
            find = find.filter(tenant::Column::Slug.gt(a));
        }
        let mut rows = find.order_by_asc(tenant::Column::Slug).limit(limit + 1).all(&self.db).await.map_err(StoreError::Db)?;
        let more = rows.len() as u64 > limit;
        rows.truncate(limit as usize);
        Ok((rows.into_iter().map(to_domain).collect::<Result<_>>()?, more))
    }

    /// Some tenant, the first by slug, or none when there is none yet:
    /// start-up asks this, and must not read 10,000 tenants to learn it.
    pub async fn first_tenant(&self) -> Result<Option<Tenant>> {
        let row = tenant::Entity::find().order_by_asc(tenant::Column::Slug).one(&self.db).await.map_err(StoreError::Db)?;
        row.map(to_domain).transpose()
    }

    pub async fn tenant_by_slug(&self, slug: &str) -> Result<Option<Tenant>> {
        let row = tenant::Entity::find().filter(tenant::Column::Slug.eq(slug)).one(&self.db).await.map_err(StoreError::Db)?;
        row.map(to_domain).transpose()
    }
}

impl Store {
    /// Replaces a tenant's sign-in settings; every node sees them within
    /// a catalog poll.
    pub async fn set_tenant_settings(&self, slug: &str, settings: &TenantSettings) -> Result<Tenant> {
        self.update_tenant(slug, |am| {
            am.registration = Set(settings.registration.as_str().to_owned());
            am.counter_policy = Set(settings.counter_policy.as_str().to_owned());
            am.acr_policy = Set(super::json_list(&settings.acr_policy.to_rules()));
            am.dynamic_registration = Set(settings.dynamic_registration.as_str().to_owned());
            am.dynamic_client_pkce = Set(settings.dynamic_client_pkce.as_str().to_owned());
            am.credential_upgrade = Set(settings.credential_upgrade.as_str().to_owned());
            am.usernames = Set(settings.usernames.as_str().to_owned());
            am.default_subject_type = Set(settings.default_subject_type.as_str().to_owned());
            am.time_zone = Set(settings.time_zone.as_str().to_owned());
        })
        .await
    }

    /// Changes the tenant row named by `slug` and bumps the catalog version,
    /// in one transaction.
    pub(crate) async fn update_tenant(&self, slug: &str, change: impl FnOnce(&mut tenant::ActiveModel)) -> Result<Tenant> {
        let txn = self.begin().await?;
        let row = tenant::Entity::find()
            .filter(tenant::Column::Slug.eq(slug))
            .one(&txn)
            .await
            .map_err(StoreError::Db)?
            .ok_or_else(|| StoreError::NotFound(format!("tenant '{slug}'")))?;
        let mut am: tenant::ActiveModel = row.into();
        change(&mut am);
        // Ended here on failure (see `follow_issuer`).
        let m = match am.update(&txn).await {
            Ok(m) => m,
            Err(e) => {
                txn.rollback().await.map_err(StoreError::Db)?;
                return Err(StoreError::from_db(e, "a tenant with this issuer"));
            }
        };
        catalog::bump(&txn).await?;
        txn.commit().await.map_err(StoreError::Db)?;
        to_domain(m)
    }

    /// Changes a tenant's issuer, display name and time zone (the ones
    /// given). An issuer given this way is the operator's: the default
    /// tenant stops following `public_url`. Another tenant's issuer is a
    /// `Conflict`.
    pub async fn set_tenant_identity(&self, slug: &str, change: TenantChange<'_>) -> Result<Tenant> {
        self.update_tenant(slug, |am| {
            if let Some(i) = change.issuer {
                am.issuer = Set(i.as_str().to_owned());
                am.issuer_explicit = Set(true);
            }
            if let Some(n) = change.display_name {
                am.display_name = Set(n.to_owned());
            }
            if let Some(z) = change.time_zone {
                am.time_zone = Set(z.as_str().to_owned());
            }
        })
        .await
    }

    /// [`Store::set_tenant_identity`], only if the tenant still has the
    /// issuer, display name and time zone of `found` (what the caller
    /// read): one conditional update, so of two administrators changing
    /// the tenant from the same reading, one wins and the other gets
    /// `None` (also when there is no such tenant), whichever node each is
    /// on. Another tenant's issuer is a `Conflict`.
    pub async fn set_tenant_identity_if(&self, slug: &str, change: TenantChange<'_>, found: &Tenant) -> Result<Option<Tenant>> {
        let txn = self.begin().await?;
        // The display name is always set (to itself when unchanged): an
        // UPDATE needs a column, and an empty change still checks the
        // condition.
        let mut update = tenant::Entity::update_many()
            .col_expr(tenant::Column::DisplayName, Expr::value(change.display_name.unwrap_or(&found.display_name)))
            .filter(tenant::Column::Slug.eq(slug))
            .filter(tenant::Column::Issuer.eq(found.issuer.as_str()))
            .filter(tenant::Column::DisplayName.eq(found.display_name.as_str()))
            .filter(tenant::Column::TimeZone.eq(found.settings.time_zone.as_str()));
        if let Some(i) = change.issuer {
            update = update.col_expr(tenant::Column::Issuer, Expr::value(i.as_str())).col_expr(tenant::Column::IssuerExplicit, Expr::value(true));
        }
        if let Some(z) = change.time_zone {
            update = update.col_expr(tenant::Column::TimeZone, Expr::value(z.as_str()));
        }
        // Ended here on every way out (see `follow_issuer`).
        let r = match update.exec(&txn).await {
            Ok(r) => r,
            Err(e) => {
                txn.rollback().await.map_err(StoreError::Db)?;
                return Err(StoreError::from_db(e, "a tenant with this issuer"));
            }
        };
        if r.rows_affected == 0 {
            txn.rollback().await.map_err(StoreError::Db)?;
            return Ok(None);
        }
        catalog::bump(&txn).await?;
        let row = tenant::Entity::find().filter(tenant::Column::Slug.eq(slug)).one(&txn).await.map_err(StoreError::Db)?;
        txn.commit().await.map_err(StoreError::Db)?;
        row.map(to_domain).transpose()
    }

    /// Whether the operator set the issuer of the tenant `slug` (false
    /// for an unknown tenant).
    pub async fn issuer_is_explicit(&self, slug: &str) -> Result<bool> {
        let row: Option<bool> = tenant::Entity::find()
            .select_only()
            .column(tenant::Column::IssuerExplicit)
            .filter(tenant::Column::Slug.eq(slug))
            .into_tuple()
            .one(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(row.unwrap_or(false))
    }

    /// Gives the tenant `slug` the issuer `issuer` unless the operator set
    /// its issuer: the default tenant following `public_url`. The tenant
    /// changed, or `None` when it was explicit or already there. Another
    /// tenant's issuer is a `Conflict`.
    pub async fn follow_issuer(&self, slug: &str, issuer: &Issuer) -> Result<Option<Tenant>> {
        let txn = self.begin().await?;
        // One conditional update: two nodes starting together cannot undo
        // an operator's explicit issuer set between a read and a write.
        let r = tenant::Entity::update_many()
            .col_expr(tenant::Column::Issuer, Expr::value(issuer.as_str()))
            .filter(tenant::Column::Slug.eq(slug))
            .filter(tenant::Column::IssuerExplicit.eq(false))
            .filter(tenant::Column::Issuer.ne(issuer.as_str()))
            .exec(&txn)
            .await;
        // Ended here, not when dropped: a dropped transaction is rolled back
        // later, in the background, and on SQLite its write lock (taken by
        // any UPDATE, even one that matched nothing or failed) would refuse
        // the next writer meanwhile ("database is locked").
        let r = match r {
            Ok(r) => r,
            Err(e) => {
                txn.rollback().await.map_err(StoreError::Db)?;
                return Err(StoreError::from_db(e, format!("a tenant with issuer '{issuer}'")));
            }
        };
        if r.rows_affected == 0 {
            txn.rollback().await.map_err(StoreError::Db)?;
            return Ok(None);
        }
        catalog::bump(&txn).await?;
        let row = tenant::Entity::find().filter(tenant::Column::Slug.eq(slug)).one(&txn).await.map_err(StoreError::Db)?;
        txn.commit().await.map_err(StoreError::Db)?;
        row.map(to_domain).transpose()
    }

    /// Removes a tenant and everything it holds, in one transaction: its
    /// accounts and all their rows, clients, grants and refresh tokens,
    /// consents, keys, federation entries, roles, invitations, queued
    /// logout notifications and its own audit records (the installation's
    /// records, such as the removal itself, stay). False when there was no
    /// such tenant. Revoked access tokens are kept by `jti` alone and
    /// expire with the tokens.
    pub async fn remove_tenant(&self, tenant_id: &str) -> Result<bool> {
        let txn = self.begin().await?;
        // By subquery, not a list of ids: a large tenant has more grants
        // than a statement takes parameters.
        let grants = Query::select().column(grant::Column::Id).from(grant::Entity).and_where(grant::Column::TenantId.eq(tenant_id)).to_owned();
        refresh_token::Entity::delete_many().filter(refresh_token::Column::GrantId.in_subquery(grants)).exec(&txn).await.map_err(StoreError::Db)?;
        macro_rules! delete_of_tenant {
            ($($entity:ident),+) => {
                $(
                    $entity::Entity::delete_many().filter($entity::Column::TenantId.eq(tenant_id)).exec(&txn).await.map_err(StoreError::Db)?;
                )+
            };
        }
        delete_of_tenant!(
            grant,
            passkey,
            recovery_code,
            account_session,
            consent,
            federated_identity,
            cas_service_session,
            directory,
            admin_role,
            invitation,
            logout_delivery,
            initial_access_token,
            user,
            client,
            signing_key,
            federation_key,
            federation_subordinate,
            trust_mark,
            tenant_logo,
            usage_count,
            usage_service,
            audit_event
        );
        let r = tenant::Entity::delete_many().filter(tenant::Column::Id.eq(tenant_id)).exec(&txn).await.map_err(StoreError::Db)?;
        catalog::bump(&txn).await?;
        txn.commit().await.map_err(StoreError::Db)?;
        Ok(r.rows_affected > 0)
    }
}

/// A tenant's stored logo.
#[derive(Debug, Clone)]
pub struct StoredLogo {
    pub kind: LogoKind,
    pub digest: String,
    pub bytes: Vec<u8>,
}

impl Store {
    /// Changes the branding of the tenant `slug` to `change(current)` and,
    /// with `logo`, its logo (`Some(None)` removes it), in one transaction
    /// that bumps the catalog. With `read`, only if the branding is still
    /// that: compared under the row's lock, so of two administrators
    /// changing it from the same reading one wins and the other gets
    /// `None`. Returns the tenant's id and the new branding.
    pub async fn set_tenant_branding(
        &self,
        slug: &str,
        read: Option<&Branding>,
        change: impl FnOnce(&Branding) -> Branding,
        logo: Option<Option<(LogoRef, &[u8])>>,
    ) -> Result<Option<(String, Branding)>> {
        let txn = self.begin().await?;
        let row = tenant::Entity::find()
            .filter(tenant::Column::Slug.eq(slug))
            .lock_exclusive()
            .one(&txn)
            .await
            .map_err(StoreError::Db)?
            .ok_or_else(|| StoreError::NotFound(format!("tenant '{slug}'")))?;
        let current = Branding::from_json(&row.branding).map_err(StoreError::Corrupt)?;
        if read.is_some_and(|r| *r != current) {
            return Ok(None);
        }
        let mut branding = change(&current);
        let tenant_id = row.id.clone();
        match logo {
            None => {}
            Some(None) => {
                branding.logo = None;
                tenant_logo::Entity::delete_by_id(tenant_id.clone()).exec(&txn).await.map_err(StoreError::Db)?;
            }
            Some(Some((reference, bytes))) => {
                tenant_logo::Entity::delete_by_id(tenant_id.clone()).exec(&txn).await.map_err(StoreError::Db)?;
                tenant_logo::ActiveModel {
                    tenant_id: Set(tenant_id.clone()),
                    content_type: Set(reference.kind.content_type().to_owned()),
                    digest: Set(reference.digest.clone()),
                    data: Set(bytes.to_vec()),
                }
                .insert(&txn)
                .await
                .map_err(StoreError::Db)?;
                branding.logo = Some(reference);
            }
        }
        let mut am: tenant::ActiveModel = row.into();
        am.branding = Set(branding.to_json());
        am.update(&txn).await.map_err(StoreError::Db)?;
        catalog::bump(&txn).await?;
        txn.commit().await.map_err(StoreError::Db)?;
        Ok(Some((tenant_id, branding)))
    }

    /// The logo of the tenant `tenant_id`, if it has one.
    pub async fn tenant_logo(&self, tenant_id: &str) -> Result<Option<StoredLogo>> {
        let Some(row) = tenant_logo::Entity::find_by_id(tenant_id.to_owned()).one(&self.db).await.map_err(StoreError::Db)? else {
            return Ok(None);
        };
        let kind = LogoKind::from_content_type(&row.content_type).ok_or_else(|| StoreError::Corrupt(format!("logo type {}", row.content_type)))?;
        Ok(Some(StoredLogo { kind, digest: row.digest, bytes: row.data }))
    }
}
