//! The refresh reuse grace: an exact retry of a just-rotated refresh token
//! gets the same successor; anything else is still a reuse that revokes the
//! grant.

use crate::common::*;
use trame_store::RefreshOutcome;

const DAY: i64 = 24 * 3600;
const GRACE: i64 = 30;

/// A grant with the refresh token `rt-a`, rotated to `rt-b` at `T0 + 10`.
async fn rotated(s: &trame_store::Store, grace: i64) -> String {
    let g = s.create_grant(grant("t1", "app", "u1", T0 + DAY), T0).await.unwrap();
    s.add_refresh_token(&g.id, &d("rt-a"), T0, T0 + 3600).await.unwrap();
    let o = present(s, "rt-a", "rt-b", grace, T0 + 10).await;
    assert!(matches!(o, RefreshOutcome::Rotated(_)), "first use gave {}", kind(&o));
    g.id
}

backend_test!(retry_within_the_grace_gets_the_same_successor(be, b) {
    let s = &be.store;
    let gid = rotated(s, GRACE).await;
    for at in [T0 + 10, T0 + 11, T0 + 10 + GRACE] {
        match present(s, "rt-a", &format!("unused-{at}"), GRACE, at).await {
            RefreshOutcome::Retried { grant, successor } => {
                assert_eq!(successor, "rt-b", "{b}: the successor of the first presentation");
                assert_eq!(grant.id, gid, "{b}");
            }
            o => panic!("{b}: a retry at +{} gave {}", at - T0 - 10, kind(&o)),
        }
        assert!(s.refresh_token_grant(&d(&format!("unused-{at}")), at).await.unwrap().is_none(), "{b}: a retry stores no new token");
    }
    assert!(!s.grant(&gid).await.unwrap().unwrap().revoked, "{b}");
    // The successor is stored sealed, not in the clear.
    let conn = raw(&be.db).await;
    let sealed = query_strings(&conn, &format!("SELECT successor_sealed, successor_digest FROM refresh_tokens WHERE digest = '{}'", d("rt-a")), 2).await;
    assert_eq!(sealed[0][1], d("rt-b"), "{b}");
    assert!(!sealed[0][0].contains("rt-b") && sealed[0][0].len() > 40, "{b}: {}", sealed[0][0]);
    // The successor works as usual afterwards.
    let o = present(s, "rt-b", "rt-c", GRACE, T0 + 20).await;
    assert!(matches!(o, RefreshOutcome::Rotated(_)), "{b}: the successor rotates, gave {}", kind(&o));
});

backend_test!(a_retry_after_the_grace_is_a_reuse(be, b) {
    let s = &be.store;
    let gid = rotated(s, GRACE).await;
    let o = present(s, "rt-a", "rt-x", GRACE, T0 + 11 + GRACE).await;
    assert!(matches!(o, RefreshOutcome::Reused), "{b}: gave {}", kind(&o));
    assert!(s.grant(&gid).await.unwrap().unwrap().revoked, "{b}: the family is revoked");
    let o = present(s, "rt-b", "rt-c", GRACE, T0 + 12 + GRACE).await;
    assert!(matches!(o, RefreshOutcome::Invalid), "{b}: the successor died with it, gave {}", kind(&o));
});

backend_test!(without_a_grace_a_retry_is_a_reuse(be, b) {
    let s = &be.store;
    let gid = rotated(s, 0).await;
    let o = present(s, "rt-a", "rt-x", 0, T0 + 10).await;
    assert!(matches!(o, RefreshOutcome::Reused), "{b}: gave {}", kind(&o));
    assert!(s.grant(&gid).await.unwrap().unwrap().revoked, "{b}");

    // A grace given after the rotation does not help: nothing was sealed.
    let g = s.create_grant(grant("t1", "app", "u1", T0 + DAY), T0).await.unwrap();
    s.add_refresh_token(&g.id, &d("rt2-a"), T0, T0 + 3600).await.unwrap();
    let o = present(s, "rt2-a", "rt2-b", 0, T0 + 10).await;
    assert!(matches!(o, RefreshOutcome::Rotated(_)), "{b}: gave {}", kind(&o));
    let gid = g.id;
    let o = present(s, "rt2-a", "rt2-x", GRACE, T0 + 11).await;
    assert!(matches!(o, RefreshOutcome::Reused), "{b}: gave {}", kind(&o));
    assert!(s.grant(&gid).await.unwrap().unwrap().revoked, "{b}");
});

backend_test!(a_retry_after_the_successor_was_used_is_a_reuse(be, b) {
    let s = &be.store;
    let gid = rotated(s, GRACE).await;
    let o = present(s, "rt-b", "rt-c", GRACE, T0 + 12).await;
    assert!(matches!(o, RefreshOutcome::Rotated(_)), "{b}: gave {}", kind(&o));
    // rt-a is now two generations old, within the grace of its rotation.
    let o = present(s, "rt-a", "rt-x", GRACE, T0 + 13).await;
    assert!(matches!(o, RefreshOutcome::Reused), "{b}: gave {}", kind(&o));
    assert!(s.grant(&gid).await.unwrap().unwrap().revoked, "{b}");
    let o = present(s, "rt-c", "rt-d", GRACE, T0 + 14).await;
    assert!(matches!(o, RefreshOutcome::Invalid), "{b}: gave {}", kind(&o));
});

backend_test!(a_retry_of_a_revoked_grant_is_refused(be, b) {
    let s = &be.store;
    let gid = rotated(s, GRACE).await;
    s.revoke_grant(&gid, T0 + 11).await.unwrap();
    let o = present(s, "rt-a", "rt-x", GRACE, T0 + 12).await;
    assert!(!matches!(o, RefreshOutcome::Retried { .. } | RefreshOutcome::Rotated(_)), "{b}: gave {}", kind(&o));
});
