//! The decision every step of a sign-in comes back to. After the
//! authorization request, after each sign-in page and after the consent
//! page, [`next_step`] looks at the request, the session and what happened
//! during the pending sign-in, and says what comes next: sign in (perhaps
//! at a higher level), consent, an error for the client, or a code.
//!
//! It is pure: the caller gathers the facts (the session, the stored
//! consent, whether an `id_token_hint` names the session's user) and acts
//! on the [`Step`] (a page, a redirect, a stored code), so every branch is
//! tested here without HTTP or storage.

use serde_json::Value;
use trame_core::assurance::{self, AcrPolicy, Method};
use trame_core::authorize::AuthorizationRequest;
use trame_core::client::Client;
use trame_core::keys;
use trame_core::oauth::ErrorCode;
use trame_core::scope::Scopes;
use trame_core::tenant::CredentialUpgrade;
use trame_store::StoreError;

use crate::mail_link::UPGRADED_LEVEL;
use crate::{App, TenantEntry};

/// The session the browser holds, as far as the decision needs it.
#[derive(Debug, Clone, Copy)]
pub struct SessionFacts<'a> {
    /// When the person last authenticated (`auth_time`).
    pub auth_time: i64,
    /// The level the session reached.
    pub acr: &'a str,
}

/// What the request's `id_token_hint` says about the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    /// No hint.
    Absent,
    /// Not an ID token this tenant issued to this client.
    Invalid,
    /// An ID token of the session's user.
    SessionUser,
    /// An ID token of someone else (or there is no session).
    OtherUser,
}

/// Everything [`next_step`] looks at.
#[derive(Debug, Clone, Copy)]
pub struct Situation<'a> {
    pub request: &'a AuthorizationRequest,
    /// The tenant's rules from methods to levels.
    pub policy: &'a AcrPolicy,
    pub session: Option<SessionFacts<'a>>,
    pub hint: Hint,
    /// The person authenticated during this pending sign-in, which
    /// satisfies `prompt=login` and `max_age`.
    pub signed_in_now: bool,
    /// The person approved the consent page during this pending sign-in.
    pub consented_now: bool,
    /// The client is exempt from consent (its operator decided).
    pub skip_consent: bool,
    /// The scopes the person consented to for this client earlier, if
    /// any. Only read when a session exists and consent may be needed.
    pub stored_consent: Option<&'a Scopes>,
    pub now: i64,
}

/// What comes next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The person must sign in; with a level when the client asked for one
    /// (only methods that reach it are then accepted: step-up).
    SignIn { required_acr: Option<&'static str> },
    /// The person must approve what the client asks for.
    Consent,
    /// An authorization error for the client's redirect URI.
    Refuse(Refusal),
    /// Everything is settled: issue a code for the session.
    Issue,
}

/// An authorization error (OIDC Core §3.1.2.6, RFC 6749 §4.1.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    pub error: ErrorCode,
    pub description: &'static str,
}

const fn refuse(error: ErrorCode, description: &'static str) -> Step {
    Step::Refuse(Refusal { error, description })
}

