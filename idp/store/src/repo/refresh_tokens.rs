//! Refresh-token rotation (RFC 9700 §4.14.2). Presenting a token marks it
//! used and stores its successor in the same transaction; presenting a used
//! token again revokes the whole grant, except an exact retry within the
//! client's grace (the answer to the first presentation was lost on the
//! way), which gets the same successor back while that successor is unused.
//!
//! For such a retry the successor is kept sealed (AES-256-GCM) under a key
//! derived from the presented token, which is never stored itself: only the
//! holder of the old token can recover the new one, a copy of the database
//! cannot.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set};
use trame_core::Randomness;
use trame_core::crypto::{b64url, b64url_decode, secret_digest, sha256};
use zeroize::Zeroizing;

use super::grants::{Grant, to_domain};
use crate::entity::{grant, refresh_token};
use crate::{Result, Store, StoreError};

/// A presentation of a refresh token at the token endpoint.
#[derive(Debug, Clone, Copy)]
pub struct Rotation<'a> {
    /// The token presented (not its digest: a retry's successor is unsealed
    /// with it).
    pub presented: &'a str,
    /// The token issued in its place if this presentation rotates it.
    pub successor: &'a str,
    pub successor_expires_at: i64,
    /// The client's grace for an exact retry, in seconds (0: none).
    pub reuse_grace: i64,
}

/// The result of presenting a refresh token.
// A short-lived return value: boxing the grant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum RefreshOutcome {
    /// Valid and now used; the successor is stored in its place.
    Rotated(Grant),
    /// An exact retry within the grace: the successor the first
    /// presentation stored, to be issued again.
    Retried { grant: Grant, successor: String },
    /// Already used: the grant has been revoked.
    Reused,
    /// Unknown, expired, or its grant is revoked or expired.
    Invalid,
}

impl Store {
    /// Records a new refresh token (its digest) for a grant.
    pub async fn add_refresh_token(&self, grant_id: &str, digest: &str, now: i64, expires_at: i64) -> Result<()> {
        refresh_token::ActiveModel {
            digest: Set(digest.to_owned()),
            grant_id: Set(grant_id.to_owned()),
            created_at: Set(now),
            expires_at: Set(expires_at),
            used_at: Set(None),
            successor_digest: Set(None),
            successor_sealed: Set(None),
        }
        .insert(&self.db)
        .await
        .map_err(StoreError::Db)?;
        Ok(())
    }

    /// Uses a refresh token, atomically: of two concurrent requests with the
    /// same token exactly one rotates it; the other is a retry (within the
    /// grace) or a reuse.
    pub async fn use_refresh_token(&self, r: Rotation<'_>, now: i64) -> Result<RefreshOutcome> {
        let digest = secret_digest(r.presented);
        let successor_digest = secret_digest(r.successor);
        // Sealed only when a retry may need it.
        let sealed = (r.reuse_grace > 0).then(|| seal(r.presented, &digest, r.successor, self.rng()));
        let txn = self.begin().await?;
        // Claim first, read after: with the write as the transaction's first
        // statement SQLite takes its write lock up front (waiting on
        // busy_timeout); a read-then-write transaction would instead fail
        // with "database is locked" when another writer got in between.
        let claimed = refresh_token::Entity::update_many()
            .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
            .col_expr(refresh_token::Column::SuccessorDigest, Expr::value(successor_digest.clone()))
            .col_expr(refresh_token::Column::SuccessorSealed, Expr::value(sealed))
            .filter(refresh_token::Column::Digest.eq(digest.as_str()))
            .filter(refresh_token::Column::UsedAt.is_null())
            .exec(&txn)
            .await
            .map_err(StoreError::Db)?;
        let Some(row) = refresh_token::Entity::find_by_id(digest.clone()).one(&txn).await.map_err(StoreError::Db)? else {
            txn.rollback().await.map_err(StoreError::Db)?;
            return Ok(RefreshOutcome::Invalid);
        };
        if claimed.rows_affected == 0 {
            if let Some(retried) = retry(&txn, &row, &r, &digest, now).await? {
                txn.rollback().await.map_err(StoreError::Db)?;
                return Ok(retried);
            }
            grant::Entity::update_many()
                .col_expr(grant::Column::RevokedAt, Expr::value(now))
                .filter(grant::Column::Id.eq(row.grant_id.as_str()))
                .filter(grant::Column::RevokedAt.is_null())
                .exec(&txn)
                .await
                .map_err(StoreError::Db)?;
            txn.commit().await.map_err(StoreError::Db)?;
            return Ok(RefreshOutcome::Reused);
        }
        let grant = grant::Entity::find_by_id(row.grant_id.clone()).one(&txn).await.map_err(StoreError::Db)?;
        match grant.map(to_domain).transpose()? {
            Some(g) if g.is_active(now) && row.expires_at > now => {
                // The successor in the same transaction as the claim: a crash
                // in between cannot leave a used token without its successor.
                refresh_token::ActiveModel {
                    digest: Set(successor_digest),
                    grant_id: Set(g.id.clone()),
                    created_at: Set(now),
                    expires_at: Set(r.successor_expires_at),
                    used_at: Set(None),
                    successor_digest: Set(None),
                    successor_sealed: Set(None),
                }
                .insert(&txn)
                .await
                .map_err(StoreError::Db)?;
                txn.commit().await.map_err(StoreError::Db)?;
                Ok(RefreshOutcome::Rotated(g))
            }
            _ => {
                txn.rollback().await.map_err(StoreError::Db)?;
                Ok(RefreshOutcome::Invalid)
            }
        }
    }
}

