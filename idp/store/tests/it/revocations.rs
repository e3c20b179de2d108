//! Revoked access tokens, in the database: recorded, read with the grant in
//! one query, pruned once expired.

use crate::common::*;
use trame_store::NewUser;

const DAY: i64 = 24 * 3600;

backend_test!(revoked_access_tokens(be, b) {
    let s = &be.store;
    assert!(!s.access_token_revoked("jti-1").await.unwrap(), "{b}");
    s.revoke_access_token("jti-1", T0 + 300).await.unwrap();
    s.revoke_access_token("jti-1", T0 + 300).await.unwrap();
    assert!(s.access_token_revoked("jti-1").await.unwrap(), "{b}");
    assert!(!s.access_token_revoked("jti-2").await.unwrap(), "{b}");
});

backend_test!(access_grant_reads_grant_user_and_revocation_at_once(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville").await;
    let u = s.create_user(&t.id, NewUser { username: "alice".into(), email: Some("alice@example.fr".into()), ..Default::default() }, T0).await.unwrap();
    let g = s.create_grant(grant(&t.id, "app", &u.id, T0 + DAY), T0).await.unwrap();
    s.revoke_access_token("jti-revoked", T0 + 300).await.unwrap();

    for with_user in [false, true] {
        let a = s.access_grant(&g.id, "jti-live", with_user).await.unwrap().expect("the grant");
        assert_eq!(a.grant.id, g.id, "{b}");
        assert_eq!(a.grant.claims, g.claims, "{b}");
        assert!(!a.token_revoked, "{b}");
        assert_eq!(a.user.map(|u| u.username), with_user.then(|| "alice".to_owned()), "{b}: with_user {with_user}");
        let a = s.access_grant(&g.id, "jti-revoked", with_user).await.unwrap().expect("the grant");
        assert!(a.token_revoked, "{b}: with_user {with_user}");
        assert!(s.access_grant("no-such-grant", "jti-live", with_user).await.unwrap().is_none(), "{b}");
    }
    // A user of another tenant is not the grant's user.
    let other = s.create_grant(grant("other-tenant", "app", &u.id, T0 + DAY), T0).await.unwrap();
    assert!(s.access_grant(&other.id, "jti-live", true).await.unwrap().unwrap().user.is_none(), "{b}");
    // A revoked grant reads as revoked.
    s.revoke_grant(&g.id, T0 + 1).await.unwrap();
    assert!(s.access_grant(&g.id, "jti-live", true).await.unwrap().unwrap().grant.revoked, "{b}");
});

backend_test!(expired_revocations_are_pruned(be, b) {
    let s = &be.store;
    s.revoke_access_token("jti-early", T0 + 100).await.unwrap();
    s.revoke_access_token("jti-late", T0 + 500).await.unwrap();
    assert_eq!(s.prune_revocations(T0 + 99).await.unwrap(), 0, "{b}");
    assert_eq!(s.prune_revocations(T0 + 100).await.unwrap(), 1, "{b}: expired at its exp");
    assert!(!s.access_token_revoked("jti-early").await.unwrap(), "{b}");
    assert!(s.access_token_revoked("jti-late").await.unwrap(), "{b}");
    assert_eq!(s.prune_revocations(T0 + 100).await.unwrap(), 0, "{b}: twice is harmless");
});
