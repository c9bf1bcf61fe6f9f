//! The Windows host, run for real under Wine (see toolchain.md, "Windows builds"): a framed
//! `hello` over stdin/stdout, and `install --browser chrome` checked in Wine's registry. One check
//! of the `checks` tier; its Wine prefix lives in `target/wine` so it is private and reusable.
use crate::prereqs::WINDOWS_TARGET;
use crate::sh::{self, cmd, root, Result};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Debian's Wine 8 loader; not on PATH.
pub const WINE: &str = "/usr/lib/wine/wine64";
const ORIGIN: &str = "chrome-extension://gfjggkhhfllfodkgihkkjigdbliapmgc/";
const CHROME_KEY: &str = r"HKCU\Software\Google\Chrome\NativeMessagingHosts\com.ssobridge.host";
/// A first run creates the prefix (~7 s); nothing should take longer than this.
const TIMEOUT: Duration = Duration::from_secs(120);

pub fn check() -> Result {
    ensure_wine()?;
    let bin = prepare_bin()?;
    let exe = bin.join("ssobridge-host.exe");
    let result = hello(&exe).and_then(|()| install_registers(&exe)).and_then(|()| sync_targets(&exe));
    // Stop this prefix's wineserver (it lingers a few seconds otherwise).
    let _ = wine_cmd("/usr/lib/wine/wineserver").arg("-k").status();
    result
}

pub fn ensure_wine() -> Result {
    if Path::new(WINE).exists() {
        return Ok(());
    }
    let install = "apt-get install -y --no-install-recommends wine64";
    let is_root = sh::output(cmd("id").arg("-u")).map(|s| s.trim() == "0").unwrap_or(false);
    if !is_root || !Path::new("/usr/bin/apt-get").exists() {
        return Err(format!("Wine is missing; run: sudo apt-get update && sudo {install}"));
    }
    sh::run(cmd("apt-get").arg("update").arg("-qq"))?;
    sh::run(cmd("sh").arg("-c").arg(format!("DEBIAN_FRONTEND=noninteractive {install}")))
}

/// The Windows host and the ProcessPrng shim side by side in `target/wine/bin`.
fn prepare_bin() -> Result<PathBuf> {
    sh::run(cmd("cargo").args(["build", "-p", "ssobridge-host", "--target", WINDOWS_TARGET]))?;
    let bin = root().join("target/wine/bin");
    std::fs::create_dir_all(&bin).map_err(|e| format!("creating {}: {e}", bin.display()))?;
    let exe = root().join("target").join(WINDOWS_TARGET).join("debug/ssobridge-host.exe");
    std::fs::copy(&exe, bin.join("ssobridge-host.exe")).map_err(|e| format!("copying {}: {e}", exe.display()))?;
    build_shim(&bin)?;
    Ok(bin)
}

/// The ProcessPrng shim (`bcryptprimitives.dll`) in `dir`, beside a Windows host that needs it.
pub fn build_shim(dir: &Path) -> Result {
    sh::run(
        cmd("x86_64-w64-mingw32-gcc")
            .args(["-shared", "-O2", "-o"])
            .arg(dir.join(SHIM))
            .arg(root().join("xtask/wine/processprng.c"))
            .arg("-ladvapi32"),
    )
}

pub const SHIM: &str = "bcryptprimitives.dll";

/// Wine's C: drive for the prefix every Wine check shares.
pub fn drive_c() -> PathBuf {
    root().join("target/wine/prefix/drive_c")
}

pub fn wine_cmd(program: &str) -> Command {
    let mut c = cmd(program);
    c.env("WINEPREFIX", root().join("target/wine/prefix"))
        .env("WINEDEBUG", "-all")
        // No Mono/Gecko install prompts on first run: the host needs neither.
        .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
        .env_remove("DISPLAY");
    c
}

/// The host as Chrome starts it, under Wine: framed requests on stdin, one framed reply each.
fn exchange(exe: &Path, requests: &[Value]) -> Result<Vec<Value>> {
    let mut c = wine_cmd(WINE);
    c.arg(exe).arg(ORIGIN).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::inherit());
    let actions: Vec<_> = requests.iter().map(|r| r["action"].as_str().unwrap_or("?")).collect();
    eprintln!("$ {WINE} {} {ORIGIN}  (framed {} on stdin)", exe.display(), actions.join(", "));
    let mut child = c.spawn().map_err(|e| format!("cannot start {WINE}: {e}"))?;
    let mut stdin = child.stdin.take().expect("piped");
    for request in requests {
        let body = request.to_string();
        stdin
            .write_all(&(body.len() as u32).to_le_bytes())
            .and_then(|()| stdin.write_all(body.as_bytes()))
            .map_err(|e| format!("writing to the Windows host: {e}"))?;
    }
    drop(stdin);
    let mut stdout = child.stdout.take().expect("piped");
    // Read the replies only, on a thread: wineserver may hold the pipe open after the host exits.
    let count = requests.len();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut bodies = Vec::new();
        for _ in 0..count {
            let mut len = [0u8; 4];
            let r = stdout.read_exact(&mut len).and_then(|()| {
                let mut body = vec![0u8; u32::from_le_bytes(len) as usize];
                stdout.read_exact(&mut body).map(|()| body)
            });
            match r {
                Ok(body) => bodies.push(body),
                Err(e) => {
                    let _ = tx.send(Err(e));
                    return;
                }
            }
        }
        let _ = tx.send(Ok(bodies));
    });
    let replies = rx.recv_timeout(TIMEOUT);
    let _ = child.kill();
    let _ = child.wait();
    let bodies = replies
        .map_err(|_| format!("no reply from the Windows host within {TIMEOUT:?}"))?
        .map_err(|e| format!("reading the Windows host's replies: {e}"))?;
    bodies
        .iter()
        .map(|body| serde_json::from_slice(body).map_err(|e| format!("the Windows host's reply is not JSON: {e}")))
        .collect()
}

