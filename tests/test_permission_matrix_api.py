"""Every API endpoint x every unit's API key: party units vs other unit vs other organisation.

An API key acts for its unit with the ``INTEGRATION`` role (all case work except claiming,
assigning and the load view). The expected outcomes are written out by hand below for the
scene of ``tests.test_permission_matrix`` (one case Kela Itä <-> Kuopio, one thread sent by
Kela with a PDF, referrals Kela Itä sent to Kuopio). A 404 is ``{"code": "not_found"}`` with
one "denied" audit row.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import timezone

from silta.accounts.roles import ROLE_PERMISSIONS, Perm, Role
from silta.api_keys.services import api_key_issue
from silta.audit.models import AuditEvent
from silta.config.api import api
from silta.exchange.models import Message, Thread
from silta.referrals.models import Referral
from tests.factories import test_code
from tests.test_permission_matrix import (
    REFERRAL_ACTS,
    SEND_DATA,
    STEP_FIELDS,
    Scene,
    build_scene,
)

pytestmark = pytest.mark.django_db

KEYS = ("kela_unit", "social_unit", "kela_unit2", "social_unit2", "other_social_unit")
PARTIES = {"kela_unit", "social_unit"}

# (method, OpenAPI path) of each endpoint.
ENDPOINTS = {
    "units": ("get", "/api/v1/units"),
    "cases_list": ("get", "/api/v1/cases"),
    "client_lookup": ("post", "/api/v1/clients/lookup"),
    "client_create": ("post", "/api/v1/clients"),
    "case_open": ("post", "/api/v1/cases"),
    "timeline": ("get", "/api/v1/cases/{case_id}/timeline"),
    "thread_start": ("post", "/api/v1/cases/{case_id}/threads"),
    "message_send": ("post", "/api/v1/threads/{thread_id}/messages"),
    "thread_messages": ("get", "/api/v1/threads/{thread_id}/messages"),
    "mark_read": ("post", "/api/v1/messages/{message_id}/read"),
    "download": ("get", "/api/v1/attachments/{attachment_id}"),
    "dir_units": ("get", "/api/v1/directory/units"),
    "dir_unit": ("get", "/api/v1/directory/units/{unit_id}"),
    "dir_route": ("get", "/api/v1/directory/route"),
    "dir_hsds": ("get", "/api/v1/directory/hsds"),
    "cb_create": ("post", "/api/v1/callbacks"),
    "cb_list": ("get", "/api/v1/callbacks"),
    "cb_detail": ("get", "/api/v1/callbacks/{request_id}"),
    "cb_claim": ("post", "/api/v1/callbacks/{request_id}/claim"),
    "cb_attempt": ("post", "/api/v1/callbacks/{request_id}/attempt"),
    "cb_complete": ("post", "/api/v1/callbacks/{request_id}/complete"),
    "cb_cancel": ("post", "/api/v1/callbacks/{request_id}/cancel"),
    "ref_create": ("post", "/api/v1/referrals"),
    "ref_list": ("get", "/api/v1/referrals"),
    "ref_detail": ("get", "/api/v1/referrals/{referral_id}"),
    **{
        f"ref_{action}": ("post", "/api/v1/referrals/{referral_id}/transitions")
        for action in REFERRAL_ACTS
    },
    "cal_due_date": ("get", "/api/v1/calendar/due-date"),
    "cal_working_days": ("get", "/api/v1/calendar/working-days"),
}

# fmt: off
#                  key of: kela  social kela2 social2 org2
API_EXPECTED: dict[str, tuple[int, ...]] = {
    "units":           (200, 200, 200, 200, 200),
    "cases_list":      (200, 200, 200, 200, 200),
    "client_lookup":   (200, 200, 200, 200, 200),
    "client_create":   (201, 201, 201, 201, 201),
    "case_open":       (200, 200, 201, 201, 201),  # the parties' case exists; others open one
    "timeline":        (200, 200, 404, 404, 404),
    "thread_start":    (201, 201, 404, 404, 404),
    "message_send":    (201, 201, 404, 404, 404),
    "thread_messages": (200, 200, 404, 404, 404),
    "mark_read":       (409, 200, 404, 404, 404),  # only the receiving unit marks read
    "download":        (200, 200, 404, 404, 404),
    "dir_units":       (200, 200, 200, 200, 200),
    "dir_unit":        (200, 200, 200, 200, 200),
    "dir_route":       (200, 200, 200, 200, 200),
    "dir_hsds":        (200, 200, 200, 200, 200),
    "cb_create":       (201, 201, 201, 201, 201),
    "cb_list":         (200, 200, 200, 200, 200),
    "cb_detail":       (200, 200, 404, 404, 404),  # Kela Itä asked Kuopio to call
    "cb_claim":        (403, 200, 404, 404, 404),
    "cb_attempt":      (403, 200, 404, 404, 404),
    "cb_complete":     (403, 200, 404, 404, 404),
    "cb_cancel":       (200, 403, 404, 404, 404),  # the requester cancels
    # Referrals sent by Kela Itä to Kuopio: each side may do its own transitions.
    "ref_create":      (201, 201, 404, 404, 404),
    "ref_list":        (200, 200, 200, 200, 200),  # the key's own unit's received referrals
    "ref_detail":      (200, 200, 404, 404, 404),  # Kuopio's first read records the receipt
    "ref_receive":     (403, 200, 404, 404, 404),
    "ref_accept":      (403, 200, 404, 404, 404),
    "ref_reject":      (403, 200, 404, 404, 404),
    "ref_return":      (403, 200, 404, 404, 404),
    "ref_start":       (403, 200, 404, 404, 404),
    "ref_hold":        (403, 200, 404, 404, 404),
    "ref_complete":    (403, 200, 404, 404, 404),
    "ref_resume":      (200, 403, 404, 404, 404),  # the sender's transitions
    "ref_cancel":      (200, 403, 404, 404, 404),
    "ref_resend":      (200, 403, 404, 404, 404),
    # The working-day calendar holds no client data: every key may count.
    "cal_due_date":    (200, 200, 200, 200, 200),
    "cal_working_days": (200, 200, 200, 200, 200),
}
# A read-only integration (the role table changed to CASE_VIEW, CLIENT_LOOKUP and
# ATTACHMENT_DOWNLOAD): a party is refused with 403, an outsider still gets 404.
READ_ONLY_EXPECTED: dict[str, tuple[int, ...]] = {
    "client_create":   (403, 403, 403, 403, 403),
    "case_open":       (403, 403, 403, 403, 403),
    "thread_start":    (403, 403, 404, 404, 404),
    "message_send":    (403, 403, 404, 404, 404),
    "timeline":        (200, 200, 404, 404, 404),
    "download":        (200, 200, 404, 404, 404),
    "ref_create":      (403, 403, 404, 404, 404),
    "ref_list":        (200, 200, 200, 200, 200),
    "ref_detail":      (200, 200, 404, 404, 404),  # reading needs no MESSAGE_SEND
    "ref_accept":      (403, 403, 404, 404, 404),
    "ref_cancel":      (403, 403, 404, 404, 404),
}
# fmt: on


def _json_bodies(scene: Scene, unit_key: str) -> dict[str, Any]:
    """The JSON body of each endpoint that takes one."""
    w = scene.world
    own = getattr(w, unit_key)
    other = w.social_unit if own.is_kela else w.kela_unit
    return {
        "client_lookup": {"identity_code": w.clients[0].identity_code},
        "client_create": {
            "identity_code": test_code(778),
            "first_names": "Uusi",
            "last_name": "Asiakas",
            "municipality_code": "297",
        },
        "case_open": {
            "client_id": str(w.clients[0].public_id),
            "counterpart_unit_id": str(other.public_id),
            "legal_basis": "consent",
        },
        "cb_create": {
            "unit_id": str(w.social_unit.public_id),
            "topic": "adult_social_work",
            "phone": "020 692 200",
            "description": "Soittakaa",
        },
        "cb_complete": {"outcome": "resolved"},
        "cb_cancel": {"reason": "Asia hoitui"},
        "ref_create": {"case_id": str(scene.case.public_id), **SEND_DATA[own.is_kela]},
        **{
            f"ref_{action}": {"action": action, **STEP_FIELDS.get(action, {})}
            for action in REFERRAL_ACTS
        },
    }


# Form fields (multipart) or query parameters of the other endpoints that take data.
FORM_DATA: dict[str, dict[str, str]] = {
    "thread_start": {"subject": "Aihe", "body": "Viesti"},
    "message_send": {"body": "Vastaus"},
    "dir_units": {"q": "kuopio"},
    "dir_route": {"municipality": "297", "topic": "social_assistance"},
    "cal_due_date": {"start": "2025-12-05", "working_days": "7"},
    "cal_working_days": {"from": "2025-12-01", "to": "2025-12-31"},
}


# The scene referral (by state) each transition is tried on; the detail reads the one
# Kuopio has not opened yet.
REFERRAL_OF = {**REFERRAL_ACTS, "detail": "requested"}


def api_request(scene: Scene, endpoint: str, unit_key: str) -> tuple[str, str, dict[str, Any]]:
    """(method, path, client kwargs) of one endpoint for one unit's key."""
    w = scene.world
    method, template = ENDPOINTS[endpoint]
    ids = {
        "case_id": scene.case.public_id,
        "thread_id": scene.thread.public_id,
        "message_id": scene.message.public_id,
        "attachment_id": scene.attachment.public_id,
        "unit_id": w.social_unit.public_id,
        "request_id": scene.callback.public_id,
    }
    if "{referral_id}" in template:
        state = REFERRAL_OF.get(endpoint.removeprefix("ref_"), "requested")
        ids["referral_id"] = scene.referral(state).public_id
    path = template.format(**ids)
    body = _json_bodies(scene, unit_key).get(endpoint)
    if body is not None:
        return method, path, {"data": json.dumps(body), "content_type": "application/json"}
    if endpoint in FORM_DATA:
        return method, path, {"data": FORM_DATA[endpoint]}
    return method, path, {}


