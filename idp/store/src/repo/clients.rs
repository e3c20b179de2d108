use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use trame_core::client::{
    ApplicationType, AuthMethod, Client, ClientInfo, ClientSettings, FederationRegistration, GrantType, LogoutChannels, PkcePolicy, RegistrationKind,
};
use trame_core::ids::{ClientId, RedirectUri};
use trame_core::scope::Scopes;
use trame_core::subject::SubjectType;

use super::{catalog, json_list, keys, new_id, parse_list};
use crate::entity::{admin_role, client};
use crate::{Result, Store, StoreError};

/// A client to register; its settings come from
/// `trame_core::registration::validate`.
#[derive(Debug, Clone)]
pub struct NewClient {
    pub client_id: ClientId,
    pub secret_digest: Option<String>,
    pub registration_token_digest: Option<String>,
    pub settings: ClientSettings,
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("client field {what}"))
}

fn to_domain(m: client::Model) -> Result<Client> {
    let uris =
        |s: &str, what: &str| -> Result<Vec<RedirectUri>> { parse_list(s, what)?.iter().map(|u| RedirectUri::parse(u).map_err(|_| corrupt(what))).collect() };
    let alg = |v: Option<&str>, what: &str| v.map(|a| trame_core::keys::issued(a).ok_or_else(|| corrupt(what))).transpose();
    let settings = ClientSettings {
        name: m.name,
        auth_method: AuthMethod::parse(&m.auth_method).ok_or_else(|| corrupt("auth_method"))?,
        token_auth_alg: m.token_auth_alg,
        redirect_uris: uris(&m.redirect_uris, "redirect_uris")?,
        post_logout_redirect_uris: uris(&m.post_logout_redirect_uris, "post_logout_redirect_uris")?,
        grant_types: parse_list(&m.grant_types, "grant_types")?
            .iter()
            .map(|g| GrantType::parse(g).ok_or_else(|| corrupt("grant_types")))
            .collect::<Result<_>>()?,
        scopes: Scopes::parse(&m.scopes).map_err(|_| corrupt("scopes"))?,
        subject_type: SubjectType::parse(&m.subject_type).ok_or_else(|| corrupt("subject_type"))?,
        sector_identifier: m.sector_identifier,
        pkce: PkcePolicy::parse(&m.pkce).ok_or_else(|| corrupt("pkce"))?,
        skip_consent: m.skip_consent,
        id_token_alg: trame_core::keys::issued(&m.id_token_alg).ok_or_else(|| corrupt("id_token_alg"))?,
        userinfo_alg: alg(m.userinfo_alg.as_deref(), "userinfo_alg")?,
        jwks_uri: m.jwks_uri,
        jwks: m.jwks.map(|j| serde_json::from_str(&j).map_err(|_| corrupt("jwks"))).transpose()?,
        default_max_age: m.default_max_age.map(|a| u32::try_from(a).map_err(|_| corrupt("default_max_age"))).transpose()?,
        default_acr_values: parse_list(&m.default_acr_values, "default_acr_values")?,
        logout: LogoutChannels {
            backchannel_uri: m.backchannel_logout_uri,
            backchannel_session_required: m.backchannel_logout_session_required,
            frontchannel_uri: m.frontchannel_logout_uri,
            frontchannel_session_required: m.frontchannel_logout_session_required,
        },
        info: ClientInfo {
            application_type: ApplicationType::parse(&m.application_type).ok_or_else(|| corrupt("application_type"))?,
            client_uri: m.client_uri,
            logo_uri: m.logo_uri,
            policy_uri: m.policy_uri,
            tos_uri: m.tos_uri,
            contacts: parse_list(&m.contacts, "contacts")?,
            sector_identifier_uri: m.sector_identifier_uri,
            initiate_login_uri: m.initiate_login_uri,
            software_id: m.software_id,
            software_version: m.software_version,
            require_auth_time: m.require_auth_time,
        },
        refresh_reuse_grace: u32::try_from(m.refresh_reuse_grace).map_err(|_| corrupt("refresh_reuse_grace"))?,
        cas: m.cas.map(|c| serde_json::from_str(&c).map_err(|_| corrupt("cas"))).transpose()?,
    };
    let federation = match (m.federation_kind.as_deref(), m.trust_anchor, m.expires_at) {
        (None, None, None) => None,
        (Some(kind), Some(trust_anchor), Some(expires_at)) => {
            Some(FederationRegistration { kind: RegistrationKind::parse(kind).ok_or_else(|| corrupt("federation_kind"))?, trust_anchor, expires_at })
        }
        _ => return Err(corrupt("federation registration")),
    };
    Ok(Client {
        id: ClientId::parse(&m.client_id).map_err(|_| corrupt("client_id"))?,
        federation,
        tenant_id: m.tenant_id,
        secret_digest: m.secret_digest,
        registration_token_digest: m.registration_token_digest,
        settings,
    })
}

