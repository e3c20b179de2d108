//! A TCP relay in front of a service, cut on demand: what a node does when
//! Redis or the database goes away in the middle of its life (a database
//! down from the start is refused at start-up instead; Redis is connected
//! lazily, see the server's resilience tests).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

pub struct Relay {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    cut: bool,
    /// The accepting task and one per relayed connection.
    tasks: Vec<JoinHandle<()>>,
}

impl Relay {
    /// Relays every connection to `target` (`host:port`).
    pub async fn start(target: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a relay port");
        let addr = listener.local_addr().expect("relay address");
        let state: Arc<Mutex<State>> = Arc::default();
        let target = target.to_owned();
        let shared = state.clone();
        let accept = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let target = target.clone();
                // Spawned under the lock, so a cut never misses a connection.
                let mut st = shared.lock().unwrap_or_else(|p| p.into_inner());
                if st.cut {
                    return;
                }
                st.tasks.push(tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                }));
            }
        });
        state.lock().unwrap_or_else(|p| p.into_inner()).tasks.push(accept);
        Self { addr, state }
    }

    /// Closes the listener and every relayed connection: from now on the
    /// service is unreachable through this relay.
    pub fn cut(&self) {
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        st.cut = true;
        for t in st.tasks.drain(..) {
            t.abort();
        }
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.cut();
    }
}
