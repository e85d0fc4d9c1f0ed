"""Every role x every meeting page, and every unit's API key x every meeting endpoint.

The scene's shared case (Kela Itä <-> Kuopio) gets a network meeting organised by
Kuopio's social worker with Kela Itä's processor (``scene.py``): Kuopio organises, both
parties see it and add to the agenda, the Kela unit owns the agreed action; every other
unit, and administrators, get 404 (cross-organisation and other-unit access alike).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from silta.meetings.models import Meeting
from silta.meetings.tests.scene import (
    begun_meeting,
    confirmed_meeting,
    future,
    held_meeting,
    new_meeting,
)
from tests.permissions import (
    Endpoint,
    Row,
    Scene,
    api_cases,
    call_api,
    check_api_response,
    check_web_page,
    get,
    post,
    web_cases,
)

pytestmark = pytest.mark.django_db

BUILDERS = {
    "scheduling": new_meeting,
    "confirmed": confirmed_meeting,
    "begun": begun_meeting,
    "held": held_meeting,
}


def meeting(scene: Scene, state: str = "scheduling") -> Meeting:
    """The scene's meeting in ``state``, made once per test (the scene is a copy)."""
    made = scene.__dict__.setdefault("_meetings", {})
    if state not in made:
        made[state] = BUILDERS[state](scene.world, scene.case)
    return made[state]


def _page(name: str, state: str = "scheduling", data: dict[str, Any] | None = None) -> Any:
    def build(scene: Scene, _key: str) -> Any:
        path = reverse(f"meetings:{name}", args=[meeting(scene, state).public_id])
        return post(path, data) if data is not None else get(path)

    return build


def _action_status(scene: Scene, _key: str) -> Any:
    action = meeting(scene, "held").actions.get()
    return post(reverse("meetings:action_status", args=[action.public_id]), {"status": "done"})


TIMES = {
    "time_1": future(20).strftime("%Y-%m-%dT%H:%M"),
    "time_2": future(21).strftime("%Y-%m-%dT%H:%M"),
}
PLACE = {"place_kind": "phone", "place_details": "029 000 000"}
ALL = (200,) * 13
PARTIES = (200, 200, 200, 404, 200, 200, 200, 200, 404, 404, 404, 404, 404)
PARTY_POSTS = (302, 302, 302, 404, 302, 302, 302, 302, 404, 404, 404, 404, 404)
ORGANISER = (403, 403, 403, 404, 302, 302, 302, 302, 404, 404, 404, 404, 404)

# fmt: off
# Columns: Kela Itä processor, advisor, manager, admin | Kuopio worker, counsellor,
# processor, manager, admin | outsiders: Kela Etelä, same county's other unit, other county
# worker, other county manager.
WEB: dict[str, Row] = {
    "m_index": Row(ALL, lambda s, _k: get(reverse("meetings:index"))),
    "m_actions": Row(ALL, lambda s, _k: get(reverse("meetings:actions"))),
    "m_new": Row(PARTIES, lambda s, _k: get(reverse("meetings:new", args=[s.case.public_id]))),
    "m_detail": Row(PARTIES, _page("detail")),
    "m_ics": Row(PARTIES, _page("ics", "confirmed")),
    "m_times": Row(ORGANISER, _page("times", data=TIMES)),
    "m_answer": Row(PARTY_POSTS, _page("answer", data={})),
    "m_confirm": Row(ORGANISER, _page("confirm", data={"starts_at": future(10).isoformat()})),
    "m_place": Row(ORGANISER, _page("place", "confirmed", PLACE)),
    "m_cancel": Row(ORGANISER, _page("cancel", data={"reason": "Peruttu"})),
    "m_agenda": Row(PARTY_POSTS, _page("agenda", data={"text": "Vuokravakuus"})),
    "m_minutes": Row(ORGANISER, _page("minutes", "begun", {"agreed": "x"})),
    "m_action_add": Row(ORGANISER, _page("action_add", "held", {"text": "x"})),
    "m_action_status": Row(PARTY_POSTS, _action_status),
}
# fmt: on


@pytest.mark.parametrize(("endpoint", "key", "expected"), web_cases(WEB))
def test_web_page(client, matrix_scene, endpoint, key, expected):
    check_web_page(client, matrix_scene, WEB[endpoint], endpoint, key, expected)


