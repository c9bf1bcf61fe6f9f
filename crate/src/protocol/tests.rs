use super::*;
use serde_json::json;

fn decode(value: serde_json::Value) -> Result<Request, DecodeError> {
    decode_request(value.to_string().as_bytes())
}

fn save_token_params() -> serde_json::Value {
    json!({
        "sessionName": "corp", "startUrl": "https://d-1.awsapps.com/start", "region": "us-east-1",
        "scopes": ["sso:account:access"],
        "token": {"accessToken": "aoaSECRET", "expiresAt": "2026-01-01T00:00:00Z", "refreshToken": "aorSECRET",
                  "clientId": "cid", "clientSecret": "csSECRET", "registrationExpiresAt": "2026-03-01T00:00:00Z"}
    })
}

#[test]
fn decodes_every_action() {
    let cases = [
        json!({"id": 1, "action": "hello", "params": {}}),
        json!({"id": "a", "action": "hello"}),
        json!({"id": 2, "action": "saveToken", "params": save_token_params()}),
        json!({"id": 3, "action": "applyProfiles", "params": {"sessionName": "corp", "profiles": [{"name": "dev", "accountId": "111122223333", "roleName": "Admin"}], "prune": true}}),
        json!({"id": 4, "action": "status", "params": {}}),
        json!({"id": 5, "action": "logout", "params": {"sessionName": "corp"}}),
        json!({"id": 6, "action": "applyProfiles", "params": {"sessionName": "corp", "profiles": [{"name": "dev", "accountId": "111122223333", "roleName": "Admin"}],
               "takeover": ["dev"], "remove": ["old"], "dryRun": true}}),
        json!({"id": 7, "action": "undo", "params": {"undoToken": UndoToken::new(b"a", b"b").encode()}}),
        json!({"id": 8, "action": "removeSession", "params": {"sessionName": "corp", "removeProfiles": true, "dryRun": true}}),
        json!({"id": 9, "action": "removeSession", "params": {"sessionName": "corp"}}),
    ];
    for case in cases {
        let request = decode(case.clone()).unwrap_or_else(|e| panic!("{case}: {e:?}"));
        // What the wasm core serialises is what the host decodes.
        let again = serde_json::to_value(&request).unwrap();
        assert_eq!(decode(again).unwrap(), request);
    }
}

#[test]
fn errors_name_the_field() {
    let check = |value: serde_json::Value, code: ErrorCode, field: Option<&str>| {
        let err = decode(value.clone()).unwrap_err();
        assert_eq!((err.error.code, err.error.field.as_deref()), (code, field), "{value}: {}", err.error.message);
    };
    check(json!([1]), ErrorCode::InvalidMessage, None);
    check(json!({"action": "hello"}), ErrorCode::InvalidMessage, Some("id"));
    check(json!({"id": -1, "action": "hello"}), ErrorCode::InvalidMessage, Some("id"));
    check(json!({"id": 1}), ErrorCode::InvalidMessage, Some("action"));
    check(json!({"id": 1, "action": "hello", "extra": 1}), ErrorCode::UnknownField, Some("extra"));
    check(json!({"id": 1, "action": "fly"}), ErrorCode::UnknownAction, Some("action"));
    check(json!({"id": 1, "action": "hello", "params": {"x": 1}}), ErrorCode::UnknownField, Some("params.x"));
    check(json!({"id": 1, "action": "logout", "params": {}}), ErrorCode::InvalidField, Some("params.sessionName"));
    check(
        json!({"id": 1, "action": "logout", "params": {"sessionName": 5}}),
        ErrorCode::InvalidField,
        Some("params.sessionName"),
    );
    let mut p = save_token_params();
    p["token"]["idToken"] = json!("x");
    check(json!({"id": 1, "action": "saveToken", "params": p}), ErrorCode::UnknownField, Some("params.token.idToken"));
    check(
        json!({"id": 1, "action": "applyProfiles", "params": {"sessionName": "s", "profiles": [
            {"name": "a", "accountId": "111122223333", "roleName": "R"},
            {"name": "b", "accountId": "111122223333", "roleName": "R", "credentialProcess": "sh"}]}}),
        ErrorCode::UnknownField,
        Some("params.profiles[1].credentialProcess"),
    );
    check(
        json!({"id": 1, "action": "applyProfiles", "params": {"sessionName": "s", "profiles": [{"name": "a", "accountId": 1, "roleName": "R"}]}}),
        ErrorCode::InvalidField,
        Some("params.profiles[0].accountId"),
    );
    let err = decode_request(b"{\"id\":1,").unwrap_err();
    assert_eq!(err.error.code, ErrorCode::InvalidMessage);
    let err = decode_request(b"\xff\xfe").unwrap_err();
    assert_eq!(err.error.code, ErrorCode::InvalidMessage);
}

#[test]
fn errors_keep_the_id_and_never_echo_values() {
    let mut p = save_token_params();
    p["token"]["accessToken"] = json!(12);
    p["token"]["refreshToken"] = json!(["aorSECRET"]);
    let err = decode(json!({"id": 9, "action": "saveToken", "params": p})).unwrap_err();
    assert_eq!(err.id, Some(RequestId::Number(9)));
    let p2 = json!({"sessionName": ["corpSECRET"], "startUrl": 1});
    let err2 = decode(json!({"id": 9, "action": "logout", "params": p2})).unwrap_err();
    for e in [err, err2] {
        assert!(!e.error.message.contains("SECRET"), "{}", e.error.message);
    }
}

