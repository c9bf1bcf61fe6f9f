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
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("No browser profile found: registering with every supported browser"), "{said}");
    assert!(said.contains("Next: add the SSO Bridge extension"), "{said}");
    // The host installed a copy of itself, and the manifests name the copy.
    let exe = home.path().join(".local/share/sso-bridge/ssobridge-host");
    assert_eq!(std::fs::read(&exe).unwrap(), std::fs::read(common::HOST).unwrap());
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
    // doctor run from the installed copy sees its own registrations.
    let doctor = Command::new(&exe).arg("doctor").env_clear().env("HOME", home.path()).output().unwrap();
    let text = String::from_utf8_lossy(&doctor.stdout);
    assert_eq!(text.matches(" installed:").count(), 5, "{text}");
    assert!(text.contains("host copy: ") && text.contains("(present)"), "{text}");
    let out = Command::new(&exe).arg("uninstall").env_clear().env("HOME", home.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for dir in dirs {
        assert!(!home.path().join(dir).join("com.ssobridge.host.json").exists());
    }
    assert!(!exe.exists() && !home.path().join(".local/share/sso-bridge").exists(), "the copy and its folder are gone");
}

#[cfg(target_os = "linux")]
#[test]
fn run_with_no_command_registers_only_the_browsers_found() {
    let home = common::temp_home();
    for dir in [".config/chromium", ".config/google-chrome-beta", ".mozilla"] {
        std::fs::create_dir_all(home.path().join(dir)).unwrap();
    }
    let out = Command::new(common::HOST).env_clear().env("HOME", home.path()).output().expect("run host");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout);
    for label in ["Registered with Chromium", "Registered with Google Chrome Beta", "Registered with Firefox"] {
        assert!(said.contains(label), "{label}: {said}");
    }
    let manifest = |dir: &str| home.path().join(dir).join("com.ssobridge.host.json");
    assert!(manifest(".config/chromium/NativeMessagingHosts").exists());
    assert!(manifest(".config/google-chrome-beta/NativeMessagingHosts").exists());
    assert!(manifest(".mozilla/native-messaging-hosts").exists());
    assert!(!home.path().join(".config/google-chrome").exists(), "Chrome was not found, so not registered");
    assert!(!home.path().join(".config/microsoft-edge").exists());
    // --browser all adds every family's main channel to what was found.
    let out = host(home.path(), &["install", "--browser", "all"]);
    assert!(out.status.success());
    assert!(manifest(".config/google-chrome/NativeMessagingHosts").exists());
    assert!(manifest(".config/google-chrome-beta/NativeMessagingHosts").exists());
    let out = host(home.path(), &["uninstall"]);
    assert!(out.status.success());
    assert!(!manifest(".config/google-chrome-beta/NativeMessagingHosts").exists());
    assert!(!manifest(".config/chromium/NativeMessagingHosts").exists());
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
