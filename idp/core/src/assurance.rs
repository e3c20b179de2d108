//! Authentication methods (RFC 8176 `amr`) and assurance levels (`acr`).
//!
//! The level reached is computed from the methods actually used, through the
//! tenant's policy, never copied from what the client asked for. A request
//! for a level the session does not meet leads to step-up, never to a
//! silent downgrade.

use std::collections::BTreeMap;

/// eIDAS-style levels, as FranceConnect uses them, lowest first.
pub const LEVELS: &[&str] = &["eidas1", "eidas2", "eidas3"];

/// One way the person proved who they are during a sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Password,
    /// A time-based one-time password (RFC 6238) as second factor.
    Totp,
    /// A passkey. `device_bound`: the authenticator says the key cannot
    /// leave it (not backup-eligible), so it is a hardware-secured key;
    /// `user_verified`: PIN or biometrics checked by the authenticator.
    Passkey {
        device_bound: bool,
        user_verified: bool,
    },
    /// A single-use recovery code or an e-mailed recovery link.
    Recovery,
}

impl Method {
    fn amr(self, out: &mut Vec<&'static str>) {
        match self {
            Method::Password => out.push("pwd"),
            Method::Totp | Method::Recovery => out.push("otp"),
            Method::Passkey { device_bound, user_verified } => {
                out.push(if device_bound { "hwk" } else { "swk" });
                if user_verified {
                    out.push("user");
                }
            }
        }
    }

