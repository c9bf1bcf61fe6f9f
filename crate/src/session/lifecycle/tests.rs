use super::*;

const NOW: u64 = 1_800_000_000_000;

#[test]
fn refresh_comes_twenty_minutes_early_but_never_at_once() {
    assert_eq!(refresh_at_ms(NOW + 60 * 60_000, NOW), NOW + 40 * 60_000);
    assert_eq!(refresh_at_ms(NOW + 5 * 60_000, NOW), NOW + 60_000);
    assert_eq!(refresh_at_ms(0, NOW), NOW + 60_000);
}

fn waiting(session: &str, code: &str, tab: Option<i64>) -> WaitingDeviceLogin {
    WaitingDeviceLogin { session_name: session.into(), user_code: code.into(), tab_id: tab }
}

#[test]
fn a_visible_code_decides() {
    let w = [waiting("corp", "ABCD-EFGH", Some(7))];
    let v = device_verdict(&w, Some("abcd efgh"), 99, None, NOW);
    assert!(v.ours && v.waiting);
    assert_eq!(v.session_name.as_deref(), Some("corp"));
    assert_eq!(v.remember, Some(OwnedTab { code: "ABCDEFGH".into(), until_ms: NOW + OWNED_TAB_TTL_MS }));
    // A foreign code, even in our own tab, is not ours.
    let v = device_verdict(&w, Some("WXYZ-QRST"), 7, None, NOW);
    assert!(!v.ours);
}

#[test]
fn without_a_code_only_our_own_tab_counts() {
    let w = [waiting("corp", "ABCD-EFGH", Some(7))];
    assert!(device_verdict(&w, None, 7, None, NOW).ours);
    assert!(!device_verdict(&w, None, 8, None, NOW).ours);
    assert!(!device_verdict(&[waiting("corp", "ABCD-EFGH", None)], None, 7, None, NOW).ours);
}

#[test]
fn a_remembered_tab_stays_ours_for_the_same_approval() {
    let r = OwnedTab { code: "ABCDEFGH".into(), until_ms: NOW + 1000 };
    let v = device_verdict(&[], None, 7, Some(&r), NOW);
    assert!(v.ours && !v.waiting);
    assert!(device_verdict(&[], Some("abcd-efgh"), 7, Some(&r), NOW).ours);
    assert!(!device_verdict(&[], Some("ZZZZ-ZZZZ"), 7, Some(&r), NOW).ours);
    assert!(!device_verdict(&[], None, 7, Some(&r), NOW + 1000).ours);
}

fn portal(name: &str, url: &str) -> Portal {
    Portal {
        session_name: name.into(),
        start_url: url.into(),
        region: "eu-west-1".into(),
        profile_region: None,
        auto_sync: Default::default(),
    }
}

#[test]
fn pages_map_to_their_portal() {
    let portals = [portal("acme", "https://acme.awsapps.com/start")];
    let m = portal_for_page("https://acme.awsapps.com/start/#/?tab=accounts", &portals, &[], &[]).unwrap();
    assert_eq!(m.session_name.as_deref(), Some("acme"));
    assert_eq!(m.region_from, Some(RegionSource::Portal));
    let m = portal_for_page(
        "https://other.awsapps.com/start#/",
        &portals,
        &[],
        &["not a region".into(), "ap-northeast-1".into()],
    )
    .unwrap();
    assert_eq!(
        (m.session_name, m.region.as_deref(), m.region_from),
        (None, Some("ap-northeast-1"), Some(RegionSource::Page))
    );
    let m = portal_for_page("https://ssoins-1.portal.us-west-2.app.aws/#/", &[], &[], &["eu-west-1".into()]).unwrap();
    assert_eq!((m.region.as_deref(), m.region_from), (Some("us-west-2"), Some(RegionSource::Host)));
    assert_eq!(portal_for_page("https://evil.example/acme.awsapps.com/start", &portals, &[], &[]), None);
}

#[test]
fn custom_domains_match_exactly() {
    let domains = [
        PortalDomain { origin: "https://*.example.com".into(), region: "us-east-2".into() },
        PortalDomain { origin: "http://127.0.0.1:4000".into(), region: String::new() },
    ];
    assert!(custom_domain_of(&domains, "https://sso.example.com/start").is_some());
    assert!(custom_domain_of(&domains, "https://example.com/start").is_none());
    assert!(custom_domain_of(&domains, "https://sso.example.com.evil.net/start").is_none());
    assert!(custom_domain_of(&domains, "http://sso.example.com/start").is_none());
    assert!(custom_domain_of(&domains, "http://127.0.0.1:4001/start").is_none());
    let m = portal_for_page("http://127.0.0.1:4000/start/#/", &[], &domains, &[]).unwrap();
    assert_eq!((m.start_url.as_str(), m.region), ("http://127.0.0.1:4000/start", None));
    assert_eq!(portal_for_page("http://127.0.0.1:4000/other", &[], &domains, &[]), None);
    assert!(same_start_url("https://A.awsapps.com/start/", "https://a.awsapps.com/start#/"));
}
