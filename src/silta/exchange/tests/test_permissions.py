"""Every role x every exchange page, and every unit's API key x every exchange endpoint.

The expected outcome of each pair is written out by hand from the role table in
``silta.accounts.roles`` and the party relationship of the scene's shared case (Kela Itä
<-> Kuopio); see ``tests.permissions`` for the scene and what each outcome means.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.urls import reverse

from silta.exchange.models import Message, Thread
from silta.organisations.models import Unit
from tests.permissions import (
    PARTIES,
    Endpoint,
    Request,
    Row,
    Scene,
    api_cases,
    call_api,
    check_api_response,
    check_read_only_call,
    check_web_page,
    denied,
    get,
    post,
    web_cases,
)

pytestmark = pytest.mark.django_db


def _unit_page(name: str, unit: str) -> Any:
    return lambda s, _key: get(reverse(f"exchange:{name}", args=[getattr(s.world, unit).public_id]))


def _opening_basis(own: Unit) -> str:
    """Totul 18 h § (Kela to social services) or 18 b § (social services to Kela)."""
    return "totul_18h" if own.is_kela else "totul_18b"


def _case_open(scene: Scene, key: str) -> Request:
    own = scene.unit_of(key)
    other = scene.world.social_unit if own.is_kela else scene.world.kela_unit
    data = {
        "acting_unit": str(own.public_id),
        "counterpart_unit": str(other.public_id),
        # A statutory basis for the direction, so the row measures the role, not whether
        # the client's consent names the opener's organiser (test_lawful_basis does that).
        "statutory_basis": _opening_basis(own),
    }
    return post(reverse("exchange:case_open", args=[scene.world.clients[0].public_id]), data)


def _own_worker(unit_of: Any) -> Any:
    """Naming the scene client's own worker in ``unit_of(scene, key)``."""

    def build(scene: Scene, key: str) -> Request:
        args = [scene.world.clients[0].public_id, unit_of(scene, key).public_id]
        return post(reverse("exchange:own_worker", args=args), {"name": "Sari Sosiaalityöntekijä"})

    return build


def _thread_start(scene: Scene, _key: str) -> Request:
    data = {"subject": "Uusi aihe", "body": "Viesti", "client_token": str(uuid.uuid4())}
    return post(reverse("exchange:thread_start", args=[scene.case.public_id]), data)


def _message_send(scene: Scene, _key: str) -> Request:
    data = {"body": "Vastaus", "client_token": str(uuid.uuid4()), "version": scene.thread.version}
    return post(reverse("exchange:message_send", args=[scene.thread.public_id]), data)


def _thread_post(name: str, data: dict[str, str]) -> Any:
    return lambda s, _key: post(reverse(f"exchange:{name}", args=[s.thread.public_id]), data)


