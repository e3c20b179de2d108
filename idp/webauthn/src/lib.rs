//! Passkey ceremonies over webauthn_rp: no IO, no HTTP.
//!
//! Each ceremony is two calls around a round trip to the browser:
//!
//! 1. `start_*` returns a [`Started`]: `options` goes to the page as is
//!    (`navigator.credentials.create/get`, or
//!    `PublicKeyCredential.parse*OptionsFromJSON`), `state` stays on the
//!    server, stored under `challenge` for `timeout_secs`.
//! 2. The page posts back `PublicKeyCredential.toJSON()`. The caller reads
//!    its challenge ([`registration_challenge`], [`Assertion::challenge`]),
//!    **takes** the state stored under it (single use: GETDEL), loads what
//!    it needs (for a sign-in, the stored passkey of
//!    [`Assertion::credential_id`]) and calls `finish_*`.
//!
//! What this module leaves to the caller, because it needs storage:
//! - single use of a state: webauthn_rp cannot tell a replayed state (a
//!   passkey without counter verifies the same assertion twice);
//! - a unique index on credential ids (the same registration body would
//!   otherwise register twice);
//! - finding the user and the stored passkey, and writing back
//!   [`SignedIn::dynamic`] when [`SignedIn::changed`].
//!
//! Choices made here: passkeys only (discoverable credentials, user
//! verification required at registration and at every sign-in), attestation
//! "none", user handles of [`USER_HANDLE_LEN`] bytes (the user's UUID),
//! browsers' deviations tolerated (webauthn_rp's relaxed parsers, unsolicited
//! extensions ignored). The state bytes are webauthn_rp's encoded server
//! state behind one tag byte naming the ceremony, so a state of another kind
//! is refused rather than misread. The state is not authenticated: it must
//! never leave the server.

use std::net::IpAddr;
use std::num::NonZeroU32;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use webauthn_rp::bin::{Decode, Encode};
use webauthn_rp::request::auth::{AllowedCredential, AllowedCredentials, AuthenticationVerificationOptions, SignatureCounterEnforcement};
use webauthn_rp::request::register::{
    CoseAlgorithmIdentifier, CoseAlgorithmIdentifiers, CredProtect, Nickname, PublicKeyCredentialUserEntity, RegistrationVerificationOptions, UserHandle,
    Username,
};
use webauthn_rp::request::{
    AsciiDomain, Credentials as _, ExtensionInfo, ExtensionReq, PublicKeyCredentialDescriptor, RpId, TimedCeremony, UserVerificationRequirement,
};
use webauthn_rp::response::auth::error::{AuthCeremonyErr, AuthenticatorDataErr as AuthDataErr};
use webauthn_rp::response::register::error::{AttestationErr, AttestationObjectErr, RegCeremonyErr};
use webauthn_rp::response::register::{CompressedPubKey, DynamicState, StaticState};
use webauthn_rp::response::{AuthTransports, Backup, CredentialId, SentChallenge};
use webauthn_rp::{
    AuthenticatedCredential, DiscoverableAuthentication16, DiscoverableAuthenticationServerState, DiscoverableCredentialRequestOptions,
    NonDiscoverableAuthentication16, NonDiscoverableAuthenticationServerState, NonDiscoverableCredentialRequestOptions, PublicKeyCredentialCreationOptions,
    Registration, RegistrationServerState,
};

/// User handles are the 16 bytes of the user's UUID.
pub const USER_HANDLE_LEN: usize = 16;

/// How long the browser and the server give a ceremony: five minutes.
const TIMEOUT_MS: NonZeroU32 = match NonZeroU32::new(300_000) {
    Some(t) => t,
    None => panic!("the timeout is not zero"),
};

/// The leading byte of [`Started::state`]: which ceremony the rest encodes.
const TAG_REGISTRATION: u8 = 1;
const TAG_DISCOVERABLE: u8 = 2;
const TAG_NON_DISCOVERABLE: u8 = 3;

/// A static state decoded from storage: the public key in compressed form.
type StoredKey = CompressedPubKey<[u8; 32], [u8; 32], [u8; 48], Vec<u8>>;

/// The relying party a tenant is: its RP ID and the exact origins its pages
/// are served from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelyingParty {
    /// A domain (never an IP address): the host of the issuer.
    pub rp_id: String,
    /// Shown by authenticators when creating a passkey.
    pub name: String,
    /// `scheme://host[:port]`, compared exactly with the client data's origin.
    pub origins: Vec<String>,
}

impl RelyingParty {
    /// From a tenant's issuer URL: rp_id = the host (a domain, e.g.
    /// localhost; an IP address is refused: not a valid RP ID), origins =
    /// [scheme://host[:port]] exactly. Browsers offer WebAuthn to https pages
    /// and to http://localhost only, so other http issuers are refused too.
    pub fn for_issuer(issuer: &str, name: &str) -> Result<Self, CeremonyError> {
        let url = url::Url::parse(issuer).map_err(|e| CeremonyError::InvalidRp(format!("issuer {issuer:?}: {e}")))?;
        let host = match url.host() {
            Some(url::Host::Domain(d)) => d.to_owned(),
            Some(_) => return Err(CeremonyError::InvalidRp(format!("issuer {issuer:?}: an IP address cannot be an RP ID"))),
            None => return Err(CeremonyError::InvalidRp(format!("issuer {issuer:?} has no host"))),
        };
        let local = host == "localhost" || host.ends_with(".localhost");
        match url.scheme() {
            "https" => {}
            "http" if local => {}
            scheme => {
                return Err(CeremonyError::InvalidRp(format!(
                    "issuer {issuer:?}: browsers offer passkeys to https pages and http://localhost only, not {scheme}"
                )));
            }
        }
        let rp = Self {
            name: if name.trim().is_empty() { host.clone() } else { name.to_owned() },
            // The URL parser has lowercased and punycoded the host already.
            rp_id: host,
            origins: vec![url.origin().ascii_serialization()],
        };
        rp.checked_rp_id()?;
        Ok(rp)
    }

    /// The RP ID as webauthn_rp wants it; the fields are public, so they are
    /// checked at every use.
    fn checked_rp_id(&self) -> Result<RpId, CeremonyError> {
        let id = self.rp_id.as_str();
        if id.parse::<IpAddr>().is_ok() || id.starts_with('[') {
            return Err(CeremonyError::InvalidRp(format!("{id:?}: an IP address cannot be an RP ID")));
        }
        if id.ends_with('.') {
            return Err(CeremonyError::InvalidRp(format!("{id:?}: no trailing dot in an RP ID")));
        }
        if self.origins.is_empty() {
            // webauthn_rp would fall back to https://<rp id>: be explicit.
            return Err(CeremonyError::InvalidRp("no origin listed".into()));
        }
        AsciiDomain::try_from(self.rp_id.clone()).map(RpId::Domain).map_err(|e| CeremonyError::InvalidRp(format!("{id:?}: {e}")))
    }
}

/// A ceremony started: `challenge` (base64url, no padding) is the key under
/// which the caller stores `state` server-side (single use, taken
/// atomically, TTL = timeout_secs); `options` is the JSON to hand to the
/// browser as is: `{"publicKey": {...}}` for navigator.credentials.create/get
/// (PublicKeyCredential.parseCreationOptionsFromJSON-compatible fields:
/// base64url strings for challenge, user.id, credential ids).
#[derive(Debug, Clone)]
pub struct Started {
    pub challenge: String,
    pub state: Vec<u8>,
    pub options: Value,
    pub timeout_secs: i64,
}

/// The account a passkey is created for.
#[derive(Debug, Clone, Copy)]
pub struct UserEntity<'a> {
    /// The 16 bytes of the user's UUID.
    pub handle: [u8; USER_HANDLE_LEN],
    /// The name authenticators list the passkey under: a username or an
    /// email address. WebAuthn wants it to pass the PRECIS username profile
    /// (RFC 8265: no spaces); white space is replaced by '_', and a name
    /// still refused is an error.
    pub name: &'a str,
    /// Free text (RFC 8266 nickname); left out when it does not conform or
    /// is empty: it is only shown, never checked.
    pub display_name: &'a str,
}

