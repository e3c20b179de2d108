//! Signing keys per tenant and algorithm.
//!
//! A key's life is derived from timestamps, never from a mutable status:
//! it is published from creation, signs from `activates_at` until the next
//! key of the same algorithm activates, and stays published for
//! `KEY_RETENTION` after that, so every token it signed can still be
//! verified.

use std::collections::HashMap;

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde_json::Value;
use trame_core::keys as corekeys;
use trame_core::lifetimes::KEY_RETENTION;
use trame_jose::{Alg, Jwks, SigningKey};

use super::catalog;
use crate::entity::signing_key;
use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStatus {
    /// Published, not signing yet.
    Next,
    /// Signing.
    Active,
    /// Published for verification only.
    Retiring,
    /// No longer published.
    Retired,
}

impl KeyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyStatus::Next => "next",
            KeyStatus::Active => "active",
            KeyStatus::Retiring => "retiring",
            KeyStatus::Retired => "retired",
        }
    }
}

#[derive(Debug, Clone)]
pub struct KeyInfo {
    pub kid: String,
    pub alg: Alg,
    pub status: KeyStatus,
    pub activates_at: i64,
    pub created_at: i64,
}

/// Access tokens (and ID tokens sent back as hints) a tenant's key set
/// remembers having verified: about 1 KiB each, so at most about 256 KiB
/// per tenant, and only for tenants whose tokens come back. A resource
/// server's working set of live tokens fits; beyond it the memo empties
/// and fills again, and verification costs what it did without it.
const VERIFIED_TOKENS_KEPT: usize = 256;

/// What a node needs to sign and to publish for one tenant.
#[derive(Debug, Default)]
pub struct TenantKeys {
    pub signing: HashMap<Alg, SigningKey>,
    /// Public JWKs to publish, the signing keys included.
    pub jwks: Vec<Value>,
    /// The published keys as a set whose verifiers are built once per
    /// snapshot (on first use) and kept: for the tokens this tenant issued
    /// and comes back to check (userinfo, introspection, `id_token_hint`).
    pub verifiers: Jwks,
}

/// What the life of a key is computed from: the token-signing keys here and
/// the federation keys ([`super::federation`]) follow the same rules.
pub(crate) struct KeyTimes<'a> {
    pub alg: &'a str,
    pub kid: &'a str,
    pub activates_at: i64,
}

