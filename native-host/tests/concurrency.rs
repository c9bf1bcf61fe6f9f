//! Two hosts (two browsers) applying different profiles at the same time, many times: the lock
//! and the re-read keep every update.

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::process::Stdio;

use common::{apply, config_path, save_token, temp_home};
use serde_json::json;
use ssobridge_core::config::ConfigFile;

const ROUNDS: usize = 8;
const PER_HOST: usize = 12;

#[test]
fn two_hosts_never_lose_each_others_profiles() {
    let home = temp_home();
    let setup = common::run_json(
        home.path(),
        &[save_token(1, "corp", "https://d-1.awsapps.com/start", "aoa", "2099-01-01T00:00:00Z")],
    );
    assert_eq!(setup.replies[0]["ok"], true);
    let mut expected = BTreeSet::new();
    for round in 0..ROUNDS {
        let children: Vec<_> = ["a", "b"]
            .iter()
            .map(|side| {
                let mut child = common::host_command(home.path()).stderr(Stdio::null()).spawn().expect("spawn");
                let mut stdin = child.stdin.take().expect("stdin");
                let mut input = Vec::new();
                for i in 0..PER_HOST {
                    let name = format!("{side}-{round}-{i}");
                    expected.insert(name.clone());
                    let profiles = json!([{"name": name, "accountId": "111122223333", "roleName": "Admin"}]);
                    input.extend(common::frame(apply(i as u64, "corp", profiles, false).to_string().as_bytes()));
                }
                let writer = std::thread::spawn(move || stdin.write_all(&input));
                (child, writer)
            })
            .collect();
        for (child, writer) in children {
            writer.join().expect("writer").expect("write requests");
            let out = child.wait_with_output().expect("wait");
            let (replies, _) = common::parse_frames(&out.stdout);
            assert_eq!(replies.len(), PER_HOST);
            for r in replies {
                assert_eq!(r["ok"], true, "{r}");
            }
        }
        let text = std::fs::read_to_string(config_path(home.path())).unwrap();
        let file = ConfigFile::parse(&text).unwrap_or_else(|e| panic!("round {round}: {e}\n{text}"));
        let found: BTreeSet<String> = file.sso_profiles().into_iter().map(|p| p.name).collect();
        let missing: Vec<_> = expected.difference(&found).collect();
        assert!(missing.is_empty(), "round {round}: lost {missing:?}");
    }
}
