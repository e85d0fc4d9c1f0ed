"""The shared scene of the permission matrices and the checks every matrix row runs.

Each app's ``tests/test_permissions.py`` writes out, by hand, the expected outcome of its
pages (``WEB``) and API endpoints (``API``) for every role user or unit key, next to a
dictionary of request builders. The scene is built once per module (``matrix_scene`` in
the root conftest) and every case runs in a savepoint that is rolled back, so the cases
stay independent while the world is made once instead of ~980 times.

The scene (``build_scene``): the world's one shared case (client 0, Kela Itä <-> Kuopio)
with a thread and a PDF, Kuopio's phone channel, Kela Itä's call-back request to Kuopio and
one referral from Kela Itä to Kuopio in each state of ``REFERRAL_STATES``. Outcomes:

* 200 / 201 / 302 -- allowed (a 302 must not be the redirect to the login page);
* 403 -- a party whose role lacks the permission (one "denied" audit row);
* 404 -- not a party, or a role that cannot even view (one "denied" audit row);
* 400 / 409 -- an error, not a refusal.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import reverse

from silta.api_keys.services import api_key_issue
from silta.audit.models import AuditEvent
from silta.callbacks import services as callbacks
from silta.callbacks.models import CallbackRequest
from silta.directory.models import Channel
from silta.directory.services import ChannelInput, channel_save, service_areas_set
from silta.exchange.models import Attachment, Case, Message, Thread
from silta.referrals import services as referrals
from silta.referrals.models import Referral
from tests.factories import ROLE_USERS, World, pdf

# Column order of the web tables: the users of ``ROLE_USERS``.
USERS = (
    "kela_processor",
    "kela_advisor",
    "kela_manager",
    "kela_admin",
    "social_worker",
    "social_counsellor",
    "social_processor",
    "social_manager",
    "social_admin",
    "kela_other_unit",
    "social_same_org_other_unit",
    "social_other_org",
    "social_other_org_manager",
)
# Column order of the API tables: one key per unit; the first two are the case's parties.
KEYS = ("kela_unit", "social_unit", "kela_unit2", "social_unit2", "other_social_unit")
PARTIES = {"kela_unit", "social_unit"}

# The scene's referrals, each sent by Kela Itä to Kuopio on the shared case: its type and
# the steps Kuopio's social worker took on it ("meeting" ends with a confirmed meeting).
REFERRAL_STATES: dict[str, tuple[str, tuple[str, ...]]] = {
    "requested": ("contact", ()),
    "received": ("contact", ("receive",)),
    "accepted": ("contact", ("receive", "accept")),
    "in_progress": ("contact", ("receive", "accept", "start")),
    "on_hold": ("contact", ("receive", "accept", "start", "hold")),
    "returned": ("contact", ("receive", "return")),
    "meeting": ("meeting_request", ("receive", "accept", "complete")),
}
REFERRAL_INPUTS = {
    "contact": referrals.ReferralInput(
        type="contact",
        description="Häätöuhka",
        fields={"concerns": ["housing_risk"], "basis": "consented"},
    ),
    "meeting_request": referrals.ReferralInput(
        type="meeting_request",
        description="Yhteinen tapaaminen",
        fields={"proposed_times": "ti klo 10"},
    ),
}
MEETING_CONFIRMED = {
    "outcome": "meeting_confirmed",
    "outcome_date": dt.date(2030, 1, 15),
    "outcome_time": dt.time(10),
    "outcome_text": "Teams",
}
# The fields an action needs besides its name (web form data and API bodies alike; the
# page asks to confirm a reject, return or cancel, the API ignores "confirm").
STEP_FIELDS: dict[str, dict[str, str]] = {
    "reject": {"reason_text": "Ei kuulu yksikölle", "confirm": "on"},
    "return": {"reason": "wrong_unit", "confirm": "on"},
    "hold": {"reason_text": "Tarvitaan vuokrasopimus"},
    "complete": {"outcome": "urgent_acted"},
    "cancel": {"reason_text": "Asia hoitui", "confirm": "on"},
}
# Every action and the scene referral (by state) it is tried on.
REFERRAL_ACTS: dict[str, str] = {
    "receive": "requested",
    "accept": "received",
    "reject": "received",
    "return": "received",
    "start": "accepted",
    "hold": "in_progress",
    "resume": "on_hold",
    "complete": "in_progress",
    "cancel": "received",
    "resend": "returned",
}
# What each side sends (by "is Kela"): Kela a contact, social services urgent handling.
SEND_DATA: dict[bool, dict[str, Any]] = {
    True: {
        "type": "contact",
        "description": "Huoli asiakkaasta",
        "concerns": ["housing_risk"],
        "basis": "consented",
    },
    False: {"type": "urgent_handling", "description": "Ei rahaa lääkkeisiin"},
}


@dataclass
class Scene:
    world: World
    case: Case
    message: Message
    thread: Thread
    attachment: Attachment
    channel: Channel
    callback: CallbackRequest
    referrals: dict[str, Referral] = field(default_factory=dict)

    def unit_of(self, key: str) -> Any:
        return getattr(self.world, ROLE_USERS[key][0])

    def referral(self, state: str) -> Referral:
        """The scene's referral left in ``state`` (see REFERRAL_STATES)."""
        return self.referrals[state]