/// The decision point of a sign-in.
pub fn next_step(s: &Situation) -> Step {
    let req = s.request;

    // The level asked for (essential or voluntary): a session below it
    // signs in again with a stronger method, never a silent downgrade. A
    // level no method reaches under the tenant's policy is refused now
    // rather than after a sign-in that cannot succeed.
    let (required, essential) = requested_level(req);
    let essential_unknown = essential && required.is_none() && req.claims.acr().is_some_and(|a| a.values.as_ref().is_some_and(|v| !v.is_empty()));
    if essential_unknown || required.is_some_and(|level| !s.policy.reachable(level)) {
        return refuse(ErrorCode::UnmetAuthenticationRequirements, "the requested assurance level cannot be reached");
    }
    let below = |f: &SessionFacts| required.is_some_and(|l| !assurance::satisfies(f.acr, &[l.to_owned()]));

    let mut needs_sign_in = match &s.session {
        None => true,
        Some(f) => {
            // max_age=0 is prompt=login (OIDC Core §3.1.2.1), even within
            // the second of the last sign-in.
            let too_old = req.max_age.is_some_and(|m| m == 0 || s.now - f.auth_time > m);
            (!s.signed_in_now && (req.prompt.login || too_old)) || below(f)
        }
    };
    match s.hint {
        Hint::Absent | Hint::SessionUser => {}
        Hint::Invalid => return refuse(ErrorCode::InvalidRequest, "id_token_hint is not a valid ID token of this issuer for this client"),
        Hint::OtherUser => needs_sign_in = true,
    }
    let stepping_up = s.session.as_ref().is_some_and(below);
    if needs_sign_in && (!s.signed_in_now || stepping_up) {
        if req.prompt.none {
            return if stepping_up {
                refuse(ErrorCode::InteractionRequired, "the user must sign in")
            } else {
                refuse(ErrorCode::LoginRequired, "the user must sign in")
            };
        }
        if s.signed_in_now {
            // Signed in just now and still below the level: the sign-in
            // step refuses such methods, so this only happens if the policy
            // changed meanwhile.
            let error = if essential { ErrorCode::UnmetAuthenticationRequirements } else { ErrorCode::AccessDenied };
            return refuse(error, "the requested assurance level was not reached");
        }
        return Step::SignIn { required_acr: required };
    }
    if s.session.is_none() {
        return refuse(ErrorCode::LoginRequired, "the user is not signed in");
    }

    if !s.skip_consent && !s.consented_now {
        let covered = s.stored_consent.is_some_and(|stored| req.scopes.is_subset_of(stored));
        if req.prompt.consent || !covered {
            if req.prompt.none {
                return refuse(ErrorCode::ConsentRequired, "the user has not consented");
            }
            return Step::Consent;
        }
    }
    Step::Issue
}

/// Whether [`next_step`] may read [`Situation::stored_consent`]: the
/// caller looks it up only then.
pub fn consent_matters(has_session: bool, skip_consent: bool, consented_now: bool) -> bool {
    has_session && !skip_consent && !consented_now
}

/// The lowest known level the request asks for, through `acr_values` or
/// the `acr` claim, and whether the claim request is essential. Unknown
/// values (`urn:...` of other schemes) are ignored, as OIDC Core lets a
/// provider do for voluntary requests; an essential request made only of
/// unknown values cannot be met.
pub fn requested_level(req: &AuthorizationRequest) -> (Option<&'static str>, bool) {
    let mut wanted = req.acr_values.clone();
    let mut essential = false;
    if let Some(acr) = req.claims.acr() {
        essential = acr.essential;
        wanted.extend(acr.values.iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)));
    }
    (assurance::required_level(&wanted), essential)
}

/// A way of signing in that a page can suggest to someone whose sign-in
/// fell short of the level a service asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    /// A passkey unlocked by the device (fingerprint, face, PIN).
    Passkey,
    /// The password, then a code from an authenticator application.
    PasswordAndTotp,
}

/// The ways of signing in that reach `level` under `policy`, so the page
/// says what would work instead of a bare refusal. A passkey counts when
/// either kind reaches the level: the common synced one or a device-bound
/// one, both with user verification.
pub fn ways_reaching(policy: &AcrPolicy, level: &str) -> Vec<Way> {
    let wanted = [level.to_owned()];
    let reaches = |methods: &[Method]| assurance::satisfies(policy.level_reached(&assurance::amr(methods)), &wanted);
    let passkey = |device_bound| Method::Passkey { device_bound, user_verified: true };
    let mut ways = Vec::new();
    if reaches(&[passkey(false)]) || reaches(&[passkey(true)]) {
        ways.push(Way::Passkey);
    }
    if reaches(&[Method::Password, Method::Totp]) {
        ways.push(Way::PasswordAndTotp);
    }
    ways
}