/// Writes every settings column, for creation and replacement alike.
fn set_settings(am: &mut client::ActiveModel, s: &ClientSettings) {
    let strings = |v: &[RedirectUri]| json_list(&v.iter().map(|u| u.as_str().to_owned()).collect::<Vec<_>>());
    am.name = Set(s.name.clone());
    am.auth_method = Set(s.auth_method.as_str().to_owned());
    am.token_auth_alg = Set(s.token_auth_alg.clone());
    am.redirect_uris = Set(strings(&s.redirect_uris));
    am.post_logout_redirect_uris = Set(strings(&s.post_logout_redirect_uris));
    am.grant_types = Set(json_list(&s.grant_types.iter().map(|g| g.as_str().to_owned()).collect::<Vec<_>>()));
    am.scopes = Set(s.scopes.to_string_sorted());
    am.subject_type = Set(s.subject_type.as_str().to_owned());
    am.sector_identifier = Set(s.sector_identifier.clone());
    am.pkce = Set(s.pkce.as_str().to_owned());
    am.skip_consent = Set(s.skip_consent);
    am.id_token_alg = Set(s.id_token_alg.as_str().to_owned());
    am.userinfo_alg = Set(s.userinfo_alg.map(|a| a.as_str().to_owned()));
    am.jwks_uri = Set(s.jwks_uri.clone());
    am.jwks = Set(s.jwks.as_ref().map(|j| j.to_string()));
    am.default_max_age = Set(s.default_max_age.map(i64::from));
    am.default_acr_values = Set(json_list(&s.default_acr_values));
    am.backchannel_logout_uri = Set(s.logout.backchannel_uri.clone());
    am.backchannel_logout_session_required = Set(s.logout.backchannel_session_required);
    am.frontchannel_logout_uri = Set(s.logout.frontchannel_uri.clone());
    am.frontchannel_logout_session_required = Set(s.logout.frontchannel_session_required);
    am.application_type = Set(s.info.application_type.as_str().to_owned());
    am.client_uri = Set(s.info.client_uri.clone());
    am.logo_uri = Set(s.info.logo_uri.clone());
    am.policy_uri = Set(s.info.policy_uri.clone());
    am.tos_uri = Set(s.info.tos_uri.clone());
    am.contacts = Set(json_list(&s.info.contacts));
    am.sector_identifier_uri = Set(s.info.sector_identifier_uri.clone());
    am.initiate_login_uri = Set(s.info.initiate_login_uri.clone());
    am.software_id = Set(s.info.software_id.clone());
    am.software_version = Set(s.info.software_version.clone());
    am.require_auth_time = Set(s.info.require_auth_time);
    am.refresh_reuse_grace = Set(i64::from(s.refresh_reuse_grace));
    am.cas = Set(s.cas.as_ref().map(|c| serde_json::to_string(c).expect("CAS settings serialize")));
}