/// Starts the creation of a passkey for `user`: discoverable (resident key
/// required), user verification required, attestation none, ES256 preferred
/// (then EdDSA, RS256), credProps requested. `exclude` lists the ids of the
/// user's passkeys, so an authenticator that holds one does not create a
/// second.
pub fn start_registration(rp: &RelyingParty, user: &UserEntity, exclude: &[Vec<u8>]) -> Result<Started, CeremonyError> {
    let rp_id = rp.checked_rp_id()?;
    let handle = decode_ok(UserHandle::<USER_HANDLE_LEN>::decode(user.handle));
    let entity =
        PublicKeyCredentialUserEntity { name: authenticator_username(user.name)?, id: &handle, display_name: Nickname::try_from(user.display_name).ok() };
    let exclude = exclude
        .iter()
        .map(|id| Ok(PublicKeyCredentialDescriptor { id: credential_id(id.clone())?, transports: transports(&[])? }))
        .collect::<Result<Vec<_>, CeremonyError>>()?;

    let mut options = PublicKeyCredentialCreationOptions::passkey(&rp_id, entity, exclude);
    options.timeout = TIMEOUT_MS;
    // ES384 is left out; the order the browser sees is set below.
    options.pub_key_cred_params = CoseAlgorithmIdentifiers::ALL.remove(CoseAlgorithmIdentifier::Es384);
    options.extensions.cred_props = Some(ExtensionReq::Allow);
    // Ask for credProtect "user verification required" without
    // `enforceCredentialProtectionPolicy` (webauthn_rp's default enforces it):
    // enforcing makes clients refuse authenticators without credProtect,
    // most platform authenticators among them, and user verification is
    // required at every sign-in anyway.
    options.extensions.cred_protect = CredProtect::UserVerificationRequired(ExtensionInfo::AllowDontEnforceValue);

    let (server, client) = options.start_ceremony().map_err(|e| CeremonyError::Refused(format!("creation options: {e}")))?;
    let mut public_key = serde_json::to_value(&client).map_err(|e| CeremonyError::Refused(format!("creation options: {e}")))?;
    // webauthn_rp names the RP after its id and lists algorithms in a fixed
    // order (EdDSA first): set the display name and put ES256 first.
    if let Some(Value::Object(rp_entity)) = public_key.get_mut("rp") {
        rp_entity.insert("name".into(), Value::String(rp.name.clone()));
    }
    if let Some(Value::Array(params)) = public_key.get_mut("pubKeyCredParams") {
        params.sort_by_key(|p| match p.get("alg").and_then(Value::as_i64) {
            Some(-7) => 0,
            Some(-8) => 1,
            Some(-257) => 2,
            _ => 3,
        });
    }
    let state = server.encode().map_err(|e| CeremonyError::Refused(format!("system clock: {e}")))?;
    Ok(started(TAG_REGISTRATION, server.sent_challenge(), state, public_key))
}

/// The challenge a `PublicKeyCredential.toJSON()` registration body answers
/// (to find the stored state).
pub fn registration_challenge(body: &[u8]) -> Result<String, CeremonyError> {
    let registration = Registration::from_json_relaxed(body).map_err(malformed)?;
    Ok(challenge_string(registration.challenge_relaxed().map_err(malformed)?))
}

/// A passkey just created, to store. `credential_id` must be unique (a
/// unique index is what refuses a replayed registration body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPasskey {
    pub credential_id: Vec<u8>,
    pub user_handle: [u8; USER_HANDLE_LEN],
    /// The encoded static state (public key and credProtect), opaque to
    /// callers; never changes.
    pub public_key: Vec<u8>,
    /// The encoded dynamic state (counter, flags), opaque to callers;
    /// replaced after a sign-in that changed it.
    pub dynamic: Vec<u8>,
    pub sign_count: u32,
    /// The passkey may be synced (backup eligible)...
    pub backup_eligible: bool,
    /// ...and is synced now (backed up).
    pub backup_state: bool,
    pub user_verified: bool,
    /// The authenticator model (zeros for most synced passkeys); not verified
    /// (attestation none).
    pub aaguid: [u8; 16],
    /// WebAuthn transport names ("internal", "hybrid", "usb"…), to send back
    /// in allow lists.
    pub transports: Vec<String>,
    /// credProps.rk as the client reported it, when it did.
    pub discoverable: Option<bool>,
}

/// Finishes a registration: `state` is the one stored under the body's
/// challenge, `body` the `PublicKeyCredential.toJSON()` the page posted.
pub fn finish_registration(rp: &RelyingParty, state: &[u8], body: &[u8]) -> Result<NewPasskey, CeremonyError> {
    let rp_id = rp.checked_rp_id()?;
    let payload = state_payload(state, TAG_REGISTRATION)?;
    let server = RegistrationServerState::<USER_HANDLE_LEN>::decode(payload).map_err(|e| bad_state(&e))?;
    let registration = Registration::from_json_relaxed(body).map_err(malformed)?;
    let options =
        RegistrationVerificationOptions::<String, String> { allowed_origins: &rp.origins, error_on_unsolicited_extensions: false, ..Default::default() };
    let credential = server.verify(&rp_id, &registration, &options).map_err(registration_error)?;

    let (id, transports, user_handle, static_state, dynamic, metadata) = credential.into_parts();
    let mut handle = [0; USER_HANDLE_LEN];
    handle.copy_from_slice(user_handle.as_ref());
    let mut aaguid = [0; 16];
    if let Some(bytes) = metadata.aaguid.data().get(..16) {
        aaguid.copy_from_slice(bytes);
    }
    Ok(NewPasskey {
        credential_id: id.into_inner().to_vec(),
        user_handle: handle,
        public_key: encode_ok(static_state.encode()),
        dynamic: encode_ok(dynamic.encode()).to_vec(),
        sign_count: dynamic.sign_count,
        backup_eligible: !matches!(dynamic.backup, Backup::NotEligible),
        backup_state: matches!(dynamic.backup, Backup::Exists),
        user_verified: dynamic.user_verified,
        aaguid,
        transports: transport_names(transports),
        discoverable: metadata.client_extension_results.cred_props.and_then(|p| p.rk),
    })
}

/// Starts a sign-in. `None`: discoverable (usernameless, or conditional UI
/// when the page passes `mediation: "conditional"`); `Some(list of
/// (credential id, transports))`: username-first with allowCredentials (an
/// empty list is an error: there is nothing to ask for). User verification
/// is required in both.
pub fn start_sign_in(rp: &RelyingParty, allow: Option<&[(Vec<u8>, Vec<String>)]>) -> Result<Started, CeremonyError> {
    let rp_id = rp.checked_rp_id()?;
    let refused = |e: &dyn std::fmt::Display| CeremonyError::Refused(format!("request options: {e}"));
    let (tag, challenge, state, public_key) = match allow {
        None => {
            let mut options = DiscoverableCredentialRequestOptions::passkey(&rp_id);
            options.0.timeout = TIMEOUT_MS;
            options.0.user_verification = UserVerificationRequirement::Required;
            let (server, client) = options.start_ceremony().map_err(|e| refused(&e))?;
            let state = server.encode().map_err(|e| refused(&e))?;
            (TAG_DISCOVERABLE, server.sent_challenge(), state, serde_json::to_value(&client).map_err(|e| refused(&e))?)
        }
        Some(list) => {
            let mut allowed = AllowedCredentials::with_capacity(list.len());
            for (id, names) in list {
                // A duplicate id is simply not added twice.
                allowed.push(AllowedCredential::from(PublicKeyCredentialDescriptor { id: credential_id(id.clone())?, transports: transports(names)? }));
            }
            let mut options = NonDiscoverableCredentialRequestOptions::second_factor(&rp_id, allowed)
                .map_err(|_| CeremonyError::Malformed("the allow list is empty".into()))?;
            // `second_factor` discourages user verification: passkeys require it.
            options.options().user_verification = UserVerificationRequirement::Required;
            options.options().timeout = TIMEOUT_MS;
            let (server, client) = options.start_ceremony().map_err(|e| refused(&e))?;
            let state = server.encode().map_err(|e| refused(&e))?;
            (TAG_NON_DISCOVERABLE, server.sent_challenge(), state, serde_json::to_value(&client).map_err(|e| refused(&e))?)
        }
    };
    Ok(started(tag, challenge, state, public_key))
}

/// A parsed `PublicKeyCredential.toJSON()` authentication body.
#[derive(Debug)]
pub struct Assertion {
    challenge: String,
    user_handle: Option<[u8; USER_HANDLE_LEN]>,
    /// The body as a username-first sign-in reads it (user handle optional).
    non_discoverable: NonDiscoverableAuthentication16,
    /// The body as a usernameless sign-in reads it, when it has a user handle.
    discoverable: Option<DiscoverableAuthentication16>,
}

/// Parses an authentication body. A user handle, when present, must be
/// [`USER_HANDLE_LEN`] bytes long.
pub fn parse_assertion(body: &[u8]) -> Result<Assertion, CeremonyError> {
    let non_discoverable = NonDiscoverableAuthentication16::from_json_relaxed(body).map_err(malformed)?;
    let challenge = challenge_string(non_discoverable.challenge_relaxed().map_err(malformed)?);
    let user_handle = non_discoverable.response().user_handle().map(|h| {
        let mut handle = [0; USER_HANDLE_LEN];
        handle.copy_from_slice(h.as_ref());
        handle
    });
    let discoverable = match user_handle {
        Some(_) => Some(DiscoverableAuthentication16::from_json_relaxed(body).map_err(malformed)?),
        None => None,
    };
    Ok(Assertion { challenge, user_handle, non_discoverable, discoverable })
}

impl Assertion {
    /// The challenge answered (base64url): the key of the stored state.
    pub fn challenge(&self) -> &str {
        &self.challenge
    }