/// What the level page may offer to add, beside [`ways_reaching`]: the
/// facts of the tenant and of the account that signed in below the level.
#[derive(Debug, Clone, Copy)]
pub struct Enrolment<'a> {
    pub policy: &'a AcrPolicy,
    /// The level the service asks for.
    pub level: &'a str,
    pub upgrade: CredentialUpgrade,
    pub mail_enabled: bool,
    pub verified_email: bool,
    pub has_password: bool,
}

/// The ways a person who signed in below `level` can add now and then use
/// to reach it. A credential bound from a weaker session counts only at
/// that session's level (NIST SP 800-63B §6.1) until a link mailed to the
/// account's verified address raises it to [`UPGRADED_LEVEL`]: so nothing
/// can be added when the tenant never raises credentials, mail is off, the
/// account has no verified address, or the raised level still falls
/// short. TOTP is a second factor of a password, so only for accounts
/// with one.
pub fn ways_to_add(e: &Enrolment<'_>) -> Vec<Way> {
    let raisable = e.upgrade == CredentialUpgrade::Mail && e.mail_enabled && e.verified_email;
    if !raisable || !assurance::satisfies(UPGRADED_LEVEL, &[e.level.to_owned()]) {
        return Vec::new();
    }
    ways_reaching(e.policy, e.level).into_iter().filter(|w| *w != Way::PasswordAndTotp || e.has_password).collect()
}

/// What an `id_token_hint` says about the session's user, for this client
/// of this tenant.
pub async fn hint(app: &App, tenant: &TenantEntry, client: &Client, hint: &str, session_user: Option<&str>) -> Result<Hint, StoreError> {
    let keys = tenant.keys(&app.store, app.now()).await?;
    // An expired hint is still a valid hint (OIDC Core §3.1.2.1).
    let Ok(v) = keys.verifiers.verify(hint, &keys::ISSUED) else {
        return Ok(Hint::Invalid);
    };
    let iss_ok = v.claims.get("iss").and_then(Value::as_str) == Some(tenant.tenant.issuer.as_str());
    let aud_ok = match v.claims.get("aud") {
        Some(Value::String(a)) => a == client.id.as_str(),
        Some(Value::Array(l)) => l.iter().any(|a| a.as_str() == Some(client.id.as_str())),
        _ => false,
    };
    if !iss_ok || !aud_ok || v.typ.as_deref().is_some_and(|t| t.eq_ignore_ascii_case("at+jwt")) {
        return Ok(Hint::Invalid);
    }
    let sub = v.claims.get("sub").and_then(Value::as_str);
    let same = session_user.is_some_and(|user| sub == Some(tenant.subject(client, user).as_str()));
    Ok(if same { Hint::SessionUser } else { Hint::OtherUser })
}

#[cfg(test)]
mod tests {
    use trame_core::authorize::{RawParams, validate};
    use trame_core::client::{AuthMethod, Client, PkcePolicy};
    use trame_core::ids::ClientId;
    use trame_core::registration::{self, ClientRequest, Rules};

    use super::*;

    const NOW: i64 = 1_750_000_000;
    const LOW: &str = "eidas1";
    const SUBSTANTIAL: &str = "eidas2";
    const HIGH: &str = "eidas3";

    fn client() -> Client {
        let req = ClientRequest {
            redirect_uris: vec!["https://rp.example/cb".into()],
            scope: Some("openid profile email".into()),
            token_endpoint_auth_method: Some(AuthMethod::ClientSecretBasic.as_str().into()),
            pkce: Some(PkcePolicy::Required),
            ..Default::default()
        };
        let settings = registration::validate(req, &Rules::dynamic(PkcePolicy::Required)).unwrap();
        Client { id: ClientId::parse("rp").unwrap(), tenant_id: "t".into(), secret_digest: None, registration_token_digest: None, federation: None, settings }
    }

