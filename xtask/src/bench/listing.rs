//! The core's listing (`crate/benches/listing.rs`, release): S1–S3 against the emulator as table
//! rows next to their bounds, or one run against a portal of the person's choosing.
use std::path::Path;

use super::{core_bench, Row};
use crate::sh::Result;

/// Issue 12's goals: within 5 % of the throttle's bound, S2 in 2.5 s, no failed account, and the
/// first accounts on screen within the first page's round trip plus 100 ms.
const THROTTLE_SLACK: f64 = 1.05;
const S2_GOAL_SECS: f64 = 2.5;
const FIRST_PAGE_SLACK_SECS: f64 = 0.1;

pub fn scenarios() -> Result<Vec<Row>> {
    let r = core_bench("listing", &[])?;
    let list = r["scenarios"].as_array().ok_or("listing bench output lacks scenarios")?;
    let mut rows = Vec::new();
    for s in list {
        let num = |k: &str| s[k].as_f64().ok_or(format!("listing bench scenario lacks {k}"));
        let name = s["name"].as_str().unwrap_or("?");
        let (wall, bound, failed) = (num("wallSecs")?, num("boundSecs")?, num("failed")?);
        let rps = s["rps"].as_f64().map_or("no throttle".to_string(), |r| {
            format!("{r:.0} req/s, burst {}", s["burst"].as_f64().unwrap_or(1.0))
        });
        let throttled = s["throttleBound"] == true;
        let (goal, budget) = if throttled {
            (THROTTLE_SLACK * bound, format!("<= {THROTTLE_SLACK} x bound, 0 failed"))
        } else {
            (S2_GOAL_SECS, format!("<= {S2_GOAL_SECS} s, 0 failed"))
        };
        let complete = failed == 0.0 && s["rolesOk"] == true;
        rows.push(Row::new(
            format!("listing {name}: {} accounts, {} ms, {rps}", num("accounts")?, num("latencyMs")?),
            format!(
                "{wall:.2} s vs bound {bound:.2} s ({:+.1} %); {} calls, {} 429s, {failed} failed",
                (wall / bound - 1.0) * 100.0,
                num("requests")?,
                num("throttled")?
            ),
            budget,
            Some(wall <= goal && complete),
        ));
        let latency = num("latencyMs")? / 1000.0;
        let first = s["firstPageSecs"].as_f64();
        rows.push(Row::new(
            format!("  {name} time to first account visible"),
            first.map_or("never".into(), |f| format!("{:.0} ms", f * 1000.0)),
            format!("<= first page's {:.0} ms + 100 ms", latency * 1000.0),
            Some(first.is_some_and(|f| f <= latency + FIRST_PAGE_SLACK_SECS)),
        ));
    }
    Ok(rows)
}

/// `cargo xtask bench listing --portal URL --token-file F`: the same listing, natively, against
/// any portal endpoint (for comparing with another tool on the same mock).
pub fn against(portal: &str, token_file: &Path) -> Result<Vec<Row>> {
    let token_file = std::fs::canonicalize(token_file).map_err(|e| format!("{}: {e}", token_file.display()))?;
    let file = token_file.to_str().ok_or("the token file's path is not UTF-8")?;
    let r = core_bench("listing", &["--portal", portal, "--token-file", file])?;
    if let Some(e) = r["error"].as_str() {
        return Err(format!("listing {portal} failed: {e}"));
    }
    let num = |k: &str| r[k].as_f64().ok_or(format!("listing bench output lacks {k}"));
    Ok(vec![
        Row::new(
            format!("listing {portal}"),
            format!(
                "{:.2} s: {} accounts ({} failed), {} roles; {} calls, {} 429s, {} 5xx",
                num("wallSecs")?,
                num("listed")?,
                num("failed")?,
                num("roles")?,
                num("requests")?,
                num("throttled")?,
                num("serverErrors")?
            ),
            "",
            None,
        ),
        Row::new(
            "  first accounts / round trip / final rate",
            format!(
                "{:.0} ms / {:.0} ms / {:.1} req/s",
                r["firstPageSecs"].as_f64().unwrap_or(f64::NAN) * 1000.0,
                num("latencyMs")?,
                num("finalRps")?
            ),
            "",
            None,
        ),
    ])
}
