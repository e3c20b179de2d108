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

use std::sync::LazyLock;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, FromQueryResult, IdenStatic, Iterable, QueryFilter, Set,
    Statement,
};
use trame_core::Randomness;
use trame_core::crypto::{b64url, b64url_decode, secret_digest, sha256};
use trame_core::user::UserProfile;
use zeroize::Zeroizing;

use super::grants::{Grant, to_domain};
use crate::entity::{grant, refresh_token, user};
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

/// A refresh token rotated by [`Store::rotate_refresh_token`]: its grant,
/// and the grant's user when it still exists in the grant's tenant (read
/// in the same step, for the ID token).
#[derive(Debug)]
pub struct Rotated {
    pub grant: Grant,
    pub user: Option<UserProfile>,
}

impl Store {
    /// Rotates a refresh token in the common case, in one step: the token
    /// is unused and unexpired, and its grant is active, of this tenant and
    /// of this client. Marks it used, stores the successor (sealed for a
    /// retry as [`Store::use_refresh_token`] does) and reads the grant and
    /// its user. On PostgreSQL one statement (one round trip, atomic on its
    /// own); on SQLite, which has no writes inside `WITH`, three statements
    /// sent as one string in a transaction: three round trips to sqlx's
    /// SQLite thread (`BEGIN`, the string, `COMMIT`) instead of five, each
    /// of which costs two thread switches on a busy core.
    ///
    /// `None` when the token is anything else (unknown, used, expired,
    /// another client's, its grant revoked or expired), with nothing
    /// changed: the caller then presents it to [`Store::use_refresh_token`],
    /// which tells those cases apart (reuse, retry within the grace,
    /// refusal). Checking the client in the claim itself is what lets
    /// another client's presentation leave the token unburned.
    pub async fn rotate_refresh_token(&self, r: Rotation<'_>, tenant_id: &str, client_id: &str, now: i64) -> Result<Option<Rotated>> {
        let digest = secret_digest(r.presented);
        let successor_digest = secret_digest(r.successor);
        let sealed = (r.reuse_grace > 0).then(|| seal(r.presented, &digest, r.successor, self.rng()));
        let backend = self.db.get_database_backend();
        let row = if backend == DbBackend::Postgres {
            let values: [sea_orm::Value; 7] =
                [now.into(), successor_digest.into(), sealed.into(), digest.into(), tenant_id.into(), client_id.into(), r.successor_expires_at.into()];
            self.db.query_one_raw(Statement::from_sql_and_values(backend, ROTATE_POSTGRES.as_str(), values)).await.map_err(StoreError::Db)?
        } else {
            // One round trip inside the transaction (sqlx runs the three
            // statements of one string in one call to its SQLite thread):
            // BEGIN, the statements, COMMIT.
            let values: Vec<sea_orm::Value> = vec![
                // The claim.
                now.into(),
                successor_digest.clone().into(),
                sealed.into(),
                digest.clone().into(),
                now.into(),
                tenant_id.into(),
                client_id.into(),
                now.into(),
                // The successor, from the claimed row.
                successor_digest.clone().into(),
                now.into(),
                r.successor_expires_at.into(),
                digest.clone().into(),
                now.into(),
                successor_digest.clone().into(),
                // The grant and its user, through the claimed row.
                digest.into(),
                now.into(),
                successor_digest.into(),
            ];
            let txn = self.begin().await?;
            let rows = txn.query_all_raw(Statement::from_sql_and_values(backend, ROTATE_SQLITE.as_str(), values)).await.map_err(StoreError::Db)?;
            txn.commit().await.map_err(StoreError::Db)?;
            rows.into_iter().next()
        };
        let Some(row) = row else {
            return Ok(None);
        };
        // The prefixes sea-orm gives the two sides of a join, which the
        // PostgreSQL statement uses too.
        let g = grant::Model::from_query_result(&row, "A_").map_err(StoreError::Db)?;
        let u = user::Model::from_query_result_optional(&row, "B_").map_err(StoreError::Db)?;
        let user = u.filter(|u| u.tenant_id == g.tenant_id).as_ref().map(super::users::to_domain);
        Ok(Some(Rotated { grant: to_domain(g)?, user }))
    }

