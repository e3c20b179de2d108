//! Throttling of failed sign-ins, counted in the ephemeral store so every
//! node sees the same counts. Unknown accounts are counted like known
//! ones: the answer must not tell them apart.
//!
//! Three counters, so that nobody can lock someone else out:
//! - per (account, address): a hard limit, the guesses of one source
//!   against one account;
//! - per address: a hard limit, one source against many accounts;
//! - per account, from anywhere: no hard limit but a growing delay between
//!   attempts (2 s, 4 s, … up to 15 minutes) once a few failed, so a
//!   botnet gets about a hundred guesses a day while the owner waits
//!   minutes at worst, and can always sign in with a passkey, which these
//!   counters never block.
//!
//! Passwords, recovery codes and TOTP codes count under different names
//! (`username`, `recovery:username`, `otp:user id`), so failures of one do
//! not block the others.

use std::net::IpAddr;
use trame_store::ephemeral_keys;

use trame_core::crypto::secret_digest;
use trame_core::lifetimes::THROTTLE_WINDOW;

use crate::App;
use crate::error::Result;

/// Failures one address may make against one account in a window.
pub const PER_ACCOUNT_AND_ADDRESS: i64 = 10;
/// Failures allowed per address in a window (many accounts, one source).
pub const PER_ADDRESS: i64 = 100;
/// Failures of an account, from anywhere, before attempts are spaced out.
pub const FREE_FAILURES: i64 = 5;
/// The longest wait between two attempts on one account.
pub const MAX_DELAY: i64 = 15 * 60;
/// How long an account's failures are remembered.
pub const ACCOUNT_WINDOW: i64 = 24 * 3600;

struct Keys {
    account: String,
    last_failure: String,
    pair: Option<String>,
    addr: Option<String>,
}

fn keys(tenant_id: &str, name: &str, ip: Option<IpAddr>) -> Keys {
    // Names and addresses are hashed: counters must not put personal data
    // in Redis keys.
    let account = secret_digest(&name.trim().to_lowercase());
    let ip = ip.map(|ip| secret_digest(&ip.to_string()));
    Keys {
        last_failure: ephemeral_keys::throttle("at", tenant_id, &account),
        pair: ip.as_ref().map(|ip| ephemeral_keys::throttle("ai", tenant_id, &format!("{account}:{ip}"))),
        addr: ip.map(|ip| ephemeral_keys::throttle("i", tenant_id, &ip)),
        account: ephemeral_keys::throttle("a", tenant_id, &account),
    }
}

/// The wait after `failures` failures of one account, in seconds.
pub fn delay_after(failures: i64) -> i64 {
    if failures <= FREE_FAILURES {
        return 0;
    }
    let exponent = u32::try_from((failures - FREE_FAILURES).min(20)).unwrap_or(20);
    2i64.pow(exponent).min(MAX_DELAY)
}

pub async fn is_blocked(app: &App, tenant_id: &str, name: &str, ip: Option<IpAddr>) -> Result<bool> {
    Ok(standing(app, tenant_id, name, ip).await? == Standing::Blocked)
}

/// Where a sign-in attempt stands before its password is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// No recent failure for the account nor the address.
    Clean,
    /// Recent failures, under the limits: checked, in the suspect lane of
    /// `password_work`, so a flood of guesses cannot delay clean sign-ins.
    Suspect,
    /// Over a limit, or too soon after the account's last failure: refused
    /// before any password check.
    Blocked,
}

async fn count_of(app: &App, key: Option<&String>) -> Result<i64> {
    match key {
        Some(k) => Ok(app.ephemeral.count(k).await?),
        None => Ok(0),
    }
}

pub async fn standing(app: &App, tenant_id: &str, name: &str, ip: Option<IpAddr>) -> Result<Standing> {
    let k = keys(tenant_id, name, ip);
    let by_account = app.ephemeral.count(&k.account).await?;
    let by_pair = count_of(app, k.pair.as_ref()).await?;
    let by_addr = count_of(app, k.addr.as_ref()).await?;
    if by_pair >= PER_ACCOUNT_AND_ADDRESS || by_addr >= PER_ADDRESS {
        return Ok(Standing::Blocked);
    }
    let wait = delay_after(by_account);
    if wait > 0 {
        let last = app.ephemeral.get(&k.last_failure).await?.and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
        if app.now() < last + wait {
            return Ok(Standing::Blocked);
        }
    }
    Ok(if by_account > 0 || by_addr > 0 { Standing::Suspect } else { Standing::Clean })
}

pub async fn record_failure(app: &App, tenant_id: &str, name: &str, ip: Option<IpAddr>) -> Result<()> {
    let k = keys(tenant_id, name, ip);
    app.ephemeral.incr(&k.account, ACCOUNT_WINDOW).await?;
    app.ephemeral.put(&k.last_failure, &app.now().to_string(), ACCOUNT_WINDOW).await?;
    for key in [k.pair, k.addr].into_iter().flatten() {
        app.ephemeral.incr(&key, THROTTLE_WINDOW).await?;
    }
    Ok(())
}

/// A success: the account's failures, and those of this address against
/// it, are forgotten (not the address's failures against other accounts).
pub async fn clear_account(app: &App, tenant_id: &str, name: &str, ip: Option<IpAddr>) -> Result<()> {
    let k = keys(tenant_id, name, ip);
    for key in [Some(k.account), Some(k.last_failure), k.pair].into_iter().flatten() {
        app.ephemeral.delete(&key).await?;
    }
    Ok(())
}

