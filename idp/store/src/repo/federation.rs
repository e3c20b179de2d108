//! A tenant as an OpenID Federation entity: its federation keys (apart from
//! the token-signing keys), its federation settings, the subordinates it
//! vouches for as an authority, and the Trust Marks it issued.

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, Statement};
use serde_json::Value;
use trame_core::federation::FederationSettings;
use trame_core::lifetimes::FEDERATION_KEY_RETENTION;
use trame_core::tenant::Tenant;
use trame_jose::{Alg, Jwks, SigningKey};

use super::keys::{KeyStatus, KeyTimes, statuses_of};
use super::{catalog, json_list, new_id, parse_list};
use crate::entity::{federation_key, federation_subordinate, tenant, trust_mark};
use crate::{Result, Store, StoreError};

/// A federation key as the operator sees it.
#[derive(Debug, Clone)]
pub struct FederationKeyInfo {
    pub kid: String,
    pub alg: String,
    pub status: KeyStatus,
    pub activates_at: i64,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

/// A key no longer published, for the historical keys endpoint (§8.7).
#[derive(Debug, Clone)]
pub struct HistoricalKey {
    pub jwk: Value,
    pub iat: i64,
    /// When it stopped being valid for new statements.
    pub exp: i64,
    pub revoked: Option<(i64, String)>,
}

/// What a node needs to sign federation statements for one tenant.
#[derive(Debug, Default)]
pub struct FederationKeys {
    pub signing: Option<SigningKey>,
    /// Public JWKs for the Entity Configuration's `jwks`.
    pub jwks: Vec<Value>,
    pub historical: Vec<HistoricalKey>,
    /// Every key published, current or historical, as a set whose
    /// verifiers are built once per snapshot (on first use) and kept: for
    /// checking a signature the tenant made earlier (Trust Mark status).
    pub verifiers: Jwks,
}

/// What a key in the federation keys table signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyPurpose {
    /// Federation statements (Entity Configuration, Subordinate
    /// Statements, Trust Marks…).
    Federation,
    /// What the tenant signs as a relying party of peer providers
    /// (Request Objects, client assertions); published in its
    /// `openid_relying_party` metadata.
    RelyingParty,
}

impl KeyPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyPurpose::Federation => "federation",
            KeyPurpose::RelyingParty => "relying_party",
        }
    }
}

/// Why a federation key is revoked (§8.7.2).
pub const REVOCATION_REASONS: [&str; 3] = ["unspecified", "compromised", "superseded"];

/// An entity enrolled under an authority: what its Subordinate Statement says.
#[derive(Debug, Clone, PartialEq)]
pub struct Subordinate {
    pub entity_id: String,
    pub jwks: Value,
    pub entity_types: Vec<String>,
    pub intermediate: bool,
    pub metadata_policy: Option<Value>,
    pub metadata_policy_crit: Option<Vec<String>>,
    pub constraints: Option<Value>,
    pub metadata: Option<Value>,
    pub updated_at: i64,
}

/// A Trust Mark record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedTrustMark {
    pub trust_mark_type: String,
    pub subject: String,
    pub issued_at: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

fn times(rows: &[federation_key::Model]) -> Vec<KeyTimes<'_>> {
    rows.iter().map(|k| KeyTimes { alg: &k.alg, kid: &k.kid, activates_at: k.activates_at }).collect()
}

/// Statuses of the keys that are not revoked (revoked ones are left out of
/// the succession: revoking the signing key never brings an older one back,
/// the caller rotates first).
fn live_statuses(rows: &[federation_key::Model], now: i64) -> Vec<(usize, KeyStatus)> {
    let live: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].revoked_at.is_none()).collect();
    let live_rows: Vec<federation_key::Model> = live.iter().map(|&i| rows[i].clone()).collect();
    let st = statuses_of(&times(&live_rows), now, FEDERATION_KEY_RETENTION);
    live.into_iter().zip(st).collect()
}

