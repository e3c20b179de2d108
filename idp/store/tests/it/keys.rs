//! Signing keys: the first key, rotation by timestamps, what `tenant_keys`
//! unseals and publishes, the next key event, the master key, and that
//! private keys are sealed at rest.

use crate::common::*;
use trame_core::lifetimes::KEY_RETENTION;
use trame_core::{OsRandom, crypto::b64url_decode};
use trame_jose::{Alg, Jwks};
use trame_store::{KeyStatus, MasterKey, StoreError};

/// Members a private JWK has and a public one must not.
const PRIVATE_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

fn assert_public(jwk: &serde_json::Value, b: &str) {
    let obj = jwk.as_object().expect("a JWK is an object");
    for m in PRIVATE_MEMBERS {
        assert!(!obj.contains_key(m), "{b}: published JWK has private member '{m}': {jwk}");
    }
    assert_eq!(jwk["use"], "sig", "{b}");
    assert!(jwk["kid"].is_string(), "{b}");
}

backend_test!(new_tenant_has_one_active_es256_key(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    let keys = s.list_keys(&t.id, T0).await.unwrap();
    assert_eq!(keys.len(), 1, "{b}");
    assert_eq!(keys[0].alg, Alg::ES256, "{b}");
    assert_eq!(keys[0].status, KeyStatus::Active, "{b}");
    assert_eq!(keys[0].activates_at, T0, "{b}");
    assert_eq!(keys[0].created_at, T0, "{b}");

    let tk = s.tenant_keys(&t.id, T0).await.unwrap();
    assert_eq!(tk.signing.len(), 1, "{b}");
    let signer = &tk.signing[&Alg::ES256];
    assert_eq!(signer.kid(), keys[0].kid, "{b}");
    assert_eq!(tk.jwks.len(), 1, "{b}");
    assert_public(&tk.jwks[0], b);
    assert_eq!(tk.jwks[0]["kid"], keys[0].kid.as_str(), "{b}");
    assert_eq!(tk.jwks[0]["alg"], "ES256", "{b}");
    assert_eq!(tk.jwks[0]["kty"], "EC", "{b}");

    // The unsealed key signs, and the published key verifies its signature.
    let mut claims = serde_json::Map::new();
    claims.insert("sub".into(), "alice".into());
    let token = signer.sign("JWT", &claims).unwrap();
    let v = Jwks::lenient(&tk.jwks).verify(&token, &[Alg::ES256]).expect("published JWK verifies the unsealed key's signature");
    assert_eq!(v.kid.as_deref(), Some(keys[0].kid.as_str()), "{b}");
    assert_eq!(v.claims["sub"], "alice", "{b}");

    // Keys are per tenant.
    let other = tenant(s, "ville-b").await;
    let other_keys = s.list_keys(&other.id, T0).await.unwrap();
    assert_eq!(other_keys.len(), 1, "{b}");
    assert_ne!(other_keys[0].kid, keys[0].kid, "{b}");
    assert_eq!(s.list_keys(&t.id, T0).await.unwrap().len(), 1, "{b}");
    assert!(s.list_keys("no-such-tenant", T0).await.unwrap().is_empty(), "{b}");
});

