//! A software passkey authenticator for tests, built on 1Password's
//! `passkey-client` (the browser's part: client data, origin and RP ID
//! checks) and `passkey-authenticator` (the authenticator's part: keys,
//! flags, counter).
//!
//! It takes the options a server sends to the browser (`{"publicKey": …}`
//! JSON) and returns what the page would post back: the
//! `PublicKeyCredential.toJSON()` shape, base64url strings for binary fields.
//!
//! What it adds to the passkey-* crates:
//! - a credential store that answers both username-first requests (allow
//!   list) and usernameless ones (no allow list: the newest discoverable
//!   credential of the RP ID), where passkey-authenticator's `MemoryStore`
//!   only answers the former;
//! - `excludeCredentials` enforced (passkey-authenticator 0.6 checks the list
//!   but creates the credential anyway);
//! - `http://localhost` origins allowed, as browsers do;
//! - knobs to produce the responses a server must refuse: no user
//!   verification, a signature counter set back, an RP ID other than the
//!   server's, tampered signatures and client data.
//!
//! Like most software and synced passkeys, every response carries the
//! backup-eligible and backed-up flags (passkey-authenticator always sets
//! them) and attestation "none".

use std::sync::{Arc, Mutex, MutexGuard};

use anyhow::{Context as _, anyhow, bail};
use passkey_authenticator::{Authenticator, CredentialStore, DiscoverabilitySupport, StoreInfo, UiHint, UserCheck, UserValidationMethod};
use passkey_client::{Client, DefaultClientData, DefaultClientDataWithCustomHash};
use passkey_crypto::hash::Sha256Backend as _;
use passkey_crypto::{AvailableBackend, AvailableSha2};
use passkey_types::Passkey;
use passkey_types::ctap2::make_credential::{Options, PublicKeyCredentialRpEntity, PublicKeyCredentialUserEntity};
use passkey_types::ctap2::{Aaguid, Ctap2Error, StatusCode};
use passkey_types::encoding::{base64url, try_from_base64url};
use passkey_types::webauthn::{CredentialCreationOptions, CredentialRequestOptions, PublicKeyCredentialDescriptor};
use serde_json::{Value, json};
use url::Url;

/// The AAGUID the soft authenticator reports: 16 bytes of 0x5a, easy to spot.
pub const SOFT_AAGUID: [u8; 16] = [0x5a; 16];

/// A software authenticator holding its credentials in memory.
///
/// Cloning is not offered on purpose: one value is one device.
pub struct SoftAuthenticator {
    store: SoftStore,
    user_verification: bool,
    counter: bool,
}

impl Default for SoftAuthenticator {
    fn default() -> Self {
        Self::new()
    }
}

impl SoftAuthenticator {
    /// An authenticator with user verification and no signature counter
    /// (it always reports 0), like synced passkeys.
    pub fn new() -> Self {
        Self { store: SoftStore::default(), user_verification: true, counter: false }
    }

    /// A device-bound authenticator: credentials created from now on start a
    /// signature counter at 0 and every assertion increments it first (the
    /// first sign-in reports 1).
    pub fn with_counter(mut self) -> Self {
        self.counter = true;
        self
    }

    /// An authenticator that cannot verify the user, behind a client that
    /// does not enforce the server's `userVerification: "required"`: it still
    /// answers, with the UV flag clear, so the server must refuse.
    pub fn without_user_verification(mut self) -> Self {
        self.user_verification = false;
        self
    }

    /// Answers creation options (`{"publicKey": …}`, as the server sends
    /// them) for a page at `origin`; returns the registration body
    /// (`PublicKeyCredential.toJSON()`).
    ///
    /// The RP ID is `publicKey.rp.id` if present, else the origin's host; the
    /// client refuses an RP ID the origin may not use.
    pub async fn register(&mut self, options: &Value, origin: &str) -> anyhow::Result<Value> {
        let origin = parse_origin(origin)?;
        let request = self.creation_request(options)?;
        let rp_id = request.public_key.rp.id.clone().or_else(|| origin.host_str().map(str::to_owned)).unwrap_or_default();
        self.check_excluded(&request, &rp_id)?;
        let mut client = Client::new(self.authenticator()).allows_insecure_localhost(true);
        let created = client.register(&origin, request, DefaultClientData).await.map_err(|e| anyhow!("passkey-client refused the registration: {e:?}"))?;
        serde_json::to_value(&created).context("serialize the registration")
    }

