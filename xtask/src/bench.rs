//! `cargo xtask bench`: measures the performance budgets and prints one table (measured, budget,
//! ok/over). Timing targets live here and nowhere else: tests assert behaviour, never speed, so a
//! slow shared CI machine cannot turn them red. A budget that is over is reported, not failed;
//! only a step that could not run makes the command fail.
use crate::extension;
use crate::sh::{self, cmd, root, Result};

mod cold_start;
mod host;
mod listing;
mod picker;
mod popup_open;

/// One line of the table.
pub struct Row {
    pub what: String,
    pub measured: String,
    pub budget: String,
    /// None: informational (no budget of its own).
    pub ok: Option<bool>,
}

impl Row {
    pub fn new(
        what: impl Into<String>,
        measured: impl Into<String>,
        budget: impl Into<String>,
        ok: Option<bool>,
    ) -> Row {
        Row { what: what.into(), measured: measured.into(), budget: budget.into(), ok }
    }
}

type Step = fn() -> Result<Vec<Row>>;

pub fn run() -> Result {
    run_steps(&[("listing", listing::scenarios), ("extension", extension), ("native host", host::run)])
}

/// `cargo xtask bench listing [--portal URL --token-file F]`: only the listing.
pub fn listing(portal: Option<String>, token_file: Option<std::path::PathBuf>) -> Result {
    match (portal, token_file) {
        (None, None) => run_steps(&[("listing", listing::scenarios)]),
        (Some(portal), Some(file)) => {
            println!("\n{}", table(&listing::against(&portal, &file)?));
            Ok(())
        }
        _ => Err("--portal and --token-file go together".into()),
    }
}

fn run_steps(steps: &[(&str, Step)]) -> Result {
    let mut rows = Vec::new();
    let mut crashed = Vec::new();
    for &(name, step) in steps {
        eprintln!("\n=== bench: {name} ===");
        match step() {
            Ok(r) => rows.extend(r),
            Err(e) => {
                eprintln!("bench step {name} could not run: {e}");
                rows.push(Row::new(name, "ERROR: could not run (see above)", "-", None));
                crashed.push(name);
            }
        }
    }
    println!("\n{}", table(&rows));
    if crashed.is_empty() {
        Ok(())
    } else {
        Err(format!("bench step(s) could not run: {}", crashed.join(", ")))
    }
}

fn table(rows: &[Row]) -> String {
    let head = Row::new("benchmark", "measured", "budget", None);
    let w = |f: fn(&Row) -> &str| rows.iter().chain([&head]).map(|r| f(r).chars().count()).max().unwrap_or(0);
    let (a, b, c) = (w(|r| &r.what), w(|r| &r.measured), w(|r| &r.budget));
    let line = |r: &Row, status: &str| format!("{:<a$}  {:<b$}  {:<c$}  {status}", r.what, r.measured, r.budget);
    let mut out = vec![line(&head, "result"), "-".repeat(a + b + c + 12)];
    for r in rows {
        out.push(line(
            r,
            match r.ok {
                Some(true) => "ok",
                Some(false) => "over",
                None => "",
            },
        ));
    }
    out.join("\n")
}

/// Where the host's applyProfiles time goes inside the core (`crate/benches/apply.rs`):
/// informational, to read beside the host's end-to-end figure.
pub fn core_apply() -> Result<Row> {
    let r = core_bench("apply", &[])?;
    let num = |k: &str| r[k].as_f64().ok_or(format!("apply bench output lacks {k}"));
    Ok(Row::new(
        "  of which in the core (in-process, median of 5)",
        format!(
            "parse {:.1} + apply {:.1} + print {:.1} + diff {:.1} ms",
            num("parseMs")?,
            num("applyMs")?,
            num("printMs")?,
            num("diffMs")?
        ),
        "(diff capped at 50 ms)",
        None,
    ))
}

/// Runs one of the core's release benches (with `args` after `--`) and reads its `BENCH {json}` line.
fn core_bench(name: &str, args: &[&str]) -> Result<serde_json::Value> {
    eprintln!("$ cargo bench -p ssobridge-core --bench {name} -- {}", args.join(" "));
    let out = sh::output(cmd("cargo").args(["bench", "-p", "ssobridge-core", "--bench", name, "--"]).args(args))?;
    bench_line(&out, name)
}

/// Runs one of the browser benches (`xtask/src/bench/NAME.mjs`, on the built Chromium extension)
/// and reads its `BENCH {json}` line.
fn browser_bench(name: &str, env: &[(&str, String)]) -> Result<serde_json::Value> {
    let script = root().join(format!("xtask/src/bench/{name}.mjs"));
    eprintln!("$ node {}", script.display());
    let mut c = cmd("node");
    c.arg(&script).env("SSOBRIDGE_EXTENSION_DIR", extension::dist("chromium"));
    for (k, v) in env {
        c.env(k, v);
    }
    let out = sh::output(&mut c)?;
    bench_line(&out, name)
}

/// The extension, built once: its size and its service worker's cold start.
fn extension() -> Result<Vec<Row>> {
    extension::build()?;
    let mut rows = extension_size()?;
    rows.extend(cold_start::run()?);
    rows.extend(picker::run()?);
    rows.extend(popup_open::run()?);
    Ok(rows)
}

/// Issue 16's ceiling for the wasm core plus its JS glue, gzip.
const SIZE_BUDGET_BYTES: u64 = 160_000;

/// The wasm core plus its JS glue as a browser downloads them: gzip, from the optimised build.
fn extension_size() -> Result<Vec<Row>> {
    let dir = root().join("target/extension-wasm/wasm");
    let (wasm, js) = (gzip_size(&dir.join("ssobridge_wasm_bg.wasm"))?, gzip_size(&dir.join("ssobridge_wasm.js"))?);
    let kb = |n: u64| n as f64 / 1000.0;
    Ok(vec![Row::new(
        "extension wasm + JS glue, gzip",
        format!("{:.1} KB (wasm {:.1} + js {:.1})", kb(wasm + js), kb(wasm), kb(js)),
        format!("<= {} KB", SIZE_BUDGET_BYTES / 1000),
        Some(wasm + js <= SIZE_BUDGET_BYTES),
    )])
}

fn gzip_size(file: &std::path::Path) -> Result<u64> {
    let out = sh::output(cmd("sh").arg("-c").arg("gzip -9 -c \"$1\" | wc -c").arg("gzip").arg(file))?;
    out.trim().parse().map_err(|e| format!("gzip -9 -c {} | wc -c gave {out:?}: {e}", file.display()))
}

/// The one `BENCH {json}` line a bench (`what`) printed.
pub fn bench_line(out: &str, what: &str) -> Result<serde_json::Value> {
    let line =
        out.lines().find_map(|l| l.strip_prefix("BENCH ")).ok_or(format!("the {what} bench printed no BENCH line"))?;
    serde_json::from_str(line).map_err(|e| format!("{what} bench output: {e}"))
}

/// The median of some timings (the list is sorted in place).
pub fn median(samples: &mut [std::time::Duration]) -> std::time::Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Milliseconds with two decimals, for the table.
pub fn ms(d: std::time::Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}
