//! Golden cases (input + operation → exact output) and the round-trip property.

use super::*;
use crate::protocol::ProfileSpec;
use proptest::prelude::*;

fn parse(text: &str) -> ConfigFile {
    match ConfigFile::parse(text) {
        Ok(file) => file,
        Err(e) => panic!("parse failed: {e}\n{text}"),
    }
}

fn spec(name: &str, account: &str, role: &str, region: Option<&str>) -> ProfileSpec {
    ProfileSpec {
        name: name.into(),
        account_id: account.into(),
        role_name: role.into(),
        region: region.map(Into::into),
        output: None,
    }
}

/// given(config).running(edit) == expected
fn given(input: &str, edit: impl FnOnce(&mut ConfigFile)) -> String {
    let mut file = parse(input);
    edit(&mut file);
    let out = file.to_string();
    // Whatever we print must parse again.
    parse(&out);
    out
}

const HAND_WRITTEN: &str = "# my config\r\n;old style comment\r\n\r\n[default]\r\nregion=eu-west-1\r\n\toutput : json\r\n[profile work]\r\nRegion = us-east-1\r\ns3 =\r\n  max_concurrent_requests = 20\r\n  addressing_style = path\r\nunknown_key = keep me\r\n\r\n# services for the emulator\r\n[services local]\r\nsts =\r\n  endpoint_url = http://127.0.0.1:9\r\n[sso-session corp]\r\nsso_start_url = https://d-1.awsapps.com/start\r\nsso_region = us-east-1";

#[test]
fn round_trips_hand_written_files_byte_for_byte() {
    for text in [
        HAND_WRITTEN,
        "",
        "\n",
        "\r\n\r\n",
        "# only a comment",
        "[a]",
        "[a]\nk=v",
        "[ profile  spaced ]  \nkey\t=\tvalue\t\n",
        "[profile x]\nk = v\n  continued line\n  more\n",
        "[profile x]\nkey:value\nother: v\n",
        "[DEFAULT]\nregion = us-east-1\n",
        "[plugins]\ncli_legacy_plugin_path = /x\nfoo = awscli_plugin_foo\n",
    ] {
        assert_eq!(parse(text).to_string(), text);
    }
}

#[test]
fn refuses_with_line_numbers_and_never_repairs() {
    let cases: [(&str, usize, &str); 9] = [
        ("[a]\nk=v\n[a]\n", 3, "already appears on line 1"),
        ("[profile a]\n[profile  a]\n", 2, "already appears on line 1"),
        ("[a]\nk=1\nK=2\n", 3, "key `k` already appears"),
        ("k = v\n[a]\n", 1, "before the first section"),
        ("[a]\nnot a property\n", 2, "expected `key = value`"),
        ("[a\n", 1, "closing `]`"),
        ("[a]\n  indented first\n", 2, "continues no property"),
        ("[a]\nk=v\rx=y\n", 2, "carriage return"),
        ("[]\n", 1, "empty section header"),
    ];
    for (text, line, message) in cases {
        let err = ConfigFile::parse(text).unwrap_err();
        assert_eq!(err.line(), line, "{text:?}: {err}");
        assert!(err.to_string().contains(message), "{text:?}: {err}");
        assert!(err.to_string().starts_with(&format!("line {line}:")), "{err}");
    }
    let err = ConfigFile::parse_bytes(b"[a]\nk = \xff\n").unwrap_err();
    assert_eq!(err, ConfigParseError::NotUtf8 { line: 2 });
}

#[test]
fn new_session_is_appended_cli_style_keeping_crlf_and_adding_the_missing_final_newline() {
    let out = given(HAND_WRITTEN, |f| {
        assert_eq!(
            upsert_session(f, "dev", "https://d-2.awsapps.com/start", "eu-west-1", &["sso:account:access".into()]),
            Change::Added
        );
    });
    assert_eq!(
        out,
        format!("{HAND_WRITTEN}\r\n[sso-session dev]\r\n# managed by sso-bridge\r\nsso_start_url = https://d-2.awsapps.com/start\r\nsso_region = eu-west-1\r\nsso_registration_scopes = sso:account:access\r\n")
    );
}