# fmt: off
# Columns: Kela Itä processor, advisor, manager, admin | Kuopio worker, counsellor,
# processor, manager, admin | outsiders: Kela Etelä, same county's other unit, other county
# worker, other county manager.
WEB: dict[str, Row] = {
    "home": Row(
        (302, 302, 302, 200,   302, 302, 302, 302, 200,   302, 302, 302, 302),
        lambda s, _key: get(reverse("exchange:home")),
    ),
    "inbox_kela": Row(
        (200, 200, 200, 404,   404, 404, 404, 404, 404,   404, 404, 404, 404),
        _unit_page("inbox", "kela_unit"),
    ),
    "inbox_social": Row(
        (404, 404, 404, 404,   200, 200, 200, 200, 404,   404, 404, 404, 404),
        _unit_page("inbox", "social_unit"),
    ),
    "load_kela": Row(
        (403, 403, 200, 404,   404, 404, 404, 404, 404,   404, 404, 404, 404),
        _unit_page("load", "kela_unit"),
    ),
    "load_social": Row(
        (404, 404, 404, 404,   403, 403, 403, 200, 404,   404, 404, 404, 404),
        _unit_page("load", "social_unit"),
    ),
    # Each opens a case between their own unit and the other organisation's scene unit.
    # The other county (Vantaa) has no relation to the Kuopio client: refused.
    "case_open": Row(
        (302, 403, 302, 404,   302, 302, 302, 302, 404,   302, 302, 403, 403),
        _case_open,
    ),
    # Only the client's social services unit names the own worker: the scene's Kuopio unit.
    "own_worker": Row(
        (404, 404, 404, 404,   302, 302, 302, 302, 404,   404, 404, 404, 404),
        _own_worker(lambda s, _key: s.world.social_unit),
    ),
    # Each names one in their own unit: Kela has no own worker to name (403), the county's
    # other unit serves the client's municipality (302), the other county has no relation
    # to the client (403); a role without case opening has no such unit (404).
    "own_worker_own_unit": Row(
        (403, 404, 403, 404,   302, 302, 302, 302, 404,   403, 302, 403, 403),
        _own_worker(lambda s, key: s.unit_of(key)),
    ),
    "case_detail": Row(
        (200, 200, 200, 404,   200, 200, 200, 200, 404,   404, 404, 404, 404),
        lambda s, _key: get(reverse("exchange:case", args=[s.case.public_id])),
    ),
    "thread_start": Row(
        (302, 302, 302, 404,   302, 302, 302, 302, 404,   404, 404, 404, 404),
        _thread_start,
    ),
    "thread_detail": Row(
        (200, 200, 200, 404,   200, 200, 200, 200, 404,   404, 404, 404, 404),
        lambda s, _key: get(reverse("exchange:thread", args=[s.thread.public_id])),
    ),
    "message_send": Row(
        (302, 302, 302, 404,   302, 302, 302, 302, 404,   404, 404, 404, 404),
        _message_send,
    ),
    # Claiming several threads at once from Kela Itä's inbox: its case workers (THREAD_CLAIM).
    "inbox_claim": Row(
        (302, 302, 302, 404,   404, 404, 404, 404, 404,   404, 404, 404, 404),
        lambda s, _key: post(
            reverse("exchange:inbox_claim", args=[s.world.kela_unit.public_id]),
            {"threads": [str(s.thread.public_id)]},
        ),
    ),
    "thread_claim": Row(
        (302, 302, 302, 404,   302, 302, 302, 302, 404,   404, 404, 404, 404),
        _thread_post("thread_claim", {}),
    ),
    "thread_assign": Row(
        (403, 403, 302, 404,   403, 403, 403, 302, 404,   404, 404, 404, 404),
        _thread_post("thread_assign", {"assignee": ""}),
    ),
    "thread_status": Row(
        (302, 302, 302, 404,   302, 302, 302, 302, 404,   404, 404, 404, 404),
        _thread_post("thread_status", {"status": "closed"}),
    ),
    "download": Row(
        (200, 200, 200, 404,   200, 200, 200, 200, 404,   404, 404, 404, 404),
        lambda s, _key: get(reverse("exchange:download", args=[s.attachment.public_id])),
    ),
}
# fmt: on


@pytest.mark.parametrize(("endpoint", "key", "expected"), web_cases(WEB))
def test_web_page(client, matrix_scene, endpoint, key, expected):
    check_web_page(client, matrix_scene, WEB[endpoint], endpoint, key, expected)


def test_refused_writes_change_nothing(client, matrix_scene):
    scene, messages = matrix_scene, Message.objects.count()
    client.force_login(scene.world.users["social_other_org"])
    for page in ("thread_start", "message_send", "thread_claim", "thread_status"):
        method, path, data = WEB[page].request(scene, "social_other_org")
        assert getattr(client, method)(path, data).status_code == 404
    thread = Thread.objects.get(pk=scene.thread.pk)
    assert (thread.status, thread.version, Message.objects.count()) == ("open", 1, messages)
    assert not thread.inbox_entries.exclude(assignee=None).exists()