@pytest.fixture
def scene(world) -> Scene:  # type: ignore[no-untyped-def]
    return build_scene(world)


def _call(client: Any, scene: Scene, endpoint: str, unit_key: str) -> tuple[Any, Any]:
    issued = api_key_issue(unit=getattr(scene.world, unit_key), name=f"{unit_key} system")
    method, path, kwargs = api_request(scene, endpoint, unit_key)
    headers = {"Authorization": f"Bearer {issued.plaintext}"}
    return getattr(client, method)(path, headers=headers, **kwargs), issued.api_key


def _check(
    scene: Scene, endpoint: str, unit_key: str, response: Any, key: Any, expected: int
) -> None:
    assert response.status_code == expected, (endpoint, unit_key, response.content[:200])
    denied = AuditEvent.objects.filter(action="denied", api_key=key)
    if expected in (403, 404):
        assert response.json()["code"] == {403: "forbidden", 404: "not_found"}[expected]
        assert denied.count() == 1, "a refused request writes exactly one denied row"
        assert scene.world.clients[0].last_name not in response.content.decode()
        row = denied.get()
        assert (row.unit, row.user) == (getattr(scene.world, unit_key), None)
    else:
        assert denied.count() == 0


@pytest.mark.parametrize(
    ("endpoint", "unit_key", "expected"),
    [
        pytest.param(e, k, row[i], id=f"{e}-{k}")
        for e, row in API_EXPECTED.items()
        for i, k in enumerate(KEYS)
    ],
)
def test_api_endpoint(client, scene, endpoint, unit_key, expected):
    response, key = _call(client, scene, endpoint, unit_key)
    _check(scene, endpoint, unit_key, response, key, expected)
    if endpoint == "cases_list":
        listed = {item["id"] for item in response.json()["items"]}
        assert (str(scene.case.public_id) in listed) == (unit_key in PARTIES)
    if endpoint == "mark_read" and expected == 409:
        assert response.json()["code"] == "not_recipient"
    if endpoint == "ref_list":
        listed = {item["id"] for item in response.json()["items"]}
        assert (str(scene.referral("received").public_id) in listed) == (unit_key == "social_unit")


