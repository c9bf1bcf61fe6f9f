"""boto3 `sso-oidc` against the emulator: botocore must see what it sees from AWS."""

import base64
import hashlib
import http.client
import json
import secrets
import urllib.parse

import pytest
from botocore.config import Config

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


def register_and_start(emu, oidc):
    reg = oidc.register_client(clientName="botocore-client-test", clientType="public")
    dev = oidc.start_device_authorization(
        clientId=reg["clientId"], clientSecret=reg["clientSecret"], startUrl=emu.url + "/start"
    )
    return reg, dev


def poll(oidc, reg, dev):
    return oidc.create_token(
        clientId=reg["clientId"], clientSecret=reg["clientSecret"], grantType=DEVICE_GRANT, deviceCode=dev["deviceCode"]
    )


def test_register_client_shape(emulator):
    reg = emulator.client("sso-oidc").register_client(clientName="x", clientType="public", scopes=["sso:account:access"])
    assert reg["clientId"] and reg["clientSecret"]
    assert isinstance(reg["clientIdIssuedAt"], int)
    assert reg["clientSecretExpiresAt"] > reg["clientIdIssuedAt"]


def test_device_flow_pending_slow_down_then_token(start_emulator):
    emu = start_emulator({"pollIntervalSecs": 5})
    oidc = emu.no_retry_client("sso-oidc")
    reg, dev = register_and_start(emu, oidc)
    assert dev["interval"] == 5
    assert dev["verificationUri"] == emu.url + "/device"
    assert dev["verificationUriComplete"] == f"{emu.url}/device?user_code={dev['userCode']}"

    with pytest.raises(oidc.exceptions.AuthorizationPendingException) as pending:
        poll(oidc, reg, dev)
    assert pending.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(oidc.exceptions.SlowDownException):
        poll(oidc, reg, dev)

    emu.approve(dev["userCode"])
    emu.advance_clock(5)
    tok = poll(oidc, reg, dev)
    assert tok["tokenType"] == "Bearer"
    assert tok["accessToken"] and tok["refreshToken"]
    assert tok["expiresIn"] > 0
    # The token is live on the portal.
    accounts = emu.client("sso").list_accounts(accessToken=tok["accessToken"])["accountList"]
    assert accounts
    counts = emu.counts()
    assert counts["CreateToken"] == 3 and counts["StartDeviceAuthorization"] == 1


def test_denied_and_expired_device_codes(start_emulator):
    emu = start_emulator({"pollIntervalSecs": 0, "deviceCodeLifetimeSecs": 60})
    oidc = emu.no_retry_client("sso-oidc")
    reg, dev = register_and_start(emu, oidc)
    emu.deny(dev["userCode"])
    with pytest.raises(oidc.exceptions.AccessDeniedException):
        poll(oidc, reg, dev)

    reg, dev = register_and_start(emu, oidc)
    emu.advance_clock(61)
    with pytest.raises(oidc.exceptions.ExpiredTokenException):
        poll(oidc, reg, dev)


def test_refresh_token(emulator):
    tok = emulator.sign_in()
    oidc = emulator.no_retry_client("sso-oidc")
    new = oidc.create_token(
        clientId=tok["clientId"],
        clientSecret=tok["clientSecret"],
        grantType="refresh_token",
        refreshToken=tok["refreshToken"],
    )
    assert new["accessToken"] != tok["accessToken"]
    assert emulator.client("sso").list_accounts(accessToken=new["accessToken"])["accountList"]
    with pytest.raises(oidc.exceptions.InvalidGrantException) as bad:
        oidc.create_token(
            clientId=tok["clientId"], clientSecret=tok["clientSecret"], grantType="refresh_token", refreshToken="nope"
        )
    assert bad.value.response["Error"]["Code"] == "InvalidGrantException"


def pkce_pair():
    verifier = secrets.token_urlsafe(48)[:64]
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def http_request(url, method="GET", form=None):
    """One request, redirects not followed: (status, headers, body)."""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    body = urllib.parse.urlencode(form) if form is not None else None
    headers = {"content-type": "application/x-www-form-urlencoded"} if form is not None else {}
    conn.request(method, u.path + ("?" + u.query if u.query else ""), body=body, headers=headers)
    r = conn.getresponse()
    out = (r.status, dict(r.getheaders()), r.read().decode())
    conn.close()
    return out


