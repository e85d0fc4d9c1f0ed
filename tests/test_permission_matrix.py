"""Every role x every page: own unit vs other unit vs other organisation.

The expected outcome of each (page, user) pair is written out by hand below from the role
table in ``silta.accounts.roles`` and the party relationship of the scene's shared case
(Kela unit ``kela_unit`` <-> social services unit ``social_unit``). Outcomes:

* 200 / 302 -- allowed (a 302 must not be the redirect to the login page);
* 403 -- a party whose role lacks the permission (one "denied" audit row);
* 404 -- not a party, or a role that cannot even view (one "denied" audit row);
* 400 -- an error page, not a refusal (the calendar file of a meeting not yet confirmed).

The anonymous walk at the end sends every URL to the login page.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import get_resolver, resolve, reverse

from silta.audit.models import AuditEvent
from silta.callbacks import services as callbacks
from silta.callbacks.models import CallbackRequest
from silta.directory.models import Channel
from silta.directory.services import ChannelInput, channel_save, service_areas_set
from silta.exchange.models import Attachment, Case, Message, Thread
from silta.organisations.models import Unit
from silta.referrals import services as referrals
from silta.referrals.models import Referral
from tests.factories import ROLE_USERS, World, pdf, test_code

pytestmark = pytest.mark.django_db

# Column order of the table: the users of ``ROLE_USERS``.
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

# fmt: off
# Columns: Kela Itä processor, advisor, manager, admin | Kuopio worker, counsellor,
# processor, manager, admin | outsiders: Kela Etelä, same county's other unit, other county
# worker, other county manager.
WEB_EXPECTED: dict[str, tuple[int, ...]] = {
    "home":           (302, 302, 302, 200,   302, 302, 302, 302, 200,   302, 302, 302, 302),
    "inbox_kela":     (200, 200, 200, 404,   404, 404, 404, 404, 404,   404, 404, 404, 404),
    "inbox_social":   (404, 404, 404, 404,   200, 200, 200, 200, 404,   404, 404, 404, 404),
    "load_kela":      (403, 403, 200, 404,   404, 404, 404, 404, 404,   404, 404, 404, 404),
    "load_social":    (404, 404, 404, 404,   403, 403, 403, 200, 404,   404, 404, 404, 404),
    "client_find":    (200, 200, 200, 200,   200, 200, 200, 200, 200,   200, 200, 200, 200),
    "client_lookup":  (302, 302, 302, 403,   302, 302, 302, 302, 403,   302, 302, 302, 302),
    "client_add":     (302, 403, 302, 403,   302, 302, 302, 302, 403,   302, 302, 302, 302),
    "client_detail":  (200, 200, 200, 404,   200, 200, 200, 200, 404,   200, 200, 200, 200),
    "case_open":      (302, 403, 302, 404,   302, 302, 302, 302, 404,   302, 302, 302, 302),
    "case_detail":    (200, 200, 200, 404,   200, 200, 200, 200, 404,   404, 404, 404, 404),
    "thread_start":   (302, 302, 302, 404,   302, 302, 302, 302, 404,   404, 404, 404, 404),
    "thread_detail":  (200, 200, 200, 404,   200, 200, 200, 200, 404,   404, 404, 404, 404),
    "message_send":   (302, 302, 302, 404,   302, 302, 302, 302, 404,   404, 404, 404, 404),
    "thread_claim":   (302, 302, 302, 404,   302, 302, 302, 302, 404,   404, 404, 404, 404),
    "thread_assign":  (403, 403, 302, 404,   403, 403, 403, 302, 404,   404, 404, 404, 404),
    "thread_status":  (302, 302, 302, 404,   302, 302, 302, 302, 404,   404, 404, 404, 404),
    "download":       (200, 200, 200, 404,   200, 200, 200, 200, 404,   404, 404, 404, 404),
    # The directory is for every signed-in staff member; only the unit's owners (here the
    # Kuopio manager) edit its entry.
    "dir_search":     (200, 200, 200, 200,   200, 200, 200, 200, 200,   200, 200, 200, 200),
    "dir_route":      (200, 200, 200, 200,   200, 200, 200, 200, 200,   200, 200, 200, 200),
    "dir_unit":       (200, 200, 200, 200,   200, 200, 200, 200, 200,   200, 200, 200, 200),
    "dir_about":      (200, 200, 200, 200,   200, 200, 200, 200, 200,   200, 200, 200, 200),
    "dir_verify":     (403, 403, 403, 403,   403, 403, 403, 302, 403,   403, 403, 403, 403),
    "dir_unit_edit":  (403, 403, 403, 403,   403, 403, 403, 200, 403,   403, 403, 403, 403),
    "dir_channel_new": (403, 403, 403, 403,  403, 403, 403, 200, 403,   403, 403, 403, 403),
    "dir_channel_edit": (403, 403, 403, 403, 403, 403, 403, 200, 403,   403, 403, 403, 403),
    "dir_channel_delete": (403, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403, 403, 403),
    # Call-backs: anyone doing case work may ask; the Kuopio unit handles the scene's
    # request from Kela Itä; the requester (or the receiving unit's manager) may cancel.
    "cb_new":         (200, 200, 200, 403,   200, 200, 200, 200, 403,   200, 200, 200, 200),
    "cb_new_client":  (200, 200, 200, 404,   200, 200, 200, 200, 404,   200, 200, 200, 200),
    "cb_detail":      (200, 200, 200, 404,   200, 200, 200, 200, 404,   404, 404, 404, 404),
    "cb_claim":       (403, 403, 403, 404,   302, 302, 302, 302, 404,   404, 404, 404, 404),
    "cb_attempt":     (403, 403, 403, 404,   302, 302, 302, 302, 404,   404, 404, 404, 404),
    "cb_complete":    (403, 403, 403, 404,   302, 302, 302, 302, 404,   404, 404, 404, 404),
    "cb_cancel":      (302, 302, 302, 404,   403, 403, 403, 302, 404,   404, 404, 404, 404),
    "cb_queue":       (404, 404, 404, 404,   200, 200, 200, 200, 404,   404, 404, 404, 404),
    "cb_sent":        (200, 200, 200, 404,   404, 404, 404, 404, 404,   404, 404, 404, 404),
    # Only the client's social services unit names the own worker.
    "own_worker":     (404, 404, 404, 404,   302, 302, 302, 302, 404,   404, 404, 404, 404),
    # Referrals: sending and acting need MESSAGE_SEND in a party unit, seeing a referral
    # CASE_VIEW in its sending (Kela Itä) or receiving (Kuopio) unit.
    "ref_new":        (200, 200, 200, 404,   200, 200, 200, 200, 404,   404, 404, 404, 404),
    "ref_send":       (302, 302, 302, 404,   302, 302, 302, 302, 404,   404, 404, 404, 404),
    "ref_detail":     (200, 200, 200, 404,   200, 200, 200, 200, 404,   404, 404, 404, 404),
    # The receiving unit's actions (state.TRANSITIONS): Kela Itä sent, so it is refused.
    "ref_act_receive": (403, 403, 403, 404,  302, 302, 302, 302, 404,   404, 404, 404, 404),
    "ref_act_accept": (403, 403, 403, 404,   302, 302, 302, 302, 404,   404, 404, 404, 404),
    "ref_act_reject": (403, 403, 403, 404,   302, 302, 302, 302, 404,   404, 404, 404, 404),
    "ref_act_return": (403, 403, 403, 404,   302, 302, 302, 302, 404,   404, 404, 404, 404),
    "ref_act_start":  (403, 403, 403, 404,   302, 302, 302, 302, 404,   404, 404, 404, 404),
    "ref_act_hold":   (403, 403, 403, 404,   302, 302, 302, 302, 404,   404, 404, 404, 404),
    "ref_act_complete": (403, 403, 403, 404, 302, 302, 302, 302, 404,   404, 404, 404, 404),
    # The sending unit's actions: Kuopio is refused.
    "ref_act_resume": (302, 302, 302, 404,   403, 403, 403, 403, 404,   404, 404, 404, 404),
    "ref_act_cancel": (302, 302, 302, 404,   403, 403, 403, 403, 404,   404, 404, 404, 404),
    "ref_act_resend": (302, 302, 302, 404,   403, 403, 403, 403, 404,   404, 404, 404, 404),
    # Both parties take the confirmed meeting to their calendars; before the confirmation
    # the .ics is an error page (400), not a refusal.
    "ref_ics":        (200, 200, 200, 404,   200, 200, 200, 200, 404,   404, 404, 404, 404),
    "ref_ics_unconfirmed": (400, 400, 400, 404, 400, 400, 400, 400, 404, 404, 404, 404, 404),
    # Per-unit lists: Kela Itä's sent, Kuopio's received.
    "ref_sent":       (200, 200, 200, 404,   404, 404, 404, 404, 404,   404, 404, 404, 404),
    "ref_received":   (404, 404, 404, 404,   200, 200, 200, 200, 404,   404, 404, 404, 404),
    # The monthly report is the unit manager's (UNIT_LOAD_VIEW), like the load page:
    # Kuopio's report (HTML and XLSX) and Kela Itä's (CSV).
    "ref_report":     (404, 404, 404, 404,   403, 403, 403, 200, 404,   404, 404, 404, 404),
    "ref_report_csv": (403, 403, 200, 404,   404, 404, 404, 404, 404,   404, 404, 404, 404),
    "ref_report_xlsx": (404, 404, 404, 404,  403, 403, 403, 200, 404,   404, 404, 404, 404),
}
# fmt: on


# The scene's referrals, each sent by Kela Itä to Kuopio on the shared case: its type and
# the steps Kuopio's social worker took on it ("meeting" ends with a confirmed meeting).
# "received" comes with every scene; the others are sent when a row first asks for them.
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
# The fields an action needs besides its name (web form data and API bodies alike).
STEP_FIELDS: dict[str, dict[str, str]] = {
    "reject": {"reason_text": "Ei kuulu yksikölle"},
    "return": {"reason": "wrong_unit"},
    "hold": {"reason_text": "Tarvitaan vuokrasopimus"},
    "complete": {"outcome": "urgent_acted"},
    "cancel": {"reason_text": "Asia hoitui"},
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
    """The world's one shared case (client 0, Kela Itä <-> Kuopio) with a thread and PDF,
    Kuopio's phone channel, Kela Itä's call-back request to Kuopio and referrals."""

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
        if state not in self.referrals:
            self.referrals[state] = _send_referral(self.world, self.case, state)
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
            legal_basis="consent",
        ),
    )
    scene = Scene(world, case, message, thread, message.attachments.get(), channel, callback)
    scene.referral("received")  # a contact from Kela Itä that Kuopio has opened
    return scene


def _send_referral(world: World, case: Case, state: str) -> Referral:
    kind, steps = REFERRAL_STATES[state]
    kela, kuopio = world.actor("kela_processor"), world.actor("social_worker")
    referral = referrals.referral_send(actor=kela, case=case, data=REFERRAL_INPUTS[kind])
    for step in steps:
        confirms = (kind, step) == ("meeting_request", "complete")
        fields = MEETING_CONFIRMED if confirms else STEP_FIELDS.get(step, {})
        act = referrals.ActInput(action=step, **fields)  # type: ignore[arg-type]
        referral = referrals.referral_act(actor=kuopio, referral=referral, data=act)
    return referral


def _case_open_data(scene: Scene, key: str) -> dict[str, str]:
    own = scene.unit_of(key)
    other = scene.world.social_unit if own.is_kela else scene.world.kela_unit
    return {
        "acting_unit": str(own.public_id),
        "counterpart_unit": str(other.public_id),
        "legal_basis": "consent",
    }


def web_request(scene: Scene, page: str, key: str) -> tuple[str, str, dict[str, Any]]:  # noqa: C901
    """(method, path, data) of one page for one user."""
    w, token = scene.world, str(uuid.uuid4())
    thread_id, case_id = scene.thread.public_id, scene.case.public_id
    client_id = w.clients[0].public_id
    if page == "home":
        return "get", reverse("exchange:home"), {}
    if page in ("inbox_kela", "inbox_social", "load_kela", "load_social"):
        name, side = page.split("_")
        unit = w.kela_unit if side == "kela" else w.social_unit
        return "get", reverse(f"exchange:{name}", args=[unit.public_id]), {}
    if page == "client_find":
        return "get", reverse("clients:find"), {}
    if page == "client_lookup":
        return "post", reverse("clients:find"), {"query": w.clients[0].identity_code}
    if page == "client_add":
        data = {
            "identity_code": test_code(777),
            "first_names": "Uusi",
            "last_name": "Asiakas",
            "municipality_code": "297",
        }
        return "post", reverse("clients:add"), data
    if page == "client_detail":
        return "get", reverse("clients:detail", args=[client_id]), {}
    if page == "case_open":
        path = reverse("exchange:case_open", args=[client_id])
        return "post", path, _case_open_data(scene, key)
    if page == "case_detail":
        return "get", reverse("exchange:case", args=[case_id]), {}
    if page == "thread_start":
        data = {"subject": "Uusi aihe", "body": "Viesti", "client_token": token}
        return "post", reverse("exchange:thread_start", args=[case_id]), data
    if page == "thread_detail":
        return "get", reverse("exchange:thread", args=[thread_id]), {}
    if page == "message_send":
        data = {"body": "Vastaus", "client_token": token, "version": scene.thread.version}
        return "post", reverse("exchange:message_send", args=[thread_id]), data
    if page == "thread_claim":
        return "post", reverse("exchange:thread_claim", args=[thread_id]), {}
    if page == "thread_assign":
        return "post", reverse("exchange:thread_assign", args=[thread_id]), {"assignee": ""}
    if page == "thread_status":
        return "post", reverse("exchange:thread_status", args=[thread_id]), {"status": "closed"}
    if page == "download":
        return "get", reverse("exchange:download", args=[scene.attachment.public_id]), {}
    if page.startswith("dir_"):
        return _directory_request(scene, page)
    if page.startswith("cb_"):
        return _callback_request(scene, page)
    if page.startswith("ref_"):
        return _referral_request(scene, page, key)
    if page == "own_worker":
        path = reverse("clients:own_worker", args=[client_id, w.social_unit.public_id])
        return "post", path, {"name": "Sari Sosiaalityöntekijä"}
    raise AssertionError(page)


def _directory_request(scene: Scene, page: str) -> tuple[str, str, dict[str, Any]]:
    unit = scene.world.social_unit
    version = {"version": Unit.objects.get(pk=unit.pk).version}
    ids = [unit.public_id]
    requests: dict[str, tuple[str, str, dict[str, Any]]] = {
        "dir_search": ("get", reverse("directory:search"), {"q": "kuopio"}),
        "dir_route": (
            "get",
            reverse("directory:route"),
            {"municipality": "297", "topic": "social_assistance"},
        ),
        "dir_unit": ("get", reverse("directory:unit", args=ids), {}),
        "dir_about": ("get", reverse("directory:about"), {}),
        "dir_verify": ("post", reverse("directory:verify", args=ids), version),
        "dir_unit_edit": ("get", reverse("directory:unit_edit", args=ids), {}),
        "dir_channel_new": ("get", reverse("directory:channel_new", args=ids), {}),
        "dir_channel_edit": (
            "get",
            reverse("directory:channel_edit", args=[*ids, scene.channel.public_id]),
            {},
        ),
        "dir_channel_delete": (
            "post",
            reverse("directory:channel_delete", args=[*ids, scene.channel.public_id]),
            version,
        ),
    }
    return requests[page]


def _callback_request(scene: Scene, page: str) -> tuple[str, str, dict[str, Any]]:
    w, request_id = scene.world, scene.callback.public_id
    if page == "cb_new":
        return "get", reverse("callbacks:new", args=[w.social_unit.public_id]), {}
    if page == "cb_new_client":
        args = [w.clients[0].public_id, w.social_unit.public_id]
        return "get", reverse("callbacks:new_for_client", args=args), {}
    if page == "cb_queue":
        return "get", reverse("callbacks:queue", args=[w.social_unit.public_id]), {}
    if page == "cb_sent":
        return "get", reverse("callbacks:sent", args=[w.kela_unit.public_id]), {}
    action = page.removeprefix("cb_")
    data = {"complete": {"outcome": "resolved"}, "cancel": {"reason": "Asia hoitui"}}
    method = "get" if action == "detail" else "post"
    return method, reverse(f"callbacks:{action}", args=[request_id]), data.get(action, {})


# Pages of one scene referral: (URL name, the referral's state).
REFERRAL_PAGES = {
    "ref_detail": ("referrals:detail", "requested"),
    "ref_ics": ("referrals:ics", "meeting"),
    "ref_ics_unconfirmed": ("referrals:ics", "received"),
}
# Pages of one unit: (URL name, the world's unit, query).
REFERRAL_UNIT_PAGES: dict[str, tuple[str, str, dict[str, str]]] = {
    "ref_sent": ("referrals:sent", "kela_unit", {}),
    "ref_received": ("referrals:received", "social_unit", {}),
    "ref_report": ("referrals:report", "social_unit", {}),
    "ref_report_csv": ("referrals:report", "kela_unit", {"format": "csv"}),
    "ref_report_xlsx": ("referrals:report", "social_unit", {"format": "xlsx"}),
}


def _referral_request(scene: Scene, page: str, key: str) -> tuple[str, str, dict[str, Any]]:
    if page.startswith("ref_act_"):
        action = page.removeprefix("ref_act_")
        referral = scene.referral(REFERRAL_ACTS[action])
        data = {"action": action, **STEP_FIELDS.get(action, {})}
        return "post", reverse("referrals:act", args=[referral.public_id]), data
    if page in REFERRAL_PAGES:
        name, state = REFERRAL_PAGES[page]
        return "get", reverse(name, args=[scene.referral(state).public_id]), {}
    if page in REFERRAL_UNIT_PAGES:
        name, unit, query = REFERRAL_UNIT_PAGES[page]
        return "get", reverse(name, args=[getattr(scene.world, unit).public_id]), query
    new = reverse("referrals:new", args=[scene.case.public_id])
    if page == "ref_new":
        return "get", new, {}
    send = {**SEND_DATA[scene.unit_of(key).is_kela], "client_token": str(uuid.uuid4())}
    return "post", new, send


def _denied(**filters: Any) -> int:
    return AuditEvent.objects.filter(action="denied", **filters).count()


def test_the_table_covers_every_role_user_and_is_not_trivial():
    assert set(USERS) == set(ROLE_USERS)
    assert all(len(row) == len(USERS) for row in WEB_EXPECTED.values())
    outcomes = {code for row in WEB_EXPECTED.values() for code in row}
    assert outcomes == {200, 302, 400, 403, 404}


@pytest.fixture
def scene(world, settings):  # type: ignore[no-untyped-def]
    # The TOTP sign-in itself is tested elsewhere; here a forced login counts as verified.
    settings.SILTA_DEMO_SKIP_TOTP = True
    return build_scene(world)


WEB_ROWS = [
    pytest.param(page, key, expected[i], id=f"{page}-{key}")
    for page, expected in WEB_EXPECTED.items()
    for i, key in enumerate(USERS)
]


@pytest.mark.parametrize(("endpoint", "key", "expected"), WEB_ROWS)
def test_web_page(client, scene, endpoint, key, expected):
    user = scene.world.users[key]
    client.force_login(user)
    method, path, data = web_request(scene, endpoint, key)
    response = getattr(client, method)(path, data)
    assert response.status_code == expected, (endpoint, key, response.status_code)
    if expected == 302:
        assert not response["Location"].startswith(reverse("accounts:login"))
    if expected in (403, 404):
        assert _denied(user=user) == 1, "a refused request writes exactly one denied row"
        # A refusal changes nothing and shows nothing of the client.
        assert scene.world.clients[0].last_name not in response.content.decode()
    else:
        assert _denied(user=user) == 0


def test_refused_writes_change_nothing(client, scene):
    messages = Message.objects.count()
    client.force_login(scene.world.users["social_other_org"])
    for page in ("thread_start", "message_send", "thread_claim", "thread_status"):
        method, path, data = web_request(scene, page, "social_other_org")
        assert getattr(client, method)(path, data).status_code == 404
    thread = Thread.objects.get(pk=scene.thread.pk)
    assert (thread.status, thread.version, Message.objects.count()) == ("open", 1, messages)
    assert not thread.inbox_entries.exclude(assignee=None).exists()


def test_refused_referral_actions_change_nothing(client, scene):
    """The wrong side (403) and an outsider (404) leave the referral as it was."""
    attempts = {
        "kela_processor": ("ref_act_accept", 403),
        "social_worker": ("ref_act_cancel", 403),
        "social_other_org": ("ref_act_reject", 404),
    }
    requests = {key: web_request(scene, page, key) for key, (page, _code) in attempts.items()}
    before = {r.pk: (r.status, r.version) for r in Referral.objects.all()}
    for key, (_method, path, data) in requests.items():
        client.force_login(scene.world.users[key])
        assert client.post(path, data).status_code == attempts[key][1], key
    assert {r.pk: (r.status, r.version) for r in Referral.objects.all()} == before


def test_unknown_ids_are_404_and_audited_like_other_units_objects(client, scene):
    user = scene.world.users["kela_processor"]
    client.force_login(user)
    missing = uuid.uuid4()
    for name in ("exchange:case", "exchange:thread", "exchange:download", "exchange:inbox"):
        assert client.get(reverse(name, args=[missing])).status_code == 404
    assert _denied(user=user) == 4


# --- coverage and the anonymous walk -----------------------------------------------------

PUBLIC_NAMES = {
    "accounts:login",
    "accounts:totp_enrol",
    "accounts:logout",
    "set_language",
    "healthz",
    "readyz",
}


def _web_patterns() -> dict[str, str]:
    """Every named URL pattern outside the admin and the API, as a path with sample ids."""
    found: dict[str, str] = {}

    def walk(patterns: Any, prefix: str, namespace: str | None) -> None:
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                ns = pattern.namespace or namespace
                if ns not in ("admin", "api"):
                    walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found[name] = "/" + re.sub(
                    r"<(?:(\w+):)?\w+>", _sample, prefix + str(pattern.pattern)
                )

    walk(get_resolver().url_patterns, "", None)
    return found


def _sample(match: re.Match[str]) -> str:
    return {"uuid": str(uuid.uuid4()), "int": "1", "path": "x/y"}.get(match.group(1) or "", "x")


def test_the_role_matrix_covers_every_page(world):
    """A new page needs its rows in WEB_EXPECTED (or a place in PUBLIC_NAMES)."""
    scene = build_scene(world)
    covered = {
        resolve(urlsplit(web_request(scene, endpoint, "kela_processor")[1]).path).view_name
        for endpoint in WEB_EXPECTED
    }
    missing = set(_web_patterns()) - PUBLIC_NAMES - covered
    assert not missing, f"add rows to WEB_EXPECTED for: {sorted(missing)}"


def _anonymous_urls(scene: Scene) -> dict[str, str]:
    """Every non-public URL (with the scene's real ids where the matrix has them)."""
    urls = {name: path for name, path in _web_patterns().items() if name not in PUBLIC_NAMES}
    for endpoint in WEB_EXPECTED:
        path = web_request(scene, endpoint, "kela_processor")[1]
        urls[resolve(path).view_name] = path
    urls["admin:index"] = reverse("admin:index")
    urls["admin:audit"] = reverse("admin:audit_auditevent_changelist")
    return urls


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_walk_redirects_every_page_to_login(client, world, method):
    urls = _anonymous_urls(build_scene(world))
    login, before = reverse("accounts:login"), AuditEvent.objects.count()
    for name, path in urls.items():
        response = getattr(client, method)(path)
        assert response.status_code == 302, name
        assert response["Location"] == f"{login}?next={path}", name
        htmx = getattr(client, method)(path, headers={"HX-Request": "true"})
        assert (htmx.status_code, htmx["HX-Redirect"]) == (204, f"{login}?next={path}"), name
    # Nothing was read, so nothing was audited.
    assert AuditEvent.objects.count() == before


def test_a_password_only_session_is_not_signed_in(client, world, settings):
    """Password without the second factor: still the login page (the OTP is enforced)."""
    settings.SILTA_DEMO_SKIP_TOTP = False
    scene = build_scene(world)
    client.force_login(world.users["kela_processor"])
    path = reverse("exchange:case", args=[scene.case.public_id])
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_public_pages_need_no_login(client, db):
    assert client.get(reverse("accounts:login")).status_code == 200
    assert client.get(reverse("healthz")).json() == {"status": "ok"}