pub(crate) async fn insert_federation_key<C: ConnectionTrait>(db: &C, store: &Store, tenant_id: &str, alg: Alg, activates_at: i64, now: i64) -> Result<String> {
    insert_key(db, store, tenant_id, KeyPurpose::Federation, alg, activates_at, now).await
}

async fn insert_key<C: ConnectionTrait>(db: &C, store: &Store, tenant_id: &str, purpose: KeyPurpose, alg: Alg, activates_at: i64, now: i64) -> Result<String> {
    let (key, pem) = SigningKey::generate(alg, None).map_err(StoreError::Key)?;
    let sealed = store.master_key.seal(&pem, key.kid().as_bytes(), store.rng());
    federation_key::ActiveModel {
        kid: Set(key.kid().to_owned()),
        tenant_id: Set(tenant_id.to_owned()),
        alg: Set(alg.as_str().to_owned()),
        private_key_sealed: Set(sealed),
        public_jwk: Set(key.public_jwk().to_string()),
        activates_at: Set(activates_at),
        created_at: Set(now),
        revoked_at: Set(None),
        revoked_reason: Set(None),
        purpose: Set(purpose.as_str().to_owned()),
    }
    .insert(db)
    .await
    .map_err(StoreError::Db)?;
    Ok(key.kid().to_owned())
}

impl Store {
    async fn federation_key_rows(&self, tenant_id: &str, purpose: KeyPurpose) -> Result<Vec<federation_key::Model>> {
        federation_key::Entity::find()
            .filter(federation_key::Column::TenantId.eq(tenant_id))
            .filter(federation_key::Column::Purpose.eq(purpose.as_str()))
            .order_by_asc(federation_key::Column::ActivatesAt)
            .all(&self.db)
            .await
            .map_err(StoreError::Db)
    }

    pub async fn list_federation_keys(&self, tenant_id: &str, now: i64) -> Result<Vec<FederationKeyInfo>> {
        self.list_keys_for(tenant_id, KeyPurpose::Federation, now).await
    }

    pub async fn list_keys_for(&self, tenant_id: &str, purpose: KeyPurpose, now: i64) -> Result<Vec<FederationKeyInfo>> {
        let rows = self.federation_key_rows(tenant_id, purpose).await?;
        let live = live_statuses(&rows, now);
        Ok(rows
            .iter()
            .enumerate()
            .map(|(i, k)| FederationKeyInfo {
                kid: k.kid.clone(),
                alg: k.alg.clone(),
                status: live.iter().find(|(j, _)| *j == i).map_or(KeyStatus::Retired, |(_, s)| *s),
                activates_at: k.activates_at,
                created_at: k.created_at,
                revoked_at: k.revoked_at,
            })
            .collect())
    }

    /// Adds a federation key that signs from `activates_at`. Superiors copy
    /// the keys into their Subordinate Statements, so a delayed activation
    /// gives them time to do so.
    pub async fn rotate_federation_key(&self, tenant_id: &str, alg: Alg, activates_at: i64, now: i64) -> Result<String> {
        self.rotate_key_for(tenant_id, KeyPurpose::Federation, alg, activates_at, now).await
    }

    /// [`Self::rotate_federation_key`] for keys of any purpose. Peers keep
    /// the relying party metadata as long as its chain, so a relying party
    /// key too is best activated a day ahead.
    pub async fn rotate_key_for(&self, tenant_id: &str, purpose: KeyPurpose, alg: Alg, activates_at: i64, now: i64) -> Result<String> {
        let txn = self.begin().await?;
        let kid = insert_key(&txn, self, tenant_id, purpose, alg, activates_at, now).await?;
        catalog::bump(&txn).await?;
        txn.commit().await.map_err(StoreError::Db)?;
        Ok(kid)
    }

