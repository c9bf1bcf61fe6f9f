//! Timings for the report (issue budgets: a `hello` round trip < 10 ms; `applyProfiles` of 3,000
//! profiles into a 10,000-profile config < 100 ms). Ignored by default and never asserted:
//! `cargo test -p ssobridge-host --test bench -- --ignored --nocapture`.

mod common;

use std::time::Instant;

use serde_json::{json, Value};

fn big_config(profiles: usize) -> String {
    let mut text = String::from("# hand written\n[default]\nregion = eu-west-1\n[sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = us-east-1\n");
    for i in 0..profiles {
        text.push_str(&format!("[profile p{i}]\n# managed by sso-bridge\nsso_session = corp\nsso_account_id = {:012}\nsso_role_name = Admin\nregion = us-east-1\n", i));
    }
    text
}

#[test]
#[ignore]
fn timings() {
    let home = common::temp_home();
    let mut session = common::Session::start(home.path());
    let n = 200;
    let started = Instant::now();
    for i in 0..n {
        session.request(&json!({"id": i, "action": "hello"}));
    }
    println!("hello round trip (warm host): {:?} each", started.elapsed() / n);
    session.finish();
    let started = Instant::now();
    let runs = 20;
    for i in 0..runs {
        common::run_json(home.path(), &[json!({"id": i, "action": "hello"})]);
    }
    println!("spawn + hello + exit: {:?} each", started.elapsed() / runs);

    for existing in [1_000, 10_000] {
        let path = common::config_path(home.path());
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, big_config(existing)).unwrap();
        // 3,000 profiles: a third updates existing ones, the rest are new; no prune.
        let profiles: Vec<Value> = (0..3_000)
            .map(|i| {
                let name = if i < 1_000 { format!("p{i}") } else { format!("new{i}") };
                json!({"name": name, "accountId": format!("{:012}", i), "roleName": "ReadOnly"})
            })
            .collect();
        let request = common::apply(1, "corp", Value::Array(profiles), false);
        let mut session = common::Session::start(home.path());
        let started = Instant::now();
        let reply = session.request(&request);
        let elapsed = started.elapsed();
        assert_eq!(reply["ok"], true, "{reply}");
        session.finish();
        println!("applyProfiles 3,000 into {existing} profiles (host, incl. fsync + backup): {elapsed:?}");
    }
}