    /// The credential used: the key of the stored passkey.
    pub fn credential_id(&self) -> &[u8] {
        self.non_discoverable.raw_id().into_inner()
    }

    /// The user handle the authenticator returned (always present for a
    /// discoverable credential); [`finish_sign_in`] checks it against the
    /// stored passkey's.
    pub fn user_handle(&self) -> Option<&[u8]> {
        self.user_handle.as_ref().map(|h| h.as_slice())
    }
}

/// A stored passkey, as [`NewPasskey`] gave it (with the latest dynamic
/// state).
#[derive(Debug, Clone, Copy)]
pub struct StoredPasskey<'a> {
    pub credential_id: &'a [u8],
    pub user_handle: [u8; USER_HANDLE_LEN],
    pub public_key: &'a [u8],
    pub dynamic: &'a [u8],
}

/// What to do when the signature counter went backwards (possible cloned
/// key): refuse the sign-in, or accept (caller logs a warning). With Allow,
/// it is reported in [`SignedIn::counter_regressed`] and the stored counter
/// follows the authenticator's (unless it reports 0, which would turn the
/// check off).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CounterPolicy {
    Refuse,
    Allow,
}

/// A sign-in verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    /// The new dynamic state, to store when `changed`.
    pub dynamic: Vec<u8>,
    pub changed: bool,
    pub sign_count: u32,
    /// The passkey is synced (backed up) now.
    pub backup_state: bool,
    /// The user was verified (always true: every sign-in requires it).
    pub user_verified: bool,
    /// The counter did not increase (only with [`CounterPolicy::Allow`]).
    pub counter_regressed: bool,
}

/// Finishes a sign-in: `state` is the one stored under
/// [`Assertion::challenge`], `stored` the passkey of
/// [`Assertion::credential_id`]. The credential id and the user handle must
/// match the stored passkey's, and for a username-first sign-in the
/// credential must be in the allow list sent.
pub fn finish_sign_in(
    rp: &RelyingParty,
    state: &[u8],
    assertion: &Assertion,
    stored: &StoredPasskey,
    policy: CounterPolicy,
) -> Result<SignedIn, CeremonyError> {
    let rp_id = rp.checked_rp_id()?;
    let (discoverable, payload) = match state.split_first() {
        Some((&TAG_DISCOVERABLE, payload)) => (true, payload),
        Some((&TAG_NON_DISCOVERABLE, payload)) => (false, payload),
        Some((&TAG_REGISTRATION, _)) => return Err(CeremonyError::WrongCeremony),
        Some(_) => return Err(CeremonyError::Malformed("unknown ceremony state".into())),
        None => return Err(CeremonyError::Malformed("empty ceremony state".into())),
    };

    let id = CredentialId::<&[u8]>::decode(stored.credential_id).map_err(|e| CeremonyError::Malformed(format!("stored credential id: {e}")))?;
    let user = decode_ok(UserHandle::<USER_HANDLE_LEN>::decode(stored.user_handle));
    let static_state = StaticState::<StoredKey>::decode(stored.public_key).map_err(|e| CeremonyError::Malformed(format!("stored public key: {e}")))?;
    let dynamic = <[u8; 7]>::try_from(stored.dynamic).map_err(|_| CeremonyError::Malformed("stored dynamic state: wrong length".into()))?;
    let dynamic = DynamicState::decode(dynamic).map_err(|e| CeremonyError::Malformed(format!("stored dynamic state: {e}")))?;
    let previous_count = dynamic.sign_count;
    let mut credential = AuthenticatedCredential::new(id, &user, static_state, dynamic).map_err(|e| CeremonyError::Refused(format!("stored passkey: {e}")))?;

    let options = AuthenticationVerificationOptions::<String, String> {
        allowed_origins: &rp.origins,
        error_on_unsolicited_extensions: false,
        update_uv: true,
        sig_counter_enforcement: match policy {
            CounterPolicy::Refuse => SignatureCounterEnforcement::Fail,
            CounterPolicy::Allow => SignatureCounterEnforcement::Update,
        },
        ..Default::default()
    };
    let changed = if discoverable {
        let server = DiscoverableAuthenticationServerState::decode(payload).map_err(|e| bad_state(&e))?;
        // Without a user handle the credential is not discoverable, and a
        // usernameless sign-in cannot tell whose it is.
        let response =
            assertion.discoverable.as_ref().ok_or_else(|| CeremonyError::Malformed("no userHandle in the answer to a usernameless sign-in".into()))?;
        server.verify(&rp_id, response, &mut credential, &options)
    } else {
        let server = NonDiscoverableAuthenticationServerState::decode(payload).map_err(|e| bad_state(&e))?;
        server.verify(&rp_id, &assertion.non_discoverable, &mut credential, &options)
    }
    .map_err(sign_in_error)?;

    let dynamic = credential.dynamic_state();
    Ok(SignedIn {
        dynamic: encode_ok(dynamic.encode()).to_vec(),
        changed,
        sign_count: dynamic.sign_count,
        backup_state: matches!(dynamic.backup, Backup::Exists),
        user_verified: dynamic.user_verified,
        // Fail refuses a regression; Update lets the stored counter follow
        // the authenticator's unless it reports 0 (then it stays): either
        // way the counter did not increase.
        counter_regressed: previous_count != 0 && dynamic.sign_count <= previous_count,
    })
}

/// Why a ceremony failed. Only `Malformed`, `Refused` and `InvalidRp` carry
/// text, for logs: show users [`CeremonyError::code`] or a translation of it.
#[derive(Debug, thiserror::Error)]
pub enum CeremonyError {
    /// The body, the state or a stored value could not be read.
    #[error("malformed: {0}")]
    Malformed(String),
    /// The client data's origin is not one of the RP's (or the page was
    /// framed by another origin).
    #[error("the origin is not the relying party's")]
    WrongOrigin,
    /// The authenticator data is for another RP ID.
    #[error("the credential is for another RP ID")]
    WrongRpId,
    /// The signature does not verify with the stored public key.
    #[error("the signature does not verify")]
    BadSignature,
    /// The authenticator did not verify the user.
    #[error("the user was not verified")]
    UserNotVerified,
    /// The signature counter did not increase: possibly a cloned key.
    #[error("the signature counter went backwards")]
    CounterRegression,
    /// The ceremony's time is up.
    #[error("the ceremony expired")]
    Expired,
    /// The state is of another ceremony or kind, or the credential or user
    /// handle is not the one expected.
    #[error("the answer does not belong to this ceremony")]
    WrongCeremony,
    /// Other verification failures, with the library's reason.
    #[error("refused: {0}")]
    Refused(String),
    /// The relying party cannot be used (issuer, RP ID, origins).
    #[error("invalid relying party: {0}")]
    InvalidRp(String),
}

impl CeremonyError {
    /// A short stable code for logs and JSON errors.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Malformed(_) => "malformed",
            Self::WrongOrigin => "wrong_origin",
            Self::WrongRpId => "wrong_rp_id",
            Self::BadSignature => "bad_signature",
            Self::UserNotVerified => "user_not_verified",
            Self::CounterRegression => "counter_regression",
            Self::Expired => "expired",
            Self::WrongCeremony => "wrong_ceremony",
            Self::Refused(_) => "refused",
            Self::InvalidRp(_) => "invalid_rp",
        }
    }
}

fn malformed(e: impl std::fmt::Display) -> CeremonyError {
    CeremonyError::Malformed(e.to_string())
}

fn bad_state(e: &dyn std::fmt::Display) -> CeremonyError {
    CeremonyError::Malformed(format!("ceremony state: {e}"))
}

/// Registration errors: the variants of `RegCeremonyErr`, one by one.
fn registration_error(e: RegCeremonyErr) -> CeremonyError {
    use RegCeremonyErr as E;
    match e {
        E::Timeout => CeremonyError::Expired,
        E::OriginMismatch | E::CrossOrigin | E::TopOriginMismatch => CeremonyError::WrongOrigin,
        E::RpIdHashMismatch => CeremonyError::WrongRpId,
        E::ChallengeMismatch => CeremonyError::WrongCeremony,
        E::UserNotVerified => CeremonyError::UserNotVerified,
        // Packed self-attestation: the signature is checked while the
        // attestation object is parsed (P-256, P-384, RSA) or after (Ed25519).
        E::AttestationSignature
        | E::AttestationObject(AttestationObjectErr::Attestation(
            AttestationErr::PackedFormatP256 | AttestationErr::PackedFormatP384 | AttestationErr::PackedFormatRs256,
        )) => CeremonyError::BadSignature,
        E::CollectedClientData(_) | E::CollectedClientDataRelaxed(_) | E::AttestationObject(_) | E::PubKey(_) => CeremonyError::Malformed(e.to_string()),
        E::UserNotPresent
        | E::BackupEligible
        | E::BackupNotEligible
        | E::BackupDoesNotExist
        | E::MissingAuthenticatorAttachment
        | E::AuthenticatorAttachmentMismatch
        | E::Extension(_)
        | E::PublicKeyAlgorithmMismatch
        | E::Credential(_) => CeremonyError::Refused(e.to_string()),
    }
}

