"""AWS CLI v1 resolving an sso-session profile from a cached token, with every SSO call on the
emulator: botocore's token provider refreshes the near-expiry token through /token, its SSO
credential provider calls GetRoleCredentials, and STS answers with the assumed-role ARN."""

import datetime
import hashlib
import json
import os
import subprocess

SESSION = "emu"


def iso(t: datetime.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_profile_with_cached_token_refreshes_and_reaches_sts(start_emulator, tmp_path, aws_cli):
    emu = start_emulator({"accounts": [{"id": "135791357913", "name": "Interop", "roles": ["ReadOnlyAccess"]}]})
    tok = emu.sign_in()

    config = tmp_path / "aws-config"
    config.write_text(
        f"[sso-session {SESSION}]\n"
        f"sso_start_url = {emu.url}/start\n"
        "sso_region = us-east-1\n"
        "sso_registration_scopes = sso:account:access\n"
        "[profile interop]\n"
        f"sso_session = {SESSION}\n"
        "sso_account_id = 135791357913\n"
        "sso_role_name = ReadOnlyAccess\n"
        "region = us-east-1\n"
        "output = json\n"
    )
    cache_dir = tmp_path / ".aws" / "sso" / "cache"
    cache_dir.mkdir(parents=True)
    cache_file = cache_dir / (hashlib.sha1(SESSION.encode()).hexdigest() + ".json")
    now = datetime.datetime.now(datetime.timezone.utc)
    # Expiring within botocore's refresh window, so it refreshes before use.
    cache_file.write_text(
        json.dumps(
            {
                "startUrl": f"{emu.url}/start",
                "region": "us-east-1",
                "accessToken": tok["accessToken"],
                "expiresAt": iso(now + datetime.timedelta(minutes=5)),
                "clientId": tok["clientId"],
                "clientSecret": tok["clientSecret"],
                "registrationExpiresAt": iso(now + datetime.timedelta(days=30)),
                "refreshToken": tok["refreshToken"],
            }
        )
    )
    before = emu.counts().get("CreateToken", 0)

    env = {**os.environ, "AWS_CONFIG_FILE": str(config), "HOME": str(tmp_path), "AWS_ENDPOINT_URL": emu.url}
    r = subprocess.run(
        [aws_cli, "sts", "get-caller-identity", "--profile", "interop"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["Arn"] == "arn:aws:sts::135791357913:assumed-role/ReadOnlyAccess/emulator-user"

    counts = emu.counts()
    assert counts["CreateToken"] == before + 1, "botocore refreshed the token through the emulator"
    assert counts["GetRoleCredentials"] == 1 and counts["GetCallerIdentity"] == 1
    rewritten = json.loads(cache_file.read_text())
    assert rewritten["accessToken"] != tok["accessToken"]
