"""Directory pages and API endpoints; routing on the client page; the own worker."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient

from silta.api_keys.services import api_key_issue
from silta.audit.models import AuditEvent
from silta.clients.models import OwnWorker
from silta.directory.hours import TimeRange
from silta.directory.models import ChannelKind, Topic, UnitChange
from silta.directory.services import ChannelInput, channel_save, service_areas_set
from silta.exchange.models import Case
from silta.organisations.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _skip_totp(settings):
    settings.SILTA_DEMO_SKIP_TOTP = True


@pytest.fixture
def listed(world):
    service_areas_set(
        unit=world.social_unit, topic=Topic.SOCIAL_ASSISTANCE, municipality_codes=["297"]
    )
    channel_save(
        user=None,
        unit=world.social_unit,
        check_owner=False,
        data=ChannelInput(
            kind=ChannelKind.PHONE,
            label_fi="Päivystys",
            phone="017 263 3333",
            always_open=True,
            closed_on_holidays=False,
            weekly={},
        ),
    )
    channel_save(
        user=None,
        unit=world.social_unit,
        check_owner=False,
        data=ChannelInput(
            kind=ChannelKind.PHONE,
            label_fi="Ei koskaan",
            phone="017 182 000",
            weekly={},
            exceptions={dt.date.today() + dt.timedelta(days=200): (TimeRange(540, 600),)},
        ),
    )
    return world


def browser(user) -> HttpClient:
    http = HttpClient(HTTP_ACCEPT_LANGUAGE="fi")
    http.force_login(user)
    return http


def test_search_page_shows_open_and_closed(listed) -> None:
    page = browser(listed.users["kela_processor"]).get("/directory/?q=kuopio").content.decode()
    assert 'data-testid="status-open"' in page and 'data-testid="status-closed"' in page
    assert "017 2633333" in page or "017 263 3333" in page


def test_unit_page_and_owner_tools(listed) -> None:
    url = f"/directory/units/{listed.social_unit.public_id}/"
    worker_page = browser(listed.users["social_worker"]).get(url).content.decode()
    assert "/verify/" not in worker_page
    manager = browser(listed.users["social_manager"])
    assert "/verify/" in manager.get(url).content.decode()
    response = manager.post(
        f"{url}verify/", {"version": Unit.objects.get(pk=listed.social_unit.pk).version}
    )
    assert response.status_code == 302
    assert Unit.objects.get(pk=listed.social_unit.pk).verified_at is not None
    # A stale version is refused with a message, and nothing changes.
    manager.post(f"{url}verify/", {"version": 0})
    assert UnitChange.objects.filter(unit=listed.social_unit, summary="verified").count() == 1


def test_channel_edit_form_reports_line_errors(listed) -> None:
    manager = browser(listed.users["social_manager"])
    url = f"/directory/units/{listed.social_unit.public_id}/channels/new/"
    version = Unit.objects.get(pk=listed.social_unit.pk).version
    bad = manager.post(
        url, {"kind": "phone", "phone": "040 123 4567", "day0": "12-9", "version": version}
    )
    assert bad.status_code == 400
    before = listed.social_unit.channels.count()
    bad = manager.post(
        url,
        {
            "kind": "phone",
            "phone": "040 123 4567",
            "day0": "9-11",
            "exceptions": "2026-12-31 9-12\nhuomenna",
            "version": version,
        },
    )
    assert bad.status_code == 400 and listed.social_unit.channels.count() == before
    good = manager.post(
        url,
        {
            "kind": "phone",
            "phone": "040 123 4567",
            "day0": "9-11, 12-15",
            "exceptions": "2026-12-24 suljettu",
            "version": version,
        },
    )
    assert good.status_code == 302 and listed.social_unit.channels.count() == before + 1
    assert (
        browser(listed.users["social_worker"])
        .post(url, {"kind": "phone", "phone": "040 123 4567", "version": version + 1})
        .status_code
        == 403
    )


def test_routing_page(listed) -> None:
    http = browser(listed.users["kela_processor"])
    page = http.get("/directory/route/?municipality=Kuopio&topic=social_assistance")
    assert listed.social_unit.name_fi in page.content.decode()
    aland = http.get("/directory/route/?municipality=Maarianhamina&topic=social_assistance")
    assert aland.status_code == 200 and "/directory/units/" not in aland.content.decode()


def test_client_page_suggests_unit_and_requires_reason_for_another(listed) -> None:
    client = listed.clients[0]  # lives in Kuopio (297)
    http = browser(listed.users["kela_processor"])
    page = http.get(f"/clients/{client.public_id}/").content.decode()
    assert 'data-testid="route-suggestion"' in page and listed.social_unit.name_fi in page
    url = f"/clients/{client.public_id}/cases/"
    data = {
        "acting_unit": str(listed.kela_unit.public_id),
        "topic": "social_assistance",
        "counterpart_unit": str(listed.other_social_unit.public_id),
        # No consent names Vantaa: Kela tells it a reduction decision (Totul 18 h §).
        "statutory_basis": "totul_18h",
    }
    refused = http.post(url, data)
    assert refused.status_code == 400 and not Case.objects.exists()
    assert "override_reason" in refused.context["open_form"].errors
    accepted = http.post(url, {**data, "override_reason": "Asiakas muuttaa Vantaalle"})
    assert accepted.status_code == 302
    case = Case.objects.get()
    assert case.suggested_unit == listed.social_unit
    assert case.override_reason == "Asiakas muuttaa Vantaalle"


def test_own_worker_set_by_social_unit_seen_by_kela_audited(listed) -> None:
    case = listed.open_case()
    client = case.client
    social = browser(listed.users["social_worker"])
    url = f"/clients/{client.public_id}/own-worker/{listed.social_unit.public_id}/"
    assert (
        social.post(
            url,
            {
                "name": "Sari Sosiaalityöntekijä",
                "phone": "040 7654321",
                "reachability": "ma-to klo 9-10",
            },
        ).status_code
        == 302
    )
    assert OwnWorker.objects.get(client=client).phone == "+358407654321"
    kela = browser(listed.users["kela_processor"])
    page = kela.get(f"/clients/{client.public_id}/").content.decode()
    assert "Sari Sosiaalityöntekijä" in page
    assert AuditEvent.objects.filter(
        client=client,
        action="view",
        user=listed.users["kela_processor"],
        detail__has_key="own_workers",
    ).exists()
    # Kela cannot name the social unit's own worker.
    kela_url = f"/clients/{client.public_id}/own-worker/{listed.kela_unit.public_id}/"
    assert kela.post(kela_url, {"name": "X"}).status_code in (302, 403, 404)
    assert OwnWorker.objects.count() == 1


def test_directory_api(listed) -> None:
    key = api_key_issue(unit=listed.kela_unit, name="CMS").plaintext
    http = HttpClient(HTTP_AUTHORIZATION=f"Bearer {key}")
    found = http.get("/api/v1/directory/units", {"q": "kuopio"}).json()
    unit = next(i for i in found["items"] if i["id"] == str(listed.social_unit.public_id))
    assert {c["open_now"] for c in unit["channels"]} == {True, False}
    routed = http.get(
        "/api/v1/directory/route", {"municipality": "297", "topic": "social_assistance"}
    ).json()
    assert routed["units"] == [str(listed.social_unit.public_id)]
    exported = http.get("/api/v1/directory/hsds")
    assert exported.status_code == 200 and isinstance(exported.json(), list)
    assert HttpClient().get("/api/v1/directory/hsds").status_code == 401


def test_callback_api(listed) -> None:
    kela = HttpClient(
        HTTP_AUTHORIZATION="Bearer " + api_key_issue(unit=listed.kela_unit, name="CMS").plaintext
    )
    social = HttpClient(
        HTTP_AUTHORIZATION="Bearer " + api_key_issue(unit=listed.social_unit, name="CMS").plaintext
    )
    body = {
        "unit_id": str(listed.social_unit.public_id),
        "topic": "adult_social_work",
        "phone": "020 692 200",
        "description": "Soittakaa",
    }
    created = kela.post(
        "/api/v1/callbacks",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": "cb-1"},
    )
    again = kela.post(
        "/api/v1/callbacks",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": "cb-1"},
    )
    assert created.status_code == 201 and again.json()["id"] == created.json()["id"]
    request_id = created.json()["id"]
    queue = social.get("/api/v1/callbacks").json()
    assert [i["id"] for i in queue["items"]] == [request_id]
    assert social.post(f"/api/v1/callbacks/{request_id}/claim").json()["status"] == "claimed"
    done = social.post(
        f"/api/v1/callbacks/{request_id}/complete",
        {"outcome": "resolved", "note": "ok"},
        content_type="application/json",
    )
    assert done.json()["outcome"] == "resolved"
    closed = social.post(f"/api/v1/callbacks/{request_id}/claim")
    assert closed.status_code == 409 and closed.json()["code"] == "callback_closed"
    assert kela.get(f"/api/v1/callbacks/{request_id}").json()["status"] == "done"
    assert kela.post(f"/api/v1/callbacks/{request_id}/claim").status_code == 403
