//! Running other programs: the one place xtask spawns processes, so every step prints what it
//! runs and every failure says which command failed.
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

pub fn cmd(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root());
    c
}

fn describe(c: &Command) -> String {
    let mut s = c.get_program().to_string_lossy().into_owned();
    for a in c.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Runs a command with inherited output; an error names the command.
pub fn run(c: &mut Command) -> Result {
    eprintln!("$ {}", describe(c));
    let status = c.status().map_err(|e| format!("cannot start `{}`: {e}", describe(c)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(c)))
    }
}

/// Runs a command and returns its stdout (stderr passes through).
pub fn output(c: &mut Command) -> Result<String> {
    let out = c.stderr(Stdio::inherit()).output().map_err(|e| format!("cannot start `{}`: {e}", describe(c)))?;
    if !out.status.success() {
        return Err(format!("`{}` failed ({})", describe(c), out.status));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs a command, echoing its stdout line by line while keeping a copy for the caller to read
/// test counts from. Returns (succeeded, stdout).
pub fn tee(c: &mut Command) -> Result<(bool, String)> {
    eprintln!("$ {}", describe(c));
    let mut child = c
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start `{}`: {e}", describe(c)))?;
    let mut kept = String::new();
    for line in BufReader::new(child.stdout.take().expect("piped")).lines() {
        let line = line.unwrap_or_default();
        println!("{line}");
        kept.push_str(&line);
        kept.push('\n');
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    Ok((status.success(), kept))
}

/// True when `program --version` (or the given probe) runs.
pub fn works(program: &str, arg: &str) -> bool {
    Command::new(program).arg(arg).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
}

/// Runs a command, echoing its stderr line by line while keeping a copy (libFuzzer reports on
/// stderr). Returns (succeeded, stderr).
pub fn tee_stderr(c: &mut Command) -> Result<(bool, String)> {
    eprintln!("$ {}", describe(c));
    let mut child = c.stderr(Stdio::piped()).spawn().map_err(|e| format!("cannot start `{}`: {e}", describe(c)))?;
    let mut kept = String::new();
    for line in BufReader::new(child.stderr.take().expect("piped")).lines() {
        let line = line.unwrap_or_default();
        eprintln!("{line}");
        kept.push_str(&line);
        kept.push('\n');
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    Ok((status.success(), kept))
}

/// Like `run`, but a failure also carries the command's own `error` lines (the first three), so
/// the cause reaches the run's summary, not just the exit status.
pub fn run_showing_errors(c: &mut Command) -> Result {
    let (ok, stderr) = tee_stderr(c)?;
    if ok {
        return Ok(());
    }
    let said: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| l.to_ascii_lowercase().starts_with("error") || l.contains("No space left"))
        .take(3)
        .collect();
    Err(format!(
        "`{}` failed: {}",
        describe(c),
        if said.is_empty() { "see its output above".into() } else { said.join(" | ") }
    ))
}

/// True when `program args...` runs and succeeds (output discarded).
pub fn works_with(program: &str, args: &[&str]) -> bool {
    Command::new(program).args(args).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
}