    /// Which independent factor classes the method proves: something you
    /// know, have, are. A passkey with user verification proves possession
    /// and knowledge or inherence at once.
    fn factors(self) -> &'static [Factor] {
        match self {
            Method::Password => &[Factor::Knowledge],
            Method::Totp => &[Factor::Possession],
            Method::Passkey { user_verified: true, .. } => &[Factor::Possession, Factor::Inherence],
            Method::Passkey { user_verified: false, .. } => &[Factor::Possession],
            Method::Recovery => &[Factor::Knowledge],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Factor {
    Knowledge,
    Possession,
    Inherence,
}

/// The `amr` values of a sign-in, with `mfa` when two factor classes were
/// proven (RFC 8176 §2).
pub fn amr(methods: &[Method]) -> Vec<String> {
    let mut out = Vec::new();
    let mut factors = Vec::new();
    for m in methods {
        m.amr(&mut out);
        for f in m.factors() {
            if !factors.contains(f) {
                factors.push(*f);
            }
        }
    }
    if factors.len() >= 2 {
        out.push("mfa");
    }
    let mut v: Vec<String> = Vec::new();
    for a in out {
        if !v.iter().any(|x| x == a) {
            v.push(a.to_owned());
        }
    }
    v
}

/// A tenant's mapping from `amr` values to levels: a level is reached when
/// every `amr` value it lists was used. The lowest level needs nothing but a
/// successful sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcrPolicy {
    rules: BTreeMap<String, Vec<String>>,
}

impl Default for AcrPolicy {
    /// Two factors (a passkey with user verification, or a password and a
    /// TOTP code) reach `eidas2`. `eidas3` ("high") also needs identity
    /// proofing that Trame does not do, so no method reaches it unless the
    /// operator says so (e.g. `eidas3=hwk+user` for device-bound keys).
    fn default() -> Self {
        let mut rules = BTreeMap::new();
        rules.insert("eidas2".to_owned(), vec!["mfa".to_owned()]);
        Self { rules }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PolicyError {
    #[error("'{0}' is not LEVEL=AMR[+AMR...] (for example eidas3=hwk+user)")]
    Syntax(String),
    #[error("unknown level '{0}' (known: eidas2, eidas3)")]
    Level(String),
    #[error("unknown amr value '{0}' (known: pwd, otp, hwk, swk, user, mfa)")]
    Amr(String),
}

const KNOWN_AMR: &[&str] = &["pwd", "otp", "hwk", "swk", "user", "mfa"];

impl AcrPolicy {
    /// Parses rules like `eidas3=hwk+user`; later rules replace earlier
    /// ones for the same level, on top of the default policy.
    pub fn parse(rules: &[String]) -> Result<Self, PolicyError> {
        let mut p = Self::default();
        for r in rules {
            let (level, amrs) = r.split_once('=').ok_or_else(|| PolicyError::Syntax(r.clone()))?;
            let level = level.trim();
            if !LEVELS[1..].contains(&level) {
                return Err(PolicyError::Level(level.to_owned()));
            }
            let list: Vec<String> = amrs.split('+').map(|a| a.trim().to_owned()).collect();
            if let Some(bad) = list.iter().find(|a| !KNOWN_AMR.contains(&a.as_str())) {
                return Err(PolicyError::Amr(bad.clone()));
            }
            p.rules.insert(level.to_owned(), list);
        }
        Ok(p)
    }

    /// The rules as `LEVEL=AMR+AMR` strings (stored as such).
    pub fn to_rules(&self) -> Vec<String> {
        self.rules.iter().map(|(l, a)| format!("{l}={}", a.join("+"))).collect()
    }

    /// Whether some way of signing in reaches `level` under this policy.
    pub fn reachable(&self, level: &str) -> bool {
        level == LEVELS[0] || self.rules.contains_key(level)
    }

    /// The highest level the `amr` values of a sign-in reach.
    pub fn level_reached(&self, amr: &[String]) -> &'static str {
        let mut best = LEVELS[0];
        for level in &LEVELS[1..] {
            if let Some(need) = self.rules.get(*level)
                && need.iter().all(|n| amr.contains(n))
            {
                best = level;
            }
        }
        best
    }
}

fn rank(level: &str) -> Option<usize> {
    LEVELS.iter().position(|l| *l == level)
}

/// Whether the reached level satisfies one of the requested values. Unknown
/// values cannot be satisfied.
pub fn satisfies(reached: &str, requested: &[String]) -> bool {
    let Some(have) = rank(reached) else { return false };
    requested.iter().any(|r| rank(r).is_some_and(|want| have >= want))
}

/// The lowest known level among requested values: what a step-up must
/// reach. `None` when no requested value is a level Trame knows.
pub fn required_level(requested: &[String]) -> Option<&'static str> {
    requested.iter().filter_map(|r| rank(r)).min().map(|i| LEVELS[i])
}

/// Whether an `amr` value is one Trame knows (RFC 8176 values it uses).
pub fn is_known_amr(value: &str) -> bool {
    KNOWN_AMR.contains(&value)
}

/// `reached`, lowered to `ceiling` when that is a lower level: a sign-in
/// at a peer provider never counts for more than the peer asserted. A
/// ceiling that is absent or not a known level gives the lowest level.
pub fn at_most(reached: &'static str, ceiling: Option<&str>) -> &'static str {
    let cap = ceiling.and_then(rank).unwrap_or(0);
    LEVELS[rank(reached).unwrap_or(0).min(cap)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_peer_assertion_caps_the_level() {
        assert_eq!(at_most("eidas2", Some("eidas1")), "eidas1");
        assert_eq!(at_most("eidas1", Some("eidas3")), "eidas1", "the peer's level never raises ours");
        assert_eq!(at_most("eidas2", Some("eidas2")), "eidas2");
        assert_eq!(at_most("eidas2", None), "eidas1");
        assert_eq!(at_most("eidas2", Some("urn:other:loa:high")), "eidas1", "an unknown level counts as the lowest");
        assert!(is_known_amr("mfa") && is_known_amr("hwk") && !is_known_amr("sms") && !is_known_amr(""));
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| (*x).to_owned()).collect()
    }

    #[test]
    fn levels_compare() {
        assert!(satisfies("eidas2", &s(&["eidas1"])));
        assert!(satisfies("eidas1", &s(&["eidas1", "eidas3"])));
        assert!(!satisfies("eidas1", &s(&["eidas2"])));
        assert!(!satisfies("eidas1", &s(&["urn:unknown"])));
        assert_eq!(required_level(&s(&["urn:x", "eidas3", "eidas2"])), Some("eidas2"));
        assert_eq!(required_level(&s(&["1", "2"])), None);
    }

    #[test]
    fn amr_values_per_rfc_8176() {
        assert_eq!(amr(&[Method::Password]), s(&["pwd"]));
        assert_eq!(amr(&[Method::Password, Method::Totp]), s(&["pwd", "otp", "mfa"]));
        assert_eq!(amr(&[Method::Passkey { device_bound: false, user_verified: true }]), s(&["swk", "user", "mfa"]));
        assert_eq!(amr(&[Method::Passkey { device_bound: true, user_verified: true }]), s(&["hwk", "user", "mfa"]));
        assert_eq!(amr(&[Method::Passkey { device_bound: true, user_verified: false }]), s(&["hwk"]));
        assert_eq!(amr(&[Method::Recovery]), s(&["otp"]));
    }

    #[test]
    fn default_policy() {
        let p = AcrPolicy::default();
        assert_eq!(p.level_reached(&s(&["pwd"])), "eidas1");
        assert_eq!(p.level_reached(&s(&["pwd", "otp", "mfa"])), "eidas2");
        assert_eq!(p.level_reached(&s(&["hwk", "user", "mfa"])), "eidas2");
        assert_eq!(p.level_reached(&s(&["otp"])), "eidas1");
        assert!(p.reachable("eidas1") && p.reachable("eidas2") && !p.reachable("eidas3"));
    }

    #[test]
    fn tenant_policy() {
        let p = AcrPolicy::parse(&s(&["eidas3=hwk+user"])).unwrap();
        assert_eq!(p.level_reached(&s(&["hwk", "user", "mfa"])), "eidas3");
        assert_eq!(p.level_reached(&s(&["swk", "user", "mfa"])), "eidas2");
        assert_eq!(AcrPolicy::parse(&p.to_rules()).unwrap(), p);
        assert_eq!(AcrPolicy::parse(&s(&["eidas9=pwd"])), Err(PolicyError::Level("eidas9".into())));
        assert_eq!(AcrPolicy::parse(&s(&["eidas2=pin"])), Err(PolicyError::Amr("pin".into())));
        assert_eq!(AcrPolicy::parse(&s(&["eidas2"])), Err(PolicyError::Syntax("eidas2".into())));
        assert_eq!(AcrPolicy::parse(&s(&["eidas1=pwd"])), Err(PolicyError::Level("eidas1".into())));
    }
}
