//! One-time links sent by mail (e-mail verification, account recovery): a
//! 256-bit token in the link; its record in the ephemeral store under the
//! token's digest, with a TTL, bound to the tenant, taken on use.

use serde_json::{Map, Value};
use trame_core::crypto::{random_token, secret_digest};
use trame_core::tenant::Tenant;
use trame_store::EphemeralError;

use crate::error::{ApiResult, OrApi};
use crate::state::AppState;

fn key(kind: &str, token: &str) -> String {
    format!("{kind}:{}", secret_digest(token))
}

/// Stores `record` for a new link of this `kind` and tenant; returns the
/// token to put in the link.
pub async fn issue(state: &AppState, tenant: &Tenant, kind: &str, mut record: Map<String, Value>, ttl: i64) -> Result<String, EphemeralError> {
    let token = random_token(state.rng.as_ref());
    record.insert("tenant".into(), Value::String(tenant.id.clone()));
    state.ephemeral.put(&key(kind, &token), &Value::Object(record).to_string(), ttl).await?;
    Ok(token)
}

/// Reads the record of a link without using it (the page the link opens
/// shows what it would do; only its form's post takes it).
pub async fn peek(state: &AppState, tenant: &Tenant, kind: &str, token: &str) -> ApiResult<Option<Map<String, Value>>> {
    if token.len() != 43 {
        return Ok(None);
    }
    let raw = state.ephemeral.get(&key(kind, token)).await.html_err()?;
    Ok(raw.and_then(|raw| record_of(tenant, &raw)))
}

/// Takes the record of a link: `None` when the token is malformed, unknown,
/// used, expired, or of another tenant.
pub async fn redeem(state: &AppState, tenant: &Tenant, kind: &str, token: &str) -> ApiResult<Option<Map<String, Value>>> {
    if token.len() != 43 {
        return Ok(None);
    }
    let raw = state.ephemeral.take(&key(kind, token)).await.html_err()?;
    Ok(raw.and_then(|raw| record_of(tenant, &raw)))
}

/// A stored record, if it is one and of this tenant.
fn record_of(tenant: &Tenant, raw: &str) -> Option<Map<String, Value>> {
    let record = serde_json::from_str::<Map<String, Value>>(raw).ok()?;
    (record.get("tenant").and_then(Value::as_str) == Some(tenant.id.as_str())).then_some(record)
}
