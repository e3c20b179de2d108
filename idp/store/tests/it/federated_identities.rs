//! Citizens of peer providers linked to local users, and the relying
//! party keys of peer sign-in kept apart from the federation keys in the
//! same table.

use crate::common::*;
use trame_store::{KeyPurpose, NewUser, StoreError};

fn citizen(name: &str) -> NewUser {
    NewUser { username: name.into(), given_name: Some("Marie".into()), ..NewUser::default() }
}

backend_test!(a_peer_identity_is_linked_once_and_found_again(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    let other = tenant(s, "ville-c").await;
    let peer = "https://b.example";
    assert!(s.federated_user(&t.id, peer, "sub-1", T0).await.unwrap().is_none(), "{b}");
    let u = s.link_new_federated_user(&t.id, peer, "sub-1", citizen("marie@b.example"), T0).await.unwrap();
    assert_eq!(u.given_name.as_deref(), Some("Marie"), "{b}");
    assert_eq!(s.federated_user(&t.id, peer, "sub-1", T0 + 5).await.unwrap().map(|u| u.id), Some(u.id.clone()), "{b}");
    assert_eq!(s.federated_identities_of(&t.id, &u.id).await.unwrap(), vec![(peer.to_owned(), "sub-1".to_owned())], "{b}");
    // Scoped: the same subject at the same peer is nobody in another tenant,
    // and another peer's subject with the same value is someone else.
    assert!(s.federated_user(&other.id, peer, "sub-1", T0).await.unwrap().is_none(), "{b}");
    assert!(s.federated_user(&t.id, "https://c.example", "sub-1", T0).await.unwrap().is_none(), "{b}");

    // Another node linking the same identity meanwhile: its link wins, and
    // the user made in vain is not kept.
    let again = s.link_new_federated_user(&t.id, peer, "sub-1", citizen("marie-2@b.example"), T0).await.unwrap();
    assert_eq!(again.id, u.id, "{b}");
    assert_eq!(s.list_users(&t.id).await.unwrap().len(), 1, "{b}: the transaction was rolled back");

    // A taken username is a conflict the caller resolves with another name;
    // nothing is linked.
    s.create_user(&t.id, citizen("local"), T0).await.unwrap();
    let taken = s.link_new_federated_user(&t.id, peer, "sub-2", citizen("LOCAL"), T0).await;
    assert!(matches!(taken, Err(StoreError::Conflict(_))), "{b}: {taken:?}");
    assert!(s.federated_user(&t.id, peer, "sub-2", T0).await.unwrap().is_none(), "{b}");
});

backend_test!(relying_party_keys_are_not_federation_keys(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    s.ensure_federation_keys(T0).await.unwrap();
    assert!(s.keys_for(&t.id, KeyPurpose::RelyingParty, T0).await.unwrap().signing.is_none(), "{b}: none until peer sign-in is on");
    assert!(s.ensure_relying_party_key(&t.id, T0).await.unwrap(), "{b}");
    assert!(!s.ensure_relying_party_key(&t.id, T0 + 1).await.unwrap(), "{b}: made once");
    let fed = s.federation_keys(&t.id, T0).await.unwrap();
    let rp = s.keys_for(&t.id, KeyPurpose::RelyingParty, T0).await.unwrap();
    let kid = |v: &serde_json::Value| v["kid"].as_str().unwrap().to_owned();
    assert_eq!((fed.jwks.len(), rp.jwks.len()), (1, 1), "{b}");
    assert_ne!(kid(&fed.jwks[0]), kid(&rp.jwks[0]), "{b}");
    assert_eq!(rp.signing.as_ref().map(|k| k.kid().to_owned()), Some(kid(&rp.jwks[0])), "{b}");
    assert_eq!(s.list_federation_keys(&t.id, T0).await.unwrap().len(), 1, "{b}: the federation list shows federation keys only");
    // A start-up after the relying party key exists still sees the tenant
    // as having its federation key.
    assert_eq!(s.ensure_federation_keys(T0 + 2).await.unwrap(), 0, "{b}");
    // Revoking the only relying party key that signs is refused, as for
    // federation keys; a rotation then lets it go.
    let rp_kid = kid(&rp.jwks[0]);
    assert!(matches!(s.revoke_federation_key(&t.id, &rp_kid, "superseded", T0 + 3).await, Err(StoreError::Invalid(_))), "{b}");
    s.rotate_key_for(&t.id, KeyPurpose::RelyingParty, trame_jose::Alg::ES256, T0 + 10, T0 + 4).await.unwrap();
    s.revoke_federation_key(&t.id, &rp_kid, "superseded", T0 + 20).await.unwrap();
    assert_eq!(s.federation_keys(&t.id, T0 + 20).await.unwrap().jwks.len(), 1, "{b}: the federation key untouched");
});