/// Sign-in errors: the variants of `AuthCeremonyErr`, one by one.
fn sign_in_error(e: AuthCeremonyErr) -> CeremonyError {
    use AuthCeremonyErr as E;
    match e {
        E::Timeout => CeremonyError::Expired,
        E::OriginMismatch | E::CrossOrigin | E::TopOriginMismatch => CeremonyError::WrongOrigin,
        E::RpIdHashMismatch => CeremonyError::WrongRpId,
        E::AssertionSignature => CeremonyError::BadSignature,
        E::UserNotVerified => CeremonyError::UserNotVerified,
        E::SignatureCounter => CeremonyError::CounterRegression,
        // The state of another ceremony, a credential not allowed, or a
        // stored passkey that is not the one used.
        E::ChallengeMismatch | E::UserHandleMismatch | E::CredentialIdMismatch | E::NoMatchingAllowedCredential => CeremonyError::WrongCeremony,
        E::AuthenticatorData(AuthDataErr::UserNotPresent) => CeremonyError::Refused(e.to_string()),
        E::CollectedClientData(_) | E::CollectedClientDataRelaxed(_) | E::AuthenticatorData(_) | E::MissingUserHandle => {
            CeremonyError::Malformed(e.to_string())
        }
        E::PubKey(_)
        | E::BackupEligible
        | E::BackupNotEligible
        | E::BackupDoesNotExist
        | E::MissingAuthenticatorAttachment
        | E::AuthenticatorAttachmentMismatch
        | E::Extension(_)
        | E::Credential(_) => CeremonyError::Refused(e.to_string()),
    }
}

fn started(tag: u8, challenge: SentChallenge, state: Vec<u8>, public_key: Value) -> Started {
    let mut tagged = Vec::with_capacity(state.len() + 1);
    tagged.push(tag);
    tagged.extend_from_slice(&state);
    Started {
        challenge: challenge_string(challenge),
        state: tagged,
        options: serde_json::json!({ "publicKey": public_key }),
        timeout_secs: i64::from(TIMEOUT_MS.get() / 1000),
    }
}

/// The state's payload when its tag is `expected`.
fn state_payload(state: &[u8], expected: u8) -> Result<&[u8], CeremonyError> {
    match state.split_first() {
        None => Err(CeremonyError::Malformed("empty ceremony state".into())),
        Some((&tag, payload)) if tag == expected => Ok(payload),
        Some((&(TAG_REGISTRATION | TAG_DISCOVERABLE | TAG_NON_DISCOVERABLE), _)) => Err(CeremonyError::WrongCeremony),
        Some(_) => Err(CeremonyError::Malformed("unknown ceremony state".into())),
    }
}

/// The challenge as it appears in options and client data: base64url of the
/// 16 bytes webauthn_rp reads as a little-endian u128.
fn challenge_string(challenge: SentChallenge) -> String {
    URL_SAFE_NO_PAD.encode(challenge.0.to_le_bytes())
}

fn credential_id(id: Vec<u8>) -> Result<CredentialId<Vec<u8>>, CeremonyError> {
    CredentialId::<Vec<u8>>::decode(id).map_err(|e| CeremonyError::Malformed(format!("credential id: {e}")))
}

/// Transport names to webauthn_rp's set; names it does not know are
/// dropped (they are hints).
fn transports(names: &[String]) -> Result<AuthTransports, CeremonyError> {
    const KNOWN: [&str; 6] = ["ble", "hybrid", "internal", "nfc", "smart-card", "usb"];
    let known: Vec<&str> = names.iter().map(String::as_str).filter(|n| KNOWN.contains(n)).collect();
    serde_json::from_value(serde_json::json!(known)).map_err(|e| CeremonyError::Malformed(format!("transports: {e}")))
}

fn transport_names(transports: AuthTransports) -> Vec<String> {
    serde_json::to_value(transports).ok().and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default()
}

/// The user's name as authenticators get it (see [`UserEntity::name`]).
fn authenticator_username(name: &str) -> Result<Username<'static>, CeremonyError> {
    Username::try_from(name.to_owned())
        .or_else(|_| Username::try_from(name.split_whitespace().collect::<Vec<_>>().join("_")))
        .map_err(|e| CeremonyError::Malformed(format!("user name {name:?}: {e}")))
}

fn decode_ok<T>(r: Result<T, std::convert::Infallible>) -> T {
    match r {
        Ok(v) => v,
        Err(never) => match never {},
    }
}

