//! The audit log: appended, listed newest first with filters and a
//! cursor, addresses truncated then forgotten, purged past retention.

use crate::common::*;
use trame_store::{AuditQuery, NewAuditEvent, Outcome};

fn event(tenant_id: Option<&str>, at: i64, actor: &str, action: &str, target: Option<&str>, address: Option<&str>) -> NewAuditEvent {
    NewAuditEvent {
        tenant_id: tenant_id.map(str::to_owned),
        at,
        actor: actor.into(),
        action: action.into(),
        target: target.map(str::to_owned),
        outcome: Outcome::Success,
        address: address.map(str::to_owned),
        detail: Some(serde_json::json!({"note": "n"})),
    }
}

backend_test!(audit_records_are_listed_filtered_and_paged(be, b) {
    let s = &be.store;
    let a = tenant(s, "ville-a").await;
    let other = tenant(s, "ville-b").await;
    for i in 0..5 {
        s.record_audit(event(Some(&a.id), T0 + i, "cli:root", "user.disabled", Some("user:u1"), None)).await.unwrap();
    }
    s.record_audit(event(Some(&a.id), T0 + 10, "user:u2", "sign_in", None, Some("192.0.2.9"))).await.unwrap();
    s.record_audit(event(Some(&other.id), T0 + 11, "cli:root", "user.disabled", Some("user:u1"), None)).await.unwrap();
    s.record_audit(event(None, T0 + 12, "cli:root", "tenant.created", Some("tenant:ville-c"), None)).await.unwrap();

    let q = |f: fn(&mut AuditQuery)| {
        let mut q = AuditQuery { limit: 100, ..AuditQuery::default() };
        f(&mut q);
        q
    };
    let all = s.audit_events(&q(|_| {})).await.unwrap();
    assert_eq!(all.len(), 8, "{b}: every tenant's and the installation's");
    assert!(all.windows(2).all(|w| w[0].id > w[1].id && w[0].at >= w[1].at), "{b}: newest first");
    assert_eq!(all[0].action, "tenant.created", "{b}");
    assert_eq!(all[0].detail, Some(serde_json::json!({"note": "n"})), "{b}");

    let mine = s.audit_events(&AuditQuery { tenant_id: Some(a.id.clone()), limit: 100, ..AuditQuery::default() }).await.unwrap();
    assert_eq!(mine.len(), 6, "{b}: one tenant's only");
    let about = s.audit_events(&AuditQuery { tenant_id: Some(a.id.clone()), subject: Some("user:u2".into()), limit: 100, ..AuditQuery::default() }).await.unwrap();
    assert_eq!(about.len(), 1, "{b}: as actor too");
    let since = s.audit_events(&AuditQuery { tenant_id: Some(a.id.clone()), since: Some(T0 + 3), action: Some("user.disabled".into()), limit: 100, ..AuditQuery::default() }).await.unwrap();
    assert_eq!(since.iter().map(|e| e.at).collect::<Vec<_>>(), [T0 + 4, T0 + 3], "{b}");

    // Pages of two, by cursor, cover the tenant's records once each.
    let mut seen = Vec::new();
    let mut before = None;
    loop {
        let page = s.audit_events(&AuditQuery { tenant_id: Some(a.id.clone()), before: before.clone(), limit: 2, ..AuditQuery::default() }).await.unwrap();
        if page.is_empty() {
            break;
        }
        before = page.last().map(|e| e.id.clone());
        seen.extend(page.into_iter().map(|e| e.id));
    }
    assert_eq!(seen, mine.iter().map(|e| e.id.clone()).collect::<Vec<_>>(), "{b}");
});

