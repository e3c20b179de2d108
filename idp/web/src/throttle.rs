//! Throttling of failed sign-ins, per account and per client address,
//! counted in the ephemeral store so every node sees the same counts.
//! Unknown accounts are counted like known ones: the answer must not tell
//! them apart.

use std::net::IpAddr;

use trame_core::crypto::secret_digest;
use trame_core::lifetimes::THROTTLE_WINDOW;

use crate::error::{ApiResult, OrApi};
use crate::state::AppState;

/// Failures allowed per account in a window, then refused until it ends.
pub const PER_ACCOUNT: i64 = 10;
/// Failures allowed per address in a window (many accounts, one source).
pub const PER_ADDRESS: i64 = 100;

fn keys(tenant_id: &str, username: &str, ip: Option<IpAddr>) -> (String, Option<String>) {
    // Usernames are hashed: counters must not put personal data in Redis keys.
    let account = format!("thr:a:{tenant_id}:{}", secret_digest(&username.trim().to_lowercase()));
    let addr = ip.map(|ip| format!("thr:i:{tenant_id}:{}", secret_digest(&ip.to_string())));
    (account, addr)
}

pub async fn is_blocked(state: &AppState, tenant_id: &str, username: &str, ip: Option<IpAddr>) -> ApiResult<bool> {
    Ok(standing(state, tenant_id, username, ip).await? == Standing::Blocked)
}

/// Where a sign-in attempt stands before its password is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// No recent failure for the account nor the address.
    Clean,
    /// Recent failures, under the limits: checked, in the suspect lane of
    /// `password_work`, so a flood of guesses cannot delay clean sign-ins.
    Suspect,
    /// Over a limit: refused before any password check.
    Blocked,
}

pub async fn standing(state: &AppState, tenant_id: &str, username: &str, ip: Option<IpAddr>) -> ApiResult<Standing> {
    let (account, addr) = keys(tenant_id, username, ip);
    let by_account = state.ephemeral.count(&account).await.html_err()?;
    let by_addr = match addr {
        Some(a) => state.ephemeral.count(&a).await.html_err()?,
        None => 0,
    };
    Ok(if by_account >= PER_ACCOUNT || by_addr >= PER_ADDRESS {
        Standing::Blocked
    } else if by_account > 0 || by_addr > 0 {
        Standing::Suspect
    } else {
        Standing::Clean
    })
}

pub async fn record_failure(state: &AppState, tenant_id: &str, username: &str, ip: Option<IpAddr>) -> ApiResult<()> {
    let (account, addr) = keys(tenant_id, username, ip);
    state.ephemeral.incr(&account, THROTTLE_WINDOW).await.html_err()?;
    if let Some(a) = addr {
        state.ephemeral.incr(&a, THROTTLE_WINDOW).await.html_err()?;
    }
    Ok(())
}

pub async fn clear_account(state: &AppState, tenant_id: &str, username: &str) -> ApiResult<()> {
    let (account, _) = keys(tenant_id, username, None);
    state.ephemeral.delete(&account).await.html_err()
}

/// Passkey ceremonies a client address may start in a window: each one
/// costs an entry in the ephemeral store, so an unauthenticated flood must
/// not be able to fill it. Generous, because a town hall's whole staff may
/// share one address.
pub const CEREMONIES_PER_ADDRESS: i64 = 600;

/// Counts a ceremony start from `ip`; false once the address is over its
/// allowance for the window.
pub async fn allow_ceremony(state: &AppState, tenant_id: &str, ip: Option<IpAddr>) -> ApiResult<bool> {
    let Some(ip) = ip else { return Ok(true) };
    let key = format!("thr:c:{tenant_id}:{}", secret_digest(&ip.to_string()));
    let n = state.ephemeral.incr(&key, THROTTLE_WINDOW).await.json_err()?;
    Ok(n <= CEREMONIES_PER_ADDRESS)
}

/// Client registrations one address may make per window on a tenant with
/// open registration: enough for a developer, not for filling the database.
pub const REGISTRATIONS_PER_ADDRESS: i64 = 30;

/// Counts a registration from `ip`; false once the address is over its
/// allowance for the window.
pub async fn allow_registration(state: &AppState, tenant_id: &str, ip: Option<IpAddr>) -> ApiResult<bool> {
    let Some(ip) = ip else { return Ok(true) };
    let key = format!("thr:r:{tenant_id}:{}", secret_digest(&ip.to_string()));
    let n = state.ephemeral.incr(&key, THROTTLE_WINDOW).await.json_err()?;
    Ok(n <= REGISTRATIONS_PER_ADDRESS)
}

/// Federation resolve requests one address may make per window: each may
/// make Trame fetch many statements from other servers.
pub const RESOLVES_PER_ADDRESS: i64 = 60;

/// Counts a federation resolve request from `ip`; false once the address
/// is over its allowance for the window.
pub async fn allow_federation_resolve(state: &AppState, tenant_id: &str, ip: Option<IpAddr>) -> ApiResult<bool> {
    let Some(ip) = ip else { return Ok(true) };
    let key = format!("thr:fr:{tenant_id}:{}", secret_digest(&ip.to_string()));
    let n = state.ephemeral.incr(&key, THROTTLE_WINDOW).await.json_err()?;
    Ok(n <= RESOLVES_PER_ADDRESS)
}

/// Peer logo requests one address may make per window: each may make
/// Trame fetch an image from another server. A sign-in page shows every
/// peer's logo, and browsers keep them for an hour.
pub const LOGOS_PER_ADDRESS: i64 = 300;

/// Counts a peer logo request from `ip`; false once the address is over
/// its allowance for the window.
pub async fn allow_logo(state: &AppState, tenant_id: &str, ip: Option<IpAddr>) -> ApiResult<bool> {
    let Some(ip) = ip else { return Ok(true) };
    let key = format!("thr:logo:{tenant_id}:{}", secret_digest(&ip.to_string()));
    let n = state.ephemeral.incr(&key, THROTTLE_WINDOW).await.html_err()?;
    Ok(n <= LOGOS_PER_ADDRESS)
}
