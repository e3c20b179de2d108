//! The transparency figures: flushes from several nodes sum into the same
//! rows, services are counted once a day, and reads keep to their tenant
//! and range.

use trame_store::{HostCount, ServedService, UsageBatch, UsageCount};

fn count(tenant_id: &str, day: i32, counter: &str, n: u64) -> UsageCount {
    UsageCount { tenant_id: tenant_id.into(), day, counter: counter.into(), count: n }
}

fn served(tenant_id: &str, day: i32, client_id: &str) -> ServedService {
    ServedService { tenant_id: tenant_id.into(), day, client_id: client_id.into() }
}

backend_test!(flushes_sum_and_reads_keep_to_tenant_and_range(be, b) {
    let s = &be.store;
    assert!(s.usage_counts("t1", 0, i32::MAX).await.unwrap().is_empty(), "{b}");
    s.add_usage(&UsageBatch::default()).await.unwrap();
    let first = UsageBatch {
        counts: vec![count("t1", 100, "sign_in.passkey", 3), count("t1", 100, "token", 5), count("t2", 100, "token", 7)],
        services: vec![served("t1", 100, "app"), served("t1", 100, "other")],
        hosts: vec![HostCount { day: 100, host: "rp.example".into(), count: 2 }],
    };
    s.add_usage(&first).await.unwrap();
    // A second node's flush: the same keys add up, a service is counted once.
    let second = UsageBatch {
        counts: vec![count("t1", 100, "sign_in.passkey", 4), count("t1", 101, "token", 1)],
        services: vec![served("t1", 100, "app"), served("t1", 101, "app")],
        hosts: vec![HostCount { day: 100, host: "rp.example".into(), count: 1 }, HostCount { day: 101, host: "smtp.example".into(), count: 1 }],
    };
    s.add_usage(&second).await.unwrap();

    assert_eq!(
        s.usage_counts("t1", 100, 101).await.unwrap(),
        [count("t1", 100, "sign_in.passkey", 7), count("t1", 100, "token", 5), count("t1", 101, "token", 1)],
        "{b}"
    );
    assert_eq!(s.usage_counts("t1", 101, 200).await.unwrap(), [count("t1", 101, "token", 1)], "{b}");
    assert_eq!(s.usage_counts("t2", 0, 200).await.unwrap(), [count("t2", 100, "token", 7)], "{b}");
    let mut services = s.services_served("t1", 0, 200).await.unwrap();
    services.sort_by(|a, b| (a.day, &a.client_id).cmp(&(b.day, &b.client_id)));
    assert_eq!(services, [served("t1", 100, "app"), served("t1", 100, "other"), served("t1", 101, "app")], "{b}");
    assert!(s.services_served("t2", 0, 200).await.unwrap().is_empty(), "{b}");
    assert_eq!(
        s.outbound_hosts(100, 101).await.unwrap(),
        [HostCount { day: 100, host: "rp.example".into(), count: 3 }, HostCount { day: 101, host: "smtp.example".into(), count: 1 }],
        "{b}"
    );
});

backend_test!(a_large_flush_goes_through_in_chunks(be, b) {
    let s = &be.store;
    let batch = UsageBatch {
        counts: (0..1_200).map(|d| count("t1", d, "token", 1)).collect(),
        services: (0..1_200).map(|d| served("t1", d, "app")).collect(),
        hosts: (0..1_200).map(|d| HostCount { day: d, host: "rp.example".into(), count: 1 }).collect(),
    };
    s.add_usage(&batch).await.unwrap();
    s.add_usage(&batch).await.unwrap();
    let counts = s.usage_counts("t1", 0, 2_000).await.unwrap();
    assert_eq!(counts.len(), 1_200, "{b}");
    assert!(counts.iter().all(|c| c.count == 2), "{b}");
    assert_eq!(s.services_served("t1", 0, 2_000).await.unwrap().len(), 1_200, "{b}");
    assert!(s.outbound_hosts(0, 2_000).await.unwrap().iter().all(|h| h.count == 2), "{b}");
});
