//! Where `applyProfiles` spends its time inside the core (3,000 profiles into a 10,000-profile
//! config): parse, apply, print, and the reply's diff with the host's 50 ms cap. Release,
//! in-process, no disk. Prints one `BENCH {json}` line for `cargo xtask bench`; asserts nothing.
//! (Moved from the ignored `timings_of_a_large_apply` test: timings belong to the bench.)

use std::time::{Duration, Instant};

use serde_json::json;
use ssobridge_core::config::{apply_profiles, unified_diff, ConfigFile};
use ssobridge_core::protocol::ProfileSpec;

const RUNS: usize = 5;
/// The host's `DIFF_TIME_BUDGET` (native-host/src/actions/apply_profiles.rs).
const DIFF_CAP: Duration = Duration::from_millis(50);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Only under `cargo bench` (which passes `--bench`), and only if a filter names us.
    if !args.iter().any(|a| a == "--bench") || args.iter().any(|a| !a.starts_with('-') && !"apply".contains(a.as_str()))
    {
        return;
    }
    let mut text = String::from("[sso-session corp]\nsso_region = us-east-1\n");
    for i in 0..10_000 {
        text.push_str(&format!("[profile p{i}]\n# managed by sso-bridge\nsso_session = corp\nsso_account_id = {i:012}\nsso_role_name = Admin\n"));
    }
    // A third update existing profiles, the rest are new; no prune (as the host bench).
    let specs: Vec<ProfileSpec> = (0..3_000)
        .map(|i| ProfileSpec {
            name: if i < 1_000 { format!("p{i}") } else { format!("new{i}") },
            account_id: format!("{i:012}"),
            role_name: "ReadOnly".into(),
            region: None,
            output: None,
        })
        .collect();
    let mut phases: [Vec<Duration>; 4] = Default::default();
    for _ in 0..RUNS {
        let t = Instant::now();
        let mut file = ConfigFile::parse(&text).expect("parse");
        let parsed = t.elapsed();
        apply_profiles(&mut file, "corp", &specs, false).expect("apply");
        let applied = t.elapsed();
        let out = file.to_string();
        let printed = t.elapsed();
        let diff = unified_diff(&text, &out, "config", Some(Instant::now() + DIFF_CAP));
        let diffed = t.elapsed();
        assert!(!diff.is_empty());
        for (phase, d) in phases.iter_mut().zip([parsed, applied - parsed, printed - applied, diffed - printed]) {
            phase.push(d);
        }
    }
    let median_ms = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2].as_secs_f64() * 1000.0
    };
    let [p, a, pr, d] = &mut phases;
    let result =
        json!({"parseMs": median_ms(p), "applyMs": median_ms(a), "printMs": median_ms(pr), "diffMs": median_ms(d)});
    println!("BENCH {result}");
}
