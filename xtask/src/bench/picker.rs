//! The accounts picker with 5,000 roles in headless Chromium with the built extension
//! (`picker.mjs` drives it and prints one BENCH line).
use super::{browser_bench, Row};
use crate::sh::Result;

/// One keystroke in the search (the core's view, the layout, the drawn rows and the page's
/// layout they force) fits in one 60 Hz frame.
const BUDGET_MS: f64 = 16.0;
/// The core's part of it: well under a frame.
const CORE_BUDGET_MS: f64 = 4.0;
const RUNS: u32 = 25;

pub fn run() -> Result<Vec<Row>> {
    let r = browser_bench("picker", &[("PICKER_RUNS", RUNS.to_string())])?;
    let num = |k: &str| r[k].as_f64().ok_or(format!("picker bench output lacks {k}"));
    let keystroke = num("keystrokeMs")?;
    let core = num("coreMs")?;
    Ok(vec![
        Row::new(
            format!("picker: one search keystroke over 5,000 roles, filter + draw (median of {RUNS})"),
            format!("{keystroke:.2} ms (max {:.2}, {} rows drawn)", num("keystrokeMaxMs")?, num("drawn")?),
            format!("<= {BUDGET_MS:.0} ms"),
            Some(keystroke <= BUDGET_MS),
        ),
        Row::new(
            "  of which the core's view (pickerView, median)",
            format!("{core:.2} ms"),
            format!("<= {CORE_BUDGET_MS:.0} ms"),
            Some(core <= CORE_BUDGET_MS),
        ),
        Row::new(
            "  open on 5,000 roles (first / again) / popup's wasm compile / worker round trip",
            format!(
                "{:.1} / {:.1} / {:.1} / {:.2} ms",
                num("firstOpenMs")?,
                num("openMs")?,
                num("loadMs")?,
                num("workerTripMs")?
            ),
            "",
            None,
        ),
    ])
}