fn encode_ok<T>(r: Result<T, std::convert::Infallible>) -> T {
    decode_ok(r)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    use super::*;
    use serde_json::json;
    use trame_testkit::authenticator::{SOFT_AAGUID, SoftAuthenticator, rewrite_client_data, tamper_signature};

    const ORIGIN: &str = "http://localhost:8080";
    const HANDLE: [u8; USER_HANDLE_LEN] = [7; USER_HANDLE_LEN];

    fn rp() -> RelyingParty {
        RelyingParty::for_issuer("http://localhost:8080/t/acme", "Trame").expect("relying party")
    }

    fn user() -> UserEntity<'static> {
        UserEntity { handle: HANDLE, name: "alice@example.com", display_name: "Alice Liddell" }
    }

    fn bytes(body: &Value) -> Vec<u8> {
        serde_json::to_vec(body).expect("serialize")
    }

    fn b64(b: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(b)
    }

    /// Registers a passkey of `user()` on `auth`, checking the challenge
    /// round trip on the way.
    async fn register(auth: &mut SoftAuthenticator) -> NewPasskey {
        let started = start_registration(&rp(), &user(), &[]).expect("start registration");
        let body = bytes(&auth.register(&started.options, ORIGIN).await.expect("authenticator registers"));
        assert_eq!(registration_challenge(&body).expect("challenge"), started.challenge);
        finish_registration(&rp(), &started.state, &body).expect("registration verifies")
    }

    fn stored(p: &NewPasskey) -> StoredPasskey<'_> {
        StoredPasskey { credential_id: &p.credential_id, user_handle: p.user_handle, public_key: &p.public_key, dynamic: &p.dynamic }
    }

    /// A usernameless sign-in answered by `auth`: (state, assertion).
    async fn discoverable_answer(auth: &mut SoftAuthenticator) -> (Vec<u8>, Assertion) {
        let started = start_sign_in(&rp(), None).expect("start sign-in");
        let body = bytes(&auth.sign_in(&started.options, ORIGIN).await.expect("authenticator signs"));
        let assertion = parse_assertion(&body).expect("assertion parses");
        assert_eq!(assertion.challenge(), started.challenge);
        (started.state, assertion)
    }

    fn err<T: std::fmt::Debug>(r: Result<T, CeremonyError>) -> CeremonyError {
        r.expect_err("refused")
    }

    /// Sets the expiration of an encoded state (12 bytes at `at`: Unix
    /// seconds, nanoseconds) to one second after the epoch.
    fn expire(state: &mut [u8], at: usize) {
        state[at..at + 8].copy_from_slice(&1u64.to_le_bytes());
        state[at + 8..at + 12].copy_from_slice(&0u32.to_le_bytes());
    }

    #[test]
    fn relying_party_from_issuer() {
        let rp = rp();
        assert_eq!(rp.rp_id, "localhost");
        assert_eq!(rp.name, "Trame");
        assert_eq!(rp.origins, ["http://localhost:8080"]);

        let rp = RelyingParty::for_issuer("https://ID.Example.com/", "").expect("https issuer");
        assert_eq!((rp.rp_id.as_str(), rp.name.as_str()), ("id.example.com", "id.example.com"));
        assert_eq!(rp.origins, ["https://id.example.com"]);
        let rp = RelyingParty::for_issuer("https://id.example.com:8443/tenant", "x").expect("with a port");
        assert_eq!(rp.origins, ["https://id.example.com:8443"]);

        for bad in ["https://127.0.0.1/", "https://[::1]:8443/", "http://id.example.com/", "not a url", "https://example.com./"] {
            assert!(matches!(RelyingParty::for_issuer(bad, "x"), Err(CeremonyError::InvalidRp(_))), "{bad}");
        }
        let by_hand = RelyingParty { rp_id: "10.0.0.1".into(), name: "x".into(), origins: vec!["https://10.0.0.1".into()] };
        assert!(matches!(start_sign_in(&by_hand, None), Err(CeremonyError::InvalidRp(_))));
        let no_origin = RelyingParty { origins: vec![], ..RelyingParty::for_issuer("https://id.example.com", "x").expect("rp") };
        assert!(matches!(start_sign_in(&no_origin, None), Err(CeremonyError::InvalidRp(_))));
    }

    #[test]
    fn creation_options_for_the_browser() {
        let exclude = vec![vec![1u8; 16], vec![2u8; 32]];
        let started = start_registration(&rp(), &user(), &exclude).expect("start");
        let pk = &started.options["publicKey"];
        assert_eq!(pk["challenge"], started.challenge);
        assert_eq!(URL_SAFE_NO_PAD.decode(&started.challenge).expect("base64url").len(), 16);
        assert_eq!(pk["rp"], json!({ "name": "Trame", "id": "localhost" }));
        assert_eq!(pk["user"], json!({ "name": "alice@example.com", "id": b64(&HANDLE), "displayName": "Alice Liddell" }));
        let algs: Vec<i64> = pk["pubKeyCredParams"].as_array().expect("params").iter().map(|p| p["alg"].as_i64().expect("alg")).collect();
        assert_eq!(algs, [-7, -8, -257]);
        assert_eq!(pk["authenticatorSelection"]["residentKey"], "required");
        assert_eq!(pk["authenticatorSelection"]["userVerification"], "required");
        assert_eq!(pk["attestation"], "none");
        assert_eq!(pk["extensions"]["credProps"], true);
        assert_eq!(pk["extensions"]["enforceCredentialProtectionPolicy"], false);
        let excluded: Vec<&str> = pk["excludeCredentials"].as_array().expect("exclude").iter().map(|c| c["id"].as_str().expect("id")).collect();
        assert_eq!(excluded, [b64(&[1; 16]), b64(&[2; 32])]);
        assert_eq!(pk["timeout"], 300_000);
        assert_eq!(started.timeout_secs, 300);
        assert_eq!(started.state[0], TAG_REGISTRATION);

        // Names: white space becomes '_'; a display name that is no
        // nickname is left out.
        let spaced = UserEntity { name: "alice  liddell", display_name: "\u{7}", ..user() };
        let pk = start_registration(&rp(), &spaced, &[]).expect("start").options["publicKey"].clone();
        assert_eq!((pk["user"]["name"].as_str(), pk["user"]["displayName"].as_str()), (Some("alice_liddell"), Some("")));
        // A credential id shorter than 16 bytes cannot be one.
        assert!(matches!(start_registration(&rp(), &user(), &[vec![1; 4]]), Err(CeremonyError::Malformed(_))));
    }

    #[tokio::test]
    async fn registers_a_discoverable_passkey() {
        let mut auth = SoftAuthenticator::new();
        let started = start_registration(&rp(), &user(), &[]).expect("start");
        let body = auth.register(&started.options, ORIGIN).await.expect("registers");
        // The authenticator took the first algorithm offered: ES256.
        assert_eq!(body["response"]["publicKeyAlgorithm"], -7);
        // Chromium's toJSON() shape, authenticatorAttachment included.
        assert_eq!(body["authenticatorAttachment"], "platform");
        let passkey = finish_registration(&rp(), &started.state, &bytes(&body)).expect("verifies");
        assert_eq!(vec![passkey.credential_id.clone()], auth.credential_ids());
        assert_eq!(passkey.user_handle, HANDLE);
        assert_eq!(passkey.sign_count, 0);
        assert!(passkey.backup_eligible && passkey.backup_state && passkey.user_verified);
        assert_eq!(passkey.aaguid, SOFT_AAGUID);
        assert!(passkey.transports.iter().any(|t| t == "internal"), "{:?}", passkey.transports);
        assert_eq!(passkey.discoverable, Some(true));
        assert_eq!(passkey.dynamic.len(), 7);
    }

    #[tokio::test]
    async fn discoverable_sign_in() {
        let mut auth = SoftAuthenticator::new();
        let passkey = register(&mut auth).await;
        let (state, assertion) = discoverable_answer(&mut auth).await;
        assert_eq!(state[0], TAG_DISCOVERABLE);
        assert_eq!(assertion.credential_id(), passkey.credential_id);
        assert_eq!(assertion.user_handle(), Some(&HANDLE[..]));
        let signed = finish_sign_in(&rp(), &state, &assertion, &stored(&passkey), CounterPolicy::Refuse).expect("sign-in verifies");
        // A synced passkey has no counter: nothing to write back.
        assert_eq!(
            signed,
            SignedIn { dynamic: passkey.dynamic.clone(), changed: false, sign_count: 0, backup_state: true, user_verified: true, counter_regressed: false }
        );

        let options = start_sign_in(&rp(), None).expect("start").options;
        assert_eq!(options["publicKey"]["userVerification"], "required");
        assert_eq!(options["publicKey"]["rpId"], "localhost");
        assert!(options["publicKey"]["allowCredentials"].as_array().is_none_or(Vec::is_empty), "{options}");
    }

    #[tokio::test]
    async fn counter_of_a_device_bound_passkey() {
        let mut auth = SoftAuthenticator::new().with_counter();
        let mut passkey = register(&mut auth).await;
        for expected in 1..=2 {
            let (state, assertion) = discoverable_answer(&mut auth).await;
            let signed = finish_sign_in(&rp(), &state, &assertion, &stored(&passkey), CounterPolicy::Refuse).expect("sign-in verifies");
            assert_eq!((signed.sign_count, signed.changed, signed.counter_regressed), (expected, true, false));
            assert_ne!(signed.dynamic, passkey.dynamic);
            passkey.dynamic = signed.dynamic;
        }
    }

    #[tokio::test]
    async fn counter_regression() {
        let mut auth = SoftAuthenticator::new().with_counter();
        let mut passkey = register(&mut auth).await;
        let (state, assertion) = discoverable_answer(&mut auth).await;
        passkey.dynamic = finish_sign_in(&rp(), &state, &assertion, &stored(&passkey), CounterPolicy::Refuse).expect("first sign-in").dynamic;

        // A clone that last signed at 0 reports 1 again.
        auth.set_counter(0);
        let (state, assertion) = discoverable_answer(&mut auth).await;
        assert!(matches!(err(finish_sign_in(&rp(), &state, &assertion, &stored(&passkey), CounterPolicy::Refuse)), CeremonyError::CounterRegression));

        auth.set_counter(0);
        let (state, assertion) = discoverable_answer(&mut auth).await;
        let signed = finish_sign_in(&rp(), &state, &assertion, &stored(&passkey), CounterPolicy::Allow).expect("allowed");
        assert!(signed.counter_regressed);
        assert_eq!(signed.sign_count, 1);

        // A counter that increases is no regression under Allow either.
        let (state, assertion) = discoverable_answer(&mut auth).await;
        let signed = finish_sign_in(&rp(), &state, &assertion, &stored(&passkey), CounterPolicy::Allow).expect("allowed");
        assert_eq!((signed.sign_count, signed.counter_regressed, signed.changed), (2, false, true));
    }

    #[tokio::test]
    async fn username_first_sign_in_with_an_allow_list() {
        let mut auth = SoftAuthenticator::new();
        let passkey = register(&mut auth).await;
        let allow = [(vec![9u8; 16], vec!["usb".to_owned()]), (passkey.credential_id.clone(), passkey.transports.clone())];
        let started = start_sign_in(&rp(), Some(&allow)).expect("start");
        assert_eq!(started.state[0], TAG_NON_DISCOVERABLE);
        let pk = &started.options["publicKey"];
        assert_eq!(pk["userVerification"], "required");
        let listed: Vec<&str> = pk["allowCredentials"].as_array().expect("allow list").iter().map(|c| c["id"].as_str().expect("id")).collect();
        assert_eq!(listed, [b64(&[9; 16]), b64(&passkey.credential_id)]);
        assert_eq!(pk["allowCredentials"][0]["transports"], json!(["usb"]));

        let body = bytes(&auth.sign_in(&started.options, ORIGIN).await.expect("authenticator signs"));
        let assertion = parse_assertion(&body).expect("parses");
        assert_eq!(assertion.credential_id(), passkey.credential_id);
        let signed = finish_sign_in(&rp(), &started.state, &assertion, &stored(&passkey), CounterPolicy::Refuse).expect("sign-in verifies");
        assert!(signed.user_verified && !signed.counter_regressed);

        assert!(matches!(start_sign_in(&rp(), Some(&[])), Err(CeremonyError::Malformed(_))));
    }

    #[tokio::test]
    async fn refuses_another_origin() {
        let mut auth = SoftAuthenticator::new();
        let started = start_registration(&rp(), &user(), &[]).expect("start");
        let body = bytes(&auth.register(&started.options, "http://localhost:9999").await.expect("registers"));
        assert!(matches!(err(finish_registration(&rp(), &started.state, &body)), CeremonyError::WrongOrigin));

        let passkey = register(&mut auth).await;
        let started = start_sign_in(&rp(), None).expect("start");
        let body = bytes(&auth.sign_in(&started.options, "http://localhost:9999").await.expect("signs"));
        let assertion = parse_assertion(&body).expect("parses");
        assert!(matches!(err(finish_sign_in(&rp(), &started.state, &assertion, &stored(&passkey), CounterPolicy::Refuse)), CeremonyError::WrongOrigin));

        // Client data rewritten after the fact: nothing signs it at
        // registration (attestation none), so the origin check is what
        // refuses it.
        let started = start_registration(&rp(), &user(), &[]).expect("start");
        let mut body = auth.register(&started.options, ORIGIN).await.expect("registers");
        rewrite_client_data(&mut body, |cd| cd["origin"] = json!("https://evil.example"));
        assert!(matches!(err(finish_registration(&rp(), &started.state, &bytes(&body))), CeremonyError::WrongOrigin));
    }

    #[tokio::test]
    async fn refuses_another_rp_id() {
        let mut auth = SoftAuthenticator::new();
        let started = start_registration(&rp(), &user(), &[]).expect("start");
        let body = bytes(&auth.register_for_rp_id(&started.options, ORIGIN, "example.org").await.expect("registers"));
        assert!(matches!(err(finish_registration(&rp(), &started.state, &body)), CeremonyError::WrongRpId));

        let passkey = register(&mut auth).await;
        let started = start_sign_in(&rp(), None).expect("start");
        let body = bytes(&auth.sign_in_for_rp_id(&started.options, ORIGIN, "example.org").await.expect("signs"));
        let assertion = parse_assertion(&body).expect("parses");
        assert_eq!(assertion.credential_id(), passkey.credential_id);
        assert!(matches!(err(finish_sign_in(&rp(), &started.state, &assertion, &stored(&passkey), CounterPolicy::Refuse)), CeremonyError::WrongRpId));
    }

    #[tokio::test]
    async fn refuses_a_tampered_signature_or_client_data() {
        let mut auth = SoftAuthenticator::new();
        let passkey = register(&mut auth).await;
        let started = start_sign_in(&rp(), None).expect("start");
        let mut body = auth.sign_in(&started.options, ORIGIN).await.expect("signs");
        let original = body.clone();
        tamper_signature(&mut body);
        assert_ne!(body, original);
        let assertion = parse_assertion(&bytes(&body)).expect("parses");
        assert!(matches!(err(finish_sign_in(&rp(), &started.state, &assertion, &stored(&passkey), CounterPolicy::Refuse)), CeremonyError::BadSignature));

        // The client data is signed too.
        let mut body = original;
        rewrite_client_data(&mut body, |cd| cd["origin"] = json!("https://evil.example"));
        let assertion = parse_assertion(&bytes(&body)).expect("parses");
        assert!(matches!(err(finish_sign_in(&rp(), &started.state, &assertion, &stored(&passkey), CounterPolicy::Refuse)), CeremonyError::BadSignature));
    }

    #[tokio::test]
    async fn refuses_the_state_of_another_ceremony() {
        let mut auth = SoftAuthenticator::new();
        let first = start_registration(&rp(), &user(), &[]).expect("start");
        let second = start_registration(&rp(), &user(), &[]).expect("start");
        let body = bytes(&auth.register(&second.options, ORIGIN).await.expect("registers"));
        assert!(matches!(err(finish_registration(&rp(), &first.state, &body)), CeremonyError::WrongCeremony));
        let passkey = finish_registration(&rp(), &second.state, &body).expect("its own state");

        let first = start_sign_in(&rp(), None).expect("start");
        let (_, assertion) = discoverable_answer(&mut auth).await;
        assert!(matches!(err(finish_sign_in(&rp(), &first.state, &assertion, &stored(&passkey), CounterPolicy::Refuse)), CeremonyError::WrongCeremony));
    }

    #[tokio::test]
    async fn refuses_a_state_of_the_wrong_kind() {
        let mut auth = SoftAuthenticator::new();
        let passkey = register(&mut auth).await;
        let registration = start_registration(&rp(), &user(), &[]).expect("start");
        let (sign_in_state, assertion) = discoverable_answer(&mut auth).await;
        assert!(matches!(err(finish_sign_in(&rp(), &registration.state, &assertion, &stored(&passkey), CounterPolicy::Refuse)), CeremonyError::WrongCeremony));

        let body = bytes(&auth.register(&registration.options, ORIGIN).await.expect("registers"));
        assert!(matches!(err(finish_registration(&rp(), &sign_in_state, &body)), CeremonyError::WrongCeremony));
        let username_first = start_sign_in(&rp(), Some(&[(passkey.credential_id.clone(), vec![])])).expect("start");
        assert!(matches!(err(finish_registration(&rp(), &username_first.state, &body)), CeremonyError::WrongCeremony));
        // Right kind, wrong tag: the payload is not read as another kind.
        let mut relabelled = sign_in_state.clone();
        relabelled[0] = TAG_NON_DISCOVERABLE;
        assert!(matches!(err(finish_sign_in(&rp(), &relabelled, &assertion, &stored(&passkey), CounterPolicy::Refuse)), CeremonyError::Malformed(_)));
    }

    #[tokio::test]
    async fn refuses_a_user_not_verified() {
        let started = start_registration(&rp(), &user(), &[]).expect("start");
        let mut no_uv = SoftAuthenticator::new().without_user_verification();
        let body = bytes(&no_uv.register(&started.options, ORIGIN).await.expect("registers without UV"));
        assert!(matches!(err(finish_registration(&rp(), &started.state, &body)), CeremonyError::UserNotVerified));

        // A passkey registered with UV, used by the same device once it
        // cannot verify any more.
        let mut auth = SoftAuthenticator::new();
        let passkey = register(&mut auth).await;
        let mut auth = auth.without_user_verification();
        let (state, assertion) = discoverable_answer(&mut auth).await;
        assert!(matches!(err(finish_sign_in(&rp(), &state, &assertion, &stored(&passkey), CounterPolicy::Refuse)), CeremonyError::UserNotVerified));
    }

    #[tokio::test]
    async fn refuses_a_credential_or_user_that_does_not_match() {
        let mut auth = SoftAuthenticator::new();
        let passkey = register(&mut auth).await;
        let other_user = UserEntity { handle: [8; USER_HANDLE_LEN], name: "bob", display_name: "Bob" };
        let started = start_registration(&rp(), &other_user, &[]).expect("start");
        let body = bytes(&auth.register(&started.options, ORIGIN).await.expect("registers"));
        let other = finish_registration(&rp(), &started.state, &body).expect("second passkey");

        // The newest (bob's) answers a usernameless sign-in.
        let (state, assertion) = discoverable_answer(&mut auth).await;
        assert_eq!(assertion.credential_id(), other.credential_id);
        assert_eq!(assertion.user_handle(), Some(&[8; USER_HANDLE_LEN][..]));
        // The right user, another credential (alice's passkey under bob's
        // handle): credential id mismatch.
        let wrong_credential = StoredPasskey { user_handle: other.user_handle, ..stored(&passkey) };
        assert!(matches!(err(finish_sign_in(&rp(), &state, &assertion, &wrong_credential, CounterPolicy::Refuse)), CeremonyError::WrongCeremony));
        // The right credential stored under another user: user handle mismatch.
        let (state, assertion) = discoverable_answer(&mut auth).await;
        let wrong_user = StoredPasskey { user_handle: HANDLE, ..stored(&other) };
        assert!(matches!(err(finish_sign_in(&rp(), &state, &assertion, &wrong_user, CounterPolicy::Refuse)), CeremonyError::WrongCeremony));
        // Both right: it verifies.
        let (state, assertion) = discoverable_answer(&mut auth).await;
        finish_sign_in(&rp(), &state, &assertion, &stored(&other), CounterPolicy::Refuse).expect("bob signs in");

        // Username-first: a credential outside the allow list sent.
        let started = start_sign_in(&rp(), Some(&[(passkey.credential_id.clone(), vec![])])).expect("start");
        let mut options = started.options.clone();
        options["publicKey"]["allowCredentials"] = json!([{ "type": "public-key", "id": b64(&other.credential_id) }]);
        let body = bytes(&auth.sign_in(&options, ORIGIN).await.expect("signs"));
        let assertion = parse_assertion(&body).expect("parses");
        assert!(matches!(err(finish_sign_in(&rp(), &started.state, &assertion, &stored(&other), CounterPolicy::Refuse)), CeremonyError::WrongCeremony));
    }

    #[tokio::test]
    async fn refuses_an_expired_ceremony() {
        let mut auth = SoftAuthenticator::new();
        let started = start_registration(&rp(), &user(), &[]).expect("start");
        let body = bytes(&auth.register(&started.options, ORIGIN).await.expect("registers"));
        let mut state = started.state.clone();
        // Registration: … expiration (12 bytes), user handle (16 bytes).
        let at = state.len() - USER_HANDLE_LEN - 12;
        expire(&mut state, at);
        assert!(matches!(err(finish_registration(&rp(), &state, &body)), CeremonyError::Expired));
        let passkey = finish_registration(&rp(), &started.state, &body).expect("in time");

        let (mut state, assertion) = discoverable_answer(&mut auth).await;
        // Usernameless sign-in: … expiration (12 bytes) last.
        let at = state.len() - 12;
        expire(&mut state, at);
        assert!(matches!(err(finish_sign_in(&rp(), &state, &assertion, &stored(&passkey), CounterPolicy::Refuse)), CeremonyError::Expired));
    }

    /// Documents pitfall 2 of the reference: single use is the caller's job.
    #[tokio::test]
    async fn a_state_replayed_verifies_again() {
        let mut auth = SoftAuthenticator::new();
        let passkey = register(&mut auth).await;
        let (state, assertion) = discoverable_answer(&mut auth).await;
        for _ in 0..2 {
            finish_sign_in(&rp(), &state, &assertion, &stored(&passkey), CounterPolicy::Refuse).expect("verifies");
        }
    }

    #[tokio::test]
    async fn malformed_input_is_an_error_never_a_panic() {
        let mut auth = SoftAuthenticator::new().with_counter();
        let registration = start_registration(&rp(), &user(), &[]).expect("start");
        let reg_body = bytes(&auth.register(&registration.options, ORIGIN).await.expect("registers"));
        let passkey = finish_registration(&rp(), &registration.state, &reg_body).expect("verifies");
        let discoverable = start_sign_in(&rp(), None).expect("start");
        let auth_body = bytes(&auth.sign_in(&discoverable.options, ORIGIN).await.expect("signs"));
        let assertion = parse_assertion(&auth_body).expect("parses");
        let username_first = start_sign_in(&rp(), Some(&[(passkey.credential_id.clone(), vec![])])).expect("start");

        let garbage: [&[u8]; 7] = [b"", b"null", b"{}", b"[]", b"not json", b"{\"id\":1}", &[0xff; 40]];
        for garbage in garbage {
            assert!(matches!(parse_assertion(garbage), Err(CeremonyError::Malformed(_))));
            assert!(matches!(registration_challenge(garbage), Err(CeremonyError::Malformed(_))));
            assert!(matches!(finish_registration(&rp(), &registration.state, garbage), Err(CeremonyError::Malformed(_))));
        }
        // Every prefix of real bodies.
        for len in 0..reg_body.len() {
            assert!(matches!(finish_registration(&rp(), &registration.state, &reg_body[..len]), Err(CeremonyError::Malformed(_))));
        }
        for len in 0..auth_body.len() {
            assert!(matches!(parse_assertion(&auth_body[..len]), Err(CeremonyError::Malformed(_))));
        }
        // Binary fields cut short or emptied inside valid JSON.
        for (field, value) in [("attestationObject", json!("AAAA")), ("clientDataJSON", json!(b64(b"{}"))), ("clientDataJSON", json!(""))] {
            let mut body: Value = serde_json::from_slice(&reg_body).expect("json");
            body["response"][field] = value;
            assert!(matches!(finish_registration(&rp(), &registration.state, &bytes(&body)), Err(CeremonyError::Malformed(_))), "{field}");
        }
        let mut body: Value = serde_json::from_slice(&auth_body).expect("json");
        body["response"]["authenticatorData"] = json!("AAAA");
        match parse_assertion(&bytes(&body)) {
            Err(CeremonyError::Malformed(_)) => {}
            Ok(short) => assert!(matches!(
                finish_sign_in(&rp(), &discoverable.state, &short, &stored(&passkey), CounterPolicy::Refuse),
                Err(CeremonyError::Malformed(_))
            )),
            Err(e) => panic!("{e:?}"),
        }
        let mut body: Value = serde_json::from_slice(&auth_body).expect("json");
        body["response"]["userHandle"] = json!(b64(&[1; 8]));
        assert!(matches!(parse_assertion(&bytes(&body)), Err(CeremonyError::Malformed(_))));

        // Every prefix of each kind of state (every byte flipped: see
        // a_flipped_state_byte_is_refused_or_changes_nothing).
        let states = [&registration.state, &discoverable.state, &username_first.state];
        for state in states {
            for len in 0..state.len() {
                let cut = &state[..len];
                let reg = finish_registration(&rp(), cut, &reg_body);
                let sign = finish_sign_in(&rp(), cut, &assertion, &stored(&passkey), CounterPolicy::Refuse);
                if state[0] == TAG_REGISTRATION {
                    assert!(matches!(reg, Err(CeremonyError::Malformed(_))), "registration state cut at {len}: {reg:?}");
                    let expected = if len == 0 { "malformed" } else { "wrong_ceremony" };
                    assert_eq!(sign.map_err(|e| e.code()).expect_err("refused"), expected);
                } else {
                    assert!(matches!(sign, Err(CeremonyError::Malformed(_))), "sign-in state cut at {len}: {sign:?}");
                    let expected = if len == 0 { "malformed" } else { "wrong_ceremony" };
                    assert_eq!(reg.map_err(|e| e.code()).expect_err("refused"), expected);
                }
            }
        }
        assert!(matches!(finish_sign_in(&rp(), &[0xee, 1, 2], &assertion, &stored(&passkey), CounterPolicy::Refuse), Err(CeremonyError::Malformed(_))));

        // Stored values cut short or too long.
        for len in 0..passkey.public_key.len() {
            let cut = StoredPasskey { public_key: &passkey.public_key[..len], ..stored(&passkey) };
            assert!(matches!(finish_sign_in(&rp(), &discoverable.state, &assertion, &cut, CounterPolicy::Refuse), Err(CeremonyError::Malformed(_))));
        }
        let mut long = passkey.dynamic.clone();
        long.push(0);
        for dynamic in [&passkey.dynamic[..3], &long[..], &[9; 7][..]] {
            let bad = StoredPasskey { dynamic, ..stored(&passkey) };
            assert!(matches!(finish_sign_in(&rp(), &discoverable.state, &assertion, &bad, CounterPolicy::Refuse), Err(CeremonyError::Malformed(_))));
        }
        let short_id = StoredPasskey { credential_id: &[1; 3], ..stored(&passkey) };
        assert!(matches!(finish_sign_in(&rp(), &discoverable.state, &assertion, &short_id, CounterPolicy::Refuse), Err(CeremonyError::Malformed(_))));
        // And the untouched ones still verify.
        finish_sign_in(&rp(), &discoverable.state, &assertion, &stored(&passkey), CounterPolicy::Refuse).expect("still verifies");
    }

    /// The parts of a ceremony state: the tag byte, then webauthn_rp's
    /// encoding of the server state.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum StatePart {
        Tag,
        /// The challenge the answer must carry (u128, little-endian).
        Challenge,
        /// Everything the ceremony was started with: mediation, algorithms,
        /// authenticator selection, user verification, extensions, the
        /// allow list of a username-first sign-in.
        Options,
        /// Unix seconds (u64) and nanoseconds (u32), little-endian.
        Expiration,
        /// The user handle a registration is for.
        UserHandle,
    }

    /// Where each part of `state` is, checked against what the ceremony was
    /// started with (so a change of webauthn_rp's encoding fails here
    /// rather than misplacing the positions below). Registration: tag,
    /// mediation, challenge, options, expiration, user handle. Sign-in:
    /// tag, challenge, user verification, extensions, expiration, then (a
    /// username-first one) the allow list.
    fn state_parts(state: &[u8], challenge: &str) -> Vec<StatePart> {
        let challenge = URL_SAFE_NO_PAD.decode(challenge).expect("challenge");
        assert_eq!(challenge.len(), 16);
        let (challenge_at, expiration_at) = match state[0] {
            TAG_REGISTRATION => (2, state.len() - USER_HANDLE_LEN - 12),
            // Tag, challenge, user verification, extensions (none: 1 byte).
            TAG_DISCOVERABLE | TAG_NON_DISCOVERABLE => (1, 1 + 16 + 1 + 1),
            tag => panic!("tag {tag}"),
        };
        assert_eq!(state[challenge_at..challenge_at + 16], challenge[..], "the challenge's place");
        let expires = expiry(&state[expiration_at..expiration_at + 12]).expect("an expiration");
        let in_five_minutes = SystemTime::now() + Duration::from_secs(300);
        assert!(expires <= in_five_minutes && expires + Duration::from_secs(60) > in_five_minutes, "the expiration's place");
        if state[0] == TAG_REGISTRATION {
            assert_eq!(state[state.len() - USER_HANDLE_LEN..], HANDLE, "the user handle's place");
        }
        if state[0] == TAG_DISCOVERABLE {
            assert_eq!(state.len(), expiration_at + 12, "the expiration ends a usernameless sign-in's state");
        }
        (0..state.len())
            .map(|i| match i {
                0 => StatePart::Tag,
                i if (challenge_at..challenge_at + 16).contains(&i) => StatePart::Challenge,
                i if (expiration_at..expiration_at + 12).contains(&i) => StatePart::Expiration,
                i if state[0] == TAG_REGISTRATION && i >= state.len() - USER_HANDLE_LEN => StatePart::UserHandle,
                _ => StatePart::Options,
            })
            .collect()
    }

    /// An encoded expiration as webauthn_rp reads it: `None` when it cannot.
    fn expiry(bytes: &[u8]) -> Option<SystemTime> {
        let secs = u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes"));
        let nanos = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
        if nanos >= 1_000_000_000 {
            return None;
        }
        UNIX_EPOCH.checked_add(Duration::new(secs, nanos))
    }

    /// Whether webauthn_rp can read the payload of a state with this tag.
    fn decodes(state: &[u8]) -> bool {
        let payload = &state[1..];
        match state[0] {
            TAG_REGISTRATION => RegistrationServerState::<USER_HANDLE_LEN>::decode(payload).is_ok(),
            TAG_DISCOVERABLE => DiscoverableAuthenticationServerState::decode(payload).is_ok(),
            TAG_NON_DISCOVERABLE => NonDiscoverableAuthenticationServerState::decode(payload).is_ok(),
            _ => false,
        }
    }

    /// The state is not authenticated (it never leaves the server), so a
    /// byte changed in storage must not go unnoticed where it matters:
    /// every byte of each kind of state, flipped (low and high bit), gives
    /// an error, or, where the byte does not decide the outcome, exactly
    /// the result of the intact state. Per part: the tag and the challenge
    /// always refuse (malformed, this ceremony's answer no longer matches);
    /// the expiration gives the same result while still in the future,
    /// `Expired` once in the past, `Malformed` when unreadable; the user
    /// handle of a registration is whose passkey it is: the same passkey,
    /// for the handle now in the state; an option byte either makes the
    /// state unreadable (`Malformed`, exactly when webauthn_rp cannot
    /// decode it) or gives the same result or a refusal (a requirement
    /// the answer no longer meets, a credential no longer allowed). The
    /// other ceremony's finisher always refuses.
    #[tokio::test]
    async fn a_flipped_state_byte_is_refused_or_changes_nothing() {
        let mut auth = SoftAuthenticator::new().with_counter();
        let registration = start_registration(&rp(), &user(), &[]).expect("start");
        let reg_body = bytes(&auth.register(&registration.options, ORIGIN).await.expect("registers"));
        let passkey = finish_registration(&rp(), &registration.state, &reg_body).expect("verifies");
        let discoverable = start_sign_in(&rp(), None).expect("start");
        let usernameless_answer = parse_assertion(&bytes(&auth.sign_in(&discoverable.options, ORIGIN).await.expect("signs"))).expect("parses");
        let username_first = start_sign_in(&rp(), Some(&[(passkey.credential_id.clone(), vec!["internal".into()])])).expect("start");
        let username_first_answer = parse_assertion(&bytes(&auth.sign_in(&username_first.options, ORIGIN).await.expect("signs"))).expect("parses");
        let sign_in = |state: &[u8], answer: &Assertion| finish_sign_in(&rp(), state, answer, &stored(&passkey), CounterPolicy::Allow);

        // Registration.
        let parts = state_parts(&registration.state, &registration.challenge);
        let mut seen = std::collections::BTreeSet::new();
        for (i, part) in parts.iter().copied().enumerate() {
            seen.insert(format!("{part:?}"));
            for bit in [0x01, 0x80] {
                let mut flipped = registration.state.clone();
                flipped[i] ^= bit;
                let at = format!("registration state byte {i} ({part:?}) ^ {bit:#04x}");
                let outcome = finish_registration(&rp(), &flipped, &reg_body);
                match part {
                    StatePart::Tag => assert!(matches!(outcome, Err(CeremonyError::Malformed(_))), "{at}: {outcome:?}"),
                    StatePart::Challenge => assert!(matches!(outcome, Err(CeremonyError::WrongCeremony)), "{at}: {outcome:?}"),
                    StatePart::Expiration => {
                        let at_bytes = registration.state.len() - USER_HANDLE_LEN - 12;
                        match expiry(&flipped[at_bytes..at_bytes + 12]) {
                            None => assert!(matches!(outcome, Err(CeremonyError::Malformed(_))), "{at}: {outcome:?}"),
                            Some(t) if t < SystemTime::now() => assert!(matches!(outcome, Err(CeremonyError::Expired)), "{at}: {outcome:?}"),
                            Some(_) => assert_eq!(outcome.as_ref().ok(), Some(&passkey), "{at}: {outcome:?}"),
                        }
                    }
                    StatePart::UserHandle => {
                        let mut handle = HANDLE;
                        handle[i - (registration.state.len() - USER_HANDLE_LEN)] ^= bit;
                        let expected = NewPasskey { user_handle: handle, ..passkey.clone() };
                        assert_eq!(outcome.as_ref().ok(), Some(&expected), "{at}: {outcome:?}");
                    }
                    StatePart::Options if !decodes(&flipped) => assert!(matches!(outcome, Err(CeremonyError::Malformed(_))), "{at}: {outcome:?}"),
                    StatePart::Options => match &outcome {
                        Ok(p) => assert_eq!(p, &passkey, "{at}"),
                        Err(e) => assert!(!matches!(e, CeremonyError::Malformed(_)), "{at}: readable, so refused for what it says: {e:?}"),
                    },
                }
                assert!(sign_in(&flipped, &usernameless_answer).is_err(), "{at}: not a sign-in state");
            }
        }
        assert_eq!(seen.len(), 5, "every part of a registration state was flipped: {seen:?}");

        // Sign-in, usernameless and username-first, each with its answer.
        for (started, answer, name) in [(&discoverable, &usernameless_answer, "usernameless"), (&username_first, &username_first_answer, "username-first")] {
            let intact = sign_in(&started.state, answer).expect("the intact state verifies");
            let parts = state_parts(&started.state, &started.challenge);
            for (i, part) in parts.iter().copied().enumerate() {
                for bit in [0x01, 0x80] {
                    let mut flipped = started.state.clone();
                    flipped[i] ^= bit;
                    let at = format!("{name} state byte {i} ({part:?}) ^ {bit:#04x}");
                    let outcome = sign_in(&flipped, answer);
                    match part {
                        StatePart::Tag => assert!(matches!(outcome, Err(CeremonyError::Malformed(_))), "{at}: {outcome:?}"),
                        StatePart::Challenge => assert!(matches!(outcome, Err(CeremonyError::WrongCeremony)), "{at}: {outcome:?}"),
                        StatePart::Expiration => match expiry(&flipped[1 + 16 + 1 + 1..1 + 16 + 1 + 1 + 12]) {
                            None => assert!(matches!(outcome, Err(CeremonyError::Malformed(_))), "{at}: {outcome:?}"),
                            Some(t) if t < SystemTime::now() => assert!(matches!(outcome, Err(CeremonyError::Expired)), "{at}: {outcome:?}"),
                            Some(_) => assert_eq!(outcome.as_ref().ok(), Some(&intact), "{at}: {outcome:?}"),
                        },
                        StatePart::UserHandle => unreachable!("a sign-in state holds no user handle"),
                        StatePart::Options if !decodes(&flipped) => assert!(matches!(outcome, Err(CeremonyError::Malformed(_))), "{at}: {outcome:?}"),
                        StatePart::Options => match &outcome {
                            Ok(signed_in) => assert_eq!(signed_in, &intact, "{at}"),
                            Err(e) => assert!(!matches!(e, CeremonyError::Malformed(_)), "{at}: readable, so refused for what it says: {e:?}"),
                        },
                    }
                    assert!(finish_registration(&rp(), &flipped, &reg_body).is_err(), "{at}: not a registration state");
                }
            }
        }
    }

    /// What browsers add beyond the spec's JSON shape is ignored: unknown
    /// keys at any level, Chromium's extra client data key.
    #[tokio::test]
    async fn tolerates_what_browsers_add() {
        let mut auth = SoftAuthenticator::new();
        let started = start_registration(&rp(), &user(), &[]).expect("start");
        let mut body = auth.register(&started.options, ORIGIN).await.expect("registers");
        body["futureKey"] = json!({ "a": 1 });
        body["response"]["futureKey"] = json!([1, 2]);
        rewrite_client_data(&mut body, |cd| cd["other_keys_can_be_added_here"] = json!("do not compare clientDataJSON against a template"));
        let passkey = finish_registration(&rp(), &started.state, &bytes(&body)).expect("registration verifies");

        let started = start_sign_in(&rp(), None).expect("start");
        let mut body = auth.sign_in(&started.options, ORIGIN).await.expect("signs");
        body["futureKey"] = json!(null);
        body["response"]["futureKey"] = json!("x");
        body["clientExtensionResults"] = json!({ "futureExtension": true });
        let assertion = parse_assertion(&bytes(&body)).expect("parses");
        finish_sign_in(&rp(), &started.state, &assertion, &stored(&passkey), CounterPolicy::Refuse).expect("sign-in verifies");
    }

    #[test]
    fn error_codes_are_distinct() {
        let all = [
            CeremonyError::Malformed(String::new()),
            CeremonyError::WrongOrigin,
            CeremonyError::WrongRpId,
            CeremonyError::BadSignature,
            CeremonyError::UserNotVerified,
            CeremonyError::CounterRegression,
            CeremonyError::Expired,
            CeremonyError::WrongCeremony,
            CeremonyError::Refused(String::new()),
            CeremonyError::InvalidRp(String::new()),
        ];
        let mut codes: Vec<&str> = all.iter().map(CeremonyError::code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }
}