backend_test!(rotation_goes_next_active_retiring_retired(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    let old = s.list_keys(&t.id, T0).await.unwrap()[0].kid.clone();
    let v = s.catalog_version().await.unwrap();

    let at = T0 + 100;
    let new = s.rotate_key(&t.id, Alg::ES256, at, T0 + 10).await.unwrap();
    assert_ne!(new, old, "{b}");
    assert_eq!(s.catalog_version().await.unwrap(), v + 1, "{b}: rotation bumps the catalog version");

    let status = |keys: &[trame_store::KeyInfo], kid: &str| keys.iter().find(|k| k.kid == kid).map(|k| k.status);

    // Before activation: the new key is published but does not sign.
    let now = T0 + 10;
    let keys = s.list_keys(&t.id, now).await.unwrap();
    assert_eq!(keys.len(), 2, "{b}");
    assert_eq!(status(&keys, &old), Some(KeyStatus::Active), "{b}");
    assert_eq!(status(&keys, &new), Some(KeyStatus::Next), "{b}");
    let new_info = keys.iter().find(|k| k.kid == new).unwrap();
    assert_eq!((new_info.activates_at, new_info.created_at), (at, T0 + 10), "{b}");
    let tk = s.tenant_keys(&t.id, now).await.unwrap();
    assert_eq!(tk.signing[&Alg::ES256].kid(), old, "{b}: the old key still signs");
    let mut kids: Vec<&str> = tk.jwks.iter().map(|j| j["kid"].as_str().unwrap()).collect();
    kids.sort();
    let mut both = vec![old.as_str(), new.as_str()];
    both.sort();
    assert_eq!(kids, both, "{b}: both published");
    tk.jwks.iter().for_each(|j| assert_public(j, b));
    assert_eq!(s.next_key_event(now).await.unwrap(), Some(at), "{b}: next event is the activation");

    // At activation: the new key signs, the old one is retiring (published).
    let keys = s.list_keys(&t.id, at).await.unwrap();
    assert_eq!(status(&keys, &old), Some(KeyStatus::Retiring), "{b}");
    assert_eq!(status(&keys, &new), Some(KeyStatus::Active), "{b}");
    let tk = s.tenant_keys(&t.id, at).await.unwrap();
    assert_eq!(tk.signing.len(), 1, "{b}");
    assert_eq!(tk.signing[&Alg::ES256].kid(), new, "{b}");
    assert_eq!(tk.jwks.len(), 2, "{b}: the retiring key stays published");
    let next = s.next_key_event(at).await.unwrap().expect("the old key's retirement is still ahead");
    assert!(next > at && next <= at + KEY_RETENTION, "{b}: next event {next} must come by the retirement at {}", at + KEY_RETENTION);

    // Still retiring just before KEY_RETENTION has passed since it stopped signing.
    let keys = s.list_keys(&t.id, at + KEY_RETENTION - 1).await.unwrap();
    assert_eq!(status(&keys, &old), Some(KeyStatus::Retiring), "{b}");

    // Retired: no longer published.
    let later = at + KEY_RETENTION;
    let keys = s.list_keys(&t.id, later).await.unwrap();
    assert_eq!(status(&keys, &old), Some(KeyStatus::Retired), "{b}");
    assert_eq!(status(&keys, &new), Some(KeyStatus::Active), "{b}");
    let tk = s.tenant_keys(&t.id, later).await.unwrap();
    assert_eq!(tk.jwks.len(), 1, "{b}");
    assert_eq!(tk.jwks[0]["kid"], new.as_str(), "{b}");
    assert_eq!(s.next_key_event(later).await.unwrap(), None, "{b}: nothing scheduled");
});

backend_test!(algorithms_rotate_independently(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    s.ensure_key(&t.id, Alg::RS256, T0).await.unwrap();
    s.ensure_key(&t.id, Alg::RS256, T0).await.unwrap();
    let keys = s.list_keys(&t.id, T0).await.unwrap();
    assert_eq!(keys.len(), 2, "{b}: ensure_key is idempotent");
    let es = keys.iter().find(|k| k.alg == Alg::ES256).unwrap().kid.clone();

    // A new RS256 key does not retire the ES256 one.
    let rs2 = s.rotate_key(&t.id, Alg::RS256, T0 + 1, T0 + 1).await.unwrap();
    let keys = s.list_keys(&t.id, T0 + 1).await.unwrap();
    assert_eq!(keys.iter().find(|k| k.kid == es).unwrap().status, KeyStatus::Active, "{b}");
    assert_eq!(keys.iter().find(|k| k.kid == rs2).unwrap().status, KeyStatus::Active, "{b}");
    assert_eq!(keys.iter().filter(|k| k.status == KeyStatus::Retiring).count(), 1, "{b}: the first RS256 key is retiring");
    let tk = s.tenant_keys(&t.id, T0 + 1).await.unwrap();
    assert_eq!(tk.signing.len(), 2, "{b}");
    assert_eq!(tk.signing[&Alg::RS256].kid(), rs2, "{b}");
    assert_eq!(tk.signing[&Alg::ES256].kid(), es, "{b}");
    assert_eq!(tk.jwks.len(), 3, "{b}");
    for j in &tk.jwks {
        assert_public(j, b);
        if j["kty"] == "RSA" {
            assert!(j["n"].is_string() && j["e"].is_string(), "{b}: RSA public members present");
        }
    }
});