    /// Answers request options (`{"publicKey": …}`) for a page at `origin`;
    /// returns the authentication body. Without `allowCredentials` the newest
    /// discoverable credential of the RP ID answers.
    pub async fn sign_in(&mut self, options: &Value, origin: &str) -> anyhow::Result<Value> {
        let origin = parse_origin(origin)?;
        let request = self.request_options(options)?;
        let mut client = Client::new(self.authenticator()).allows_insecure_localhost(true);
        let asserted = client.authenticate(&origin, request, DefaultClientData).await.map_err(|e| anyhow!("passkey-client refused the sign-in: {e:?}"))?;
        serde_json::to_value(&asserted).context("serialize the assertion")
    }

    /// Like [`Self::register`], but the authenticator data is made for
    /// `rp_id` while the client data says `origin`: what a server sees when a
    /// page of `origin` asked for a credential of another RP ID. A browser
    /// would refuse; this exists to test that the server refuses too. The
    /// credential is stored under `rp_id`.
    pub async fn register_for_rp_id(&mut self, options: &Value, origin: &str, rp_id: &str) -> anyhow::Result<Value> {
        let mut options = options.clone();
        *pointer_mut(&mut options, "/publicKey/rp")? = json!({ "id": rp_id, "name": rp_id });
        let request = self.creation_request(&options)?;
        let (client_data_json, hash) = client_data("webauthn.create", &request.public_key.challenge, origin);
        let mut client = Client::new(self.authenticator()).allows_insecure_localhost(true);
        let created = client
            .register(&rp_origin(rp_id)?, request, DefaultClientDataWithCustomHash(hash))
            .await
            .map_err(|e| anyhow!("passkey-client refused the registration: {e:?}"))?;
        let mut body = serde_json::to_value(&created).context("serialize the registration")?;
        *pointer_mut(&mut body, "/response/clientDataJSON")? = Value::String(base64url(client_data_json.as_bytes()));
        Ok(body)
    }

    /// Like [`Self::sign_in`], but the assertion is signed for `rp_id` (its
    /// RP ID hash) over client data that says `origin`, with whichever
    /// credential matches the request whatever its RP ID: what a server sees
    /// when its own passkey was used for another RP ID. Signature, challenge
    /// and origin are all valid; only the RP ID hash is wrong.
    pub async fn sign_in_for_rp_id(&mut self, options: &Value, origin: &str, rp_id: &str) -> anyhow::Result<Value> {
        let mut options = options.clone();
        pointer_mut(&mut options, "/publicKey")?.as_object_mut().context("publicKey is not an object")?.insert("rpId".into(), Value::String(rp_id.to_owned()));
        let request = self.request_options(&options)?;
        let (client_data_json, hash) = client_data("webauthn.get", &request.public_key.challenge, origin);
        let mut client = Client::new(self.authenticator()).allows_insecure_localhost(true);
        self.store.lock().any_rp_id = true;
        let asserted = client.authenticate(&rp_origin(rp_id)?, request, DefaultClientDataWithCustomHash(hash)).await;
        self.store.lock().any_rp_id = false;
        let asserted = asserted.map_err(|e| anyhow!("passkey-client refused the sign-in: {e:?}"))?;
        let mut body = serde_json::to_value(&asserted).context("serialize the assertion")?;
        *pointer_mut(&mut body, "/response/clientDataJSON")? = Value::String(base64url(client_data_json.as_bytes()));
        Ok(body)
    }

    /// The ids of the credentials held, oldest first.
    pub fn credential_ids(&self) -> Vec<Vec<u8>> {
        self.store.lock().creds.iter().map(|c| c.credential_id.to_vec()).collect()
    }

    /// Sets the signature counter of every credential held to `n` (turning
    /// the counter on for credentials that had none). The next assertion
    /// reports `n + 1`: set it at or below the last value the server saw to
    /// simulate a cloned key.
    pub fn set_counter(&mut self, n: u32) {
        for cred in &mut self.store.lock().creds {
            cred.counter = Some(n);
        }
    }