def authorization_code(emu, oidc):
    """Run /authorize like AWS CLI v2 does and press Allow; returns (reg, verifier, redirect, code)."""
    reg = oidc.register_client(
        clientName="botocore-client-pkce",
        clientType="public",
        grantTypes=["authorization_code", "refresh_token"],
        redirectUris=["http://127.0.0.1/oauth/callback"],
        issuerUrl=emu.url + "/start",
        scopes=["sso:account:access"],
    )
    verifier, challenge = pkce_pair()
    redirect = "http://127.0.0.1:54321/oauth/callback"
    state = "8f4c3a52-6a0b-4c3e-9a63-0f0a2b1f5d11"
    query = urllib.parse.urlencode(
        {
            "response_type": "code",
            "client_id": reg["clientId"],
            "redirect_uri": redirect,
            "state": state,
            "code_challenge_method": "S256",
            "scopes": "sso:account:access",
            "code_challenge": challenge,
        }
    )
    status, _, html = http_request(f"{emu.url}/authorize?{query}")
    assert status == 200 and 'id="allow-access"' in html
    consent = html.split('name="consent_id" value="')[1].split('"')[0]
    status, headers, _ = http_request(
        emu.url + "/authorize", "POST", {"consent_id": consent, "decision": "allow"}
    )
    assert status == 302
    location = urllib.parse.urlsplit(headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == redirect
    params = dict(urllib.parse.parse_qsl(location.query))
    assert params["state"] == state
    return reg, verifier, redirect, params["code"]


def test_authorization_code_with_pkce(emulator):
    oidc = emulator.no_retry_client("sso-oidc")
    reg, verifier, redirect, code = authorization_code(emulator, oidc)
    tok = oidc.create_token(
        clientId=reg["clientId"],
        clientSecret=reg["clientSecret"],
        grantType="authorization_code",
        code=code,
        redirectUri=redirect,
        codeVerifier=verifier,
    )
    assert tok["tokenType"] == "Bearer" and tok["refreshToken"]
    assert emulator.client("sso").list_accounts(accessToken=tok["accessToken"])["accountList"]
    with pytest.raises(oidc.exceptions.InvalidGrantException):
        oidc.create_token(
            clientId=reg["clientId"],
            clientSecret=reg["clientSecret"],
            grantType="authorization_code",
            code=code,
            redirectUri=redirect,
            codeVerifier=verifier,
        )


def test_authorization_code_wrong_verifier(emulator):
    oidc = emulator.no_retry_client("sso-oidc")
    reg, verifier, redirect, code = authorization_code(emulator, oidc)
    with pytest.raises(oidc.exceptions.InvalidGrantException):
        oidc.create_token(
            clientId=reg["clientId"],
            clientSecret=reg["clientSecret"],
            grantType="authorization_code",
            code=code,
            redirectUri=redirect,
            codeVerifier=pkce_pair()[0],
        )


def test_error_classes_for_bad_input(emulator):
    oidc = emulator.no_retry_client("sso-oidc")
    reg = oidc.register_client(clientName="x", clientType="public")
    with pytest.raises(oidc.exceptions.InvalidClientException) as bad_client:
        oidc.start_device_authorization(clientId=reg["clientId"], clientSecret="wrong", startUrl=emulator.url)
    assert bad_client.value.response["ResponseMetadata"]["HTTPStatusCode"] == 401
    with pytest.raises(oidc.exceptions.UnsupportedGrantTypeException):
        oidc.create_token(clientId=reg["clientId"], clientSecret=reg["clientSecret"], grantType="password")
    with pytest.raises(oidc.exceptions.InvalidClientMetadataException):
        oidc.register_client(clientName="x", clientType="confidential")

    # Missing required fields reach the server only with botocore's own validation off.
    lax = emulator.client("sso-oidc", config=Config(parameter_validation=False, retries={"total_max_attempts": 1}))
    with pytest.raises(lax.exceptions.InvalidRequestException):
        lax.create_token(clientId=reg["clientId"], clientSecret=reg["clientSecret"])


def test_malformed_json_is_invalid_request(emulator):
    for path in ("/client/register", "/device_authorization", "/token"):
        u = urllib.parse.urlsplit(emulator.url)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        conn.request("POST", path, body=b"{not json", headers={"content-type": "application/json"})
        r = conn.getresponse()
        body = json.loads(r.read())
        assert r.status == 400
        assert r.getheader("x-amzn-ErrorType").split(":")[0] == "InvalidRequestException"
        assert body["error"] == "invalid_request"
        conn.close()
