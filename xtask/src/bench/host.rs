//! The native host, release build, spawned as a browser would: a `hello` round trip including
//! process start and exit, and `applyProfiles` into large configs. (Moved here from the ignored
//! `native-host/tests/bench.rs`: timings belong to the bench, and driving the release binary from
//! xtask avoids building the host's heavy dev-dependencies — the AWS SDK — in release.)
use super::{median, ms, Row};
use crate::install::{self, Scratch};
use crate::sh::Result;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The extension's fixed ID (from the manifest `key`): the host refuses other callers.
const ORIGIN: &str = "chrome-extension://gfjggkhhfllfodkgihkkjigdbliapmgc/";
const HELLO_RUNS: usize = 50;
const APPLY_RUNS: usize = 7;

pub fn run() -> Result<Vec<Row>> {
    let host = install::build_release_host()?;
    let home = Scratch::new("bench-home")?;
    let mut rows = vec![hello(&host, &home.0)?];
    // The budget case, then growth: the config size alone, and both sizes together (which would
    // show any applied × existing behaviour).
    let base = apply_median(&host, &home.0, 10_000, 3_000)?;
    rows.push(Row::new(
        "applyProfiles 3,000 into 10,000 profiles",
        ms(base),
        "< 100 ms",
        Some(base < Duration::from_millis(100)),
    ));
    rows.push(super::core_apply()?);
    for (existing, applied) in [(5_000, 3_000), (20_000, 3_000), (5_000, 1_500), (20_000, 6_000)] {
        let t = apply_median(&host, &home.0, existing, applied)?;
        // Linear or better: time grows at most as the input does (x1.25 for noise). A fixed cost
        // (fsyncs, the reply diff's 50 ms time cap) makes small inputs relatively slower; fine.
        let size = (existing + applied) as f64 / 13_000.0;
        let time = t.as_secs_f64() / base.as_secs_f64();
        rows.push(Row::new(
            format!("applyProfiles {} into {} profiles", thousands(applied), thousands(existing)),
            format!("{} (input x{size:.2}, time x{time:.2} of the 10,000 case)", ms(t)),
            "~linear: time x <= 1.25 * input x",
            Some(time <= 1.25 * size.max(1.0)),
        ));
    }
    Ok(rows)
}

fn hello(host: &Path, home: &Path) -> Result<Row> {
    let request = frame(&json!({"id": 1, "action": "hello", "params": {}}));
    let once = || -> Result<Duration> {
        let started = Instant::now();
        let mut child = spawn(host, home)?;
        child
            .stdin
            .take()
            .expect("piped")
            .write_all(&request)
            .map_err(|e| format!("writing hello to the host: {e}"))?;
        let reply = read_frame(&mut child)?;
        let status = child.wait().map_err(|e| format!("waiting for the host: {e}"))?;
        let elapsed = started.elapsed();
        if reply["ok"] != true || !status.success() {
            return Err(format!("hello: host replied {reply} and exited with {status}"));
        }
        Ok(elapsed)
    };
    // A few unmeasured runs first, so the page cache holds the binary as it would in daily use.
    for _ in 0..3 {
        once()?;
    }
    let mut samples = (0..HELLO_RUNS).map(|_| once()).collect::<Result<Vec<_>>>()?;
    let m = median(&mut samples);
    Ok(Row::new(
        format!("host hello round trip (spawn..exit), median of {HELLO_RUNS}"),
        format!("{} (max {})", ms(m), ms(*samples.last().expect("runs"))),
        "< 10 ms",
        Some(m < Duration::from_millis(10)),
    ))
}

/// Median time from sending `applyProfiles` to its reply (the host already started; the hello
/// row covers the start), each run on a fresh copy of the config.
fn apply_median(host: &Path, home: &Path, existing: usize, applied: usize) -> Result<Duration> {
    eprintln!("applyProfiles {applied} into {existing} profiles, {APPLY_RUNS} runs");
    let config = big_config(existing);
    let request = frame(&apply_request(applied));
    let mut samples = Vec::new();
    for _ in 0..APPLY_RUNS {
        let aws = home.join(".aws");
        let _ = std::fs::remove_dir_all(&aws);
        std::fs::create_dir_all(&aws).map_err(|e| format!("creating {}: {e}", aws.display()))?;
        std::fs::write(aws.join("config"), &config).map_err(|e| format!("writing the test config: {e}"))?;
        let mut child = spawn(host, home)?;
        let mut stdin = child.stdin.take().expect("piped");
        let started = Instant::now();
        stdin.write_all(&request).map_err(|e| format!("writing applyProfiles to the host: {e}"))?;
        let reply = read_frame(&mut child)?;
        samples.push(started.elapsed());
        drop(stdin);
        let status = child.wait().map_err(|e| format!("waiting for the host: {e}"))?;
        if reply["ok"] != true || !status.success() {
            return Err(format!("applyProfiles: host replied {reply} and exited with {status}"));
        }
    }
    Ok(median(&mut samples))
}

/// 20000 -> "20,000", as the budgets are written.
fn thousands(n: usize) -> String {
    if n < 1000 {
        n.to_string()
    } else {
        format!("{},{:03}", n / 1000, n % 1000)
    }
}

/// A hand-edited config with `profiles` managed profiles of one sso-session.
fn big_config(profiles: usize) -> String {
    let mut text = String::from("# hand written\n[default]\nregion = eu-west-1\n[sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = us-east-1\n");
    for i in 0..profiles {
        text.push_str(&format!("[profile p{i}]\n# managed by sso-bridge\nsso_session = corp\nsso_account_id = {i:012}\nsso_role_name = Admin\nregion = us-east-1\n"));
    }
    text
}

/// `applied` profiles: a third update existing ones (p0, p1, ...), the rest are new; no prune.
fn apply_request(applied: usize) -> Value {
    let profiles: Vec<Value> = (0..applied)
        .map(|i| {
            let name = if i < applied / 3 { format!("p{i}") } else { format!("new{i}") };
            json!({"name": name, "accountId": format!("{i:012}"), "roleName": "ReadOnly"})
        })
        .collect();
    json!({"id": 1, "action": "applyProfiles", "params": {"sessionName": "corp", "profiles": profiles, "prune": false}})
}

/// The host as Chromium starts it: the origin as argument, a clean environment but for HOME.
fn spawn(host: &Path, home: &Path) -> Result<Child> {
    Command::new(host)
        .arg(ORIGIN)
        .env_clear()
        .env("HOME", home)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", host.display()))
}

/// Native-messaging framing: a native-endian u32 length, then JSON.
fn frame(message: &Value) -> Vec<u8> {
    let body = message.to_string().into_bytes();
    let mut out = (body.len() as u32).to_ne_bytes().to_vec();
    out.extend(body);
    out
}

fn read_frame(child: &mut Child) -> Result<Value> {
    let stdout = child.stdout.as_mut().expect("piped");
    let mut len = [0u8; 4];
    stdout.read_exact(&mut len).map_err(|e| format!("reading the host's reply length: {e}"))?;
    let mut body = vec![0u8; u32::from_ne_bytes(len) as usize];
    stdout.read_exact(&mut body).map_err(|e| format!("reading the host's reply: {e}"))?;
    serde_json::from_slice(&body).map_err(|e| format!("the host's reply is not JSON: {e}"))
}
