use trame_testkit::{Backend, Backends};

#[tokio::test]
async fn both_backends_answer() {
    for b in Backend::ALL {
        let be = Backends::new(b).await;
        be.store.ping().await.unwrap();
        be.ephemeral.ping().await.unwrap();
        assert!(be.store.list_tenants().await.unwrap().is_empty());
    }
}