/// The signing keys a client's settings need: one per algorithm it asked for.
async fn ensure_keys<C: sea_orm::ConnectionTrait>(txn: &C, store: &Store, tenant_id: &str, s: &ClientSettings, now: i64) -> Result<()> {
    keys::ensure_key(txn, store, tenant_id, s.id_token_alg, now).await?;
    if let Some(alg) = s.userinfo_alg {
        keys::ensure_key(txn, store, tenant_id, alg, now).await?;
    }
    Ok(())
}

impl Store {
    /// Registers a client; makes sure the tenant has a key for each
    /// algorithm the client asked for, in the same transaction.
    pub async fn create_client(&self, tenant_id: &str, new: NewClient, now: i64) -> Result<Client> {
        let txn = self.begin().await?;
        let mut row = client::ActiveModel {
            id: Set(new_id()),
            tenant_id: Set(tenant_id.to_owned()),
            client_id: Set(new.client_id.as_str().to_owned()),
            secret_digest: Set(new.secret_digest),
            registration_token_digest: Set(new.registration_token_digest),
            created_at: Set(now),
            ..Default::default()
        };
        set_settings(&mut row, &new.settings);
        let m = row.insert(&txn).await.map_err(|e| StoreError::from_db(e, format!("client '{}'", new.client_id)))?;
        ensure_keys(&txn, self, tenant_id, &new.settings, now).await?;
        catalog::bump(&txn).await?;
        txn.commit().await.map_err(StoreError::Db)?;
        to_domain(m)
    }

    /// Replaces a client's settings (RFC 7592 update) and, when given, its
    /// secret digest (`Some(None)` removes the secret).
    pub async fn update_client(
        &self,
        tenant_id: &str,
        client_id: &str,
        settings: &ClientSettings,
        secret_digest: Option<Option<String>>,
        now: i64,
    ) -> Result<Client> {
        // Without a condition there is nothing to find changed: always Some.
        let updated = self.update_client_if(tenant_id, client_id, settings, secret_digest, None, now).await?;
        updated.ok_or_else(|| StoreError::NotFound(format!("client '{client_id}'")))
    }

    /// [`Store::update_client`], only if the client's settings are still
    /// `read` (when given): `None` when they changed meanwhile. The row is
    /// read under a lock (`FOR UPDATE` on PostgreSQL; SQLite has one
    /// writer), so of two administrators who read the same settings on any
    /// nodes, the second finds the first's and writes nothing.
    pub async fn update_client_if(
        &self,
        tenant_id: &str,
        client_id: &str,
        settings: &ClientSettings,
        secret_digest: Option<Option<String>>,
        read: Option<&ClientSettings>,
        now: i64,
    ) -> Result<Option<Client>> {
        let txn = self.begin().await?;
        let row = client::Entity::find()
            .filter(client::Column::TenantId.eq(tenant_id))
            .filter(client::Column::ClientId.eq(client_id))
            .lock_exclusive()
            .one(&txn)
            .await
            .map_err(StoreError::Db)?
            .ok_or_else(|| StoreError::NotFound(format!("client '{client_id}'")))?;
        if let Some(read) = read
            && to_domain(row.clone())?.settings != *read
        {
            return Ok(None);
        }
        let mut am: client::ActiveModel = row.into();
        set_settings(&mut am, settings);
        if let Some(d) = secret_digest {
            am.secret_digest = Set(d);
        }
        let m = am.update(&txn).await.map_err(StoreError::Db)?;
        ensure_keys(&txn, self, tenant_id, settings, now).await?;
        catalog::bump(&txn).await?;
        txn.commit().await.map_err(StoreError::Db)?;
        to_domain(m).map(Some)
    }