    /// A fresh authenticator over the shared store for one ceremony (the
    /// client is built around it by each method: its type names a crate of
    /// passkey-client's we do not depend on).
    fn authenticator(&self) -> Authenticator<SoftStore, SoftUser, AvailableBackend> {
        let mut authenticator =
            Authenticator::new(Aaguid::from(SOFT_AAGUID), self.store.clone(), SoftUser { verification: self.user_verification }, AvailableBackend);
        authenticator.set_make_credentials_with_signature_counter(self.counter);
        authenticator
    }

    fn creation_request(&self, options: &Value) -> anyhow::Result<CredentialCreationOptions> {
        let mut options = options.clone();
        if !self.user_verification {
            discourage_user_verification(&mut options, "/publicKey/authenticatorSelection");
        }
        serde_json::from_value(options).context("creation options are not {\"publicKey\": PublicKeyCredentialCreationOptionsJSON}")
    }

    fn request_options(&self, options: &Value) -> anyhow::Result<CredentialRequestOptions> {
        let mut options = options.clone();
        if !self.user_verification {
            discourage_user_verification(&mut options, "/publicKey");
        }
        serde_json::from_value(options).context("request options are not {\"publicKey\": PublicKeyCredentialRequestOptionsJSON}")
    }

    /// What a browser does with `excludeCredentials`: refuse to create a
    /// second credential on an authenticator that already holds one of them
    /// for this RP ID (`InvalidStateError`).
    fn check_excluded(&self, request: &CredentialCreationOptions, rp_id: &str) -> anyhow::Result<()> {
        let Some(excluded) = &request.public_key.exclude_credentials else { return Ok(()) };
        let store = self.store.lock();
        if store.creds.iter().any(|c| c.rp_id == rp_id && excluded.iter().any(|d| *d.id == *c.credential_id)) {
            bail!("InvalidStateError: this authenticator already holds an excluded credential");
        }
        Ok(())
    }
}

// The futures are Send: tests may drive the authenticator from spawned tasks.
const _: fn() = || {
    fn send<T: Send>(_: &T) {}
    let mut auth = SoftAuthenticator::new();
    let options = Value::Null;
    send(&auth.register(&options, ""));
    send(&auth.sign_in(&options, ""));
};

/// Flips the last byte of `response.signature` (an ECDSA signature stays
/// well-formed DER, so the server's refusal is about the signature itself).
pub fn tamper_signature(body: &mut Value) {
    if let Some(Value::String(sig)) = body.pointer_mut("/response/signature")
        && let Some(mut bytes) = try_from_base64url(sig)
        && let Some(last) = bytes.last_mut()
    {
        *last ^= 0x01;
        *sig = base64url(&bytes);
    }
}

/// Decodes `response.clientDataJSON`, lets `f` change it (origin, challenge,
/// type…), and encodes it back (keys come out sorted). A signed assertion no
/// longer verifies afterwards; a registration with attestation "none" does,
/// since nothing signs its client data.
pub fn rewrite_client_data(body: &mut Value, f: impl FnOnce(&mut Value)) {
    let Some(Value::String(encoded)) = body.pointer_mut("/response/clientDataJSON") else { return };
    let Some(mut client_data) = try_from_base64url(encoded).and_then(|b| serde_json::from_slice::<Value>(&b).ok()) else { return };
    f(&mut client_data);
    *encoded = base64url(client_data.to_string().as_bytes());
}

/// The credentials of one soft authenticator, shared between the
/// [`SoftAuthenticator`] and the `Authenticator` built for each ceremony.
#[derive(Clone, Default)]
struct SoftStore(Arc<Mutex<StoreInner>>);

#[derive(Default)]
struct StoreInner {
    /// Oldest first.
    creds: Vec<Passkey>,
    /// Answer requests with credentials of any RP ID (for
    /// [`SoftAuthenticator::sign_in_for_rp_id`]).
    any_rp_id: bool,
}

impl SoftStore {
    fn lock(&self) -> MutexGuard<'_, StoreInner> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[async_trait::async_trait]
impl CredentialStore for SoftStore {
    type PasskeyItem = Passkey;

