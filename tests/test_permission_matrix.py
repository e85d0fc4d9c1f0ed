"""Every role x every page: own unit vs other unit vs other organisation.

The expected outcome of each (page, user) pair is written out by hand below from the role
table in ``silta.accounts.roles`` and the party relationship of the scene's shared case
(Kela unit ``kela_unit`` <-> social services unit ``social_unit``). Outcomes:

* 200 / 302 -- allowed (a 302 must not be the redirect to the login page);
* 403 -- a party whose role lacks the permission (one "denied" audit row);
* 404 -- not a party, or a role that cannot even view (one "denied" audit row).

The anonymous walk at the end sends every URL to the login page.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
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
}
# fmt: on


@dataclass
class Scene:
    """The world's one shared case (client 0, Kela Itä <-> Kuopio) with a thread and PDF."""

    world: World
    case: Case
    message: Message
    thread: Thread
    attachment: Attachment
    channel: Channel
    callback: CallbackRequest

    def unit_of(self, key: str) -> Any:
        return getattr(self.world, ROLE_USERS[key][0])


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
    return Scene(world, case, message, thread, message.attachments.get(), channel, callback)


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


def _denied(**filters: Any) -> int:
    return AuditEvent.objects.filter(action="denied", **filters).count()


def test_the_table_covers_every_role_user_and_is_not_trivial():
    assert set(USERS) == set(ROLE_USERS)
    assert all(len(row) == len(USERS) for row in WEB_EXPECTED.values())
    outcomes = {code for row in WEB_EXPECTED.values() for code in row}
    assert outcomes == {200, 302, 403, 404}


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
    client.force_login(scene.world.users["social_other_org"])
    for page in ("thread_start", "message_send", "thread_claim", "thread_status"):
        method, path, data = web_request(scene, page, "social_other_org")
        assert getattr(client, method)(path, data).status_code == 404
    thread = Thread.objects.get(pk=scene.thread.pk)
    assert (thread.status, thread.version, Message.objects.count()) == ("open", 1, 1)
    assert not thread.inbox_entries.exclude(assignee=None).exists()


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
    scene = build_scene(world)
    login, before = reverse("accounts:login"), AuditEvent.objects.count()
    for name, path in _anonymous_urls(scene).items():
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