    /// Records a new refresh token (its digest) for a grant.
    pub async fn add_refresh_token(&self, grant_id: &str, digest: &str, now: i64, expires_at: i64) -> Result<()> {
        unused(digest.to_owned(), grant_id.to_owned(), now, expires_at).insert(&self.db).await.map_err(StoreError::Db)?;
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
        let claimed = claim(&digest, &successor_digest, sealed, now).exec(&txn).await.map_err(StoreError::Db)?;
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
                unused(successor_digest, g.id.clone(), now, r.successor_expires_at).insert(&txn).await.map_err(StoreError::Db)?;
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

/// Marks the token `digest` used, with its successor, if it is unused.
fn claim(digest: &str, successor_digest: &str, sealed: Option<String>, now: i64) -> sea_orm::UpdateMany<refresh_token::Entity> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .col_expr(refresh_token::Column::SuccessorDigest, Expr::value(successor_digest.to_owned()))
        .col_expr(refresh_token::Column::SuccessorSealed, Expr::value(sealed))
        .filter(refresh_token::Column::Digest.eq(digest))
        .filter(refresh_token::Column::UsedAt.is_null())
}

/// The row of a refresh token just issued, not used yet.
fn unused(digest: String, grant_id: String, now: i64, expires_at: i64) -> refresh_token::ActiveModel {
    refresh_token::ActiveModel {
        digest: Set(digest),
        grant_id: Set(grant_id),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
        successor_digest: Set(None),
        successor_sealed: Set(None),
    }
}

/// The select list of a grant (`g`) joined with its user (`u`), under the
/// prefixes sea-orm gives the two sides of a join (`A_`, `B_`), so that
/// `from_query_result` reads the rows of both rotation statements.
fn grant_and_user_columns() -> String {
    let grant_columns = grant::Column::iter().map(|c| format!(r#"g."{0}" AS "A_{0}""#, c.as_str()));
    let user_columns = user::Column::iter().map(|c| format!(r#"u."{0}" AS "B_{0}""#, c.as_str()));
    grant_columns.chain(user_columns).collect::<Vec<_>>().join(", ")
}

/// [`Store::rotate_refresh_token`] on PostgreSQL: the claim, the successor
/// and the read in one statement. The `UPDATE`'s conditions are those of
/// the SQLite path; under concurrent presentations of one token the row
/// lock makes the others re-check `used_at IS NULL` and claim nothing.
/// `$1` now, `$2` successor digest, `$3` sealed successor, `$4` digest,
/// `$5` tenant, `$6` client, `$7` successor expiry.
static ROTATE_POSTGRES: LazyLock<String> = LazyLock::new(|| {
    let columns = grant_and_user_columns();
    format!(
        r#"WITH claimed AS (
  UPDATE "refresh_tokens" SET "used_at" = $1, "successor_digest" = $2, "successor_sealed" = $3
  WHERE "digest" = $4 AND "used_at" IS NULL AND "expires_at" > $1
    AND "grant_id" IN (SELECT "id" FROM "grants" WHERE "tenant_id" = $5 AND "client_id" = $6 AND "revoked_at" IS NULL AND "expires_at" > $1)
  RETURNING "grant_id"
), successor AS (
  INSERT INTO "refresh_tokens" ("digest", "grant_id", "created_at", "expires_at") SELECT $2, "grant_id", $1, $7 FROM claimed
)
SELECT {columns} FROM "grants" AS g JOIN claimed ON g."id" = claimed."grant_id" LEFT JOIN "users" AS u ON u."id" = g."user_id""#
    )
});

/// [`Store::rotate_refresh_token`] on SQLite, which cannot write inside
/// `WITH`: the same claim, successor and read as three statements of one
/// string, run in one transaction. The successor and the read find the
/// claimed row by its new `successor_digest` (random, this request's own),
/// so when the claim matched nothing they insert and return nothing.
/// Positional parameters, bound in order across the statements.
static ROTATE_SQLITE: LazyLock<String> = LazyLock::new(|| {
    let columns = grant_and_user_columns();
    format!(
        r#"UPDATE "refresh_tokens" SET "used_at" = ?, "successor_digest" = ?, "successor_sealed" = ?
  WHERE "digest" = ? AND "used_at" IS NULL AND "expires_at" > ?
    AND "grant_id" IN (SELECT "id" FROM "grants" WHERE "tenant_id" = ? AND "client_id" = ? AND "revoked_at" IS NULL AND "expires_at" > ?);
INSERT INTO "refresh_tokens" ("digest", "grant_id", "created_at", "expires_at")
  SELECT ?, "grant_id", ?, ? FROM "refresh_tokens" WHERE "digest" = ? AND "used_at" = ? AND "successor_digest" = ?;
SELECT {columns} FROM "refresh_tokens" AS r JOIN "grants" AS g ON g."id" = r."grant_id" LEFT JOIN "users" AS u ON u."id" = g."user_id"
  WHERE r."digest" = ? AND r."used_at" = ? AND r."successor_digest" = ?"#
    )
});

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