@pytest.mark.parametrize(
    ("endpoint", "unit_key", "expected"),
    [
        pytest.param(e, k, row[i], id=f"{e}-{k}")
        for e, row in READ_ONLY_EXPECTED.items()
        for i, k in enumerate(KEYS)
    ],
)
def test_api_endpoint_for_a_read_only_integration(
    client, scene, monkeypatch, endpoint, unit_key, expected
):
    read_only = frozenset({Perm.CASE_VIEW, Perm.CLIENT_LOOKUP, Perm.ATTACHMENT_DOWNLOAD})
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.INTEGRATION, read_only)
    api_request(scene, endpoint, unit_key)  # the scene's referrals are in place
    counts = _counts()
    response, key = _call(client, scene, endpoint, unit_key)
    _check(scene, endpoint, unit_key, response, key, expected)
    if expected == 403:
        assert _counts() == counts


def _counts() -> tuple[int, int, int, list[tuple[str, int]]]:
    """Messages, threads and referrals (with their states): a refusal changes none."""
    states = list(Referral.objects.order_by("pk").values_list("status", "version"))
    return Message.objects.count(), Thread.objects.count(), Referral.objects.count(), states


def test_the_tables_cover_every_api_operation():
    schema = api.get_openapi_schema()
    operations = {(m, p) for p, ops in schema["paths"].items() for m in ops}
    assert operations == set(ENDPOINTS.values())
    assert all(len(row) == len(KEYS) for row in API_EXPECTED.values())
    for path, ops in schema["paths"].items():
        for op in ops.values():
            assert op.get("security"), f"{path} is documented without authentication"


