//! The commands for people: install, uninstall, doctor.

mod common;

use std::path::Path;
use std::process::Command;

fn host(home: &Path, args: &[&str]) -> std::process::Output {
    Command::new(common::HOST).args(args).env_clear().env("HOME", home).output().expect("run host")
}

#[cfg(target_os = "linux")]
#[test]
fn install_writes_every_browsers_manifest_and_uninstall_removes_them() {
    let home = common::temp_home();
    let out = host(home.path(), &["install"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let exe = std::fs::canonicalize(common::HOST).unwrap();
    let dirs = [
        ".config/google-chrome/NativeMessagingHosts",
        ".config/chromium/NativeMessagingHosts",
        ".config/microsoft-edge/NativeMessagingHosts",
        ".config/BraveSoftware/Brave-Browser/NativeMessagingHosts",
        ".mozilla/native-messaging-hosts",
    ];
    for dir in dirs {
        let path = home.path().join(dir).join("com.ssobridge.host.json");
        let manifest: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(manifest["name"], "com.ssobridge.host");
        assert_eq!(manifest["path"], exe.to_str().unwrap());
        assert_eq!(manifest["type"], "stdio");
        let allowed =
            if dir.starts_with(".mozilla") { &manifest["allowed_extensions"] } else { &manifest["allowed_origins"] };
        assert_eq!(allowed.as_array().map(Vec::len), Some(1), "{dir}: {manifest}");
    }
    let doctor = host(home.path(), &["doctor"]);
    let text = String::from_utf8_lossy(&doctor.stdout);
    assert_eq!(text.matches(": installed").count() + text.matches(" installed:").count(), 5, "{text}");
    let out = host(home.path(), &["uninstall", "--browser", "all"]);
    assert!(out.status.success());
    for dir in dirs {
        assert!(!home.path().join(dir).join("com.ssobridge.host.json").exists());
    }
}

#[test]
fn install_into_a_user_data_dir_for_tests() {
    let home = common::temp_home();
    let profile = home.path().join("chromium-profile");
    let out = host(home.path(), &["install", "--browser", "chromium", "--user-data-dir", profile.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(profile.join("NativeMessagingHosts/com.ssobridge.host.json").exists());
    assert!(!home.path().join(".config").exists(), "nothing outside the given directory");
}

#[test]
fn doctor_names_lines_that_break_a_client_and_token_state() {
    let home = common::temp_home();
    std::fs::create_dir_all(home.path().join(".aws")).unwrap();
    std::fs::write(
        home.path().join(".aws/config"),
        "[sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = us-east-1\n[profile a]\nregion : us-east-1\nsso_session = corp\nsso_region = us-east-1\n",
    )
    .unwrap();
    let out = host(home.path(), &["doctor"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("line 5: `region` uses `:`"), "{text}");
    assert!(text.contains("line 7: `sso_region` in [profile a]"), "{text}");
    assert!(text.contains("corp: no token"), "{text}");

    std::fs::write(home.path().join(".aws/config"), "[a]\n[a]\n").unwrap();
    let text = String::from_utf8_lossy(&host(home.path(), &["doctor"]).stdout).into_owned();
    assert!(text.contains("line 2: [a] already appears on line 1"), "{text}");
    assert!(text.contains("will not edit it"), "{text}");
}