def build_scene(world: World) -> Scene:
    case = world.open_case()
    message = world.thread(case, files=[pdf()])
    thread = Thread.objects.get(pk=message.thread_id)
    service_areas_set(unit=world.social_unit, topic="social_assistance", municipality_codes=["297"])
    channel = channel_save(
        user=None,
        unit=world.social_unit,
        check_owner=False,
        data=ChannelInput(kind="phone", phone="017 182 000", weekly={}),
    )
    callback = callbacks.callback_request(
        actor=world.actor("kela_processor"),
        requester_unit_id=world.kela_unit.pk,
        unit=world.social_unit,
        client=world.clients[0],
        data=callbacks.CallbackInput(
            topic="adult_social_work",
            urgency="normal",
            phone="020 692 200",
            description="Soittakaa",
        ),
    )
    scene = Scene(world, case, message, thread, message.attachments.get(), channel, callback)
    for state in REFERRAL_STATES:
        scene.referrals[state] = _send_referral(world, case, state)
    return scene


def _send_referral(world: World, case: Case, state: str) -> Referral:
    kind, steps = REFERRAL_STATES[state]
    kela, kuopio = world.actor("kela_processor"), world.actor("social_worker")
    referral = referrals.referral_send(actor=kela, case=case, data=REFERRAL_INPUTS[kind])
    for step in steps:
        confirms = (kind, step) == ("meeting_request", "complete")
        fields = MEETING_CONFIRMED if confirms else STEP_FIELDS.get(step, {})
        act = referrals.ActInput(action=step, **fields)
        referral = referrals.referral_act(actor=kuopio, referral=referral, data=act)
    return referral


# --- web pages ---------------------------------------------------------------------------

# (method, path, data) of one request.
Request = tuple[str, str, dict[str, Any]]
# Builds one page's request for one user (by ``ROLE_USERS`` key) in the scene.
WebBuilder = Callable[[Scene, str], Request]


@dataclass(frozen=True)
class Row:
    """One page or endpoint: the expected status per column and how to ask for it."""

    expected: tuple[int, ...]
    request: Callable[[Scene, str], Any]


def get(path: str, data: dict[str, Any] | None = None) -> Request:
    return "get", path, data or {}


def post(path: str, data: dict[str, Any] | None = None) -> Request:
    return "post", path, data or {}


def web_cases(table: dict[str, Row]) -> list[Any]:
    """The parametrised cases of a web table: one per (page, user)."""
    return [
        pytest.param(page, key, row.expected[i], id=f"{page}-{key}")
        for page, row in table.items()
        for i, key in enumerate(USERS)
    ]


def denied(**filters: Any) -> int:
    return AuditEvent.objects.filter(action="denied", **filters).count()


