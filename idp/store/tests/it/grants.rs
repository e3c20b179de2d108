//! Grants, refresh-token rotation and reuse detection (also under
//! concurrency), and consents.

use crate::common::*;
use trame_store::{NewGrant, RefreshOutcome, Rotation};

const DAY: i64 = 24 * 3600;

backend_test!(create_read_revoke(be, b) {
    let s = &be.store;
    let g = s.create_grant(grant("t1", "app", "u1", T0 + DAY), T0).await.unwrap();
    assert!(!g.id.is_empty(), "{b}");
    let got = s.grant(&g.id).await.unwrap().expect("grant");
    for x in [&g, &got] {
        assert_eq!(x.id, g.id, "{b}");
        assert_eq!((x.tenant_id.as_str(), x.client_id.as_str(), x.user_id.as_str()), ("t1", "app", "u1"), "{b}");
        assert_eq!(x.scopes, "openid offline_access", "{b}");
        assert_eq!(x.claims, serde_json::json!({"userinfo": {"email": null}}), "{b}");
        assert_eq!(x.auth_time, T0 - 30, "{b}");
        assert_eq!(x.acr, "urn:trame:loa:1", "{b}");
        assert_eq!(x.amr, ["pwd"], "{b}");
        assert_eq!(x.sid, "sid-1", "{b}");
        assert_eq!(x.expires_at, T0 + DAY, "{b}");
        assert!(!x.revoked, "{b}");
    }
    assert!(got.is_active(T0), "{b}");
    assert!(got.is_active(T0 + DAY - 1), "{b}");
    assert!(!got.is_active(T0 + DAY), "{b}: expired at expires_at");
    assert!(s.grant("no-such-grant").await.unwrap().is_none(), "{b}");

    let other = s.create_grant(grant("t1", "app", "u1", T0 + DAY), T0).await.unwrap();
    assert_ne!(other.id, g.id, "{b}");

    s.revoke_grant(&g.id, T0 + 5).await.unwrap();
    let revoked = s.grant(&g.id).await.unwrap().unwrap();
    assert!(revoked.revoked, "{b}");
    assert!(!revoked.is_active(T0 + 6), "{b}");
    s.revoke_grant(&g.id, T0 + 7).await.unwrap();
    assert!(s.grant(&g.id).await.unwrap().unwrap().revoked, "{b}: revoking twice is harmless");
    assert!(s.grant(&other.id).await.unwrap().unwrap().is_active(T0 + 6), "{b}: only that grant is revoked");
    s.revoke_grant("no-such-grant", T0).await.unwrap();
});

backend_test!(refresh_rotation_and_reuse(be, b) {
    let s = &be.store;
    let g = s.create_grant(grant("t1", "app", "u1", T0 + DAY), T0).await.unwrap();
    s.add_refresh_token(&g.id, &d("rt-1"), T0, T0 + 3600).await.unwrap();
    assert_eq!(s.refresh_token_grant(&d("rt-1"), T0).await.unwrap().map(|x| x.id), Some(g.id.clone()), "{b}");

    match present(s, "rt-1", "rt-2", 0, T0 + 10).await {
        RefreshOutcome::Rotated(x) => {
            assert_eq!(x.id, g.id, "{b}");
            assert_eq!(x.user_id, "u1", "{b}");
            assert!(!x.revoked, "{b}");
        }
        o => panic!("{b}: first use gave {}", kind(&o)),
    }
    assert!(s.refresh_token_grant(&d("rt-1"), T0 + 10).await.unwrap().is_none(), "{b}: a used token is no longer usable");
    assert_eq!(s.refresh_token_grant(&d("rt-2"), T0 + 10).await.unwrap().map(|x| x.id), Some(g.id.clone()), "{b}: the successor is stored with the rotation");
    let o = present(s, "rt-2", "rt-3", 0, T0 + 20).await;
    assert!(matches!(o, RefreshOutcome::Rotated(_)), "{b}: the successor rotates, gave {}", kind(&o));
    assert!(s.grant(&g.id).await.unwrap().unwrap().is_active(T0 + 20), "{b}");

    // Reuse of an old token revokes the whole family.
    let o = present(s, "rt-1", "rt-x", 0, T0 + 30).await;
    assert!(matches!(o, RefreshOutcome::Reused), "{b}: second use gave {}", kind(&o));
    let revoked = s.grant(&g.id).await.unwrap().unwrap();
    assert!(revoked.revoked, "{b}: reuse revokes the grant");
    assert!(s.refresh_token_grant(&d("rt-3"), T0 + 30).await.unwrap().is_none(), "{b}");
    assert!(s.refresh_token_grant(&d("rt-x"), T0 + 30).await.unwrap().is_none(), "{b}: a reuse stores no successor");
    let o = present(s, "rt-3", "rt-4", 0, T0 + 31).await;
    assert!(matches!(o, RefreshOutcome::Invalid), "{b}: the newest token of a revoked grant gave {}", kind(&o));
    assert!(s.refresh_token_grant(&d("rt-4"), T0 + 31).await.unwrap().is_none(), "{b}: nor does a refusal");
    let o = present(s, "rt-1", "rt-y", 0, T0 + 32).await;
    assert!(matches!(o, RefreshOutcome::Reused), "{b}: still a reuse, gave {}", kind(&o));
});