/// Failed TOTP codes of an account, remembered for the account page's
/// notice ("someone tried codes") until the person has seen it.
fn otp_notice_key(tenant_id: &str, user_id: &str) -> String {
    ephemeral_keys::throttle("otpn", tenant_id, &secret_digest(user_id))
}

/// Counts a failed TOTP code for the account page's notice.
pub async fn record_otp_failure(app: &App, tenant_id: &str, user_id: &str) -> Result<()> {
    app.ephemeral.incr(&otp_notice_key(tenant_id, user_id), 30 * 24 * 3600).await?;
    Ok(())
}

/// The failed TOTP codes since the account page last said so; forgotten
/// once read.
pub async fn take_otp_failures(app: &App, tenant_id: &str, user_id: &str) -> Result<i64> {
    let key = otp_notice_key(tenant_id, user_id);
    let n = app.ephemeral.count(&key).await?;
    if n > 0 {
        app.ephemeral.delete(&key).await?;
    }
    Ok(n)
}

/// Counts one more request of `kind` from `ip` in the window; false once
/// the address is over `limit`. Addresses are hashed in the key; a request
/// without a known address is not counted.
async fn per_address(app: &App, kind: &str, tenant_id: &str, ip: Option<IpAddr>, limit: i64) -> Result<bool> {
    let Some(ip) = ip else { return Ok(true) };
    let key = ephemeral_keys::throttle(kind, tenant_id, &secret_digest(&ip.to_string()));
    Ok(app.ephemeral.incr(&key, THROTTLE_WINDOW).await? <= limit)
}

/// Passkey ceremonies a client address may start in a window: each one
/// costs an entry in the ephemeral store, so an unauthenticated flood must
/// not be able to fill it. Generous, because a town hall's whole staff may
/// share one address.
pub const CEREMONIES_PER_ADDRESS: i64 = 600;

/// Counts a ceremony start from `ip`; false once the address is over its
/// allowance for the window.
pub async fn allow_ceremony(app: &App, tenant_id: &str, ip: Option<IpAddr>) -> Result<bool> {
    per_address(app, "c", tenant_id, ip, CEREMONIES_PER_ADDRESS).await
}

/// Client registrations one address may make per window on a tenant with
/// open registration: enough for a developer, not for filling the database.
pub const REGISTRATIONS_PER_ADDRESS: i64 = 30;

/// Counts a registration from `ip`; false once the address is over its
/// allowance for the window.
pub async fn allow_registration(app: &App, tenant_id: &str, ip: Option<IpAddr>) -> Result<bool> {
    per_address(app, "r", tenant_id, ip, REGISTRATIONS_PER_ADDRESS).await
}

/// Federation resolve requests one address may make per window: each may
/// make Trame fetch many statements from other servers.
pub const RESOLVES_PER_ADDRESS: i64 = 60;

/// Counts a federation resolve request from `ip`; false once the address
/// is over its allowance for the window.
pub async fn allow_federation_resolve(app: &App, tenant_id: &str, ip: Option<IpAddr>) -> Result<bool> {
    per_address(app, "fr", tenant_id, ip, RESOLVES_PER_ADDRESS).await
}

/// Peer logo requests one address may make per window: each may make
/// Trame fetch an image from another server. A sign-in page shows every
/// peer's logo, and browsers keep them for an hour.
pub const LOGOS_PER_ADDRESS: i64 = 300;

/// Counts a peer logo request from `ip`; false once the address is over
/// its allowance for the window.
pub async fn allow_logo(app: &App, tenant_id: &str, ip: Option<IpAddr>) -> Result<bool> {
    per_address(app, "logo", tenant_id, ip, LOGOS_PER_ADDRESS).await
}

/// Pending sign-ins one address may start per window: each is stored until
/// it expires, so a script must not be able to fill the ephemeral store.
/// Generous, like [`CEREMONIES_PER_ADDRESS`]: a town hall shares one address.
pub const INTERACTIONS_PER_ADDRESS: i64 = 600;

/// Counts a new pending sign-in from `ip`; false once the address is over
/// its allowance for the window.
pub async fn allow_interaction(app: &App, tenant_id: &str, ip: Option<IpAddr>) -> Result<bool> {
    per_address(app, "ia", tenant_id, ip, INTERACTIONS_PER_ADDRESS).await
}

/// Usernames one address may try at sign-up per window: the answer says
/// whether one is taken, so it must not be a way to list the accounts.
pub const USERNAME_CHECKS_PER_ADDRESS: i64 = 20;

/// Counts a sign-up username check from `ip`; false once the address is
/// over its allowance for the window.
pub async fn allow_username_check(app: &App, tenant_id: &str, ip: Option<IpAddr>) -> Result<bool> {
    per_address(app, "su", tenant_id, ip, USERNAME_CHECKS_PER_ADDRESS).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_then_stop_growing() {
        assert_eq!((0..=FREE_FAILURES).map(delay_after).max(), Some(0));
        assert_eq!(delay_after(FREE_FAILURES + 1), 2);
        assert_eq!(delay_after(FREE_FAILURES + 2), 4);
        assert_eq!(delay_after(FREE_FAILURES + 9), 512);
        assert_eq!(delay_after(FREE_FAILURES + 10), MAX_DELAY);
        assert_eq!(delay_after(i64::MAX), MAX_DELAY);
        // About a hundred guesses a day at most, once delays are at their
        // longest: the free ones, the growing ones, then one per MAX_DELAY.
        let mut t = 0;
        let mut n = 0;
        while t < ACCOUNT_WINDOW {
            t += delay_after(n).max(1);
            n += 1;
        }
        assert!(n < 120, "{n} guesses a day");
    }
}
