"""The client address behind N trusted proxies is the rightmost untrusted entry."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from silta.audit.models import AuditEvent
from silta.core.middleware import client_address

FORGED = "203.0.113.66"  # whatever the client wrote into its own header
CLIENT = "198.51.100.7"
BALANCER = "10.0.0.2"
NGINX = "127.0.0.1"


def address(count: int, forwarded: str | None, settings, remote: str = NGINX) -> str | None:
    settings.SILTA_TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(request)


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, f"{FORGED}, {CLIENT}", NGINX),  # no proxy trusted: the header is ignored
        (1, CLIENT, CLIENT),  # nginx appended the client
        (1, f"{FORGED}, {CLIENT}", CLIENT),  # the client's own entry is not taken
        (1, f"{FORGED},{CLIENT}", CLIENT),
        (2, f"{FORGED}, {CLIENT}, {BALANCER}", CLIENT),  # balancer, then nginx
        (2, CLIENT, CLIENT),  # shorter than the chain: every entry was written by a proxy
        (1, "", NGINX),
        (1, None, NGINX),
        (1, f"{CLIENT}, not-an-address", NGINX),  # never a non-address in the audit log
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_rightmost_untrusted_entry(settings, count, forwarded, expected) -> None:
    assert address(count, forwarded, settings) == expected


@pytest.mark.django_db
def test_audit_records_the_address_the_proxy_appended(client, settings) -> None:
    settings.SILTA_TRUSTED_PROXY_COUNT = 1
    client.post(
        "/login/",
        {"username": "nobody-here", "password": "wrong", "otp_token": ""},
        HTTP_X_FORWARDED_FOR=f"{FORGED}, {CLIENT}",
    )
    event = AuditEvent.objects.get(action="login_failed")
    assert event.source_address == CLIENT