#[test]
fn updating_a_session_changes_only_its_own_lines() {
    let out = given(HAND_WRITTEN, |f| {
        assert_eq!(upsert_session(f, "corp", "https://d-1.awsapps.com/start", "eu-west-1", &[]), Change::Updated);
    });
    assert_eq!(out, HAND_WRITTEN.replace("sso_region = us-east-1", "sso_region = eu-west-1"));
    let again = given(&out, |f| {
        assert_eq!(upsert_session(f, "corp", "https://d-1.awsapps.com/start", "eu-west-1", &[]), Change::Unchanged);
    });
    assert_eq!(again, out);
}

#[test]
fn added_key_goes_after_the_sections_last_key_and_spacing_is_kept_on_update() {
    let input = "[sso-session s]\nsso_start_url=https://old.example/start\n# note\n\n[profile other]\nregion = x\n";
    let out = given(input, |f| {
        upsert_session(f, "s", "https://new.example/start", "us-east-2", &["a:b".into(), "c:d".into()]);
    });
    assert_eq!(
        out,
        "[sso-session s]\nsso_start_url=https://new.example/start\nsso_region = us-east-2\nsso_registration_scopes = a:b,c:d\n# note\n\n[profile other]\nregion = x\n"
    );
}

#[test]
fn continuation_lines_of_a_replaced_key_go_with_it() {
    let input = "[sso-session s]\nsso_region =\n  nested = x\nkeep = 1\n";
    let out = given(input, |f| {
        upsert_session(f, "s", "https://u.example", "us-east-1", &[]);
    });
    assert_eq!(out, "[sso-session s]\nsso_region = us-east-1\nkeep = 1\nsso_start_url = https://u.example\n");
}

fn session_file() -> String {
    "# top\n[sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = us-east-1\n".to_string()
}

#[test]
fn apply_adds_marked_profiles_with_only_our_keys() {
    let out = given(&session_file(), |f| {
        let mut p = spec("dev", "111122223333", "Admin", Some("eu-west-1"));
        p.output = Some("json".into());
        let outcome = apply_profiles(f, "corp", &[p], false).unwrap();
        assert_eq!(outcome.added, ["dev"]);
    });
    assert_eq!(
        out,
        format!("{}[profile dev]\n# managed by sso-bridge\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\nregion = eu-west-1\noutput = json\n", session_file())
    );
}

#[test]
fn apply_update_keeps_the_persons_extra_keys_and_comments() {
    let input = format!("{}[profile dev]\n# managed by sso-bridge\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n# I added this\ncli_pager =\nregion = eu-west-1\n\n[profile mine]\nregion = x\n", session_file());
    let out = given(&input, |f| {
        let outcome = apply_profiles(f, "corp", &[spec("dev", "111122223333", "ReadOnly", None)], false).unwrap();
        assert_eq!(outcome.updated, ["dev"]);
    });
    assert_eq!(out, input.replace("sso_role_name = Admin", "sso_role_name = ReadOnly"));
    let same = given(&out, |f| {
        let outcome = apply_profiles(f, "corp", &[spec("dev", "111122223333", "ReadOnly", None)], false).unwrap();
        assert_eq!(outcome.unchanged, ["dev"]);
    });
    assert_eq!(same, out);
}

#[test]
fn apply_refuses_a_hand_written_profile_and_a_missing_session() {
    let input = format!(
        "{}[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n",
        session_file()
    );
    let mut file = parse(&input);
    let err = apply_profiles(
        &mut file,
        "corp",
        &[spec("ok", "111122223333", "A", None), spec("dev", "111122223333", "A", None)],
        false,
    )
    .unwrap_err();
    assert_eq!(err, ApplyError::NotManaged { field: "params.profiles[1].name".into(), name: "dev".into() });
    assert_eq!(file.to_string(), input, "nothing changes when one profile is refused");
    let err = apply_profiles(&mut file, "nope", &[], false).unwrap_err();
    assert_eq!(err, ApplyError::SessionNotFound("nope".into()));
}