/// For each algorithm: the active key is the newest with `activates_at <=
/// now`; an older one stays published `retention` seconds after its
/// successor activated.
pub(crate) fn statuses_of(rows: &[KeyTimes<'_>], now: i64, retention: i64) -> Vec<KeyStatus> {
    rows.iter()
        .map(|k| {
            if k.activates_at > now {
                return KeyStatus::Next;
            }
            let successor = rows
                .iter()
                .filter(|o| o.alg == k.alg && o.activates_at <= now && (o.activates_at, o.kid) > (k.activates_at, k.kid))
                .map(|o| o.activates_at)
                .min();
            match successor {
                None => KeyStatus::Active,
                Some(t) if t + retention > now => KeyStatus::Retiring,
                Some(_) => KeyStatus::Retired,
            }
        })
        .collect()
}

fn statuses(rows: &[signing_key::Model], now: i64) -> Vec<KeyStatus> {
    let times: Vec<KeyTimes<'_>> = rows.iter().map(|k| KeyTimes { alg: &k.alg, kid: &k.kid, activates_at: k.activates_at }).collect();
    statuses_of(&times, now, KEY_RETENTION)
}

pub(crate) async fn insert_new_key<C: ConnectionTrait>(db: &C, store: &Store, tenant_id: &str, alg: Alg, activates_at: i64, now: i64) -> Result<String> {
    let generated = corekeys::generate(alg, store.rng()).map_err(StoreError::Key)?;
    let sealed = store.master_key.seal(&generated.private_pem, generated.kid.as_bytes(), store.rng());
    signing_key::ActiveModel {
        kid: Set(generated.kid.clone()),
        tenant_id: Set(tenant_id.to_owned()),
        alg: Set(alg.as_str().to_owned()),
        private_key_sealed: Set(sealed),
        public_jwk: Set(generated.public_jwk.to_string()),
        activates_at: Set(activates_at),
        created_at: Set(now),
    }
    .insert(db)
    .await
    .map_err(StoreError::Db)?;
    Ok(generated.kid)
}

/// Creates a key for `alg` if the tenant has none.
pub(crate) async fn ensure_key<C: ConnectionTrait>(db: &C, store: &Store, tenant_id: &str, alg: Alg, now: i64) -> Result<()> {
    let existing = signing_key::Entity::find()
        .filter(signing_key::Column::TenantId.eq(tenant_id))
        .filter(signing_key::Column::Alg.eq(alg.as_str()))
        .one(db)
        .await
        .map_err(StoreError::Db)?;
    if existing.is_none() {
        insert_new_key(db, store, tenant_id, alg, now, now).await?;
    }
    Ok(())
}

impl Store {
    async fn key_rows(&self, tenant_id: &str) -> Result<Vec<signing_key::Model>> {
        signing_key::Entity::find()
            .filter(signing_key::Column::TenantId.eq(tenant_id))
            .order_by_asc(signing_key::Column::ActivatesAt)
            .all(&self.db)
            .await
            .map_err(StoreError::Db)
    }

    pub async fn list_keys(&self, tenant_id: &str, now: i64) -> Result<Vec<KeyInfo>> {
        let rows = self.key_rows(tenant_id).await?;
        let st = statuses(&rows, now);
        rows.iter()
            .zip(st)
            .map(|(k, status)| {
                Ok(KeyInfo {
                    kid: k.kid.clone(),
                    alg: Alg::parse(&k.alg).ok_or_else(|| StoreError::Corrupt("key alg".into()))?,
                    status,
                    activates_at: k.activates_at,
                    created_at: k.created_at,
                })
            })
            .collect()
    }

    /// Adds a key for `alg` that starts signing at `activates_at` (now, or
    /// later so relying parties can fetch it first).
    pub async fn rotate_key(&self, tenant_id: &str, alg: Alg, activates_at: i64, now: i64) -> Result<String> {
        let txn = self.begin().await?;
        let kid = insert_new_key(&txn, self, tenant_id, alg, activates_at, now).await?;
        catalog::bump(&txn).await?;
        txn.commit().await.map_err(StoreError::Db)?;
        Ok(kid)
    }

    /// Makes sure a key exists for `alg` (used when a client asks for an
    /// algorithm the tenant has not signed with yet).
    pub async fn ensure_key(&self, tenant_id: &str, alg: Alg, now: i64) -> Result<()> {
        let txn = self.begin().await?;
        ensure_key(&txn, self, tenant_id, alg, now).await?;
        catalog::bump(&txn).await?;
        txn.commit().await.map_err(StoreError::Db)
    }

    /// Unseals the signing keys and collects the published ones. Called when
    /// a node (re)loads its catalog, not per request.
    pub async fn tenant_keys(&self, tenant_id: &str, now: i64) -> Result<TenantKeys> {
        let rows = self.key_rows(tenant_id).await?;
        let st = statuses(&rows, now);
        let mut out = TenantKeys::default();
        for (k, status) in rows.iter().zip(st) {
            let alg = Alg::parse(&k.alg).ok_or_else(|| StoreError::Corrupt("key alg".into()))?;
            if matches!(status, KeyStatus::Retired) {
                continue;
            }
            let jwk: Value = serde_json::from_str(&k.public_jwk).map_err(|_| StoreError::Corrupt("public jwk".into()))?;
            out.jwks.push(jwk);
            if status == KeyStatus::Active {
                let pem = self.master_key.open(&k.private_key_sealed, k.kid.as_bytes())?;
                let signer = SigningKey::from_pem(alg, Some(&k.kid), &pem).map_err(StoreError::Key)?;
                out.signing.insert(alg, signer);
            }
        }
        // Remembering the tokens it verified: this tenant's own tokens come
        // back to userinfo and introspection many times (see `Jwks::remembering`).
        out.verifiers = Jwks::lenient(&out.jwks).remembering(VERIFIED_TOKENS_KEPT);
        Ok(out)
    }

    /// When the next scheduled key change happens (a token-signing or
    /// federation key activating or leaving publication), so caches can
    /// reload then.
    pub async fn next_key_event(&self, now: i64) -> Result<Option<i64>> {
        // A key's events are its activation and the end of its publication,
        // KEY_RETENTION later. Aggregated by the database into one row:
        // start-up used to read every tenant's keys, sealed parts included.
        let (activation, publication): (Option<i64>, Option<i64>) = signing_key::Entity::find()
            .select_only()
            .column_as(Expr::cust(format!("MIN(CASE WHEN activates_at > {now} THEN activates_at END)")), "activation")
            .column_as(Expr::cust(format!("MIN(CASE WHEN activates_at > {} THEN activates_at END)", now - KEY_RETENTION)), "publication")
            .into_tuple()
            .one(&self.db)
            .await
            .map_err(StoreError::Db)?
            .unwrap_or_default();
        let next = activation.into_iter().chain(publication.map(|at| at + KEY_RETENTION)).min();
        let federation = self.next_federation_key_event(now).await?;
        Ok(next.into_iter().chain(federation).min())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(kid: &str, alg: &str, at: i64) -> signing_key::Model {
        signing_key::Model {
            kid: kid.into(),
            tenant_id: "t".into(),
            alg: alg.into(),
            private_key_sealed: String::new(),
            public_jwk: String::new(),
            activates_at: at,
            created_at: at,
        }
    }

    #[test]
    fn key_lifecycle_from_timestamps() {
        let rows = vec![row("old", "ES256", 0), row("cur", "ES256", 1000), row("next", "ES256", 5000), row("rsa", "RS256", 0)];
        let st = statuses(&rows, 2000);
        assert_eq!(st, vec![KeyStatus::Retiring, KeyStatus::Active, KeyStatus::Next, KeyStatus::Active]);
        let later = statuses(&rows, 1000 + KEY_RETENTION + 1);
        assert_eq!(later[0], KeyStatus::Retired);
        let after_next = statuses(&rows, 5001);
        assert_eq!(after_next[1], KeyStatus::Retiring);
        assert_eq!(after_next[2], KeyStatus::Active);
    }
}
