//! The service worker's cold start to its first answer through the wasm core, in headless
//! Chromium with the built extension (`cold_start.mjs` drives it and prints one BENCH line).
use super::Row;
use crate::extension;
use crate::sh::{self, cmd, root, Result};

/// Issue 16: what a person feels when the popup wakes a stopped worker.
const BUDGET_MS: f64 = 50.0;
const RUNS: u32 = 15;

pub fn run() -> Result<Vec<Row>> {
    let script = root().join("xtask/src/bench/cold_start.mjs");
    eprintln!("$ node {}", script.display());
    let out = sh::output(
        cmd("node")
            .arg(&script)
            .env("SSOBRIDGE_EXTENSION_DIR", extension::dist("chromium"))
            .env("COLD_START_RUNS", RUNS.to_string()),
    )?;
    let r = super::bench_line(&out, "cold-start")?;
    let num = |k: &str| r[k].as_f64().ok_or(format!("cold-start bench output lacks {k}"));
    let median = num("medianMs")?;
    Ok(vec![
        Row::new(
            format!("service worker cold start to first core answer (median of {RUNS})"),
            format!("{median:.1} ms (min {:.1}, max {:.1})", num("minMs")?, num("maxMs")?),
            format!("<= {BUDGET_MS:.0} ms"),
            Some(median <= BUDGET_MS),
        ),
        Row::new(
            "  first restart of a new profile / warm answer",
            format!("{:.1} ms / {:.1} ms", num("firstMs")?, num("warmMs")?),
            "",
            None,
        ),
    ])
}
