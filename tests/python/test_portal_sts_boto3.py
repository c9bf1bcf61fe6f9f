"""boto3 `sso` (portal) and `sts` against the emulator."""

import pytest
from botocore.exceptions import ClientError

EXPLICIT = {
    "accounts": [
        {"id": "111122223333", "name": "Prod 本番 (EU) #1", "roles": ["AdministratorAccess", "ReadOnly"]},
        {"id": "444455556666", "name": "odd ] = name;\nsecond line", "email": "odd@example.com", "roles": ["Dev"]},
    ]
}


def test_paginator_over_1000_accounts(start_emulator):
    emu = start_emulator({"accounts": 1000, "rolesPerAccount": 2})
    token = emu.sign_in()["accessToken"]
    sso = emu.client("sso")
    accounts = [
        a
        for page in sso.get_paginator("list_accounts").paginate(
            accessToken=token, PaginationConfig={"PageSize": 100}
        )
        for a in page["accountList"]
    ]
    assert len(accounts) == 1000
    assert len({a["accountId"] for a in accounts}) == 1000
    assert all(len(a["accountId"]) == 12 and a["accountId"].isdigit() for a in accounts)
    assert any("本番" in a["accountName"] for a in accounts)
    assert emu.counts()["ListAccounts"] == 10

    # Without a page size botocore sends no max_result; the paginator still gets everything.
    again = sso.get_paginator("list_accounts").paginate(accessToken=token).build_full_result()
    assert len(again["accountList"]) == 1000

    roles = (
        sso.get_paginator("list_account_roles")
        .paginate(accessToken=token, accountId=accounts[0]["accountId"], PaginationConfig={"PageSize": 1})
        .build_full_result()["roleList"]
    )
    assert [r["roleName"] for r in roles] == ["AdministratorAccess", "ReadOnlyAccess"]


def test_explicit_accounts_round_trip_names(start_emulator):
    emu = start_emulator(EXPLICIT)
    token = emu.sign_in()["accessToken"]
    got = emu.client("sso").list_accounts(accessToken=token)["accountList"]
    assert [(a["accountId"], a["accountName"]) for a in got] == [
        ("111122223333", "Prod 本番 (EU) #1"),
        ("444455556666", "odd ] = name;\nsecond line"),
    ]
    assert got[1]["emailAddress"] == "odd@example.com"


def test_throttle_raises_too_many_requests(start_emulator):
    emu = start_emulator({"accounts": 3, "throttle": {"listingRps": 0.01, "burst": 1}})
    token = emu.sign_in()["accessToken"]
    sso = emu.no_retry_client("sso")
    sso.list_accounts(accessToken=token)
    with pytest.raises(sso.exceptions.TooManyRequestsException) as throttled:
        sso.list_accounts(accessToken=token)
    assert throttled.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    counts = emu.counts()
    assert counts["Throttled"] == 1 and counts["Throttled.ListAccounts"] == 1


def test_unauthorized_tokens(emulator):
    sso = emulator.no_retry_client("sso")
    with pytest.raises(sso.exceptions.UnauthorizedException) as e:
        sso.list_accounts(accessToken="aoaNotAToken")
    assert e.value.response["Error"]["Message"] == "Session token not found or invalid"

    token = emulator.sign_in()["accessToken"]
    status, _ = emulator.admin("POST", "/tokens/revoke", {"accessToken": token})
    assert status == 200
    with pytest.raises(sso.exceptions.UnauthorizedException):
        sso.list_accounts(accessToken=token)

    token = emulator.sign_in()["accessToken"]
    sso.logout(accessToken=token)
    with pytest.raises(sso.exceptions.UnauthorizedException):
        sso.get_role_credentials(accessToken=token, accountId="111122223333", roleName="AdministratorAccess")


def test_role_credentials_pass_sts(start_emulator):
    emu = start_emulator(EXPLICIT)
    token = emu.sign_in()["accessToken"]
    creds = emu.client("sso").get_role_credentials(accessToken=token, accountId="111122223333", roleName="ReadOnly")[
        "roleCredentials"
    ]
    assert creds["accessKeyId"].startswith("ASIA")
    assert creds["expiration"] > 10**12, "epoch milliseconds"

    sts = emu.client(
        "sts",
        aws_access_key_id=creds["accessKeyId"],
        aws_secret_access_key=creds["secretAccessKey"],
        aws_session_token=creds["sessionToken"],
    )
    ident = sts.get_caller_identity()
    assert ident["Arn"] == "arn:aws:sts::111122223333:assumed-role/ReadOnly/emulator-user"
    assert ident["Account"] == "111122223333"
    assert ident["UserId"].endswith(":emulator-user")
    assert emu.counts()["GetCallerIdentity"] == 1

    stranger = emu.client(
        "sts", aws_access_key_id="ASIAFAKEFAKEFAKEFAKE", aws_secret_access_key="x", aws_session_token="y"
    )
    with pytest.raises(ClientError) as e:
        stranger.get_caller_identity()
    assert e.value.response["Error"]["Code"] == "InvalidClientTokenId"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_injected_server_errors(start_emulator):
    emu = start_emulator({"faults": {"serverErrorRate": 1.0, "seed": 7}})
    token = emu.sign_in()["accessToken"]
    sso = emu.no_retry_client("sso")
    with pytest.raises(ClientError) as e:
        sso.list_accounts(accessToken=token)
    assert e.value.response["Error"]["Code"] == "InternalServerException"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500


def test_role_removed_at_run_time(start_emulator):
    emu = start_emulator(EXPLICIT)
    token = emu.sign_in()["accessToken"]
    sso = emu.client("sso")
    status, _ = emu.admin(
        "POST", "/config", {"accounts": [{"id": "111122223333", "name": "Prod", "roles": ["AdministratorAccess"]}]}
    )
    assert status == 200
    roles = sso.list_account_roles(accessToken=token, accountId="111122223333")["roleList"]
    assert [r["roleName"] for r in roles] == ["AdministratorAccess"]
    with pytest.raises(ClientError) as e:
        sso.get_role_credentials(accessToken=token, accountId="111122223333", roleName="ReadOnly")
    assert e.value.response["Error"]["Code"] == "ForbiddenException"
    with pytest.raises(sso.exceptions.ResourceNotFoundException):
        sso.list_account_roles(accessToken=token, accountId="444455556666")