pub fn hello(exe: &Path) -> Result {
    let replies = exchange(exe, &[json!({"id": 1, "action": "hello", "params": {}})])?;
    let reply = &replies[0];
    if reply["ok"] != true || reply["result"]["os"] != "windows" {
        return Err(format!("hello under Wine: unexpected reply {reply}"));
    }
    eprintln!("hello under Wine: {reply}");
    Ok(())
}

/// The Windows build's sync-target code (issue 15): a WSL target is a folder target on
/// `\\wsl.localhost\<distro>\<home>\.aws`, which Wine has not, so a folder under `target/wine`
/// stands in for the share (through Wine's `Z:` drive). The token and config must land there
/// with LF endings; a WSL distribution, which Wine has not either, must be reported per target
/// (the Windows-only discovery runs `wsl.exe`, then `reg.exe query`), and discovery finds none.
fn sync_targets(exe: &Path) -> Result {
    let share = root().join("target/wine/share");
    let _ = std::fs::remove_dir_all(&share);
    let aws = share.join("Ubuntu/home/me/.aws");
    let windows_path = format!("Z:{}", aws.display()).replace('/', "\\");
    let folder = json!({"kind": "folder", "path": windows_path});
    let wsl = json!({"kind": "wsl", "distro": "Ubuntu"});
    let token = json!({"accessToken": "aoaWineExample", "expiresAt": "2099-01-01T00:00:00Z",
                       "clientId": "wine-client", "clientSecret": "wine-secret", "registrationExpiresAt": "2099-01-01T00:00:00Z"});
    let replies = exchange(
        exe,
        &[
            json!({"id": 1, "action": "saveToken", "params": {"sessionName": "wine", "region": "us-east-1",
                "startUrl": "https://d-1234567890.awsapps.com/start", "scopes": [], "token": token, "targets": [folder, wsl]}}),
            json!({"id": 2, "action": "applyProfiles", "params": {"sessionName": "wine", "targets": [folder],
                "profiles": [{"name": "wine-dev", "accountId": "111122223333", "roleName": "ReadOnly"}]}}),
            json!({"id": 3, "action": "discoverTargets"}),
        ],
    )?;
    let results = &replies[0]["result"]["targets"];
    if replies[0]["ok"] != true || results[0]["ok"] != true || replies[1]["result"]["targets"][0]["ok"] != true {
        return Err(format!("folder target under Wine: unexpected replies {replies:?}"));
    }
    if results[1]["error"]["code"] != "target_unreachable" {
        return Err(format!("a WSL target without WSL must be target_unreachable: {}", results[1]));
    }
    if replies[2]["result"]["targets"] != json!([]) {
        return Err(format!("discoverTargets under Wine (no WSL) must find nothing: {}", replies[2]));
    }
    let config = std::fs::read(aws.join("config")).map_err(|e| format!("{}: {e}", aws.join("config").display()))?;
    let text = String::from_utf8_lossy(&config);
    if config.contains(&b'\r') || !text.contains("[sso-session wine]") || !text.contains("[profile wine-dev]") {
        return Err(format!("the folder target's config is not the LF config expected:\n{text}"));
    }
    let cache = aws.join("sso/cache");
    let tokens = std::fs::read_dir(&cache).map_err(|e| format!("{}: {e}", cache.display()))?.count();
    if tokens != 1 {
        return Err(format!("expected one token file in {}, found {tokens}", cache.display()));
    }
    eprintln!(
        "sync targets under Wine: folder target {windows_path} written (LF), WSL target reported: {}",
        results[1]
    );
    Ok(())
}

/// `install --browser chrome` writes the manifest and the HKCU key; `uninstall` removes the key.
fn install_registers(exe: &Path) -> Result {
    // stdin closed: a host that thinks it was double-clicked waits for Enter.
    sh::run(wine_cmd(WINE).arg(exe).args(["install", "--browser", "chrome"]).stdin(Stdio::null()))?;
    let manifest =
        registry_value(CHROME_KEY).ok_or(format!("`wine64 reg query {CHROME_KEY}` shows no manifest path"))?;
    if !manifest.ends_with(r"\com.ssobridge.host.chrome.json") {
        return Err(format!("registry points at {manifest:?}, not the host's Chrome manifest"));
    }
    let on_disk = windows_to_linux(&manifest);
    if !on_disk.is_file() {
        return Err(format!("the registry names {manifest} but {} does not exist", on_disk.display()));
    }
    sh::run(wine_cmd(WINE).arg(exe).args(["uninstall", "--browser", "chrome"]).stdin(Stdio::null()))?;
    if registry_value(CHROME_KEY).is_some() {
        return Err(format!("{CHROME_KEY} is still there after uninstall"));
    }
    eprintln!("install --browser chrome under Wine: {CHROME_KEY} -> {manifest}, removed by uninstall");
    Ok(())
}

/// The default value of a registry key, or None when the key is not there.
pub fn registry_value(key: &str) -> Option<String> {
    let out = wine_cmd(WINE).args(["reg", "query", key]).stderr(Stdio::null()).output().ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout).lines().find_map(|l| l.split_once("REG_SZ").map(|(_, v)| v.trim().to_string()))
}

/// `C:\a\b` → `<prefix>/drive_c/a/b`: Wine maps C:\ to the prefix's drive_c, so a file the
/// registry names is visible from here.
pub fn windows_to_linux(path: &str) -> PathBuf {
    let rel = path.get(3..).unwrap_or_default().replace('\\', "/");
    drive_c().join(rel)
}
