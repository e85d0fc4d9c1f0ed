"""The local OpenID provider (``devidp/``, panva's oidc-provider on Node) for the demo and
the tests: started on loopback, waited for, stopped. Not used in production."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import requests
from django.conf import settings

DEVIDP_DIR = Path(settings.BASE_DIR) / "devidp"
ACCOUNTS_FILE = DEVIDP_DIR / "accounts.json"


@dataclass
class DevIdp:
    process: subprocess.Popen[bytes]
    issuer: str

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(
    *,
    port: int,
    redirect_bases: tuple[str, ...],
    accounts_file: Path = ACCOUNTS_FILE,
    quiet: bool = True,
) -> DevIdp:
    """Start the provider and wait (up to 20 s) until its discovery document answers."""
    node = shutil.which("node")
    if node is None or not (DEVIDP_DIR / "node_modules" / "oidc-provider").is_dir():
        raise RuntimeError(
            "The local provider needs Node.js and `npm ci` in devidp/ (make install)."
        )
    issuer = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DEVIDP_PORT": str(port),
        "DEVIDP_ISSUER": issuer,
        "DEVIDP_ACCOUNTS": str(accounts_file),
        "DEVIDP_REDIRECT_BASES": ",".join(redirect_bases),
        "DEVIDP_IDENTITY_CLAIM": settings.SILTA_OIDC_CLIENT_IDENTITY_CLAIM,
    }
    output = subprocess.DEVNULL if quiet else None
    process = subprocess.Popen(  # noqa: S603 - our own script, fixed arguments
        [node, str(DEVIDP_DIR / "server.js")], env=env, stdout=output, stderr=output
    )
    idp = DevIdp(process=process, issuer=issuer)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("The local provider stopped at start (is the port in use?).")
        try:
            if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).ok:
                return idp
        except requests.RequestException:
            time.sleep(0.1)
    idp.stop()
    raise RuntimeError("The local provider did not answer in 20 seconds.")


def silta_environment(issuer: str) -> dict[str, str]:
    """Silta's settings for signing in through the local provider (clients and staff)."""
    staff = [
        {
            "key": "kela",
            "label": "Kela (demo)",
            "issuer": issuer,
            "client_id": "silta-staff",
            "client_secret": "silta-staff-secret",
            "domains": ["kela.example"],
            "organisation": "kela",
            "scopes": "openid profile email groups silta",
        },
        {
            "key": "psavo",
            "label": "Pohjois-Savon hyvinvointialue (demo)",
            "issuer": issuer,
            "client_id": "silta-staff-psavo",
            "client_secret": "silta-staff-psavo-secret",
            "domains": ["pohde.example"],
            "organisation": "13",
            "scopes": "openid profile email groups silta",
        },
    ]
    return {
        "SILTA_OIDC_CLIENT_ISSUER": issuer,
        "SILTA_OIDC_CLIENT_ID": "silta-client",
        "SILTA_OIDC_CLIENT_SECRET": "silta-client-secret",
        "SILTA_OIDC_STAFF_PROVIDERS": json.dumps(staff),
    }


def listed_identities(accounts_file: Path = ACCOUNTS_FILE) -> list[tuple[str, str, str]]:
    """(login, kind, who) for each test identity, for ``demo_logins`` to print."""
    accounts: Mapping[str, dict[str, object]] = json.loads(accounts_file.read_text())["accounts"]
    rows = []
    for login, account in accounts.items():
        claims = account.get("claims", {})
        assert isinstance(claims, dict)
        who = str(claims.get("name", ""))
        if account.get("kind") == "staff":
            who += f", {claims.get('email', '')}, groups {claims.get('groups', [])}"
        if account.get("note"):
            who += f" ({account['note']})"
        rows.append((login, str(account.get("kind", "")), who))
    return rows