    /// Revokes a federation key: it leaves publication at once. Refuses the
    /// only key that signs (rotate first).
    pub async fn revoke_federation_key(&self, tenant_id: &str, kid: &str, reason: &str, now: i64) -> Result<()> {
        if !REVOCATION_REASONS.contains(&reason) {
            return Err(StoreError::Invalid(format!("revocation reason must be one of {}", REVOCATION_REASONS.join(", "))));
        }
        let txn = self.begin().await?;
        let purpose = federation_key::Entity::find_by_id(kid.to_owned())
            .filter(federation_key::Column::TenantId.eq(tenant_id))
            .one(&txn)
            .await
            .map_err(StoreError::Db)?
            .map(|k| k.purpose)
            .ok_or_else(|| StoreError::NotFound(format!("federation key '{kid}'")))?;
        // The succession that matters is the one of the key's own purpose.
        let rows = federation_key::Entity::find()
            .filter(federation_key::Column::TenantId.eq(tenant_id))
            .filter(federation_key::Column::Purpose.eq(purpose))
            .order_by_asc(federation_key::Column::ActivatesAt)
            .all(&txn)
            .await
            .map_err(StoreError::Db)?;
        let row = rows.iter().find(|k| k.kid == kid && k.revoked_at.is_none()).ok_or_else(|| StoreError::NotFound(format!("federation key '{kid}'")))?;
        let live = live_statuses(&rows, now);
        let active = live.iter().filter(|(_, s)| *s == KeyStatus::Active).count();
        let is_active = live.iter().any(|(i, s)| rows[*i].kid == kid && *s == KeyStatus::Active);
        if is_active && active <= 1 {
            return Err(StoreError::Invalid("this is the key that signs: rotate to a new key first (trame federation keys rotate)".into()));
        }
        let mut am: federation_key::ActiveModel = row.clone().into();
        am.revoked_at = Set(Some(now));
        am.revoked_reason = Set(Some(reason.to_owned()));
        am.update(&txn).await.map_err(StoreError::Db)?;
        catalog::bump(&txn).await?;
        txn.commit().await.map_err(StoreError::Db)
    }

    /// Gives every tenant without a federation key one (ES256). Run at start-up
    /// and by `trame migrate`, so tenants made before federation existed
    /// become federation entities too. Returns how many keys were made.
    pub async fn ensure_federation_keys(&self, now: i64) -> Result<usize> {
        // One query however many tenants there are: start-up stays flat.
        let with_keys = sea_orm::sea_query::Query::select()
            .column(federation_key::Column::TenantId)
            .from(federation_key::Entity)
            .and_where(federation_key::Column::Purpose.eq(KeyPurpose::Federation.as_str()))
            .to_owned();
        let missing = tenant::Entity::find().filter(tenant::Column::Id.not_in_subquery(with_keys)).all(&self.db).await.map_err(StoreError::Db)?;
        if missing.is_empty() {
            return Ok(0);
        }
        let txn = self.begin().await?;
        for t in &missing {
            insert_federation_key(&txn, self, &t.id, Alg::ES256, now, now).await?;
        }
        catalog::bump(&txn).await?;
        txn.commit().await.map_err(StoreError::Db)?;
        Ok(missing.len())
    }

    /// Unseals the signing federation key and collects the published and
    /// historical ones. Called when a node loads a tenant, not per request.
    pub async fn federation_keys(&self, tenant_id: &str, now: i64) -> Result<FederationKeys> {
        self.keys_for(tenant_id, KeyPurpose::Federation, now).await
    }

    /// Gives the tenant a relying party key (ES256) unless it has one that
    /// is not revoked. Called when peer sign-in is switched on.
    pub async fn ensure_relying_party_key(&self, tenant_id: &str, now: i64) -> Result<bool> {
        let rows = self.federation_key_rows(tenant_id, KeyPurpose::RelyingParty).await?;
        if rows.iter().any(|k| k.revoked_at.is_none()) {
            return Ok(false);
        }
        self.rotate_key_for(tenant_id, KeyPurpose::RelyingParty, Alg::ES256, now, now).await?;
        Ok(true)
    }

