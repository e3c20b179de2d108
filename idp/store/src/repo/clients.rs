use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait};
use trame_core::client::{AuthMethod, Client, GrantType, PkcePolicy};
use trame_core::ids::{ClientId, RedirectUri};
use trame_core::keys::Alg;
use trame_core::scope::Scopes;
use trame_core::subject::SubjectType;

use super::{catalog, json_list, keys, new_id, parse_list};
use crate::entity::client;
use crate::{Result, Store, StoreError};

/// A client to register; the caller has validated each field's syntax.
#[derive(Debug, Clone)]
pub struct NewClient {
    pub client_id: ClientId,
    pub name: Option<String>,
    pub secret_digest: Option<String>,
    pub auth_method: AuthMethod,
    pub redirect_uris: Vec<RedirectUri>,
    pub post_logout_redirect_uris: Vec<RedirectUri>,
    pub grant_types: Vec<GrantType>,
    pub scopes: Scopes,
    pub subject_type: SubjectType,
    pub sector_identifier: Option<String>,
    pub pkce: PkcePolicy,
    pub skip_consent: bool,
    pub id_token_alg: Alg,
    pub userinfo_alg: Option<Alg>,
    pub jwks_uri: Option<String>,
    pub jwks: Option<serde_json::Value>,
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("client field {what}"))
}

fn to_domain(m: client::Model) -> Result<Client> {
    let uris = |s: &str, what: &str| -> Result<Vec<RedirectUri>> {
        parse_list(s, what)?.iter().map(|u| RedirectUri::parse(u).map_err(|_| corrupt(what))).collect()
    };
    Ok(Client {
        id: ClientId::parse(&m.client_id).map_err(|_| corrupt("client_id"))?,
        tenant_id: m.tenant_id,
        name: m.name,
        secret_digest: m.secret_digest,
        auth_method: AuthMethod::parse(&m.auth_method).ok_or_else(|| corrupt("auth_method"))?,
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
        id_token_alg: Alg::parse(&m.id_token_alg).ok_or_else(|| corrupt("id_token_alg"))?,
        userinfo_alg: m.userinfo_alg.as_deref().map(|a| Alg::parse(a).ok_or_else(|| corrupt("userinfo_alg"))).transpose()?,
        jwks_uri: m.jwks_uri,
        jwks: m.jwks.map(|j| serde_json::from_str(&j).map_err(|_| corrupt("jwks"))).transpose()?,
    })
}

impl Store {
    /// Registers a client; makes sure the tenant has a key for the client's
    /// ID-token algorithm, in the same transaction.
    pub async fn create_client(&self, tenant_id: &str, new: NewClient, now: i64) -> Result<Client> {
        let strings = |v: &[RedirectUri]| json_list(&v.iter().map(|u| u.as_str().to_owned()).collect::<Vec<_>>());
        let txn = self.db.begin().await.map_err(StoreError::Db)?;
        let row = client::ActiveModel {
            id: Set(new_id()),
            tenant_id: Set(tenant_id.to_owned()),
            client_id: Set(new.client_id.as_str().to_owned()),
            name: Set(new.name),
            secret_digest: Set(new.secret_digest),
            auth_method: Set(new.auth_method.as_str().to_owned()),
            redirect_uris: Set(strings(&new.redirect_uris)),
            post_logout_redirect_uris: Set(strings(&new.post_logout_redirect_uris)),
            grant_types: Set(json_list(&new.grant_types.iter().map(|g| g.as_str().to_owned()).collect::<Vec<_>>())),
            scopes: Set(new.scopes.to_string_sorted()),
            subject_type: Set(new.subject_type.as_str().to_owned()),
            sector_identifier: Set(new.sector_identifier),
            pkce: Set(new.pkce.as_str().to_owned()),
            skip_consent: Set(new.skip_consent),
            id_token_alg: Set(new.id_token_alg.as_str().to_owned()),
            userinfo_alg: Set(new.userinfo_alg.map(|a| a.as_str().to_owned())),
            jwks_uri: Set(new.jwks_uri),
            jwks: Set(new.jwks.map(|j| j.to_string())),
            created_at: Set(now),
        };
        let m = row.insert(&txn).await.map_err(|e| StoreError::from_db(e, format!("client '{}'", new.client_id)))?;
        keys::ensure_key(&txn, self, tenant_id, new.id_token_alg, now).await?;
        if let Some(alg) = new.userinfo_alg {
            keys::ensure_key(&txn, self, tenant_id, alg, now).await?;
        }
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
        let txn = self.db.begin().await.map_err(StoreError::Db)?;
        let res = client::Entity::delete_many()
            .filter(client::Column::TenantId.eq(tenant_id))
            .filter(client::Column::ClientId.eq(client_id))
            .exec(&txn)
            .await
            .map_err(StoreError::Db)?;
        if res.rows_affected == 0 {
            return Err(StoreError::NotFound(format!("client '{client_id}'")));
        }
        catalog::bump(&txn).await?;
        txn.commit().await.map_err(StoreError::Db)?;
        Ok(())
    }
}