/// Issue 10 #8: serde_json prints a mistyped string with its escapes, so an escaped quote used
/// to end the redaction early and the rest of the value leaked.
#[test]
fn a_mistyped_string_with_an_escaped_quote_leaks_nothing() {
    let hostile = "aoa\"LEAKED_TOKEN_PART\"x\\\"LEAKED_TOKEN_PART";
    let mut p = save_token_params();
    p["token"] = json!(hostile);
    let cases = [
        json!({"id": 1, "action": "saveToken", "params": p}),
        json!({"id": 1, "action": "applyProfiles", "params": {"sessionName": "s", "profiles": [], "prune": hostile}}),
        json!({"id": 1, "action": "applyProfiles", "params": {"sessionName": "s", "profiles": hostile}}),
        json!({"id": 1, "action": "removeSession", "params": {"sessionName": "s", "dryRun": [hostile]}}),
        json!({"id": 1, "action": hostile}),
    ];
    let expected = [
        ("params.token", "`params.token`: expected struct TokenParams, found string"),
        ("params.prune", "`params.prune`: expected a boolean, found string"),
        ("params.profiles", "`params.profiles`: expected a sequence, found string"),
        ("params.dryRun", "`params.dryRun`: expected a boolean, found sequence"),
        ("action", ""),
    ];
    for (case, (field, message)) in cases.into_iter().zip(expected) {
        let err = decode(case).unwrap_err();
        assert!(!err.error.message.contains("LEAKED"), "{}", err.error.message);
        assert_eq!(err.error.field.as_deref(), Some(field));
        if !message.is_empty() {
            assert_eq!(err.error.message, message);
        }
    }
}

#[test]
fn new_params_are_validated() {
    let field_of = |action: serde_json::Value| {
        let Request { action, .. } =
            decode(json!({"id": 1, "action": action["action"], "params": action["params"]})).unwrap();
        validate::validate_action(&action).map_err(|e| e.field)
    };
    let profiles = json!([{"name": "dev", "accountId": "111122223333", "roleName": "Admin"}]);
    assert_eq!(
        field_of(
            json!({"action": "applyProfiles", "params": {"sessionName": "s", "profiles": profiles, "takeover": ["other"]}})
        ),
        Err("params.takeover[0]".into())
    );
    assert_eq!(
        field_of(
            json!({"action": "applyProfiles", "params": {"sessionName": "s", "profiles": profiles, "remove": ["x", "dev"]}})
        ),
        Err("params.remove[1]".into())
    );
    assert_eq!(
        field_of(
            json!({"action": "applyProfiles", "params": {"sessionName": "s", "profiles": [], "remove": ["x", "x"]}})
        ),
        Err("params.remove[1]".into())
    );
    assert_eq!(
        field_of(json!({"action": "applyProfiles", "params": {"sessionName": "s", "profiles": [], "remove": ["a]b"]}})),
        Err("params.remove[0]".into())
    );
    assert_eq!(
        field_of(
            json!({"action": "applyProfiles", "params": {"sessionName": "s", "profiles": profiles, "takeover": ["dev"], "remove": ["x"]}})
        ),
        Ok(())
    );
    assert_eq!(field_of(json!({"action": "undo", "params": {"undoToken": "v1.abc"}})), Err("params.undoToken".into()));
    assert_eq!(
        field_of(json!({"action": "removeSession", "params": {"sessionName": "a b"}})),
        Err("params.sessionName".into())
    );
    let mut p = save_token_params();
    p["region"] = json!("us-east-123");
    assert_eq!(field_of(json!({"action": "saveToken", "params": p})), Err("params.region".into()));
    let mut p = save_token_params();
    p["startUrl"] = json!("http://127.0.0.1.evil.com/start");
    assert_eq!(field_of(json!({"action": "saveToken", "params": p})), Err("params.startUrl".into()));
}

#[test]
fn validation_runs_on_decoded_requests() {
    let mut p = save_token_params();
    p["token"]["expiresAt"] = json!("2026-01-01T00:00:00+00:00");
    let Request { action, .. } = decode(json!({"id": 1, "action": "saveToken", "params": p})).unwrap();
    let err = validate::validate_action(&action).unwrap_err();
    assert_eq!(err.field, "params.token.expiresAt");
}

#[test]
fn reply_shapes() {
    let ok = serde_json::to_value(Reply::success(
        RequestId::Number(1),
        &LogoutResult { removed_files: vec![], targets: vec![] },
    ))
    .unwrap();
    assert_eq!(
        ok,
        json!({"id": 1, "host": {"version": crate::VERSION, "protocol": 1}, "ok": true, "result": {"removedFiles": []}})
    );
    let err = serde_json::to_value(Reply::failure(None, ErrorBody::new(ErrorCode::MessageTooLarge, "m"))).unwrap();
    assert_eq!(
        err,
        json!({"id": null, "host": {"version": crate::VERSION, "protocol": 1}, "ok": false, "error": {"code": "message_too_large", "message": "m"}})
    );
}

#[test]
fn debug_of_a_request_redacts_tokens() {
    let request = decode(json!({"id": 2, "action": "saveToken", "params": save_token_params()})).unwrap();
    let text = format!("{request:?}");
    assert!(!text.contains("SECRET"), "{text}");
}