/// An exact retry of a used token: within the grace since its rotation,
/// with a successor that was stored sealed, is still unused and unexpired,
/// and a grant still active. Anything else is `None` (a reuse). Reads only:
/// run beside a concurrent use of the successor, it amounts to the retry
/// coming first.
async fn retry(txn: &DatabaseTransaction, row: &refresh_token::Model, r: &Rotation<'_>, digest: &str, now: i64) -> Result<Option<RefreshOutcome>> {
    let (Some(used_at), Some(successor_digest), Some(sealed)) = (row.used_at, &row.successor_digest, &row.successor_sealed) else {
        return Ok(None);
    };
    if r.reuse_grace <= 0 || now - used_at > r.reuse_grace {
        return Ok(None);
    }
    let successor = refresh_token::Entity::find_by_id(successor_digest.clone()).one(txn).await.map_err(StoreError::Db)?;
    if !successor.is_some_and(|s| s.used_at.is_none() && s.expires_at > now) {
        return Ok(None);
    }
    let grant = grant::Entity::find_by_id(row.grant_id.clone()).one(txn).await.map_err(StoreError::Db)?;
    let Some(grant) = grant.map(to_domain).transpose()?.filter(|g| g.is_active(now)) else {
        return Ok(None);
    };
    let successor = open(r.presented, digest, sealed)?;
    Ok(Some(RefreshOutcome::Retried { grant, successor }))
}

/// The key a successor is sealed under: derived from the presented token,
/// apart from its stored digest (SHA-256 of the token alone) by a label.
/// Tokens carry 256 random bits, so one hash is a sound derivation.
fn successor_key(presented: &str) -> Zeroizing<[u8; 32]> {
    let mut input = Zeroizing::new(b"trame refresh-token successor v1\0".to_vec());
    input.extend_from_slice(presented.as_bytes());
    Zeroizing::new(sha256(&input))
}

fn cipher(presented: &str) -> Aes256Gcm {
    Aes256Gcm::new_from_slice(successor_key(presented).as_ref()).expect("the derived key is 32 bytes")
}

/// base64url(nonce ‖ ciphertext), bound to the presented token's row by its
/// digest as associated data.
fn seal(presented: &str, digest: &str, successor: &str, rng: &dyn Randomness) -> String {
    let mut nonce = [0u8; 12];
    rng.fill(&mut nonce);
    let ct = cipher(presented)
        .encrypt(&Nonce::try_from(&nonce[..]).expect("12-byte nonce"), Payload { msg: successor.as_bytes(), aad: digest.as_bytes() })
        .expect("AES-GCM encryption of a small buffer cannot fail");
    let mut out = nonce.to_vec();
    out.extend_from_slice(&ct);
    b64url(&out)
}

fn open(presented: &str, digest: &str, sealed: &str) -> Result<String> {
    let corrupt = || StoreError::Corrupt("sealed refresh-token successor".into());
    let raw = b64url_decode(sealed).ok_or_else(corrupt)?;
    if raw.len() < 12 + 16 {
        return Err(corrupt());
    }
    let (nonce, ct) = raw.split_at(12);
    let nonce = Nonce::try_from(nonce).map_err(|_| corrupt())?;
    let plain = cipher(presented).decrypt(&nonce, Payload { msg: ct, aad: digest.as_bytes() }).map_err(|_| corrupt())?;
    String::from_utf8(plain).map_err(|_| corrupt())
}

#[cfg(test)]
mod tests {
    use super::*;
    use trame_core::OsRandom;

    #[test]
    fn only_the_presented_token_opens_its_successor() {
        let sealed = seal("old-token", "old-digest", "new-token", &OsRandom);
        assert!(!sealed.contains("new-token"));
        assert_eq!(open("old-token", "old-digest", &sealed).unwrap(), "new-token");
        assert!(open("other-token", "old-digest", &sealed).is_err(), "another token");
        assert!(open("old-token", "other-digest", &sealed).is_err(), "moved to another row");
        assert!(open("old-token", "old-digest", "AAAA").is_err(), "truncated");
        assert_ne!(seal("old-token", "old-digest", "new-token", &OsRandom), sealed, "a fresh nonce each time");
    }
}