backend_test!(refresh_invalid_cases(be, b) {
    let s = &be.store;
    let o = present(s, "unknown", "next", 0, T0).await;
    assert!(matches!(o, RefreshOutcome::Invalid), "{b}: unknown token gave {}", kind(&o));

    // Expired token, grant still active.
    let g = s.create_grant(grant("t1", "app", "u1", T0 + DAY), T0).await.unwrap();
    s.add_refresh_token(&g.id, &d("rt-old"), T0, T0 + 100).await.unwrap();
    assert!(s.refresh_token_grant(&d("rt-old"), T0 + 100).await.unwrap().is_none(), "{b}");
    let o = present(s, "rt-old", "next-1", 0, T0 + 100).await;
    assert!(matches!(o, RefreshOutcome::Invalid), "{b}: expired token gave {}", kind(&o));

    // Valid token, expired grant.
    let short = s.create_grant(grant("t1", "app", "u1", T0 + 50), T0).await.unwrap();
    s.add_refresh_token(&short.id, &d("rt-short"), T0, T0 + 3600).await.unwrap();
    assert!(s.refresh_token_grant(&d("rt-short"), T0 + 60).await.unwrap().is_none(), "{b}");
    let o = present(s, "rt-short", "next-2", 0, T0 + 60).await;
    assert!(matches!(o, RefreshOutcome::Invalid), "{b}: token of an expired grant gave {}", kind(&o));

    // Valid token, revoked grant.
    let rev = s.create_grant(grant("t1", "app", "u1", T0 + DAY), T0).await.unwrap();
    s.add_refresh_token(&rev.id, &d("rt-rev"), T0, T0 + 3600).await.unwrap();
    s.revoke_grant(&rev.id, T0 + 1).await.unwrap();
    let o = present(s, "rt-rev", "next-3", 0, T0 + 2).await;
    assert!(matches!(o, RefreshOutcome::Invalid), "{b}: token of a revoked grant gave {}", kind(&o));
    for n in ["next-1", "next-2", "next-3"] {
        assert!(s.refresh_token_grant(&d(n), T0 + 2).await.unwrap().is_none(), "{b}: no successor for a refusal");
    }

    // Digests are primary keys.
    assert!(s.add_refresh_token(&g.id, &d("rt-old"), T0, T0 + 100).await.is_err(), "{b}: duplicate digest");
});