/// Two portals, each with a managed `prod.Admin`-style profile (issue 9).
fn two_sessions() -> String {
    "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n\
[sso-session local]\nsso_start_url = http://127.0.0.1:9/start\nsso_region = us-east-1\n\
[profile prod]\n# managed by sso-bridge\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n\
[profile mine]\nsso_session = local\nsso_account_id = 999988887777\nsso_role_name = Admin\n\
[profile l1]\n# managed by sso-bridge\nsso_session = local\nsso_account_id = 999988887777\nsso_role_name = R\n"
        .to_string()
}

fn request(session: &str, profiles: Vec<ProfileSpec>) -> crate::protocol::ApplyProfilesParams {
    crate::protocol::ApplyProfilesParams { session_name: session.into(), profiles, ..Default::default() }
}

#[test]
fn a_profile_of_another_session_is_never_rebound_without_takeover() {
    let input = two_sessions();
    let mut file = parse(&input);
    let mut req =
        request("local", vec![spec("new", "999988887777", "R", None), spec("prod", "999988887777", "Admin", None)]);
    let err = apply_request(&mut file, &req).unwrap_err();
    assert_eq!(
        err,
        ApplyError::OwnedByOtherSession {
            field: "params.profiles[1].name".into(),
            name: "prod".into(),
            owner: "corp".into()
        }
    );
    assert!(err.to_string().contains("`corp`"), "{err}");
    assert_eq!(file.to_string(), input, "nothing changes");
    // The plain entry point refuses it too (defence in depth for every caller).
    assert!(matches!(
        apply_profiles(&mut file, "local", &req.profiles, false),
        Err(ApplyError::OwnedByOtherSession { .. })
    ));
    req.takeover = vec!["prod".into()];
    let outcome = apply_request(&mut file, &req).unwrap();
    assert_eq!(
        (outcome.added.as_slice(), outcome.updated.as_slice()),
        (&["new".to_string()][..], &["prod".to_string()][..])
    );
    assert_eq!(file.get(&SectionId::Profile("prod".into()), "sso_session"), Some("local"));
}

#[test]
fn remove_names_exactly_our_profiles_of_this_session() {
    let input = two_sessions();
    let mut file = parse(&input);
    let field_of = |file: &mut ConfigFile, remove: &[&str]| {
        let req = crate::protocol::ApplyProfilesParams {
            remove: remove.iter().map(|s| s.to_string()).collect(),
            ..request("local", vec![])
        };
        apply_request(file, &req).map_err(|e| (e.field().to_string(), e))
    };
    let (field, err) = field_of(&mut file, &["l1", "mine"]).unwrap_err();
    assert_eq!((field.as_str(), matches!(err, ApplyError::NotManaged { .. })), ("params.remove[1]", true));
    let (field, err) = field_of(&mut file, &["prod"]).unwrap_err();
    assert_eq!((field.as_str(), matches!(err, ApplyError::OwnedByOtherSession { .. })), ("params.remove[0]", true));
    let (field, err) = field_of(&mut file, &["gone"]).unwrap_err();
    assert_eq!((field.as_str(), matches!(err, ApplyError::NoSuchProfile { .. })), ("params.remove[0]", true));
    assert_eq!(file.to_string(), input, "refusals change nothing");
    let outcome = field_of(&mut file, &["l1"]).unwrap();
    assert_eq!(outcome.removed, ["l1"]);
    assert!(!file.contains(&SectionId::Profile("l1".into())));
    assert!(file.contains(&SectionId::Profile("mine".into())) && file.contains(&SectionId::Profile("prod".into())));
}

#[test]
fn a_session_is_repointed_only_with_the_same_portal() {
    let file = parse(&two_sessions());
    assert_eq!(session_conflict(&file, "new", "https://x.example/start", "us-east-1"), None);
    assert_eq!(session_conflict(&file, "corp", "https://corp.awsapps.com/start/#/", "us-east-1"), None);
    let c = session_conflict(&file, "corp", "https://other.awsapps.com/start", "us-east-1").unwrap();
    assert_eq!((c.field, c.start_url.as_deref()), ("params.startUrl", Some("https://corp.awsapps.com/start")));
    assert!(c.to_string().contains("https://corp.awsapps.com/start"), "{c}");
    assert_eq!(
        session_conflict(&file, "corp", "https://corp.awsapps.com/start", "eu-west-1").unwrap().field,
        "params.region"
    );
    let bare = parse("[sso-session s]\nkeep = 1\n");
    assert_eq!(session_conflict(&bare, "s", "https://x.example", "us-east-1").unwrap().field, "params.startUrl");
}

