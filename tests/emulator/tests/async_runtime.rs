//! The emulator runs on its own thread and runtime, so it starts, serves and stops from inside
//! another tokio runtime (as async tests in other crates use it) without blocking that runtime.

use idc_emulator::{Config, Emulator};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn get(url: &str, path: &str) -> String {
    let addr = url.strip_prefix("http://").unwrap();
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    out
}

#[tokio::test(flavor = "current_thread")]
async fn usable_from_a_current_thread_runtime() {
    let emu = Emulator::start(Config::default()).unwrap();
    let resp = get(emu.url(), "/admin/device/pending").await;
    assert!(resp.starts_with("HTTP/1.1 200"), "{resp}");
    assert!(resp.ends_with("[]"), "{resp}");
    let url = emu.url().to_string();
    drop(emu);
    // Stopped: nothing listens any more.
    let addr = url.strip_prefix("http://").unwrap().to_string();
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usable_from_a_multi_thread_runtime() {
    let emu = Emulator::start(Config::default()).unwrap();
    let resp = get(emu.url(), "/start").await;
    assert!(resp.starts_with("HTTP/1.1 200") && resp.contains("id=\"account-list\""), "{resp}");
}