    /// The keys of one purpose, as [`Self::federation_keys`] gives them.
    pub async fn keys_for(&self, tenant_id: &str, purpose: KeyPurpose, now: i64) -> Result<FederationKeys> {
        let rows = self.federation_key_rows(tenant_id, purpose).await?;
        let live = live_statuses(&rows, now);
        let mut out = FederationKeys::default();
        let parse = |k: &federation_key::Model| serde_json::from_str::<Value>(&k.public_jwk).map_err(|_| StoreError::Corrupt("federation public jwk".into()));
        for (i, k) in rows.iter().enumerate() {
            let status = live.iter().find(|(j, _)| *j == i).map(|(_, s)| *s);
            match status {
                Some(KeyStatus::Next | KeyStatus::Retiring) => out.jwks.push(parse(k)?),
                Some(KeyStatus::Active) => {
                    out.jwks.push(parse(k)?);
                    // Several active keys (different algorithms): the newest signs.
                    let alg = Alg::parse(&k.alg).ok_or_else(|| StoreError::Corrupt("federation key alg".into()))?;
                    let pem = self.master_key.open(&k.private_key_sealed, k.kid.as_bytes())?;
                    out.signing = Some(SigningKey::from_pem(alg, Some(&k.kid), &pem).map_err(|_| StoreError::Corrupt("federation private key".into()))?);
                }
                Some(KeyStatus::Retired) | None => {
                    // Valid for new statements until its successor activated
                    // (or until revoked).
                    let successor =
                        rows.iter().filter(|o| o.revoked_at.is_none() && o.alg == k.alg && o.activates_at > k.activates_at).map(|o| o.activates_at).min();
                    let exp = k.revoked_at.or(successor).unwrap_or(now);
                    out.historical.push(HistoricalKey {
                        jwk: parse(k)?,
                        iat: k.created_at,
                        exp,
                        revoked: k.revoked_at.map(|at| (at, k.revoked_reason.clone().unwrap_or_else(|| "unspecified".into()))),
                    });
                }
            }
        }
        let published: Vec<Value> = out.jwks.iter().cloned().chain(out.historical.iter().map(|h| h.jwk.clone())).collect();
        out.verifiers = Jwks::from_keys(&published).map_err(|_| StoreError::Corrupt("federation public jwks".into()))?;
        Ok(out)
    }

    /// The next moment a federation key activates or leaves publication.
    pub(crate) async fn next_federation_key_event(&self, now: i64) -> Result<Option<i64>> {
        // A key's events: its activation, and, when it succeeds an older key
        // of its tenant, purpose and algorithm, the end of that key's
        // publication FEDERATION_KEY_RETENTION later. Only keys activated
        // within that window can still have one. Aggregated by the database
        // into one row: start-up used to read every tenant's keys (20,000
        // rows at 10,000 tenants) and compare every pair.
        // The bounds are integers written into the SQL, not text.
        let since = now - FEDERATION_KEY_RETENTION;
        let sql = format!(
            "SELECT MIN(CASE WHEN f.activates_at > {now} THEN f.activates_at END) AS activation, \
             MIN(CASE WHEN EXISTS (SELECT 1 FROM federation_keys o WHERE o.revoked_at IS NULL \
               AND o.tenant_id = f.tenant_id AND o.purpose = f.purpose AND o.alg = f.alg \
               AND (o.activates_at < f.activates_at OR (o.activates_at = f.activates_at AND o.kid < f.kid))) \
             THEN f.activates_at END) AS succession \
             FROM federation_keys f WHERE f.revoked_at IS NULL AND f.activates_at > {since}"
        );
        let row = self.db.query_one_raw(Statement::from_string(self.db.get_database_backend(), sql)).await.map_err(StoreError::Db)?;
        let get = |col| row.as_ref().map(|r| r.try_get::<Option<i64>>("", col)).transpose().map(Option::flatten).map_err(StoreError::Db);
        let (activation, succession) = (get("activation")?, get("succession")?);
        Ok(activation.into_iter().chain(succession.map(|at| at + FEDERATION_KEY_RETENTION)).min())
    }

