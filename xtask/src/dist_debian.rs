//! The Linux x86_64 release host on a machine with nothing but Debian's minimal base (no Rust,
//! no build libraries): a root made by `debootstrap --variant=minbase`, cached in
//! `target/debian-bookworm`, entered with `chroot` (the tier runs as root). Inside it the host
//! installs itself for the two browsers whose profile folders exist, answers `hello`,
//! `saveToken` and `applyProfiles` as the installed copy, and says when policy blocks it; then
//! the AWS CLI v1 reads what it wrote and calls STS on the emulator.
use crate::dist;
use crate::emulator::Emulator;
use crate::prereqs::venv_bin;
use crate::sh::{self, cmd, root, Result};
use serde_json::{json, Value};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;

const MIRROR: &str = "http://deb.debian.org/debian";
const ORIGIN: &str = "chrome-extension://gfjggkhhfllfodkgihkkjigdbliapmgc/";
/// Where the host installs itself inside the root, for HOME=/root.
const INSTALLED: &str = "/root/.local/share/sso-bridge/ssobridge-host";
const START_URL: &str = "https://d-1234567890.awsapps.com/start";

fn debian_root() -> PathBuf {
    root().join("target/debian-bookworm")
}

pub fn check() -> Result {
    let dir = debian_root();
    if !dir.join("usr/bin/apt-get").exists() {
        let _ = fs::remove_dir_all(&dir);
        sh::run(cmd("debootstrap").args(["--variant=minbase", "bookworm"]).arg(&dir).arg(MIRROR))?;
    }
    reset(&dir)?;
    // A machine has /proc; the host finds itself through /proc/self/exe to copy itself.
    let _proc = ProcMount::new(&dir)?;
    let download = dir.join("tmp/ssobridge-host-linux-x86_64");
    fs::copy(dist::dir().join("ssobridge-host-linux-x86_64"), &download).map_err(|e| e.to_string())?;
    make_executable(&download)?;
    // The person has Chromium and Firefox (their profile folders exist), not Chrome.
    for browser in ["root/.config/chromium", "root/.mozilla"] {
        fs::create_dir_all(dir.join(browser)).map_err(|e| e.to_string())?;
    }

    let said = in_root(&dir, &["/tmp/ssobridge-host-linux-x86_64"], b"")?;
    for line in ["Registered with Chromium", "Registered with Firefox", "Next: add the SSO Bridge extension"] {
        expect(said.contains(line), &format!("the host's install output has {line:?}:\n{said}"))?;
    }
    for (manifest, key) in [
        ("root/.config/chromium/NativeMessagingHosts/com.ssobridge.host.json", "allowed_origins"),
        ("root/.mozilla/native-messaging-hosts/com.ssobridge.host.json", "allowed_extensions"),
    ] {
        let text = fs::read_to_string(dir.join(manifest)).map_err(|e| format!("{manifest}: {e}"))?;
        let value: Value = serde_json::from_str(&text).map_err(|e| format!("{manifest}: {e}"))?;
        expect(value["path"] == INSTALLED && value[key].is_array(), &format!("{manifest} names {INSTALLED}: {value}"))?;
    }
    expect(!dir.join("root/.config/google-chrome").exists(), "Chrome is not there, so nothing is registered for it")?;

    let emu = Emulator::start(&["--auto-approve", "--config", &emulator_config()?])?;
    let token = device_login(emu.url())?;
    let replies = talk(&dir, &token)?;
    eprintln!("installed host answered: {}", replies.iter().map(|r| r["ok"].to_string()).collect::<Vec<_>>().join(" "));

    let identity = aws_cli(&dir, emu.url())?;
    expect(identity["Account"] == "111122223333", &format!("get-caller-identity: {identity}"))?;

    // An administrator's policy that blocks user-level hosts is named by install and doctor.
    let policy = dir.join("etc/chromium/policies/managed");
    fs::create_dir_all(&policy).map_err(|e| e.to_string())?;
    fs::write(policy.join("block.json"), r#"{"NativeMessagingUserLevelHosts": false}"#).map_err(|e| e.to_string())?;
    let said = in_root(&dir, &[INSTALLED, "install"], b"")?;
    let doctor = in_root(&dir, &[INSTALLED, "doctor"], b"")?;
    let _ = fs::remove_dir_all(dir.join("etc/chromium"));
    for text in [&said, &doctor] {
        expect(text.contains("BLOCKED") && text.contains("/etc/chromium/policies/managed/block.json"), text)?;
    }

    let said = in_root(&dir, &[INSTALLED, "uninstall"], b"")?;
    expect(!dir.join(&INSTALLED[1..]).exists(), &format!("uninstall removes the copy:\n{said}"))?;
    expect(!dir.join("root/.mozilla/native-messaging-hosts/com.ssobridge.host.json").exists(), "manifest removed")?;
    eprintln!("Debian root: installed, answered, AWS CLI got {}, uninstalled", identity["Arn"]);
    Ok(())
}

/// `/proc` mounted in the root while the check runs, unmounted when dropped (also after a failure,
/// so nothing under `target/` stays mounted).
struct ProcMount(PathBuf);

impl ProcMount {
    fn new(dir: &Path) -> Result<ProcMount> {
        let proc = dir.join("proc");
        // A run that was killed may have left it mounted.
        let _ = cmd("umount").arg(&proc).stderr(Stdio::null()).status();
        sh::run(cmd("mount").args(["-t", "proc", "proc"]).arg(&proc))?;
        Ok(ProcMount(proc))
    }
}

impl Drop for ProcMount {
    fn drop(&mut self) {
        let _ = cmd("umount").arg(&self.0).status();
    }
}

fn expect(ok: bool, what: &str) -> Result {
    if ok {
        Ok(())
    } else {
        Err(what.to_string())
    }
}

/// What a previous run left in the cached root's home and policy folders goes.
fn reset(dir: &Path) -> Result {
    for rel in ["root/.config", "root/.mozilla", "root/.local", "root/.aws", "etc/chromium"] {
        let p = dir.join(rel);
        if p.exists() {
            fs::remove_dir_all(&p).map_err(|e| format!("removing {}: {e}", p.display()))?;
        }
    }
    Ok(())
}

fn make_executable(path: &Path) -> Result {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).map_err(|e| e.to_string())
}