def test_unknown_ids_are_404_and_audited_like_other_units_objects(client, matrix_scene):
    user = matrix_scene.world.users["kela_processor"]
    client.force_login(user)
    missing = uuid.uuid4()
    for name in ("exchange:case", "exchange:thread", "exchange:download", "exchange:inbox"):
        assert client.get(reverse(name, args=[missing])).status_code == 404
    assert denied(user=user) == 4


# --- the API -----------------------------------------------------------------------------


def _case_open_body(scene: Scene, unit_key: str) -> dict[str, Any]:
    own = getattr(scene.world, unit_key)
    other = scene.world.social_unit if own.is_kela else scene.world.kela_unit
    return {
        "client_id": str(scene.world.clients[0].public_id),
        "counterpart_unit_id": str(other.public_id),
        "statutory_basis": _opening_basis(own),
    }


API: dict[str, Endpoint] = {
    "units": Endpoint("get", "/api/v1/units"),
    "cases_list": Endpoint("get", "/api/v1/cases"),
    "case_open": Endpoint("post", "/api/v1/cases", body=_case_open_body),
    "timeline": Endpoint("get", "/api/v1/cases/{case_id}/timeline"),
    "thread_start": Endpoint(
        "post", "/api/v1/cases/{case_id}/threads", form={"subject": "Aihe", "body": "Viesti"}
    ),
    "message_send": Endpoint(
        "post", "/api/v1/threads/{thread_id}/messages", form={"body": "Vastaus"}
    ),
    "thread_messages": Endpoint("get", "/api/v1/threads/{thread_id}/messages"),
    "mark_read": Endpoint("post", "/api/v1/messages/{message_id}/read"),
    "download": Endpoint("get", "/api/v1/attachments/{attachment_id}"),
}

# fmt: off
#                  key of: kela  social kela2 social2 org2
API_EXPECTED: dict[str, tuple[int, ...]] = {
    "units":           (200, 200, 200, 200, 200),
    "cases_list":      (200, 200, 200, 200, 200),
    # The parties' case exists; others open one, but the other county has no relation to
    # the Kuopio client.
    "case_open":       (200, 200, 201, 201, 403),
    "timeline":        (200, 200, 404, 404, 404),
    "thread_start":    (201, 201, 404, 404, 404),
    "message_send":    (201, 201, 404, 404, 404),
    "thread_messages": (200, 200, 404, 404, 404),
    "mark_read":       (409, 200, 404, 404, 404),  # only the receiving unit marks read
    "download":        (200, 200, 404, 404, 404),
}
# A read-only integration (the role table changed to CASE_VIEW, CLIENT_LOOKUP and
# ATTACHMENT_DOWNLOAD): a party is refused with 403, an outsider still gets 404.
READ_ONLY_EXPECTED: dict[str, tuple[int, ...]] = {
    "case_open":       (403, 403, 403, 403, 403),
    "thread_start":    (403, 403, 404, 404, 404),
    "message_send":    (403, 403, 404, 404, 404),
    "timeline":        (200, 200, 404, 404, 404),
    "download":        (200, 200, 404, 404, 404),
}
# fmt: on


@pytest.mark.parametrize(("endpoint", "unit_key", "expected"), api_cases(API_EXPECTED))
def test_api_endpoint(client, matrix_scene, endpoint, unit_key, expected):
    response, key = call_api(client, matrix_scene, API[endpoint], unit_key)
    check_api_response(matrix_scene, endpoint, unit_key, response, key, expected)
    if endpoint == "cases_list":
        listed = {item["id"] for item in response.json()["items"]}
        assert (str(matrix_scene.case.public_id) in listed) == (unit_key in PARTIES)
    if endpoint == "mark_read" and expected == 409:
        assert response.json()["code"] == "not_recipient"


@pytest.mark.parametrize(("endpoint", "unit_key", "expected"), api_cases(READ_ONLY_EXPECTED))
def test_api_endpoint_for_a_read_only_integration(
    client, matrix_scene, read_only_integration, endpoint, unit_key, expected
):
    check_read_only_call(client, matrix_scene, API[endpoint], endpoint, unit_key, expected)
