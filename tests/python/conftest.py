"""Fixtures that run the idc-emulator binary and point boto3 at it.

The binary comes from $IDC_EMULATOR (default: target/debug/idc-emulator under the repository
root). A missing binary is an error, never a skip: these tests are the proof that the emulator
passes for AWS when botocore talks to it.
"""

import json
import os
import pathlib
import queue
import subprocess
import sys
import threading
import urllib.error
import urllib.request

import boto3
import pytest
from botocore.config import Config

REPO = pathlib.Path(__file__).resolve().parents[2]
REGION = "us-east-1"
STARTUP_TIMEOUT_S = 30


def emulator_binary() -> pathlib.Path:
    raw = os.environ.get("IDC_EMULATOR", "target/debug/idc-emulator")
    path = pathlib.Path(raw)
    if not path.is_absolute():
        # Relative to the current directory if it exists there, else to the repository root.
        path = path if path.exists() else REPO / raw
    if not path.is_file():
        pytest.fail(
            f"idc-emulator binary not found at {path}. Build it with "
            "`cargo build -p idc-emulator` or set IDC_EMULATOR to its path.",
            pytrace=False,
        )
    return path


class Emulator:
    """A running emulator process and helpers for its admin API."""

    def __init__(self, url: str, process: subprocess.Popen):
        self.url = url
        self.process = process

    def admin(self, method: str, path: str, body=None):
        """Call /admin/...; returns (status, parsed JSON)."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.url + "/admin" + path, data=data, method=method, headers={"content-type": "application/json"}
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def approve(self, user_code: str) -> None:
        status, body = self.admin("POST", "/device/approve", {"userCode": user_code})
        assert status == 200, body

    def deny(self, user_code: str) -> None:
        status, body = self.admin("POST", "/device/deny", {"userCode": user_code})
        assert status == 200, body

    def counts(self) -> dict:
        return self.admin("GET", "/counts")[1]

    def advance_clock(self, seconds: int) -> None:
        status, body = self.admin("POST", "/clock/advance", {"seconds": seconds})
        assert status == 200, body

    def client(self, service: str, **kwargs):
        """A boto3 client for `sso-oidc`, `sso` or `sts` aimed at the emulator."""
        return boto3.client(service, region_name=REGION, endpoint_url=self.url, **kwargs)

    def no_retry_client(self, service: str, **kwargs):
        # botocore: `max_attempts` counts retries; `total_max_attempts` counts all attempts.
        return self.client(service, config=Config(retries={"total_max_attempts": 1, "mode": "standard"}), **kwargs)

    def sign_in(self) -> dict:
        """Device flow end to end; returns {accessToken, refreshToken, clientId, clientSecret}."""
        oidc = self.client("sso-oidc")
        reg = oidc.register_client(clientName="pytest", clientType="public")
        dev = oidc.start_device_authorization(
            clientId=reg["clientId"], clientSecret=reg["clientSecret"], startUrl=self.url + "/start"
        )
        self.approve(dev["userCode"])
        tok = oidc.create_token(
            clientId=reg["clientId"],
            clientSecret=reg["clientSecret"],
            grantType="urn:ietf:params:oauth:grant-type:device_code",
            deviceCode=dev["deviceCode"],
        )
        return {**tok, "clientId": reg["clientId"], "clientSecret": reg["clientSecret"]}


def _start(tmp_path: pathlib.Path, config: dict | None, args: list[str]) -> Emulator:
    cmd = [str(emulator_binary()), "--port", "0", *args]
    if config is not None:
        cfg = tmp_path / f"emulator-config-{len(list(tmp_path.glob('emulator-config-*')))}.json"
        cfg.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
        cmd += ["--config", str(cfg)]
    stderr = open(tmp_path / "emulator.stderr", "ab")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=stderr, stdin=subprocess.DEVNULL)
    stderr.close()
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: lines.put(proc.stdout.readline()), daemon=True).start()
    try:
        line = lines.get(timeout=STARTUP_TIMEOUT_S).decode().strip()
    except queue.Empty:
        line = ""
    if not line.startswith("listening on http://127.0.0.1:"):
        proc.kill()
        proc.wait()
        err = (tmp_path / "emulator.stderr").read_text(errors="replace")
        pytest.fail(f"emulator did not start ({cmd}): stdout {line!r}, stderr:\n{err}", pytrace=False)
    return Emulator(line.removeprefix("listening on "), proc)


@pytest.fixture
def start_emulator(tmp_path):
    """Factory: start_emulator(config=None, args=()) -> Emulator; all are killed afterwards."""
    started: list[Emulator] = []

    def start(config: dict | None = None, args=()):
        emu = _start(tmp_path, config, list(args))
        started.append(emu)
        return emu

    yield start
    for emu in started:
        emu.process.kill()
        emu.process.wait(timeout=10)
        if emu.process.stdout:
            emu.process.stdout.close()


@pytest.fixture
def emulator(start_emulator):
    """An emulator with the default configuration."""
    return start_emulator()


@pytest.fixture
def aws_cli() -> str:
    """The `aws` script (AWS CLI v1) of the interpreter running the tests (the project's venv)."""
    path = pathlib.Path(sys.executable).parent / "aws"
    if not path.is_file():
        pytest.fail(f"AWS CLI v1 not found at {path}: run `pip install awscli` in this venv", pytrace=False)
    return str(path)


@pytest.fixture(autouse=True)
def isolated_aws_env(tmp_path, monkeypatch):
    """No ~/.aws, profile or ambient credential of the machine may leak into a test."""
    for var in list(os.environ):
        if var.startswith("AWS_"):
            monkeypatch.delenv(var)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("HOME", str(tmp_path))