backend_test!(audit_addresses_are_truncated_forgotten_and_records_purged(be, b) {
    let s = &be.store;
    let a = tenant(s, "ville-a").await;
    s.record_audit(event(Some(&a.id), T0, "user:u1", "sign_in", None, Some("192.0.2.9"))).await.unwrap();
    s.record_audit(event(Some(&a.id), T0 + 100, "user:u1", "sign_in", None, Some("198.51.100.4"))).await.unwrap();
    s.record_audit(event(Some(&a.id), T0 + 100, "cli:root", "user.disabled", Some("user:u2"), Some("203.0.113.5"))).await.unwrap();
    s.record_audit(event(Some(&a.id), T0 + 100, "user:admin", "user.disabled", Some("user:u1"), Some("203.0.113.7"))).await.unwrap();

    let n = s.truncate_audit_addresses(T0 + 50, |a| format!("{a}/24")).await.unwrap();
    assert_eq!(n, 1, "{b}: only the older record");
    assert_eq!(s.truncate_audit_addresses(T0 + 50, |a| format!("{a}/24")).await.unwrap(), 0, "{b}: truncated once");
    let all = s.audit_events(&AuditQuery { limit: 10, ..AuditQuery::default() }).await.unwrap();
    let mut addresses: Vec<Option<String>> = all.iter().map(|e| e.address.clone()).collect();
    addresses.sort();
    assert_eq!(addresses, [Some("192.0.2.9/24".to_owned()), Some("198.51.100.4".into()), Some("203.0.113.5".into()), Some("203.0.113.7".into())], "{b}");

    assert_eq!(s.forget_audit_addresses_of(&a.id, "user:u1").await.unwrap(), 2, "{b}");
    let all = s.audit_events(&AuditQuery { limit: 10, ..AuditQuery::default() }).await.unwrap();
    let kept: Vec<&str> = all.iter().filter_map(|e| e.address.as_deref()).collect();
    assert_eq!(kept.len(), 2, "{b}: another account's record keeps its address, and so does the administrator's about u1: {kept:?}");
    assert!(kept.contains(&"203.0.113.7"), "{b}");

    assert_eq!(s.purge_audit(T0 + 50).await.unwrap(), 1, "{b}");
    assert_eq!(s.audit_events(&AuditQuery { limit: 10, ..AuditQuery::default() }).await.unwrap().len(), 3, "{b}");
});

backend_test!(accounts_are_disabled_and_erased_whole(be, b) {
    let s = &be.store;
    let a = tenant(s, "ville-a").await;
    let u = s.create_user(&a.id, trame_store::NewUser { username: "camille".into(), ..Default::default() }, T0).await.unwrap();
    let keep = s.create_user(&a.id, trame_store::NewUser { username: "dominique".into(), ..Default::default() }, T0).await.unwrap();
    assert!(s.set_user_disabled(&a.id, &u.id, Some(T0 + 1), T0 + 1).await.unwrap(), "{b}");
    assert_eq!(s.account(&a.id, &u.id).await.unwrap().unwrap().disabled_at, Some(T0 + 1), "{b}");
    assert!(s.set_user_disabled(&a.id, &u.id, None, T0 + 2).await.unwrap(), "{b}");
    assert_eq!(s.account(&a.id, &u.id).await.unwrap().unwrap().disabled_at, None, "{b}");
    assert!(!s.set_user_disabled(&a.id, "nobody", Some(T0), T0).await.unwrap(), "{b}");
    // Another tenant cannot disable or erase this tenant's account.
    let other = tenant(s, "ville-b").await;
    assert!(!s.set_user_disabled(&other.id, &keep.id, Some(T0), T0).await.unwrap(), "{b}");
    assert!(!s.remove_user(&other.id, &keep.id).await.unwrap(), "{b}");
    assert_eq!(s.account(&a.id, &keep.id).await.unwrap().map(|a| a.disabled_at), Some(None), "{b}: untouched");

    s.replace_recovery_codes(&a.id, &u.id, &["d1".into()], T0).await.unwrap();
    s.replace_recovery_codes(&a.id, &keep.id, &["d2".into()], T0).await.unwrap();
    assert!(s.remove_user(&a.id, &u.id).await.unwrap(), "{b}");
    assert!(s.account(&a.id, &u.id).await.unwrap().is_none(), "{b}");
    assert_eq!(s.recovery_codes_left(&a.id, &u.id).await.unwrap(), 0, "{b}: its codes went with it");
    assert_eq!(s.recovery_codes_left(&a.id, &keep.id).await.unwrap(), 1, "{b}: not another's");
    assert!(!s.remove_user(&a.id, &u.id).await.unwrap(), "{b}: nothing left to erase");
});
