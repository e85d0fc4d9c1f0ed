"""Every role x every referral page and action, and every unit's API key x every referral
endpoint.

Sending and acting need MESSAGE_SEND in a party unit, seeing a referral CASE_VIEW in its
sending (Kela Itä) or receiving (Kuopio) unit. The scene, with one referral from Kela Itä
to Kuopio in each state, is in ``tests.permissions``.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.urls import reverse

from silta.referrals.models import Referral
from tests.permissions import (
    REFERRAL_ACTS,
    SEND_DATA,
    STEP_FIELDS,
    Endpoint,
    Request,
    Row,
    Scene,
    api_cases,
    call_api,
    check_api_response,
    check_read_only_call,
    check_web_page,
    get,
    post,
    web_cases,
)

pytestmark = pytest.mark.django_db


def _act(action: str) -> Any:
    """A transition, tried on the scene referral in the state it leaves (REFERRAL_ACTS)."""

    def build(scene: Scene, _key: str) -> Request:
        referral = scene.referral(REFERRAL_ACTS[action])
        data = {"action": action, **STEP_FIELDS.get(action, {})}
        return post(reverse("referrals:act", args=[referral.public_id]), data)

    return build


def _referral_page(name: str, state: str) -> Any:
    return lambda s, _key: get(reverse(name, args=[s.referral(state).public_id]))


def _unit_page(name: str, unit: str, query: dict[str, str] | None = None) -> Any:
    return lambda s, _key: get(reverse(name, args=[getattr(s.world, unit).public_id]), query)


def _send(scene: Scene, key: str) -> Request:
    data = {**SEND_DATA[scene.unit_of(key).is_kela], "client_token": str(uuid.uuid4())}
    return post(reverse("referrals:new", args=[scene.case.public_id]), data)


# fmt: off
# Columns: Kela Itä processor, advisor, manager, admin | Kuopio worker, counsellor,
# processor, manager, admin | outsiders: Kela Etelä, same county's other unit, other county
# worker, other county manager.
WEB: dict[str, Row] = {
    "ref_new": Row(
        (200, 200, 200, 404,   200, 200, 200, 200, 404,   404, 404, 404, 404),
        lambda s, _key: get(reverse("referrals:new", args=[s.case.public_id])),
    ),
    "ref_send": Row(
        (302, 302, 302, 404,   302, 302, 302, 302, 404,   404, 404, 404, 404),
        _send,
    ),
    "ref_detail": Row(
        (200, 200, 200, 404,   200, 200, 200, 200, 404,   404, 404, 404, 404),
        _referral_page("referrals:detail", "requested"),
    ),
    # The receiving unit's actions (state.TRANSITIONS): Kela Itä sent, so it is refused.
    **{
        f"ref_act_{action}": Row(
            (403, 403, 403, 404,  302, 302, 302, 302, 404,   404, 404, 404, 404),
            _act(action),
        )
        for action in ("receive", "accept", "reject", "return", "start", "hold", "complete")
    },
    # The sending unit's actions: Kuopio is refused.
    **{
        f"ref_act_{action}": Row(
            (302, 302, 302, 404,   403, 403, 403, 403, 404,   404, 404, 404, 404),
            _act(action),
        )
        for action in ("resume", "cancel", "resend")
    },
    # Both parties take the confirmed meeting to their calendars; before the confirmation
    # the .ics is an error page (400), not a refusal.
    "ref_ics": Row(
        (200, 200, 200, 404,   200, 200, 200, 200, 404,   404, 404, 404, 404),
        _referral_page("referrals:ics", "meeting"),
    ),
    "ref_ics_unconfirmed": Row(
        (400, 400, 400, 404,   400, 400, 400, 400, 404,   404, 404, 404, 404),
        _referral_page("referrals:ics", "received"),
    ),
    # Per-unit lists: Kela Itä's sent, Kuopio's received.
    "ref_sent": Row(
        (200, 200, 200, 404,   404, 404, 404, 404, 404,   404, 404, 404, 404),
        _unit_page("referrals:sent", "kela_unit"),
    ),
    "ref_received": Row(
        (404, 404, 404, 404,   200, 200, 200, 200, 404,   404, 404, 404, 404),
        _unit_page("referrals:received", "social_unit"),
    ),
    # The monthly report is the unit manager's (UNIT_LOAD_VIEW), like the load page:
    # Kuopio's report (HTML and XLSX) and Kela Itä's (CSV).
    "ref_report": Row(
        (404, 404, 404, 404,   403, 403, 403, 200, 404,   404, 404, 404, 404),
        _unit_page("referrals:report", "social_unit"),
    ),
    "ref_report_csv": Row(
        (403, 403, 200, 404,   404, 404, 404, 404, 404,   404, 404, 404, 404),
        _unit_page("referrals:report", "kela_unit", {"format": "csv"}),
    ),
    "ref_report_xlsx": Row(
        (404, 404, 404, 404,   403, 403, 403, 200, 404,   404, 404, 404, 404),
        _unit_page("referrals:report", "social_unit", {"format": "xlsx"}),
    ),
}
# fmt: on


@pytest.mark.parametrize(("endpoint", "key", "expected"), web_cases(WEB))
def test_web_page(client, matrix_scene, endpoint, key, expected):
    check_web_page(client, matrix_scene, WEB[endpoint], endpoint, key, expected)


def test_refused_referral_actions_change_nothing(client, matrix_scene):
    """The wrong side (403) and an outsider (404) leave the referral as it was."""
    attempts = {
        "kela_processor": ("ref_act_accept", 403),
        "social_worker": ("ref_act_cancel", 403),
        "social_other_org": ("ref_act_reject", 404),
    }
    requests = {key: WEB[page].request(matrix_scene, key) for key, (page, _) in attempts.items()}
    before = {r.pk: (r.status, r.version) for r in Referral.objects.all()}
    for key, (_method, path, data) in requests.items():
        client.force_login(matrix_scene.world.users[key])
        assert client.post(path, data).status_code == attempts[key][1], key
    assert {r.pk: (r.status, r.version) for r in Referral.objects.all()} == before


# --- the API -----------------------------------------------------------------------------


def _create_body(scene: Scene, unit_key: str) -> dict[str, Any]:
    own = getattr(scene.world, unit_key)
    return {"case_id": str(scene.case.public_id), **SEND_DATA[own.is_kela]}


def _transition(action: str) -> Endpoint:
    return Endpoint(
        "post",
        "/api/v1/referrals/{referral_id}/transitions",
        body=lambda _scene, _key: {"action": action, **STEP_FIELDS.get(action, {})},
        referral=REFERRAL_ACTS[action],
    )


API: dict[str, Endpoint] = {
    "ref_create": Endpoint("post", "/api/v1/referrals", body=_create_body),
    "ref_list": Endpoint("get", "/api/v1/referrals"),
    # The detail reads the referral Kuopio has not opened yet.
    "ref_detail": Endpoint("get", "/api/v1/referrals/{referral_id}", referral="requested"),
    **{f"ref_{action}": _transition(action) for action in REFERRAL_ACTS},
}

# fmt: off
#                  key of: kela  social kela2 social2 org2
API_EXPECTED: dict[str, tuple[int, ...]] = {
    "ref_create":      (201, 201, 404, 404, 404),
    "ref_list":        (200, 200, 200, 200, 200),  # the key's own unit's received referrals
    "ref_detail":      (200, 200, 404, 404, 404),  # Kuopio's first read records the receipt
    # Each side may do its own transitions.
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
}
# A read-only integration: a party is refused with 403, an outsider still gets 404.
READ_ONLY_EXPECTED: dict[str, tuple[int, ...]] = {
    "ref_create":      (403, 403, 404, 404, 404),
    "ref_list":        (200, 200, 200, 200, 200),
    "ref_detail":      (200, 200, 404, 404, 404),  # reading needs no MESSAGE_SEND
    "ref_accept":      (403, 403, 404, 404, 404),
    "ref_cancel":      (403, 403, 404, 404, 404),
}
# fmt: on


@pytest.mark.parametrize(("endpoint", "unit_key", "expected"), api_cases(API_EXPECTED))
def test_api_endpoint(client, matrix_scene, endpoint, unit_key, expected):
    response, key = call_api(client, matrix_scene, API[endpoint], unit_key)
    check_api_response(matrix_scene, endpoint, unit_key, response, key, expected)
    if endpoint == "ref_list":
        listed = {item["id"] for item in response.json()["items"]}
        received = str(matrix_scene.referral("received").public_id)
        assert (received in listed) == (unit_key == "social_unit")


@pytest.mark.parametrize(("endpoint", "unit_key", "expected"), api_cases(READ_ONLY_EXPECTED))
def test_api_endpoint_for_a_read_only_integration(
    client, matrix_scene, read_only_integration, endpoint, unit_key, expected
):
    check_read_only_call(client, matrix_scene, API[endpoint], endpoint, unit_key, expected)