#[test]
fn new_sessions_carry_the_marker_and_status_reports_it() {
    let mut file = parse(&two_sessions());
    upsert_session(&mut file, "made", "https://m.example/start", "us-east-1", &[]);
    let managed: Vec<(String, bool)> = file.sso_sessions().into_iter().map(|s| (s.name, s.managed)).collect();
    assert_eq!(managed, [("corp".to_string(), false), ("local".to_string(), false), ("made".to_string(), true)]);
}

#[test]
fn prune_removes_only_our_profiles_of_that_session() {
    let input = "[sso-session a]\nsso_region = us-east-1\n[sso-session b]\nsso_region = us-east-1\n\
[profile a1]\n# managed by sso-bridge\nsso_session = a\nsso_account_id = 111111111111\nsso_role_name = R\n\n# about mine\n\
[profile mine]\nsso_session = a\nsso_account_id = 111111111111\nsso_role_name = R\n\
[profile b1]\n# managed by sso-bridge\nsso_session = b\nsso_account_id = 111111111111\nsso_role_name = R\n\
[profile a2]\n# managed by sso-bridge\nsso_session = a\nsso_account_id = 222222222222\nsso_role_name = R";
    let out = given(input, |f| {
        let outcome = apply_profiles(f, "a", &[spec("a2", "222222222222", "R", None)], true).unwrap();
        assert_eq!(outcome.removed, ["a1"]);
        assert_eq!(outcome.unchanged, ["a2"]);
    });
    assert_eq!(
        out,
        "[sso-session a]\nsso_region = us-east-1\n[sso-session b]\nsso_region = us-east-1\n\n# about mine\n\
[profile mine]\nsso_session = a\nsso_account_id = 111111111111\nsso_role_name = R\n\
[profile b1]\n# managed by sso-bridge\nsso_session = b\nsso_account_id = 111111111111\nsso_role_name = R\n\
[profile a2]\n# managed by sso-bridge\nsso_session = a\nsso_account_id = 222222222222\nsso_role_name = R"
    );
    // Removing the last section that lacks a final newline, then adding one back.
    let out2 = given(&out, |f| {
        let outcome = apply_profiles(f, "a", &[spec("a3", "333333333333", "R", None)], true).unwrap();
        assert_eq!(
            (outcome.added.as_slice(), outcome.removed.as_slice()),
            (&["a3".to_string()][..], &["a2".to_string()][..])
        );
    });
    assert!(out2.ends_with("sso_role_name = R\n[profile a3]\n# managed by sso-bridge\nsso_session = a\nsso_account_id = 333333333333\nsso_role_name = R\n"), "{out2}");
    assert!(out2.contains("[profile b1]"));
}

#[test]
fn status_views() {
    let input = format!("{}[profile dev]\n# managed by sso-bridge\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n[profile keys]\naws_access_key_id = x\n", session_file());
    let file = parse(&input);
    assert_eq!(
        file.sso_sessions(),
        [SessionView {
            name: "corp".into(),
            start_url: Some("https://d-1.awsapps.com/start".into()),
            region: Some("us-east-1".into()),
            managed: false
        }]
    );
    let profiles = file.sso_profiles();
    assert_eq!(profiles.len(), 1);
    assert_eq!(
        (profiles[0].name.as_str(), profiles[0].managed, profiles[0].role_name.as_deref()),
        ("dev", true, Some("Admin"))
    );
    // The names a new profile must avoid although no sso-session uses them.
    assert_eq!(file.other_profile_names(), ["keys"]);
    assert_eq!(parse("[default]\nregion = eu-west-1\n").other_profile_names(), ["default"]);
}

#[test]
fn lint_names_lines_that_break_one_client_but_not_another() {
    let text = "[DEFAULT]\nregion = us-east-1\n[profile a]\nregion : us-east-1\nsso_session = s\nsso_region = us-east-1\noutput = json # mine\n[profile a]\n[profile b c]\nk=1\nk=2\n";
    let found: Vec<(usize, FindingKind)> = lint(text).into_iter().map(|f| (f.line, f.kind)).collect();
    assert_eq!(
        found,
        [
            (1, FindingKind::UppercaseDefault),
            (4, FindingKind::ColonSeparator),
            (6, FindingKind::SsoKeyBesideSession),
            (7, FindingKind::InlineComment),
            (8, FindingKind::DuplicateSection),
            (9, FindingKind::NameIgnoredByRust),
            (11, FindingKind::DuplicateKey),
        ]
    );
    assert!(lint(&session_file()).is_empty());
}