backend_test!(concurrent_use_of_one_refresh_token_rotates_once(be, b) {
    // Without a grace the losers are reuses; with one they are retries
    // that all get the winner's successor.
    for (round, grace) in [(0, 0), (1, 0), (2, 30), (3, 30)] {
        let g = be.store.create_grant(grant("t1", "app", "u1", T0 + DAY), T0).await.unwrap();
        let token = format!("rt-race-{round}");
        be.store.add_refresh_token(&g.id, &d(&token), T0, T0 + 3600).await.unwrap();
        let start = std::sync::Arc::new(tokio::sync::Barrier::new(8));
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                let (store, token, start) = (be.store.clone(), token.clone(), start.clone());
                tokio::spawn(async move {
                    start.wait().await;
                    let next = format!("{token}-next-{i}");
                    let o = store.use_refresh_token(Rotation { presented: &token, successor: &next, successor_expires_at: T0 + 3600, reuse_grace: grace }, T0 + 10).await;
                    (next, o)
                })
            })
            .collect();
        let mut outcomes = Vec::new();
        let mut winner = None;
        let mut handed_out = Vec::new();
        for t in tasks {
            match t.await.unwrap() {
                (next, Ok(o)) => {
                    match &o {
                        RefreshOutcome::Rotated(_) => winner = Some(next),
                        RefreshOutcome::Retried { successor, .. } => handed_out.push(successor.clone()),
                        _ => {}
                    }
                    outcomes.push(kind(&o));
                }
                (_, Err(e)) => panic!("{b}: round {round}: use_refresh_token failed under concurrency: {e:?} ({:?})", std::error::Error::source(&e)),
            }
        }
        let rotated = outcomes.iter().filter(|k| **k == "rotated").count();
        assert_eq!(rotated, 1, "{b}: round {round}: exactly one winner, got {outcomes:?}");
        if grace == 0 {
            assert_eq!(outcomes.iter().filter(|k| **k == "reused").count(), 7, "{b}: round {round}: the others are reuses, got {outcomes:?}");
            // The losers count as reuse, so the grant ends up revoked.
            assert!(be.store.grant(&g.id).await.unwrap().unwrap().revoked, "{b}");
        } else {
            assert_eq!(handed_out.len(), 7, "{b}: round {round}: the others are retries, got {outcomes:?}");
            assert!(handed_out.iter().all(|s| Some(s) == winner.as_ref()), "{b}: round {round}: every retry gets the winner's successor");
            assert!(!be.store.grant(&g.id).await.unwrap().unwrap().revoked, "{b}");
        }
    }
});

backend_test!(consent_save_and_upsert(be, b) {
    let s = &be.store;
    assert_eq!(s.consented_scopes("t1", "u1", "app").await.unwrap(), None, "{b}");
    s.save_consent("t1", "u1", "app", "openid", T0).await.unwrap();
    assert_eq!(s.consented_scopes("t1", "u1", "app").await.unwrap().as_deref(), Some("openid"), "{b}");
    s.save_consent("t1", "u1", "app", "openid email profile", T0 + 10).await.unwrap();
    assert_eq!(s.consented_scopes("t1", "u1", "app").await.unwrap().as_deref(), Some("openid email profile"), "{b}: upsert replaces");

    s.save_consent("t1", "u1", "other", "openid", T0).await.unwrap();
    s.save_consent("t2", "u1", "app", "openid phone", T0).await.unwrap();
    s.save_consent("t1", "u2", "app", "openid address", T0).await.unwrap();
    assert_eq!(s.consented_scopes("t1", "u1", "app").await.unwrap().as_deref(), Some("openid email profile"), "{b}: untouched by others");
    assert_eq!(s.consented_scopes("t2", "u1", "app").await.unwrap().as_deref(), Some("openid phone"), "{b}");
    assert_eq!(s.consented_scopes("t1", "u2", "app").await.unwrap().as_deref(), Some("openid address"), "{b}");
    assert_eq!(s.consented_scopes("t1", "u2", "other").await.unwrap(), None, "{b}");

    let conn = raw(&be.db).await;
    assert_eq!(query_i64(&conn, "SELECT COUNT(*) FROM consents").await, 4, "{b}: the upsert did not add a row");
    assert_eq!(query_i64(&conn, "SELECT granted_at FROM consents WHERE tenant_id = 't1' AND user_id = 'u1' AND client_id = 'app'").await, T0 + 10, "{b}");
});