backend_test!(wrong_master_key_cannot_unseal(be, b) {
    let t = tenant(&be.store, "ville-a").await;
    let intruder = be.db.store_with_key(MasterKey::generate(&OsRandom)).await;
    // Metadata is readable without the master key...
    assert_eq!(intruder.list_keys(&t.id, T0).await.unwrap().len(), 1, "{b}");
    // ...private keys are not.
    let e = intruder.tenant_keys(&t.id, T0).await.unwrap_err();
    assert!(matches!(e, StoreError::Unseal), "{b}: wrong master key gave {e:?}");
    // The right key still works on the same database.
    assert_eq!(be.store.tenant_keys(&t.id, T0).await.unwrap().signing.len(), 1, "{b}");
});

backend_test!(private_keys_are_sealed_at_rest(be, b) {
    let key = MasterKey::generate(&OsRandom);
    let s = be.db.store_with_key(key.clone()).await;
    let t = tenant(&s, "ville-a").await;
    s.ensure_key(&t.id, Alg::RS256, T0).await.unwrap();
    s.ensure_key(&t.id, Alg::EdDSA, T0).await.unwrap();
    let published = s.tenant_keys(&t.id, T0).await.unwrap().jwks;

    let conn = raw(&be.db).await;
    let rows = query_strings(&conn, "SELECT kid, private_key_sealed, public_jwk FROM signing_keys", 3).await;
    assert_eq!(rows.len(), 3, "{b}");
    for row in rows {
        let (kid, sealed, public) = (&row[0], &row[1], &row[2]);
        assert!(!sealed.contains("PRIVATE KEY") && !sealed.contains("-----"), "{b}: key {kid} stored in clear");
        let raw_bytes = b64url_decode(sealed).expect("sealed keys are base64url");
        assert!(raw_bytes.len() > 12 + 16, "{b}: nonce, ciphertext and tag");
        assert!(!String::from_utf8_lossy(&raw_bytes).contains("PRIVATE KEY"), "{b}: key {kid} is only encoded, not encrypted");
        // It is the PKCS#8 PEM sealed under the master key, bound to its kid.
        let pem = key.open(sealed, kid.as_bytes()).expect("the master key opens the sealed key");
        assert!(String::from_utf8_lossy(&pem).starts_with("-----BEGIN PRIVATE KEY-----"), "{b}");
        assert!(key.open(sealed, b"another-kid").is_err(), "{b}: the seal is bound to the kid");
        // The public JWK column holds the public part only, and is what is published.
        let jwk: serde_json::Value = serde_json::from_str(public).unwrap();
        assert_public(&jwk, b);
        assert!(published.contains(&jwk), "{b}: stored JWK {kid} is the published one");
    }
});

backend_test!(federation_key_events_are_scheduled_per_tenant_and_purpose(be, b) {
    use trame_core::lifetimes::FEDERATION_KEY_RETENTION as R;
    use trame_store::KeyPurpose;
    let s = &be.store;
    let a = tenant(s, "ville-a").await;
    let late = T0 + 10 * KEY_RETENTION.max(R);
    // Tenant b's first relying party key activates long after a's: it
    // succeeds nothing (a key of another tenant is no predecessor).
    s.rotate_key_for(&a.id, KeyPurpose::RelyingParty, Alg::ES256, T0, T0).await.unwrap();
    let c = tenant(s, "ville-b").await;
    s.rotate_key_for(&c.id, KeyPurpose::RelyingParty, Alg::ES256, late, late).await.unwrap();
    assert_eq!(s.next_key_event(late).await.unwrap(), None, "{b}: a first relying party key ends no other key's publication");
    // Tenant a's new federation key: its activation, then the end of the
    // old key's publication R after it.
    let at = late + 100;
    s.rotate_federation_key(&a.id, Alg::ES256, at, late).await.unwrap();
    assert_eq!(s.next_key_event(late).await.unwrap(), Some(at), "{b}");
    assert_eq!(s.next_key_event(at).await.unwrap(), Some(at + R), "{b}");
    assert_eq!(s.next_key_event(at + R).await.unwrap(), None, "{b}");
});