# --- without a valid key ----------------------------------------------------------------


def _bad_credentials(scene: Scene) -> dict[str, dict[str, str]]:
    revoked = api_key_issue(unit=scene.world.kela_unit, name="old")
    revoked.api_key.revoked_at = timezone.now()
    revoked.api_key.save()
    inactive = api_key_issue(unit=scene.world.social_unit2, name="closed unit")
    scene.world.social_unit2.is_active = False
    scene.world.social_unit2.save()
    valid = api_key_issue(unit=scene.world.kela_unit, name="ok").plaintext
    return {
        "none": {},
        "garbage": {"Authorization": "Bearer nonsense"},
        "wrong_secret": {"Authorization": f"Bearer {valid[:-4]}AAAA"},
        "basic": {"Authorization": "Basic a2VsYTpzZWNyZXQ="},
        "revoked": {"Authorization": f"Bearer {revoked.plaintext}"},
        "inactive_unit": {"Authorization": f"Bearer {inactive.plaintext}"},
        "web_session_only": {},
    }


def test_every_endpoint_needs_a_valid_api_key(client, scene, settings):
    settings.SILTA_DEMO_SKIP_TOTP = True
    requests = {endpoint: api_request(scene, endpoint, "kela_unit") for endpoint in ENDPOINTS}
    before, counts = AuditEvent.objects.count(), _counts()
    for label, headers in _bad_credentials(scene).items():
        if label == "web_session_only":
            # A signed-in staff member's session is not an API credential.
            client.force_login(scene.world.users["kela_processor"])
        for endpoint, (method, path, kwargs) in requests.items():
            response = getattr(client, method)(path, headers=headers, **kwargs)
            assert response.status_code == 401, (label, endpoint)
            assert response.json()["code"] == "unauthorized", (label, endpoint)
    assert AuditEvent.objects.count() == before
    assert _counts() == counts


def test_the_api_schema_and_docs_are_public_and_hold_no_client_data(client, scene):
    """Decision: the OpenAPI schema describes the interface only, so it is public."""
    schema = client.get("/api/v1/openapi.json")
    docs = client.get("/api/v1/docs")
    assert (schema.status_code, docs.status_code) == (200, 200)
    text = schema.content.decode() + docs.content.decode()
    for person in scene.world.clients:
        assert person.identity_code not in text and person.last_name not in text