#[test]
fn hostile_names_never_reach_the_file_through_validation() {
    use crate::protocol::validate::validate_apply_profiles;
    use crate::protocol::ApplyProfilesParams;
    for bad in
        ["a]\n[profile x", "x\ncredential_process = sh", "a=b", "a;b", "a#b", " a", "a ", "a\tb", "a\u{0}b", "[x]", ""]
    {
        let params = ApplyProfilesParams {
            session_name: "corp".into(),
            profiles: vec![spec(bad, "111122223333", "R", None)],
            ..Default::default()
        };
        let err = validate_apply_profiles(&params).unwrap_err();
        assert_eq!(err.field, "params.profiles[0].name", "{bad:?}");
        let params = ApplyProfilesParams { session_name: bad.into(), ..Default::default() };
        assert_eq!(validate_apply_profiles(&params).unwrap_err().field, "params.sessionName");
    }
}

/// Lines a real config may contain, including odd ones.
fn line_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("  \t".to_string()),
        Just("# comment".to_string()),
        Just("  ; indented comment".to_string()),
        Just("[profile p]".to_string()),
        Just("[sso-session s]".to_string()),
        Just("[services x]".to_string()),
        Just("[default]".to_string()),
        Just("[DEFAULT]".to_string()),
        Just("region = us-east-1".to_string()),
        Just("key:value".to_string()),
        Just("output\t=\tjson  ".to_string()),
        Just("s3 =".to_string()),
        Just("  max_concurrent_requests = 20".to_string()),
        "[a-z_]{1,8} ?= ?[ -~]{0,12}",
        "[ -~\t]{0,16}",
        "\\PC{0,8}",
    ]
}

fn file_strategy() -> impl Strategy<Value = String> {
    (prop::collection::vec((line_strategy(), prop::bool::ANY), 0..24), prop::bool::ANY).prop_map(
        |(lines, final_newline)| {
            let mut text = String::new();
            let n = lines.len();
            for (i, (line, crlf)) in lines.into_iter().enumerate() {
                text.push_str(&line);
                if i + 1 < n || final_newline {
                    text.push_str(if crlf { "\r\n" } else { "\n" });
                }
            }
            text
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// parse → print returns the input byte for byte, for every file the parser accepts.
    #[test]
    fn parse_then_print_is_identity(text in file_strategy()) {
        if let Ok(file) = ConfigFile::parse(&text) {
            prop_assert_eq!(file.to_string(), text);
        }
    }

    /// Arbitrary text: the parser never panics, and what it accepts round-trips.
    #[test]
    fn arbitrary_text_round_trips_or_is_refused(text in "\\PC{0,200}") {
        if let Ok(file) = ConfigFile::parse(&text) {
            prop_assert_eq!(file.to_string(), text.clone());
        }
        let _ = lint(&text);
    }

    /// An edit keeps every other line, and the result parses.
    #[test]
    fn edits_keep_the_rest_of_the_file(text in file_strategy()) {
        let Ok(mut file) = ConfigFile::parse(&text) else { return Ok(()) };
        upsert_session(&mut file, "zz-session", "https://x.example/start", "us-east-1", &[]);
        let out = file.to_string();
        prop_assert!(out.starts_with(text.as_str()), "appending must not touch earlier bytes");
        let mut again = ConfigFile::parse(&out).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let outcome = apply_profiles(&mut again, "zz-session", &[spec("zz-p", "111122223333", "R", None)], true);
        prop_assert!(outcome.is_ok());
        prop_assert!(again.remove(&SectionId::Profile("zz-p".into())));
        let without = again.to_string();
        prop_assert!(ConfigFile::parse(&without).is_ok());
        prop_assert!(without.starts_with(text.trim_end_matches(['\r', '\n'])));
    }
}