    /// A valid request, with `extra` parameters added or replacing.
    fn request(extra: &[(&str, &str)]) -> AuthorizationRequest {
        let mut params: Vec<(String, String)> = [
            ("client_id", "rp"),
            ("redirect_uri", "https://rp.example/cb"),
            ("response_type", "code"),
            ("scope", "openid profile"),
            ("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
            ("code_challenge_method", "S256"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        // An extra parameter replaces the base one of its name.
        params.retain(|(k, _)| !extra.iter().any(|(e, _)| e == k));
        params.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        validate(&RawParams::new(&params), &client()).expect("a valid request")
    }

    fn policy() -> AcrPolicy {
        AcrPolicy::default()
    }

    /// A session of a password sign-in a minute ago, consent given for
    /// `openid profile`, nothing done during this pending sign-in.
    fn situation<'a>(req: &'a AuthorizationRequest, policy: &'a AcrPolicy, consent: &'a Scopes) -> Situation<'a> {
        Situation {
            request: req,
            policy,
            session: Some(SessionFacts { auth_time: NOW - 60, acr: LOW }),
            hint: Hint::Absent,
            signed_in_now: false,
            consented_now: false,
            skip_consent: false,
            stored_consent: Some(consent),
            now: NOW,
        }
    }

    fn scopes(s: &str) -> Scopes {
        Scopes::parse(s).unwrap()
    }

    fn refused(error: &str) -> impl Fn(&Step) -> bool + '_ {
        move |step| matches!(step, Step::Refuse(r) if r.error.as_str() == error)
    }

    #[test]
    fn a_session_with_consent_gets_a_code() {
        let (req, p, c) = (request(&[]), policy(), scopes("openid profile"));
        assert_eq!(next_step(&situation(&req, &p, &c)), Step::Issue);
    }

    #[test]
    fn no_session_signs_in() {
        let (req, p, c) = (request(&[]), policy(), scopes("openid profile"));
        let s = Situation { session: None, ..situation(&req, &p, &c) };
        assert_eq!(next_step(&s), Step::SignIn { required_acr: None });
    }

    #[test]
    fn no_session_with_prompt_none_is_login_required() {
        let (req, p, c) = (request(&[("prompt", "none")]), policy(), scopes("openid profile"));
        let s = Situation { session: None, ..situation(&req, &p, &c) };
        assert!(refused("login_required")(&next_step(&s)));
    }

    #[test]
    fn prompt_login_signs_in_again_until_signed_in_now() {
        let (req, p, c) = (request(&[("prompt", "login")]), policy(), scopes("openid profile"));
        assert_eq!(next_step(&situation(&req, &p, &c)), Step::SignIn { required_acr: None });
        let s = Situation { signed_in_now: true, ..situation(&req, &p, &c) };
        assert_eq!(next_step(&s), Step::Issue);
    }

    #[test]
    fn max_age_exceeded_signs_in_and_within_it_does_not() {
        let (req, p, c) = (request(&[("max_age", "30")]), policy(), scopes("openid profile"));
        assert_eq!(next_step(&situation(&req, &p, &c)), Step::SignIn { required_acr: None });
        let (req, p, c) = (request(&[("max_age", "3600")]), policy(), scopes("openid profile"));
        assert_eq!(next_step(&situation(&req, &p, &c)), Step::Issue);
    }

    #[test]
    fn max_age_zero_is_prompt_login_even_within_the_second() {
        let (req, p, c) = (request(&[("max_age", "0")]), policy(), scopes("openid profile"));
        let s = Situation { session: Some(SessionFacts { auth_time: NOW, acr: LOW }), ..situation(&req, &p, &c) };
        assert_eq!(next_step(&s), Step::SignIn { required_acr: None });
    }

    #[test]
    fn a_session_below_the_level_asked_for_steps_up() {
        let (req, p, c) = (request(&[("acr_values", SUBSTANTIAL)]), policy(), scopes("openid profile"));
        assert_eq!(next_step(&situation(&req, &p, &c)), Step::SignIn { required_acr: Some(SUBSTANTIAL) });
    }

    #[test]
    fn step_up_with_prompt_none_is_interaction_required() {
        let (req, p, c) = (request(&[("acr_values", SUBSTANTIAL), ("prompt", "none")]), policy(), scopes("openid profile"));
        assert!(refused("interaction_required")(&next_step(&situation(&req, &p, &c))));
    }