    async fn find_credentials(
        &self,
        ids: Option<&[PublicKeyCredentialDescriptor]>,
        rp_id: &str,
        _user_handle: Option<&[u8]>,
    ) -> Result<Vec<Passkey>, StatusCode> {
        let store = self.lock();
        let of_rp = store.creds.iter().rev().filter(|c| store.any_rp_id || c.rp_id == rp_id);
        let found: Vec<Passkey> = match ids.filter(|ids| !ids.is_empty()) {
            // Username-first (or an exclude list): exactly the listed ids.
            Some(ids) => of_rp.filter(|c| ids.iter().any(|d| *d.id == *c.credential_id)).cloned().collect(),
            // Usernameless: discoverable credentials only, newest first.
            None => of_rp.filter(|c| c.user_handle.is_some()).cloned().collect(),
        };
        if found.is_empty() { Err(Ctap2Error::NoCredentials.into()) } else { Ok(found) }
    }

    async fn save_credential(
        &mut self,
        cred: Passkey,
        _user: PublicKeyCredentialUserEntity,
        _rp: PublicKeyCredentialRpEntity,
        _options: Options,
    ) -> Result<(), StatusCode> {
        let mut store = self.lock();
        // A discoverable credential replaces the one of the same user and RP
        // ID, as CTAP2 authenticators do.
        store
            .creds
            .retain(|c| c.credential_id != cred.credential_id && !(cred.user_handle.is_some() && c.rp_id == cred.rp_id && c.user_handle == cred.user_handle));
        store.creds.push(cred);
        Ok(())
    }

    async fn update_credential(&mut self, cred: &Passkey) -> Result<(), StatusCode> {
        let mut store = self.lock();
        match store.creds.iter_mut().find(|c| c.credential_id == cred.credential_id) {
            Some(stored) => {
                *stored = cred.clone();
                Ok(())
            }
            None => Err(Ctap2Error::NoCredentials.into()),
        }
    }

    async fn get_info(&self) -> StoreInfo {
        StoreInfo { discoverability: DiscoverabilitySupport::Full }
    }
}

/// The person in front of the authenticator: always present, verified when
/// the authenticator can verify.
struct SoftUser {
    verification: bool,
}

#[async_trait::async_trait]
impl UserValidationMethod for SoftUser {
    type PasskeyItem = Passkey;

    async fn check_user<'a>(&self, _hint: UiHint<'a, Passkey>, _presence: bool, verification: bool) -> Result<UserCheck, Ctap2Error> {
        Ok(UserCheck { presence: true, verification: verification && self.verification })
    }

    fn is_presence_enabled(&self) -> bool {
        true
    }

    fn is_verification_enabled(&self) -> Option<bool> {
        Some(self.verification)
    }
}

fn parse_origin(origin: &str) -> anyhow::Result<Url> {
    Url::parse(origin).with_context(|| format!("origin {origin:?} is not a URL"))
}

/// The origin a page serving `rp_id` itself would have.
fn rp_origin(rp_id: &str) -> anyhow::Result<Url> {
    parse_origin(&if rp_id == "localhost" { "http://localhost".to_owned() } else { format!("https://{rp_id}") })
}

/// Client data as a browser writes it, and its SHA-256 (what the
/// authenticator signs).
fn client_data(ty: &str, challenge: &[u8], origin: &str) -> (String, Vec<u8>) {
    let json = json!({ "type": ty, "challenge": base64url(challenge), "origin": origin.trim_end_matches('/'), "crossOrigin": false }).to_string();
    let hash = AvailableSha2::sha256(json.as_bytes()).to_vec();
    (json, hash)
}

fn discourage_user_verification(options: &mut Value, at: &str) {
    if let Some(Value::Object(map)) = options.pointer_mut(at) {
        map.insert("userVerification".into(), Value::String("discouraged".into()));
    }
}

fn pointer_mut<'v>(value: &'v mut Value, pointer: &str) -> anyhow::Result<&'v mut Value> {
    value.pointer_mut(pointer).with_context(|| format!("no {pointer} in the JSON"))
}