def check_web_page(client: Any, scene: Scene, row: Row, page: str, key: str, expected: int) -> None:
    user = scene.world.users[key]
    client.force_login(user)
    method, path, data = row.request(scene, key)
    response = getattr(client, method)(path, data)
    assert response.status_code == expected, (page, key, response.status_code)
    if expected == 302:
        assert not response["Location"].startswith(reverse("accounts:login"))
    if expected in (403, 404):
        assert denied(user=user) == 1, "a refused request writes exactly one denied row"
        # A refusal changes nothing and shows nothing of the client.
        assert scene.world.clients[0].last_name not in response.content.decode()
    else:
        assert denied(user=user) == 0


# --- API endpoints -----------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    """One API operation: (method, OpenAPI path) and what goes in its request."""

    method: str
    path: str
    # The JSON body for the calling unit's key (by ``KEYS`` name), if the operation takes one.
    body: Callable[[Scene, str], dict[str, Any]] | None = None
    # Form fields (multipart) or query parameters.
    form: dict[str, str] | None = None
    # The scene referral (by state) a ``{referral_id}`` path names.
    referral: str = "requested"

    def request(self, scene: Scene, unit_key: str) -> tuple[str, str, dict[str, Any]]:
        """(method, path, client kwargs) for one unit's key."""
        ids = {
            "case_id": scene.case.public_id,
            "thread_id": scene.thread.public_id,
            "message_id": scene.message.public_id,
            "attachment_id": scene.attachment.public_id,
            "unit_id": scene.world.social_unit.public_id,
            "request_id": scene.callback.public_id,
            "referral_id": scene.referral(self.referral).public_id,
        }
        path = self.path.format(**ids)
        if self.body is not None:
            body = json.dumps(self.body(scene, unit_key))
            return self.method, path, {"data": body, "content_type": "application/json"}
        if self.form is not None:
            return self.method, path, {"data": self.form}
        return self.method, path, {}


def api_cases(table: dict[str, tuple[int, ...]]) -> list[Any]:
    """The parametrised cases of an API table: one per (endpoint, unit key)."""
    return [
        pytest.param(endpoint, unit_key, row[i], id=f"{endpoint}-{unit_key}")
        for endpoint, row in table.items()
        for i, unit_key in enumerate(KEYS)
    ]


def call_api(client: Any, scene: Scene, endpoint: Endpoint, unit_key: str) -> tuple[Any, Any]:
    """Calls ``endpoint`` with a new key of the unit; (response, the key's ApiKey)."""
    issued = api_key_issue(unit=getattr(scene.world, unit_key), name=f"{unit_key} system")
    method, path, kwargs = endpoint.request(scene, unit_key)
    headers = {"Authorization": f"Bearer {issued.plaintext}"}
    return getattr(client, method)(path, headers=headers, **kwargs), issued.api_key


def check_api_response(
    scene: Scene, name: str, unit_key: str, response: Any, key: Any, expected: int
) -> None:
    assert response.status_code == expected, (name, unit_key, response.content[:200])
    refused = AuditEvent.objects.filter(action="denied", api_key=key)
    if expected in (403, 404):
        assert response.json()["code"] == {403: "forbidden", 404: "not_found"}[expected]
        assert refused.count() == 1, "a refused request writes exactly one denied row"
        assert scene.world.clients[0].last_name not in response.content.decode()
        row = refused.get()
        assert (row.unit, row.user) == (getattr(scene.world, unit_key), None)
    else:
        assert refused.count() == 0


def counts() -> tuple[int, int, int, list[tuple[str, int]]]:
    """Messages, threads and referrals (with their states): a refusal changes none."""
    states = list(Referral.objects.order_by("pk").values_list("status", "version"))
    return Message.objects.count(), Thread.objects.count(), Referral.objects.count(), states


def check_read_only_call(
    client: Any, scene: Scene, endpoint: Endpoint, name: str, unit_key: str, expected: int
) -> None:
    """One call under ``read_only_integration``: a refused write changes nothing."""
    before = counts()
    response, key = call_api(client, scene, endpoint, unit_key)
    check_api_response(scene, name, unit_key, response, key, expected)
    if expected == 403:
        assert counts() == before