    /// Replaces a tenant's federation settings; every node sees them within
    /// a catalog poll.
    pub async fn set_federation_settings(&self, slug: &str, settings: &FederationSettings) -> Result<Tenant> {
        self.update_tenant(slug, |am| am.federation = Set(settings.to_json())).await
    }
}

fn json_text(v: &Option<Value>) -> Option<String> {
    v.as_ref().map(Value::to_string)
}

fn parse_json(s: &Option<String>, what: &str) -> Result<Option<Value>> {
    s.as_deref().map(|s| serde_json::from_str(s).map_err(|_| StoreError::Corrupt(format!("subordinate {what}")))).transpose()
}

fn subordinate_of(m: federation_subordinate::Model) -> Result<Subordinate> {
    Ok(Subordinate {
        jwks: serde_json::from_str(&m.jwks).map_err(|_| StoreError::Corrupt("subordinate jwks".into()))?,
        entity_types: parse_list(&m.entity_types, "subordinate entity types")?,
        intermediate: m.intermediate,
        metadata_policy: parse_json(&m.metadata_policy, "metadata policy")?,
        metadata_policy_crit: m.metadata_policy_crit.as_deref().map(|s| parse_list(s, "subordinate metadata_policy_crit")).transpose()?,
        constraints: parse_json(&m.constraints, "constraints")?,
        metadata: parse_json(&m.metadata, "metadata")?,
        entity_id: m.entity_id,
        updated_at: m.updated_at,
    })
}

impl Store {
    /// Enrolls a subordinate, or replaces what is stated about it.
    pub async fn put_subordinate(&self, tenant_id: &str, s: &Subordinate, now: i64) -> Result<()> {
        let txn = self.begin().await?;
        let existing = federation_subordinate::Entity::find()
            .filter(federation_subordinate::Column::TenantId.eq(tenant_id))
            .filter(federation_subordinate::Column::EntityId.eq(&s.entity_id))
            .one(&txn)
            .await
            .map_err(StoreError::Db)?;
        let is_new = existing.is_none();
        let mut am = match existing {
            Some(row) => row.into(),
            None => federation_subordinate::ActiveModel {
                id: Set(new_id()),
                tenant_id: Set(tenant_id.to_owned()),
                entity_id: Set(s.entity_id.clone()),
                created_at: Set(now),
                ..Default::default()
            },
        };
        am.jwks = Set(s.jwks.to_string());
        am.entity_types = Set(json_list(&s.entity_types));
        am.intermediate = Set(s.intermediate);
        am.metadata_policy = Set(json_text(&s.metadata_policy));
        am.metadata_policy_crit = Set(s.metadata_policy_crit.as_deref().map(json_list));
        am.constraints = Set(json_text(&s.constraints));
        am.metadata = Set(json_text(&s.metadata));
        am.updated_at = Set(now);
        let saved = if is_new { am.insert(&txn).await.map(|_| ()) } else { am.update(&txn).await.map(|_| ()) };
        saved.map_err(|e| StoreError::from_db(e, format!("subordinate '{}'", s.entity_id)))?;
        txn.commit().await.map_err(StoreError::Db)
    }

