"""The local provider's demo identities match the demo data (make demo)."""

from __future__ import annotations

import json

from silta.clients.identity_codes import is_test_code, validate_identity_code
from silta.demo.data import demo_clients
from silta.oidc.demo import DEMO_RULES
from silta.oidc.devidp import ACCOUNTS_FILE, listed_identities

CLAIM = "urn:oid:1.2.246.21"


def test_the_demo_identities_are_valid_test_codes_and_demo_clients():
    accounts = json.loads(ACCOUNTS_FILE.read_text())["accounts"]
    codes = [a["claims"][CLAIM] for a in accounts.values() if a["kind"] == "client"]
    assert codes and all(
        is_test_code(c) and validate_identity_code(c, allow_test_codes=True) for c in codes
    )
    demo_codes = {code for code, *_ in demo_clients()}
    assert sum(code in demo_codes for code in codes) == len(codes) - 1  # "uusi" has no record


def test_every_demo_staff_identity_gets_a_role_from_the_demo_rules():
    accounts = json.loads(ACCOUNTS_FILE.read_text())["accounts"]
    groups = {value for _provider, value, _unit, _role in DEMO_RULES}
    staff = [a for a in accounts.values() if a["kind"] == "staff"]
    assert staff and all(set(a["claims"]["groups"]) & groups for a in staff)
    assert {login for login, _kind, _who in listed_identities()} == set(accounts)
