"""AWS CLI v1 (PyPI `awscli`, which ships its own botocore) against the emulator."""

import json
import os
import subprocess


def run_aws(aws_cli, emu, *args, env_extra=None):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env_extra or {})}
    return subprocess.run(
        [aws_cli, *args, "--endpoint-url", emu.url, "--region", "us-east-1", "--output", "json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_list_accounts_paginates_all(start_emulator, aws_cli):
    emu = start_emulator({"accounts": 250})
    token = emu.sign_in()["accessToken"]
    r = run_aws(aws_cli, emu, "sso", "list-accounts", "--access-token", token, "--page-size", "100")
    assert r.returncode == 0, r.stderr
    accounts = json.loads(r.stdout)["accountList"]
    assert len(accounts) == 250
    assert len({a["accountId"] for a in accounts}) == 250
    assert any(a["accountName"].startswith("Prod 本番 (EU)") for a in accounts)
    assert emu.counts()["ListAccounts"] == 3


def test_roles_credentials_and_sts(start_emulator, aws_cli):
    emu = start_emulator({"accounts": [{"id": "210987654321", "name": "CLI", "roles": ["PowerUserAccess"]}]})
    token = emu.sign_in()["accessToken"]
    r = run_aws(aws_cli, emu, "sso", "list-account-roles", "--access-token", token, "--account-id", "210987654321")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["roleList"] == [{"roleName": "PowerUserAccess", "accountId": "210987654321"}]

    r = run_aws(
        aws_cli,
        emu,
        "sso",
        "get-role-credentials",
        "--access-token",
        token,
        "--account-id",
        "210987654321",
        "--role-name",
        "PowerUserAccess",
    )
    assert r.returncode == 0, r.stderr
    creds = json.loads(r.stdout)["roleCredentials"]
    r = run_aws(
        aws_cli,
        emu,
        "sts",
        "get-caller-identity",
        env_extra={
            "AWS_ACCESS_KEY_ID": creds["accessKeyId"],
            "AWS_SECRET_ACCESS_KEY": creds["secretAccessKey"],
            "AWS_SESSION_TOKEN": creds["sessionToken"],
        },
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["Arn"] == "arn:aws:sts::210987654321:assumed-role/PowerUserAccess/emulator-user"


def test_bad_token_is_reported(emulator, aws_cli):
    r = run_aws(aws_cli, emulator, "sso", "list-accounts", "--access-token", "aoaBogus")
    assert r.returncode != 0
    assert "UnauthorizedException" in r.stderr
    assert "Session token not found or invalid" in r.stderr