    /// Removes a subordinate; returns whether there was one.
    pub async fn remove_subordinate(&self, tenant_id: &str, entity_id: &str) -> Result<bool> {
        let r = federation_subordinate::Entity::delete_many()
            .filter(federation_subordinate::Column::TenantId.eq(tenant_id))
            .filter(federation_subordinate::Column::EntityId.eq(entity_id))
            .exec(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(r.rows_affected > 0)
    }

    pub async fn subordinate(&self, tenant_id: &str, entity_id: &str) -> Result<Option<Subordinate>> {
        federation_subordinate::Entity::find()
            .filter(federation_subordinate::Column::TenantId.eq(tenant_id))
            .filter(federation_subordinate::Column::EntityId.eq(entity_id))
            .one(&self.db)
            .await
            .map_err(StoreError::Db)?
            .map(subordinate_of)
            .transpose()
    }

    pub async fn list_subordinates(&self, tenant_id: &str) -> Result<Vec<Subordinate>> {
        federation_subordinate::Entity::find()
            .filter(federation_subordinate::Column::TenantId.eq(tenant_id))
            .order_by_asc(federation_subordinate::Column::EntityId)
            .all(&self.db)
            .await
            .map_err(StoreError::Db)?
            .into_iter()
            .map(subordinate_of)
            .collect()
    }
}

/// Revokes the unrevoked marks of a (type, subject) pair; returns how many.
async fn revoke_current<C: ConnectionTrait>(db: &C, tenant_id: &str, trust_mark_type: &str, subject: &str, now: i64) -> Result<u64> {
    let r = trust_mark::Entity::update_many()
        .col_expr(trust_mark::Column::RevokedAt, Expr::value(now))
        .filter(trust_mark::Column::TenantId.eq(tenant_id))
        .filter(trust_mark::Column::TrustMarkType.eq(trust_mark_type))
        .filter(trust_mark::Column::Subject.eq(subject))
        .filter(trust_mark::Column::RevokedAt.is_null())
        .exec(db)
        .await
        .map_err(StoreError::Db)?;
    Ok(r.rows_affected)
}

fn trust_mark_of(m: trust_mark::Model) -> IssuedTrustMark {
    IssuedTrustMark { trust_mark_type: m.trust_mark_type, subject: m.subject, issued_at: m.issued_at, expires_at: m.expires_at, revoked_at: m.revoked_at }
}

impl Store {
    /// Issues a Trust Mark of `trust_mark_type` to `subject`. An earlier,
    /// unrevoked one for the same pair is revoked in the same transaction:
    /// one mark per pair is current, the others answer `revoked`.
    pub async fn issue_trust_mark(&self, tenant_id: &str, trust_mark_type: &str, subject: &str, expires_at: Option<i64>, now: i64) -> Result<IssuedTrustMark> {
        let txn = self.begin().await?;
        revoke_current(&txn, tenant_id, trust_mark_type, subject, now).await?;
        let m = trust_mark::ActiveModel {
            id: Set(new_id()),
            tenant_id: Set(tenant_id.to_owned()),
            trust_mark_type: Set(trust_mark_type.to_owned()),
            subject: Set(subject.to_owned()),
            issued_at: Set(now),
            expires_at: Set(expires_at),
            revoked_at: Set(None),
        }
        .insert(&txn)
        .await
        .map_err(StoreError::Db)?;
        txn.commit().await.map_err(StoreError::Db)?;
        Ok(trust_mark_of(m))
    }

    /// Revokes the current Trust Mark of a pair; returns whether there was one.
    pub async fn revoke_trust_mark(&self, tenant_id: &str, trust_mark_type: &str, subject: &str, now: i64) -> Result<bool> {
        Ok(revoke_current(&self.db, tenant_id, trust_mark_type, subject, now).await? > 0)
    }

    /// Trust Marks a tenant issued, optionally of one type and one subject,
    /// oldest first.
    pub async fn issued_trust_marks(&self, tenant_id: &str, trust_mark_type: Option<&str>, subject: Option<&str>) -> Result<Vec<IssuedTrustMark>> {
        let mut q = trust_mark::Entity::find().filter(trust_mark::Column::TenantId.eq(tenant_id));
        if let Some(t) = trust_mark_type {
            q = q.filter(trust_mark::Column::TrustMarkType.eq(t));
        }
        if let Some(s) = subject {
            q = q.filter(trust_mark::Column::Subject.eq(s));
        }
        let rows = q.order_by_asc(trust_mark::Column::IssuedAt).all(&self.db).await.map_err(StoreError::Db)?;
        Ok(rows.into_iter().map(trust_mark_of).collect())
    }
}

impl IssuedTrustMark {
    /// Current: not revoked and not expired at `now`.
    pub fn is_active(&self, now: i64) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| e > now)
    }
}