/// Runs `argv` inside the root with a clean environment (HOME=/root); stdout, or an error with
/// both streams. `timeout` bounds it, so a host that waits for input cannot hold the tier.
fn in_root(dir: &Path, argv: &[&str], stdin: &[u8]) -> Result<String> {
    let mut c = cmd("timeout");
    c.arg("60").arg("chroot").arg(dir).args(["/usr/bin/env", "-i", "HOME=/root", "PATH=/usr/bin:/bin"]).args(argv);
    let out = feed(&mut c, stdin)?;
    if !out.status.success() {
        return Err(format!(
            "{argv:?} in the Debian root failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn feed(c: &mut std::process::Command, stdin: &[u8]) -> Result<std::process::Output> {
    let mut child = c
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start chroot: {e}"))?;
    let mut pipe = child.stdin.take().expect("piped");
    pipe.write_all(stdin).map_err(|e| e.to_string())?;
    drop(pipe);
    child.wait_with_output().map_err(|e| e.to_string())
}

/// One account with one role, approved without a person.
fn emulator_config() -> Result<String> {
    let path = root().join("target/tmp/dist-emulator.json");
    fs::create_dir_all(path.parent().expect("has a parent")).map_err(|e| e.to_string())?;
    let config = json!({"accounts": [{"id": "111122223333", "name": "dev", "roles": ["AdministratorAccess"]}]});
    fs::write(&path, config.to_string()).map_err(|e| e.to_string())?;
    Ok(path.to_string_lossy().into_owned())
}

fn post(base: &str, path: &str, body: &Value) -> Result<Value> {
    let out = sh::output(
        cmd("curl")
            .args(["-sS", "--fail-with-body", "-X", "POST", "-H", "Content-Type: application/json", "--data"])
            .arg(body.to_string())
            .arg(format!("{base}{path}")),
    )?;
    serde_json::from_str(&out).map_err(|e| format!("{path}: {e}: {out}"))
}

/// The device flow against the auto-approving emulator: registration plus token.
fn device_login(base: &str) -> Result<(Value, Value)> {
    let reg = post(
        base,
        "/client/register",
        &json!({"clientName": "sso-bridge-dist", "clientType": "public", "scopes": ["sso:account:access"]}),
    )?;
    let client = json!({"clientId": reg["clientId"], "clientSecret": reg["clientSecret"]});
    let dev = post(
        base,
        "/device_authorization",
        &json!({"clientId": client["clientId"], "clientSecret": client["clientSecret"], "startUrl": START_URL}),
    )?;
    let token = post(
        base,
        "/token",
        &json!({"clientId": client["clientId"], "clientSecret": client["clientSecret"],
                "grantType": "urn:ietf:params:oauth:grant-type:device_code", "deviceCode": dev["deviceCode"]}),
    )?;
    Ok((reg, token))
}

/// Native-messaging frames: a 4-byte length in the machine's byte order, then JSON.
fn frames(requests: &[Value]) -> Vec<u8> {
    let mut out = Vec::new();
    for r in requests {
        let body = r.to_string();
        out.extend_from_slice(&(body.len() as u32).to_ne_bytes());
        out.extend_from_slice(body.as_bytes());
    }
    out
}

fn parse_frames(mut bytes: &[u8]) -> Vec<Value> {
    let mut out = Vec::new();
    while bytes.len() >= 4 {
        let len = u32::from_ne_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
        let Some(body) = bytes.get(4..4 + len) else { break };
        out.push(serde_json::from_slice(body).unwrap_or(Value::Null));
        bytes = &bytes[4 + len..];
    }
    out
}

/// hello, saveToken and applyProfiles to the installed host, started as Chromium starts it.
fn talk(dir: &Path, (reg, token): &(Value, Value)) -> Result<Vec<Value>> {
    let in_an_hour = sh::output(cmd("date").args(["-u", "-d", "+1 hour", "+%Y-%m-%dT%H:%M:%SZ"]))?;
    let reg_expires = sh::output(
        cmd("date").args(["-u", "-d"]).arg(format!("@{}", reg["clientSecretExpiresAt"])).arg("+%Y-%m-%dT%H:%M:%SZ"),
    )?;
    let requests = [
        json!({"id": 1, "action": "hello", "params": {}}),
        json!({"id": 2, "action": "saveToken", "params": {
            "sessionName": "dist", "startUrl": START_URL, "region": "us-east-1", "scopes": ["sso:account:access"],
            "token": {"accessToken": token["accessToken"], "expiresAt": in_an_hour.trim(),
                      "refreshToken": token["refreshToken"], "clientId": reg["clientId"],
                      "clientSecret": reg["clientSecret"], "registrationExpiresAt": reg_expires.trim()}}}),
        json!({"id": 3, "action": "applyProfiles", "params": {"sessionName": "dist", "prune": false, "profiles": [
            {"name": "dist-admin", "accountId": "111122223333", "roleName": "AdministratorAccess", "region": "us-east-1"}]}}),
    ];
    let mut c = cmd("timeout");
    c.arg("60").arg("chroot").arg(dir).args(["/usr/bin/env", "-i", "HOME=/root", INSTALLED, ORIGIN]);
    let out = feed(&mut c, &frames(&requests))?;
    let replies = parse_frames(&out.stdout);
    let ok = replies.len() == 3 && replies.iter().all(|r| r["ok"] == true) && replies[0]["result"]["os"] == "linux";
    if !ok {
        return Err(format!("the installed host's replies: {replies:?}\n{}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(replies)
}

/// `aws sts get-caller-identity --profile dist-admin` from the outer .venv, on the root's files.
fn aws_cli(dir: &Path, emu: &str) -> Result<Value> {
    let home = dir.join("root");
    let out = sh::output(
        cmd(venv_bin("aws"))
            .args(["sts", "get-caller-identity", "--profile", "dist-admin", "--output", "json"])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &home)
            .env("AWS_CONFIG_FILE", home.join(".aws/config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", home.join(".aws/credentials"))
            .env("AWS_ENDPOINT_URL_SSO", emu)
            .env("AWS_ENDPOINT_URL_SSO_OIDC", emu)
            .env("AWS_ENDPOINT_URL_STS", emu)
            .env("AWS_EC2_METADATA_DISABLED", "true"),
    )?;
    serde_json::from_str(&out).map_err(|e| format!("aws output: {e}: {out}"))
}
