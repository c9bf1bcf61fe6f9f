//! Starts the `idc-emulator` binary for a tier or the demo and stops it when dropped.
use crate::sh::{root, Result};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub struct Emulator {
    child: Child,
    url: String,
}

impl Emulator {
    /// Starts the emulator on a free port and waits for its `listening on URL` line.
    pub fn start(args: &[&str]) -> Result<Emulator> {
        let bin = root().join("target/debug/idc-emulator");
        let mut child = Command::new(&bin)
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| {
                format!("cannot start {}: {e} (build it with `cargo build -p idc-emulator`)", bin.display())
            })?;
        let mut first = String::new();
        let stdout = child.stdout.take().expect("piped");
        let mut reader = BufReader::new(stdout);
        reader.read_line(&mut first).map_err(|e| e.to_string())?;
        let Some(url) = first.trim().strip_prefix("listening on ").map(str::to_string) else {
            let _ = child.kill();
            return Err(format!("idc-emulator did not announce its address (first line: {first:?})"));
        };
        // Keep draining stdout so the emulator never blocks on a full pipe.
        std::thread::spawn(move || for _ in reader.lines() {});
        Ok(Emulator { child, url })
    }

    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