backend_test!(clients_of_a_session(be, b) {
    let s = &be.store;
    let with = |client: &str, user: &str, sid: &str, tenant: &str| NewGrant { sid: sid.into(), ..grant(tenant, client, user, T0 + DAY) };
    s.create_grant(with("app-b", "u1", "sid-1", "t1"), T0).await.unwrap();
    s.create_grant(with("app-a", "u1", "sid-1", "t1"), T0).await.unwrap();
    // A second authorization of the same client in the same session.
    let again = s.create_grant(with("app-a", "u1", "sid-1", "t1"), T0).await.unwrap();
    // Another session of the same user, another user, another tenant.
    s.create_grant(with("app-c", "u1", "sid-2", "t1"), T0).await.unwrap();
    s.create_grant(with("app-d", "u2", "sid-1", "t1"), T0).await.unwrap();
    s.create_grant(with("app-e", "u1", "sid-1", "t2"), T0).await.unwrap();
    // A revoked grant still names a client that took part.
    let revoked = s.create_grant(with("app-f", "u1", "sid-1", "t1"), T0).await.unwrap();
    s.revoke_grant(&revoked.id, T0 + 1).await.unwrap();
    s.revoke_grant(&again.id, T0 + 1).await.unwrap();

    assert_eq!(s.session_client_ids("t1", "u1", "sid-1").await.unwrap(), ["app-a", "app-b", "app-f"], "{b}");
    assert_eq!(s.session_client_ids("t1", "u1", "sid-2").await.unwrap(), ["app-c"], "{b}");
    assert!(s.session_client_ids("t1", "u1", "sid-3").await.unwrap().is_empty(), "{b}");
});

/// The one-step rotation with `next` as successor, for `client` of tenant
/// `tenant_id`.
async fn rotate(s: &trame_store::Store, token: &str, next: &str, tenant_id: &str, client: &str, grace: i64, now: i64) -> Option<trame_store::Rotated> {
    s.rotate_refresh_token(Rotation { presented: token, successor: next, successor_expires_at: now + 3600, reuse_grace: grace }, tenant_id, client, now)
        .await
        .unwrap()
}

backend_test!(one_step_rotation_reads_grant_and_user_and_changes_nothing_when_it_declines(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville").await;
    let u = s.create_user(&t.id, trame_store::NewUser { username: "alice".into(), email: Some("alice@example.fr".into()), ..Default::default() }, T0).await.unwrap();
    let g = s.create_grant(grant(&t.id, "app", &u.id, T0 + DAY), T0).await.unwrap();
    s.add_refresh_token(&g.id, &d("rt-1"), T0, T0 + 3600).await.unwrap();

    // Another client, another tenant: declined, and the token is not burned.
    assert!(rotate(s, "rt-1", "x-1", &t.id, "other-app", 0, T0 + 5).await.is_none(), "{b}");
    assert!(rotate(s, "rt-1", "x-2", "another-tenant", "app", 0, T0 + 5).await.is_none(), "{b}");
    assert!(rotate(s, "rt-unknown", "x-3", &t.id, "app", 0, T0 + 5).await.is_none(), "{b}");
    for x in ["x-1", "x-2", "x-3"] {
        assert!(s.refresh_token_grant(&d(x), T0 + 5).await.unwrap().is_none(), "{b}: nothing stored for a declined rotation");
    }
    assert_eq!(s.refresh_token_grant(&d("rt-1"), T0 + 5).await.unwrap().map(|g| g.id), Some(g.id.clone()), "{b}: still usable");

    // The owner: rotated, with the grant and its user read in the same step.
    let r = rotate(s, "rt-1", "rt-2", &t.id, "app", 30, T0 + 10).await.expect("rotated");
    assert_eq!(r.grant.id, g.id, "{b}");
    assert_eq!(r.grant.scopes, "openid offline_access", "{b}");
    assert_eq!(r.user.as_ref().map(|u| u.username.as_str()), Some("alice"), "{b}");
    assert!(s.refresh_token_grant(&d("rt-1"), T0 + 10).await.unwrap().is_none(), "{b}: the old token is used");
    assert_eq!(s.refresh_token_grant(&d("rt-2"), T0 + 10).await.unwrap().map(|g| g.id), Some(g.id.clone()), "{b}: its successor is stored");

    // A used token: declined here; the long way tells a retry within the
    // grace (the successor was sealed by the one-step rotation too) from a
    // reuse.
    assert!(rotate(s, "rt-1", "x-4", &t.id, "app", 30, T0 + 11).await.is_none(), "{b}");
    match present(s, "rt-1", "x-5", 30, T0 + 12).await {
        RefreshOutcome::Retried { successor, .. } => assert_eq!(successor, "rt-2", "{b}"),
        o => panic!("{b}: a retry gave {}", kind(&o)),
    }
    assert!(!s.grant(&g.id).await.unwrap().unwrap().revoked, "{b}");

    // Expired token, revoked grant, expired grant: declined.
    s.add_refresh_token(&g.id, &d("rt-old"), T0, T0 + 20).await.unwrap();
    assert!(rotate(s, "rt-old", "x-6", &t.id, "app", 0, T0 + 20).await.is_none(), "{b}: expired token");
    let short = s.create_grant(grant(&t.id, "app", &u.id, T0 + 60), T0).await.unwrap();
    s.add_refresh_token(&short.id, &d("rt-short"), T0, T0 + 3600).await.unwrap();
    assert!(rotate(s, "rt-short", "x-7", &t.id, "app", 0, T0 + 60).await.is_none(), "{b}: expired grant");
    let rev = s.create_grant(grant(&t.id, "app", &u.id, T0 + DAY), T0).await.unwrap();
    s.add_refresh_token(&rev.id, &d("rt-rev"), T0, T0 + 3600).await.unwrap();
    s.revoke_grant(&rev.id, T0 + 1).await.unwrap();
    assert!(rotate(s, "rt-rev", "x-8", &t.id, "app", 0, T0 + 2).await.is_none(), "{b}: revoked grant");
    for x in ["x-4", "x-6", "x-7", "x-8"] {
        assert!(s.refresh_token_grant(&d(x), T0 + 2).await.unwrap().is_none(), "{b}: nothing stored for {x}");
    }
    // Declined without being burned: the long way still finds them
    // unused (and refuses them for what they are, not as a reuse).
    assert!(matches!(present(s, "rt-rev", "x-9", 0, T0 + 3).await, RefreshOutcome::Invalid), "{b}");

    // A grant whose user is not there (removing an account removes its
    // grants too, so only a grant of no account shows it): no user.
    let orphan = s.create_grant(grant(&t.id, "app", "no-such-user", T0 + DAY), T0).await.unwrap();
    s.add_refresh_token(&orphan.id, &d("rt-orphan"), T0, T0 + 3600).await.unwrap();
    let r = rotate(s, "rt-orphan", "x-10", &t.id, "app", 0, T0 + 30).await.expect("rotated");
    assert!(r.user.is_none(), "{b}");
    // A user of another tenant with that id is not the grant's.
    let other = tenant(s, "autre").await;
    let stranger = s.create_user(&other.id, trame_store::NewUser { username: "carol".into(), ..Default::default() }, T0).await.unwrap();
    let cross = s.create_grant(grant(&t.id, "app", &stranger.id, T0 + DAY), T0).await.unwrap();
    s.add_refresh_token(&cross.id, &d("rt-cross"), T0, T0 + 3600).await.unwrap();
    assert!(rotate(s, "rt-cross", "x-11", &t.id, "app", 0, T0 + 30).await.expect("rotated").user.is_none(), "{b}");
});