# --- the API -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingEndpoint(Endpoint):
    """An endpoint naming the scene's meeting (in ``state``) or its agreed action."""

    state: str = "scheduling"

    def request(self, scene: Scene, unit_key: str) -> tuple[str, str, dict[str, Any]]:
        path = self.path
        if "{meeting_id}" in path or "{action_id}" in path:
            found = meeting(scene, self.state)
            action = found.actions.first()
            path = path.format(
                meeting_id=found.public_id, action_id=action.public_id if action else ""
            )
        if self.body is None:
            return self.method, path, {}
        body = json.dumps(self.body(scene, unit_key))
        return self.method, path, {"data": body, "content_type": "application/json"}


def _fixed(body: dict[str, Any]) -> Any:
    return lambda _scene, _key: body


def _answer(scene: Scene, _key: str) -> dict[str, Any]:
    kela = meeting(scene).participants.get(unit=scene.world.kela_unit)
    answers = [{"starts_at": future(10).isoformat(), "answer": "yes"}]
    return {"participant_id": str(kela.public_id), "answers": answers}


def _minutes(scene: Scene, _key: str) -> dict[str, Any]:
    ids = [str(p.public_id) for p in meeting(scene, "begun").participants.all()]
    return {"attended_ids": ids, "client_attended": True, "agreed": "Sovittiin"}


def _create(scene: Scene, _key: str) -> dict[str, Any]:
    return {
        "case_id": str(scene.case.public_id),
        "kind": "tripartite",
        "title": "Yhteistapaaminen",
        "place_kind": "phone",
        "place_details": "029 000 000",
        "times": [future(10).isoformat(), future(11).isoformat()],
    }


API: dict[str, Endpoint] = {
    "m_create": MeetingEndpoint("post", "/api/v1/meetings", body=_create),
    "m_detail": MeetingEndpoint("get", "/api/v1/meetings/{meeting_id}"),
    "m_times": MeetingEndpoint(
        "post",
        "/api/v1/meetings/{meeting_id}/times",
        body=_fixed({"times": [future(20).isoformat(), future(21).isoformat()]}),
    ),
    "m_answer": MeetingEndpoint("post", "/api/v1/meetings/{meeting_id}/answers", body=_answer),
    "m_confirm": MeetingEndpoint(
        "post",
        "/api/v1/meetings/{meeting_id}/confirm",
        body=_fixed({"starts_at": future(10).isoformat()}),
    ),
    "m_place": MeetingEndpoint(
        "post", "/api/v1/meetings/{meeting_id}/place", body=_fixed(PLACE), state="confirmed"
    ),
    "m_cancel": MeetingEndpoint(
        "post", "/api/v1/meetings/{meeting_id}/cancel", body=_fixed({"reason": "Peruttu"})
    ),
    "m_minutes": MeetingEndpoint(
        "post", "/api/v1/meetings/{meeting_id}/minutes", body=_minutes, state="begun"
    ),
    "m_action_list": MeetingEndpoint("get", "/api/v1/meeting-actions"),
    "m_action_status": MeetingEndpoint(
        "post",
        "/api/v1/meeting-actions/{action_id}/status",
        body=_fixed({"status": "done"}),
        state="held",
    ),
}

# fmt: off
#                  key of: kela  social kela2 social2 org2
API_EXPECTED: dict[str, tuple[int, ...]] = {
    "m_create":        (201, 201, 404, 404, 404),
    "m_detail":        (200, 200, 404, 404, 404),
    "m_times":         (403, 200, 404, 404, 404),  # Kuopio organises
    "m_answer":        (200, 403, 404, 404, 404),  # Kela Itä answers for its worker
    "m_confirm":       (403, 200, 404, 404, 404),
    "m_place":         (403, 200, 404, 404, 404),
    "m_cancel":        (403, 200, 404, 404, 404),
    "m_minutes":       (403, 200, 404, 404, 404),
    "m_action_list":   (200, 200, 200, 200, 200),
    "m_action_status": (200, 200, 404, 404, 404),  # the owner (Kela Itä) or the organiser
}
# fmt: on


@pytest.mark.parametrize(("endpoint", "unit_key", "expected"), api_cases(API_EXPECTED))
def test_api_endpoint(client, matrix_scene, endpoint, unit_key, expected):
    response, key = call_api(client, matrix_scene, API[endpoint], unit_key)
    check_api_response(matrix_scene, endpoint, unit_key, response, key, expected)
