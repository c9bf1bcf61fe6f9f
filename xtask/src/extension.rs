//! `cargo xtask build`: the core to wasm, optimised, load-checked, type-checked, and assembled
//! into one unpacked extension per browser from the one manifest source.
use crate::prereqs::{self, WASM_TARGET};
use crate::sh::{self, cmd, root, Result};
use std::fs;
use std::path::{Path, PathBuf};

mod locales;
mod manifest;

use manifest::manifest_for;

/// Where wasm-bindgen's output goes; `extension/tsconfig.json` reads the `.d.ts` from here.
const WASM_OUT: &str = "target/extension-wasm/wasm";
const WASM_STEM: &str = "ssobridge_wasm";

pub fn dist(browser: &str) -> PathBuf {
    root().join("extension/dist").join(browser)
}

pub fn build() -> Result {
    prereqs::ensure_rust_targets()?;
    prereqs::ensure_wasm_bindgen()?;
    prereqs::ensure_npm()?;
    locales::check()?;
    build_wasm()?;
    typecheck()?;
    for browser in ["chromium", "firefox"] {
        assemble(browser)?;
    }
    eprintln!("extension built: {} and {}", dist("chromium").display(), dist("firefox").display());
    Ok(())
}

fn build_wasm() -> Result {
    sh::run(cmd("cargo").args([
        "build",
        "-p",
        "ssobridge-wasm",
        "--target",
        WASM_TARGET,
        "--profile",
        "wasm-release",
    ]))?;
    let input = root().join("target").join(WASM_TARGET).join("wasm-release").join(format!("{WASM_STEM}.wasm"));
    let out = root().join(WASM_OUT);
    let _ = fs::remove_dir_all(&out);
    // `--encode-into always`: every supported browser has `TextEncoder.encodeInto` (Chromium 74,
    // Firefox 66), so the glue drops its fallback copy path (-41 B gzip).
    sh::run(
        cmd("wasm-bindgen").args(["--target", "web", "--encode-into", "always", "--out-dir"]).arg(&out).arg(&input),
    )?;
    // npm binaryen, never Debian's: binaryen 108 silently breaks wasm-bindgen output (toolchain.md).
    let bg = out.join(format!("{WASM_STEM}_bg.wasm"));
    sh::run(cmd(root().join("node_modules/.bin/wasm-opt")).args(WASM_OPT_FLAGS).arg(&bg).arg("-o").arg(&bg))?;
    minify_glue(&out.join(format!("{WASM_STEM}.js")))?;
    load_check(&out)
}

/// wasm-opt flags, for issue 3's size budget (wasm + JS glue <= 120 KB gzip). Measured against
/// plain `-Oz` (gzip -9 of the module): `--gufa -Oz` (whole-module type flow, then clean up
/// again) -0.45 KB, `--converge` (repeat until nothing shrinks) -0.25 KB. The custom sections go
/// last (`producers`, `target_features`: nothing reads them after wasm-bindgen and this run; only
/// the output's copies are dropped). `-Os` and `-O3 -Oz` are bigger. `--low-memory-unused` would
/// save 0.4 KB more but assumes nothing lives in the first 1 KB of memory, where rust-lld puts the
/// bottom of the stack: not worth a silent miscompile on a deep stack. `--reorder-functions-by-name`
/// (issue 16's budget) puts the monomorphised copies of one generic (every `deserialize_struct`,
/// every `drop_in_place`) next to each other, inside gzip's window: -1.36 KB gzip at the end, a
/// further -0.34 KB when the optimiser also starts from that order; same code. Ordering by call
/// count (`--reorder-functions`) is +1.2 KB.
const WASM_OPT_FLAGS: [&str; 8] = [
    "--reorder-functions-by-name",
    "-Oz",
    "--gufa",
    "-Oz",
    "--converge",
    "--reorder-functions-by-name",
    "--strip-producers",
    "--strip-target-features",
];

/// Minifies wasm-bindgen's JS glue with terser (issue 3's size budget): its JSDoc and long local
/// names were a third of its gzip size, and the same docs are in the `.d.ts`, which tsc and
/// editors read. Exports keep their names (`--module` mangles only what is local).
fn minify_glue(js: &Path) -> Result {
    sh::run(
        cmd(root().join("node_modules/.bin/terser")).arg(js).args(["--module", "--compress", "--mangle", "-o"]).arg(js),
    )
}

/// Instantiates the optimised module once in Node, so a bad optimiser fails the build, not the user.
fn load_check(out: &Path) -> Result {
    let script = format!(
        "import {{ readFileSync }} from 'node:fs';\n\
         import {{ initSync, coreVersion }} from '{js}';\n\
         initSync({{ module: readFileSync('{wasm}') }});\n\
         console.log('wasm core loads: version ' + coreVersion());",
        js = out.join(format!("{WASM_STEM}.js")).display(),
        wasm = out.join(format!("{WASM_STEM}_bg.wasm")).display(),
    );
    sh::run(cmd("node").args(["--input-type=module", "-e", &script]))
}

fn typecheck() -> Result {
    sh::run(cmd(root().join("node_modules/.bin/tsc")).args(["--project", "extension/tsconfig.json"]))
}

fn assemble(browser: &str) -> Result {
    let dir = dist(browser);
    let _ = fs::remove_dir_all(&dir);
    copy_dir(&root().join("extension/src"), &dir)?;
    copy_dir(&root().join("extension/_locales"), &dir.join("_locales"))?;
    copy_dir(&root().join(WASM_OUT), &dir.join("wasm"))?;
    bundle_popup(&dir)?;
    let manifest = manifest_for(browser)?;
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    fs::write(dir.join("manifest.json"), text + "\n").map_err(|e| format!("writing manifest: {e}"))
}

/// The popup's modules as one file (npm esbuild), in place of its entry module: a reopened popup
/// has 100 ms to show its accounts (issue 12), and nine modules fetched one import level after
/// another took ~40 ms of that on a 2-core machine, one file ~5 ms. The core stays apart: the
/// picker loads it by its path from the root (`/wasm/…`, external here) after the first paint.
/// The other pages and the worker load their modules as they are.
fn bundle_popup(dir: &Path) -> Result {
    let entry = dir.join("popup.js");
    sh::run(
        cmd(root().join("node_modules/.bin/esbuild"))
            .arg(&entry)
            .args([
                "--bundle",
                "--format=esm",
                "--target=es2022",
                "--external:/wasm/*",
                "--allow-overwrite",
                "--log-level=warning",
            ])
            .arg(format!("--outfile={}", entry.display())),
    )
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.file_type().map_err(|e| e.to_string())?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target).map_err(|e| format!("{}: {e}", target.display()))?;
        }
    }
    Ok(())
}
