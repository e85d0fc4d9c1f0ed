"""The client page shows the identity code masked; revealing it is one audited click."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.test import Client as HttpClient
from django.urls import reverse

from silta.audit.models import AuditAction, AuditEvent
from silta.clients.identity_codes import birth_date_of, masked

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _skip_totp(settings):
    settings.SILTA_DEMO_SKIP_TOTP = True  # the TOTP sign-in itself is tested in accounts


def browser(user, language: str = "en") -> HttpClient:
    http = HttpClient()
    http.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    http.force_login(user)
    return http


def test_masked_and_birth_date_written_out() -> None:
    assert masked("010594Y9032") == "010594Y****"
    assert birth_date_of("010594Y9032") == dt.date(1994, 5, 1)
    assert birth_date_of("010594-9032") == dt.date(1994, 5, 1)
    assert birth_date_of("311299A9906") == dt.date(2099, 12, 31)
    assert birth_date_of("010201+9908") == dt.date(1801, 2, 1)
    assert birth_date_of("310294-9000") is None  # 31 February does not exist
    assert birth_date_of("") is None


def _http(world) -> HttpClient:
    http = browser(world.users["kela_processor"])
    return http


def test_page_shows_only_the_masked_code(world) -> None:
    client = world.clients[0]
    world.open_case(client)
    html = _http(world).get(reverse("clients:detail", args=[client.public_id])).content.decode()
    assert client.identity_code not in html
    assert client.identity_code[:7] + "****" in html


def test_reveal_is_a_post_that_writes_an_audit_row(world) -> None:
    client = world.clients[0]
    world.open_case(client)
    http = _http(world)
    url = reverse("clients:identity_code", args=[client.public_id])
    assert http.get(url).status_code == 405
    before = AuditEvent.objects.filter(client=client, detail__revealed="identity_code").count()
    response = http.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert client.identity_code in response.content.decode()
    rows = AuditEvent.objects.filter(client=client, detail__revealed="identity_code")
    assert rows.count() == before + 1
    assert rows.get().action == AuditAction.VIEW
    assert rows.get().user == world.users["kela_processor"]
