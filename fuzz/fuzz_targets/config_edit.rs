//! `~/.aws/config` edits through the public apply functions: each edit changes only the sections
//! it names (see `ssobridge_fuzz::config_lines`), leaves a file that parses and prints back, says
//! truthfully what it did, and a refused edit changes nothing.
//!
//! Input: config text, then optionally a NUL and control bytes choosing the edits. Names and
//! values are ones the host's protocol validation accepts; names are drawn from the file itself
//! (managed and hand-written profiles and sessions) and a few new ones.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ssobridge_core::config::{apply_profiles, upsert_session, ApplyError, ConfigFile, SectionId};
use ssobridge_core::names::check_name;
use ssobridge_core::protocol::ProfileSpec;
use ssobridge_fuzz::config_lines::assert_only_touched_changed;
use ssobridge_fuzz::control::{split_at_nul, Control};

const REGIONS: [&str; 3] = ["us-east-1", "ap-northeast-1", "eu-central-1"];
const ROLES: [&str; 3] = ["AdministratorAccess", "ReadOnly", "Billing+Ops@x"];
const OUTPUTS: [&str; 2] = ["json", "table"];

fuzz_target!(|data: &[u8]| {
    let (text, control) = split_at_nul(data);
    let Ok(text) = std::str::from_utf8(text) else { return };
    let Ok(mut file) = ConfigFile::parse(text) else { return };
    let mut c = Control::new(control);
    let default_run = c.is_empty();
    for step in 0..4 {
        let before = file.to_string();
        let profiles = names(&file, |id| match id {
            SectionId::Profile(n) => Some(n.clone()),
            _ => None,
        });
        let sessions = names(&file, |id| match id {
            SectionId::SsoSession(n) => Some(n.clone()),
            _ => None,
        });
        let session = pick_name(&mut c, &sessions, "corp");
        // With no control bytes: upsert the first session, then apply every profile with prune.
        let op = if default_run { step.min(2) } else { c.below(3) };
        if op == 0 {
            let scopes = if c.byte() % 2 == 0 { vec![] } else { vec!["sso:account:access".to_string()] };
            let start_url = format!("https://d-{:010}.awsapps.com/start", c.byte());
            let region = *c.pick(&REGIONS);
            upsert_session(&mut file, &session, &start_url, region, &scopes);
            let after = file.to_string();
            assert_only_touched_changed(&before, &after, &|id| *id == SectionId::SsoSession(session.clone()));
            let id = SectionId::SsoSession(session.clone());
            assert_eq!(file.get(&id, "sso_start_url"), Some(start_url.as_str()));
            assert_eq!(file.get(&id, "sso_region"), Some(region));
        } else {
            let count = if default_run { profiles.len() + 1 } else { c.below(5) };
            let mut specs: Vec<ProfileSpec> = Vec::new();
            for i in 0..count {
                let name = if default_run {
                    profiles.get(i).cloned().unwrap_or_else(|| "new.ReadOnly".into())
                } else {
                    pick_name(&mut c, &profiles, "new")
                };
                if specs.iter().any(|s| s.name == name) {
                    continue; // the host refuses a request naming a profile twice
                }
                let account = format!("{:012}", u64::from(c.byte()) * 7_919);
                let region = (c.byte() % 2 == 0).then(|| c.pick(&REGIONS).to_string());
                let output = (c.byte() % 3 == 0).then(|| c.pick(&OUTPUTS).to_string());
                specs.push(ProfileSpec {
                    name,
                    account_id: account,
                    role_name: c.pick(&ROLES).to_string(),
                    region,
                    output,
                });
            }
            let prune = default_run || c.byte() % 2 == 1;
            let managed_before: Vec<String> = file.managed_profiles(&session);
            match apply_profiles(&mut file, &session, &specs, prune) {
                Ok(outcome) => {
                    let after = file.to_string();
                    let touched = |id: &SectionId| match id {
                        SectionId::Profile(n) => specs.iter().any(|s| &s.name == n) || outcome.removed.contains(n),
                        _ => false,
                    };
                    assert_only_touched_changed(&before, &after, &touched);
                    let reported = outcome.added.len() + outcome.updated.len() + outcome.unchanged.len();
                    assert_eq!(reported, specs.len(), "every profile is reported once");
                    for spec in &specs {
                        let id = SectionId::Profile(spec.name.clone());
                        assert_eq!(file.get(&id, "sso_session"), Some(session.as_str()));
                        assert_eq!(file.get(&id, "sso_account_id"), Some(spec.account_id.as_str()));
                        assert_eq!(file.get(&id, "sso_role_name"), Some(spec.role_name.as_str()));
                        if let Some(region) = &spec.region {
                            assert_eq!(file.get(&id, "region"), Some(region.as_str()));
                        }
                        assert!(file.is_managed(&id), "an applied profile is not marked as ours");
                    }
                    for name in &outcome.removed {
                        assert!(managed_before.contains(name), "prune removed `{name}`, not ours for this session");
                        assert!(!specs.iter().any(|s| &s.name == name), "prune removed a requested profile");
                        assert!(!file.contains(&SectionId::Profile(name.clone())));
                    }
                    if !prune {
                        assert!(outcome.removed.is_empty());
                    }
                    if outcome.added.is_empty() && outcome.updated.is_empty() && outcome.removed.is_empty() {
                        assert_eq!(after, before, "an edit that changed nothing changed bytes");
                    }
                }
                Err(e) => {
                    assert_eq!(file.to_string(), before, "a refused edit changed the file");
                    match &e {
                        ApplyError::NotManaged { name, .. } => {
                            assert!(specs.iter().any(|s| &s.name == name), "refused a profile that was not asked for");
                            assert!(!file.is_managed(&SectionId::Profile(name.clone())));
                        }
                        ApplyError::OwnedByOtherSession { name, owner, .. } => {
                            let id = SectionId::Profile(name.clone());
                            assert!(file.is_managed(&id), "a rebind was refused for a profile that is not ours");
                            assert_eq!(file.get(&id, "sso_session"), Some(owner.as_str()));
                        }
                        _ => {}
                    }
                }
            }
        }
        let after = file.to_string();
        let reparsed =
            ConfigFile::parse(&after).unwrap_or_else(|e| panic!("an edit produced a file that does not parse: {e}"));
        assert_eq!(reparsed.to_string(), after);
    }
});

/// The valid names of sections of one kind, in file order.
fn names(file: &ConfigFile, of: impl Fn(&SectionId) -> Option<String>) -> Vec<String> {
    file.section_ids().filter_map(of).filter(|n| check_name(n).is_ok()).collect()
}

/// One of `existing`, or a fresh name (about a quarter of the time, or when there is none).
fn pick_name(c: &mut Control<'_>, existing: &[String], fresh: &str) -> String {
    let b = c.byte();
    if existing.is_empty() || b % 4 == 3 {
        format!("{fresh}-{}", b / 4)
    } else {
        existing[usize::from(b) % existing.len()].clone()
    }
}
