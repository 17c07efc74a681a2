//! `dmxapi-sim`: a local stand-in for DMXAPI's `POST /v1/responses` relay in
//! front of Alibaba's Wan video models, for wan-studio's tests and demo.
//!
//! It speaks the protocol in `PROTOCOL.md` (copies of the reference fixtures
//! live in the project's `tests/fixtures/`) for every model of the app's model table
//! (`crates/wan-models`): submit with a model's string, checked as its page states, poll with its
//! family's `*-get`,
//! tasks go PENDING → RUNNING → SUCCEEDED on a configurable clock, and
//! finished tasks point to a signed-looking `/video/<id>.mp4` link that serves
//! a real H.264 clip with byte ranges. A `/__sim/` control API records
//! requests, injects faults and changes the clock.
//!
//! ```no_run
//! let handle = dmxapi_sim::start(dmxapi_sim::Config {
//!     port: 0,
//!     ..Default::default()
//! })
//! .unwrap();
//! println!("{}", handle.base_url());
//! ```

#![warn(missing_docs)]

pub mod faults;
pub mod ids;
pub mod relay;
pub mod time;

mod cli;
mod server;
mod video;

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use cli::{parse_args, usage, Command};
pub use faults::Fault;
pub use video::CLIP;

/// Task timing: how long a task stays PENDING, then RUNNING, and how long its
/// video link stays valid after it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timing {
    /// Milliseconds a new task stays PENDING.
    pub pending_ms: u64,
    /// Milliseconds it then stays RUNNING before it ends.
    pub running_ms: u64,
    /// Seconds the video link is valid after the end time (`Expires`).
    pub link_ttl_secs: u64,
}

/// Simulator configuration (mirrors the command line).
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to bind.
    pub host: String,
    /// Port to bind; 0 picks a free one.
    pub port: u16,
    /// See [`Timing::pending_ms`].
    pub pending_ms: u64,
    /// See [`Timing::running_ms`].
    pub running_ms: u64,
    /// Accepted keys; empty accepts any `sk-` key of at least 8 characters.
    pub keys: Vec<String>,
    /// See [`Timing::link_ttl_secs`].
    pub link_ttl_secs: u64,
    /// Do not log requests to stderr.
    pub quiet: bool,
    /// Faults queued at start.
    pub faults: Vec<Fault>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: 9090,
            pending_ms: 2000,
            running_ms: 6000,
            keys: Vec::new(),
            link_ttl_secs: 86_400,
            quiet: false,
            faults: Vec::new(),
        }
    }
}

impl Config {
    /// The timing part of the configuration.
    pub fn timing(&self) -> Timing {
        Timing {
            pending_ms: self.pending_ms,
            running_ms: self.running_ms,
            link_ttl_secs: self.link_ttl_secs,
        }
    }
}

/// A running simulator. Dropping it (or [`Handle::shutdown`]) stops accepting
/// requests; [`Handle::wait`] blocks for as long as the server runs.
pub struct Handle {
    addr: SocketAddr,
    base_url: String,
    server: Arc<tiny_http::Server>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Handle {
    /// The bound socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// `http://HOST:PORT` (an unspecified bind address is shown as loopback).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Blocks until the server stops (in practice, forever).
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    /// Stops the server and waits for its accept loop to end. Requests already
    /// being handled finish on their own threads.
    pub fn shutdown(self) {}
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Host part of a URL for `host`: loopback for an unspecified address,
/// brackets around IPv6 literals.
fn url_host(host: &str) -> String {
    match host.trim_matches(['[', ']']).parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) if ip.is_unspecified() => "127.0.0.1".into(),
        Ok(IpAddr::V6(ip)) if ip.is_unspecified() => "[::1]".into(),
        Ok(IpAddr::V6(ip)) => format!("[{ip}]"),
        Ok(IpAddr::V4(ip)) => ip.to_string(),
        Err(_) => host.to_string(),
    }
}

/// Binds and starts the simulator; requests are served on background threads
/// (one per request) until the returned [`Handle`] is dropped.
pub fn start(config: Config) -> io::Result<Handle> {
    let bind_host = config.host.trim_matches(['[', ']']).to_string();
    let server = tiny_http::Server::http((bind_host.as_str(), config.port)).map_err(|e| {
        io::Error::other(format!("cannot bind {}:{}: {e}", config.host, config.port))
    })?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| io::Error::other("not bound to an IP address"))?;
    let base_url = format!("http://{}:{}", url_host(&config.host), addr.port());
    let server = Arc::new(server);
    let stop = Arc::new(AtomicBool::new(false));
    let shared = Arc::new(server::Shared::new(
        base_url.clone(),
        config.keys.clone(),
        config.quiet,
        config.timing(),
        config.faults.clone(),
    ));
    let thread = {
        let server = Arc::clone(&server);
        let stop = Arc::clone(&stop);
        thread::Builder::new()
            .name("dmxapi-sim-accept".into())
            .spawn(move || accept_loop(&server, &stop, &shared))?
    };
    Ok(Handle {
        addr,
        base_url,
        server,
        stop,
        thread: Some(thread),
    })
}

fn accept_loop(server: &tiny_http::Server, stop: &AtomicBool, shared: &Arc<server::Shared>) {
    let seq = AtomicU64::new(0);
    loop {
        match server.recv() {
            Ok(request) => {
                let n = seq.fetch_add(1, Ordering::SeqCst);
                let at_ms = shared.now_ms();
                let shared = Arc::clone(shared);
                let spawned = thread::Builder::new()
                    .name("dmxapi-sim-req".into())
                    .spawn(move || shared.handle(request, n, at_ms));
                if let Err(e) = spawned {
                    eprintln!("dmxapi-sim: cannot spawn a request thread: {e}");
                }
            }
            Err(_) if stop.load(Ordering::SeqCst) => break,
            Err(_) => thread::sleep(Duration::from_millis(5)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_hosts() {
        assert_eq!(url_host("0.0.0.0"), "127.0.0.1");
        assert_eq!(url_host("127.0.0.1"), "127.0.0.1");
        assert_eq!(url_host("::"), "[::1]");
        assert_eq!(url_host("::1"), "[::1]");
        assert_eq!(url_host("[::1]"), "[::1]");
        assert_eq!(url_host("localhost"), "localhost");
    }
}