backend_test!(concurrent_one_step_rotations_rotate_once(be, b) {
    let t = tenant(&be.store, "ville").await;
    let g = be.store.create_grant(grant(&t.id, "app", "u1", T0 + DAY), T0).await.unwrap();
    be.store.add_refresh_token(&g.id, &d("rt-race"), T0, T0 + 3600).await.unwrap();
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(8));
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let (store, start, tid) = (be.store.clone(), start.clone(), t.id.clone());
            tokio::spawn(async move {
                start.wait().await;
                let next = format!("rt-race-next-{i}");
                let r = store
                    .rotate_refresh_token(Rotation { presented: "rt-race", successor: &next, successor_expires_at: T0 + 3600, reuse_grace: 0 }, &tid, "app", T0 + 10)
                    .await;
                (next, r)
            })
        })
        .collect();
    let mut winners = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            (next, Ok(Some(_))) => winners.push(next),
            (_, Ok(None)) => {}
            (_, Err(e)) => panic!("{b}: the one-step rotation failed under concurrency: {e:?} ({:?})", std::error::Error::source(&e)),
        }
    }
    assert_eq!(winners.len(), 1, "{b}: exactly one rotation, got {winners:?}");
    for i in 0..8 {
        let next = format!("rt-race-next-{i}");
        assert_eq!(s_has(&be.store, &next).await, winners.contains(&next), "{b}: only the winner's successor is stored ({next})");
    }
});

async fn s_has(s: &trame_store::Store, token: &str) -> bool {
    s.refresh_token_grant(&d(token), T0 + 10).await.unwrap().is_some()
}