    /// Registers a federation relying party, or replaces its earlier
    /// registration (settings, Trust Anchor, expiry: OpenID Federation
    /// §12.2.2 step 6, and §12.5 for a renewed automatic registration).
    /// A client the operator made with the same id is never replaced.
    pub async fn register_federation_client(
        &self,
        tenant_id: &str,
        client_id: &ClientId,
        settings: &ClientSettings,
        registration: &FederationRegistration,
        now: i64,
    ) -> Result<Client> {
        let txn = self.begin().await?;
        let existing = client::Entity::find()
            .filter(client::Column::TenantId.eq(tenant_id))
            .filter(client::Column::ClientId.eq(client_id.as_str()))
            .one(&txn)
            .await
            .map_err(StoreError::Db)?;
        let (mut am, is_new) = match existing {
            Some(row) if row.federation_kind.is_none() => return Err(StoreError::Conflict(format!("client '{client_id}' is not a federation registration"))),
            Some(row) => (row.into(), false),
            None => (
                client::ActiveModel {
                    id: Set(new_id()),
                    tenant_id: Set(tenant_id.to_owned()),
                    client_id: Set(client_id.as_str().to_owned()),
                    secret_digest: Set(None),
                    registration_token_digest: Set(None),
                    ..Default::default()
                },
                true,
            ),
        };
        set_settings(&mut am, settings);
        // Registered again: a new registration, from now.
        am.created_at = Set(now);
        am.federation_kind = Set(Some(registration.kind.as_str().to_owned()));
        am.trust_anchor = Set(Some(registration.trust_anchor.clone()));
        am.expires_at = Set(Some(registration.expires_at));
        let what = || format!("client '{client_id}'");
        let m = if is_new { am.insert(&txn).await } else { am.update(&txn).await }.map_err(|e| StoreError::from_db(e, what()))?;
        ensure_keys(&txn, self, tenant_id, settings, now).await?;
        catalog::bump(&txn).await?;
        txn.commit().await.map_err(StoreError::Db)?;
        to_domain(m)
    }

    pub async fn list_clients(&self, tenant_id: &str) -> Result<Vec<Client>> {
        let rows = client::Entity::find()
            .filter(client::Column::TenantId.eq(tenant_id))
            .order_by_asc(client::Column::ClientId)
            .all(&self.db)
            .await
            .map_err(StoreError::Db)?;
        rows.into_iter().map(to_domain).collect()
    }

    /// The CAS services of a tenant: the clients with CAS settings. A CAS
    /// request names a service URL, not a client, so each is asked in turn.
    pub async fn cas_clients(&self, tenant_id: &str) -> Result<Vec<Client>> {
        let rows = client::Entity::find()
            .filter(client::Column::TenantId.eq(tenant_id))
            .filter(client::Column::Cas.is_not_null())
            .order_by_asc(client::Column::ClientId)
            .all(&self.db)
            .await
            .map_err(StoreError::Db)?;
        rows.into_iter().map(to_domain).collect()
    }

    pub async fn client(&self, tenant_id: &str, client_id: &str) -> Result<Option<Client>> {
        let row = client::Entity::find()
            .filter(client::Column::TenantId.eq(tenant_id))
            .filter(client::Column::ClientId.eq(client_id))
            .one(&self.db)
            .await
            .map_err(StoreError::Db)?;
        row.map(to_domain).transpose()
    }

    pub async fn remove_client(&self, tenant_id: &str, client_id: &str) -> Result<()> {
        let txn = self.begin().await?;
        let res = client::Entity::delete_many()
            .filter(client::Column::TenantId.eq(tenant_id))
            .filter(client::Column::ClientId.eq(client_id))
            .exec(&txn)
            .await
            .map_err(StoreError::Db)?;
        if res.rows_affected == 0 {
            return Err(StoreError::NotFound(format!("client '{client_id}'")));
        }
        admin_role::Entity::delete_many()
            .filter(admin_role::Column::TenantId.eq(tenant_id))
            .filter(admin_role::Column::Principal.eq(format!("client:{client_id}")))
            .exec(&txn)
            .await
            .map_err(StoreError::Db)?;
        catalog::bump(&txn).await?;
        txn.commit().await.map_err(StoreError::Db)?;
        Ok(())
    }
}
