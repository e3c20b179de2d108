//! Authorization codes: what a code stands for, kept in the ephemeral
//! store under the code's digest until the token endpoint takes it (once,
//! atomically) or it lapses.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use trame_core::crypto::random_token;
use trame_core::lifetimes;
use trame_store::EphemeralError;

use crate::App;

/// What the token endpoint needs to redeem a code.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CodeRecord {
    pub tenant_id: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub user_id: String,
    pub scopes: String,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub auth_time: i64,
    pub acr: String,
    pub amr: Vec<String>,
    pub sid: String,
    pub claims: Value,
    /// When the code stops being redeemable, by the application clock (the
    /// ephemeral store's TTL is only a clean-up bound).
    pub expires_at: i64,
}

/// Where the record of `code` is kept: only its digest, so the store
/// never holds a redeemable code.
pub fn code_key(code: &str) -> String {
    trame_store::ephemeral_keys::code(code)
}

/// Stores `record` under a new random code and returns the code.
pub async fn issue(app: &App, record: &CodeRecord) -> Result<String, EphemeralError> {
    let code = random_token(app.rng.as_ref());
    let json = serde_json::to_string(record).expect("a code record serializes");
    app.ephemeral.put(&code_key(&code), &json, lifetimes::AUTHORIZATION_CODE).await?;
    Ok(code)
}
