"""The real local OpenID provider, once per test session, with the tests' own accounts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from silta.oidc import devidp
from silta.oidc.tests.flow import PASSWORD
from tests.factories import test_code

KNOWN_CODE = test_code(2777)
UNKNOWN_CODE = test_code(2778)


def _client(code: str | None) -> dict[str, Any]:
    claims: dict[str, Any] = {"given_name": "Aino", "family_name": "Testi"}
    if code is not None:
        claims["urn:oid:1.2.246.21"] = code
    return {"password": PASSWORD, "kind": "client", "amr": ["pwd", "mfa"], "claims": claims}


def _staff(email: str, groups: list[str], *, mfa: bool, **extra: Any) -> dict[str, Any]:
    claims = {"given_name": "Testi", "family_name": email.split("@")[0], "email": email}
    return {
        "password": PASSWORD,
        "kind": "staff",
        "amr": ["pwd", "mfa"] if mfa else ["pwd"],
        "claims": {**claims, "groups": groups, "silta_active": True, **extra},
    }


ACCOUNTS: dict[str, dict[str, Any]] = {
    "client-ok": _client(KNOWN_CODE),
    "client-unknown": _client(UNKNOWN_CODE),
    "client-noclaim": _client(None),
    "client-badcode": _client("010190-900X"),
    "kela-mfa": _staff("kela.mfa@kela.example", ["kela-processors"], mfa=True),
    "kela-change": _staff("kela.change@kela.example", ["kela-processors"], mfa=True),
    "county-nomfa": _staff("county.nomfa@pohde.example", ["county-workers"], mfa=False),
    "county-enrol": _staff("county.enrol@pohde.example", ["county-workers"], mfa=False),
    "kela-ghost": _staff("kela.ghost@kela.example", ["ghost-unit"], mfa=True),
    "kela-leaver": _staff("kela.leaver@kela.example", ["kela-processors"], mfa=True),
}


class Accounts:
    """The provider's accounts file: it is read at every sign-in, so edits apply at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.reset()

    def reset(self) -> None:
        self.path.write_text(json.dumps({"accounts": ACCOUNTS}))

    def set_claims(self, login: str, **claims: Any) -> None:
        data = json.loads(self.path.read_text())
        data["accounts"][login]["claims"].update(claims)
        self.path.write_text(json.dumps(data))


@pytest.fixture(scope="session")
def provider_accounts(tmp_path_factory: pytest.TempPathFactory) -> Accounts:
    return Accounts(tmp_path_factory.mktemp("devidp") / "accounts.json")


@pytest.fixture(scope="session")
def local_provider(provider_accounts: Accounts) -> Iterator[devidp.DevIdp]:
    idp = devidp.start(
        port=devidp.free_port(),
        redirect_bases=("http://testserver",),
        accounts_file=provider_accounts.path,
    )
    yield idp
    idp.stop()


@pytest.fixture
def oidc_settings(settings: Any, local_provider: devidp.DevIdp, provider_accounts: Accounts):
    """Silta configured for the local provider (clients and two staff providers)."""
    for name, value in devidp.silta_environment(local_provider.issuer).items():
        setattr(settings, name, value)
    provider_accounts.reset()
    yield local_provider
    provider_accounts.reset()
