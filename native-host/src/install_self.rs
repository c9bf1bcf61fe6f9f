//! The host installing itself for a person who downloaded it: a copy in the per-user folder
//! (the download may be deleted or sit in a folder that changes), what to do next, and on
//! Windows a pause so a double-clicked console window does not vanish before it is read.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::HostError;
use crate::install::{report, EXE_NAME};
use crate::install_policy;

/// Copies `exe` into `dir` unless it already runs from there; returns the installed path.
pub fn copy_self(exe: &Path, dir: &Path) -> Result<PathBuf, HostError> {
    fs::create_dir_all(dir).map_err(HostError::io("create", dir))?;
    let dest = dir.join(EXE_NAME);
    if fs::canonicalize(&dest).is_ok_and(|d| d == exe) {
        return Ok(dest);
    }
    // Copy beside, then rename: replacing a host a browser is running fails in place (ETXTBSY,
    // or a sharing violation on Windows) but a rename swaps the file atomically.
    let partial = dir.join(format!("{EXE_NAME}.partial"));
    fs::copy(exe, &partial).map_err(HostError::io("copy the host to", &partial))?;
    if let Err(e) = fs::rename(&partial, &dest) {
        let _ = fs::remove_file(&partial);
        return Err(HostError::Io { what: "replace", path: dest, source: e });
    }
    report(&format!("Installed the host at {}", dest.display()));
    Ok(dest)
}

/// Policy warnings and the next step, after the manifests are written.
pub fn after_install(installed: &Path) {
    for line in install_policy::check().describe() {
        report(&format!("\n{line}"));
    }
    report(&format!(
        "\nNext: add the SSO Bridge extension to your browser and open its popup.\n\
         \x20 Chrome, Edge, Brave, Chromium: unzip sso-bridge-chromium-{v}.zip, open chrome://extensions\n\
         \x20   (edge://extensions, brave://extensions), turn on Developer mode, click \"Load unpacked\", choose the folder.\n\
         \x20 Firefox: open about:addons, choose \"Install Add-on From File…\" and pick sso-bridge-firefox-{v}.xpi.\n\
         To remove the host: \"{}\" uninstall",
        installed.display(),
        v = ssobridge_core::VERSION,
    ));
}

/// Deletes the installed copy and its folder (only if empty: never what a person put there).
pub fn remove_copy(dir: &Path) -> Result<(), HostError> {
    let dest = dir.join(EXE_NAME);
    let running = std::env::current_exe().ok().and_then(|e| fs::canonicalize(e).ok());
    let is_self = fs::canonicalize(&dest).ok().is_some_and(|d| Some(d) == running);
    if cfg!(windows) && is_self {
        // Windows cannot delete a running program: a detached cmd deletes it once we exit.
        schedule_delete(&dest, dir);
        report(&format!("Removing {} once this window closes", dest.display()));
        return Ok(());
    }
    match fs::remove_file(&dest) {
        Ok(()) => report(&format!("Removed {}", dest.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(HostError::Io { what: "remove", path: dest, source: e }),
    }
    let _ = fs::remove_dir(dir);
    Ok(())
}

#[cfg(windows)]
fn schedule_delete(dest: &Path, dir: &Path) {
    use std::os::windows::process::CommandExt;
    const DETACHED_PROCESS: u32 = 0x0000_0008;
    let script = format!("ping -n 3 127.0.0.1 >NUL & del /F /Q \"{}\" & rmdir \"{}\"", dest.display(), dir.display());
    let _ = std::process::Command::new("cmd.exe").arg("/C").raw_arg(script).creation_flags(DETACHED_PROCESS).spawn();
}

#[cfg(not(windows))]
fn schedule_delete(_dest: &Path, _dir: &Path) {}

/// True when this process is the only one attached to its console: Windows made the console
/// for it, i.e. a double-click in Explorer rather than a command in a terminal.
pub fn started_by_double_click() -> bool {
    #[cfg(windows)]
    {
        let mut ids = [0u32; 4];
        // SAFETY: the buffer and its length match; the call only writes into it.
        let n =
            unsafe { windows_sys::Win32::System::Console::GetConsoleProcessList(ids.as_mut_ptr(), ids.len() as u32) };
        n == 1
    }
    #[cfg(not(windows))]
    false
}

/// Keeps a double-clicked console window open until the person has read it.
pub fn wait_for_enter() {
    report("\nPress Enter to close this window.");
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
}