    #[test]
    fn a_session_at_the_level_asked_for_gets_a_code() {
        let (req, p, c) = (request(&[("acr_values", SUBSTANTIAL)]), policy(), scopes("openid profile"));
        let s = Situation { session: Some(SessionFacts { auth_time: NOW - 60, acr: SUBSTANTIAL }), ..situation(&req, &p, &c) };
        assert_eq!(next_step(&s), Step::Issue);
    }

    #[test]
    fn still_below_after_signing_in_now_is_refused() {
        // Voluntary: access_denied; essential (claims request): unmet.
        let (req, p, c) = (request(&[("acr_values", SUBSTANTIAL)]), policy(), scopes("openid profile"));
        let s = Situation { signed_in_now: true, ..situation(&req, &p, &c) };
        assert!(refused("access_denied")(&next_step(&s)));
        let claims = format!(r#"{{"id_token":{{"acr":{{"essential":true,"values":["{SUBSTANTIAL}"]}}}}}}"#);
        let req = request(&[("claims", &claims)]);
        let s = Situation { signed_in_now: true, ..situation(&req, &p, &c) };
        assert!(refused("unmet_authentication_requirements")(&next_step(&s)));
    }

    #[test]
    fn a_level_the_policy_cannot_reach_is_refused_at_once() {
        // The default policy: no method reaches eidas3 (no identity proofing).
        let (req, p, c) = (request(&[("acr_values", HIGH)]), policy(), scopes("openid profile"));
        assert!(!p.reachable(HIGH), "the test's premise");
        let s = Situation { session: None, ..situation(&req, &p, &c) };
        assert!(refused("unmet_authentication_requirements")(&next_step(&s)));
    }

    #[test]
    fn an_essential_acr_made_only_of_unknown_values_is_refused() {
        let (req, p, c) =
            (request(&[("claims", r#"{"id_token":{"acr":{"essential":true,"values":["urn:other:loa:9"]}}}"#)]), policy(), scopes("openid profile"));
        assert!(refused("unmet_authentication_requirements")(&next_step(&situation(&req, &p, &c))));
        // Voluntary unknown values are ignored.
        let req = request(&[("acr_values", "urn:other:loa:9")]);
        assert_eq!(next_step(&situation(&req, &p, &c)), Step::Issue);
    }

    #[test]
    fn an_invalid_hint_is_invalid_request() {
        let (req, p, c) = (request(&[]), policy(), scopes("openid profile"));
        let s = Situation { hint: Hint::Invalid, ..situation(&req, &p, &c) };
        assert!(refused("invalid_request")(&next_step(&s)));
    }

    #[test]
    fn a_hint_of_someone_else_signs_in_and_with_prompt_none_is_login_required() {
        let (req, p, c) = (request(&[]), policy(), scopes("openid profile"));
        let s = Situation { hint: Hint::OtherUser, ..situation(&req, &p, &c) };
        assert_eq!(next_step(&s), Step::SignIn { required_acr: None });
        let req = request(&[("prompt", "none")]);
        let s = Situation { hint: Hint::OtherUser, ..situation(&req, &p, &c) };
        assert!(refused("login_required")(&next_step(&s)));
        let s = Situation { hint: Hint::SessionUser, ..situation(&req, &p, &c) };
        assert_eq!(next_step(&s), Step::Issue);
    }

    #[test]
    fn signed_in_now_without_a_session_is_login_required() {
        // Cannot happen through the pages (signing in starts a session),
        // but the decision never issues a code without one.
        let (req, p, c) = (request(&[]), policy(), scopes("openid profile"));
        let s = Situation { session: None, signed_in_now: true, ..situation(&req, &p, &c) };
        assert!(refused("login_required")(&next_step(&s)));
    }

    #[test]
    fn scopes_beyond_the_stored_consent_ask_for_consent() {
        let (req, p, c) = (request(&[("scope", "openid profile email")]), policy(), scopes("openid profile"));
        assert_eq!(next_step(&situation(&req, &p, &c)), Step::Consent);
        let s = Situation { stored_consent: None, ..situation(&req, &p, &c) };
        assert_eq!(next_step(&s), Step::Consent);
    }

    #[test]
    fn missing_consent_with_prompt_none_is_consent_required() {
        let (req, p, c) = (request(&[("scope", "openid profile email"), ("prompt", "none")]), policy(), scopes("openid profile"));
        assert!(refused("consent_required")(&next_step(&situation(&req, &p, &c))));
    }

    #[test]
    fn prompt_consent_asks_again_until_consented_now() {
        let (req, p, c) = (request(&[("prompt", "consent")]), policy(), scopes("openid profile"));
        assert_eq!(next_step(&situation(&req, &p, &c)), Step::Consent);
        let s = Situation { consented_now: true, ..situation(&req, &p, &c) };
        assert_eq!(next_step(&s), Step::Issue);
    }

    #[test]
    fn a_client_exempt_from_consent_never_asks() {
        let (req, p, c) = (request(&[("prompt", "consent")]), policy(), scopes("openid"));
        let s = Situation { skip_consent: true, stored_consent: None, ..situation(&req, &p, &c) };
        assert_eq!(next_step(&s), Step::Issue);
        assert!(!consent_matters(true, true, false));
        assert!(!consent_matters(false, false, false));
        assert!(!consent_matters(true, false, true));
        assert!(consent_matters(true, false, false));
    }

    #[test]
    fn the_ways_that_reach_a_level_follow_the_policy() {
        let default = AcrPolicy::default();
        // eidas2 needs mfa: a verified passkey, or password and TOTP.
        assert_eq!(ways_reaching(&default, SUBSTANTIAL), vec![Way::Passkey, Way::PasswordAndTotp]);
        // Every way reaches the lowest level.
        assert_eq!(ways_reaching(&default, LOW), vec![Way::Passkey, Way::PasswordAndTotp]);
        // eidas3 is reached by no method unless the operator says so.
        assert!(ways_reaching(&default, HIGH).is_empty());
        // Device-bound keys only: a passkey still counts (a device-bound
        // one), password and TOTP do not.
        let hardware = AcrPolicy::parse(&["eidas3=hwk+user".to_owned()]).unwrap();
        assert_eq!(ways_reaching(&hardware, HIGH), vec![Way::Passkey]);
        // A policy that asks for a one-time code: only password and TOTP.
        let otp = AcrPolicy::parse(&["eidas2=otp".to_owned()]).unwrap();
        assert_eq!(ways_reaching(&otp, SUBSTANTIAL), vec![Way::PasswordAndTotp]);
        // An unknown level is reached by nothing.
        assert!(ways_reaching(&default, "urn:other").is_empty());
    }

    #[test]
    fn only_a_credential_that_a_mail_can_raise_high_enough_is_offered() {
        let default = AcrPolicy::default();
        let base =
            Enrolment { policy: &default, level: SUBSTANTIAL, upgrade: CredentialUpgrade::Mail, mail_enabled: true, verified_email: true, has_password: true };
        assert_eq!(ways_to_add(&base), vec![Way::Passkey, Way::PasswordAndTotp]);
        // A passkey-only account has no password for TOTP to second.
        assert_eq!(ways_to_add(&Enrolment { has_password: false, ..base }), vec![Way::Passkey]);
        // No way to raise the new credential: nothing to offer.
        assert!(ways_to_add(&Enrolment { upgrade: CredentialUpgrade::Never, ..base }).is_empty());
        assert!(ways_to_add(&Enrolment { mail_enabled: false, ..base }).is_empty());
        assert!(ways_to_add(&Enrolment { verified_email: false, ..base }).is_empty());
        // A raised credential stops at eidas2: eidas3 is out of reach here.
        let hardware = AcrPolicy::parse(&["eidas3=hwk+user".to_owned()]).unwrap();
        assert!(ways_to_add(&Enrolment { policy: &hardware, level: HIGH, ..base }).is_empty());
    }
}
