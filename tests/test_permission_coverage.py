"""The permission matrices together: every page and API operation has its rows, and
nobody gets anything without signing in or without a valid API key.

The matrices themselves are per app (``silta.<app>.tests.test_permissions``); the scene
and the meaning of each outcome are in ``tests.permissions``.
"""

from __future__ import annotations

import re
import uuid
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import get_resolver, resolve, reverse
from django.utils import timezone

from silta.analytics.tests import test_permissions as analytics
from silta.api_keys.services import api_key_issue
from silta.audit.models import AuditEvent
from silta.bookings.tests import test_permissions as bookings
from silta.callbacks.tests import test_permissions as callbacks
from silta.clients.tests import test_permissions as clients
from silta.config.api import api
from silta.consents.tests import test_permissions as consents
from silta.cooperation.tests import test_permissions as cooperation
from silta.directory.tests import test_permissions as directory
from silta.exchange.tests import test_permissions as exchange
from silta.knowledge.tests import test_permissions as knowledge
from silta.meetings.tests import test_permissions as meetings
from silta.notifications.tests import test_permissions as notifications
from silta.portal.tests import test_permissions as portal
from silta.referrals.tests import test_permissions as referrals
from silta.webhooks.tests import test_permissions as webhooks
from silta.workdays.tests import test_permissions as workdays
from tests.factories import ROLE_USERS
from tests.permissions import KEYS, USERS, Endpoint, Row, Scene, counts

pytestmark = pytest.mark.django_db

APPS: tuple[Any, ...] = (
    exchange,
    clients,
    directory,
    callbacks,
    referrals,
    workdays,
    consents,
    cooperation,
    meetings,
    bookings,
    notifications,
    knowledge,
    analytics,
    portal,
    webhooks,
)
# Keyed by app and row name: two apps may both have a "home" row (a plain merge by row
# name let the client's own view hide the staff home page's rows).
WEB: dict[str, Row] = {
    f"{app.__name__}:{name}": row for app in APPS for name, row in getattr(app, "WEB", {}).items()
}
API: dict[str, Endpoint] = {
    f"{app.__name__}:{name}": e for app in APPS for name, e in app.API.items()
}
API_EXPECTED: dict[str, tuple[int, ...]] = {
    f"{app.__name__}:{name}": row for app in APPS for name, row in app.API_EXPECTED.items()
}


def test_the_tables_cover_every_role_user_and_are_not_trivial():
    assert set(USERS) == set(ROLE_USERS)
    assert all(len(row.expected) == len(USERS) for row in WEB.values())
    outcomes = {code for row in WEB.values() for code in row.expected}
    assert outcomes == {200, 302, 400, 403, 404}
    assert set(API) == set(API_EXPECTED)
    assert all(len(row) == len(KEYS) for row in API_EXPECTED.values())
    for app in APPS:
        assert set(getattr(app, "READ_ONLY_EXPECTED", {})) <= set(app.API), app.__name__


# --- every page --------------------------------------------------------------------------

PUBLIC_NAMES = {
    "accounts:login",
    "accounts:totp_enrol",
    "accounts:logout",
    "set_language",
    # The language switcher: before sign-in it keeps the choice in a cookie.
    "accounts:language",
    "healthz",
    "readyz",
    # The client's own view: where a client without a session starts strong identification.
    "portal:sign_in",
    # Signing in through an identity provider (silta.oidc): the steps before anyone is
    # signed in; each answers only the sign-in itself (tested in silta.oidc.tests).
    "oidc:start",
    "oidc:client_callback",
    "oidc:staff",
    "oidc:staff_callback",
    "oidc:staff_code",
    # The staff's sign-out (like accounts:logout: POST, ends whatever session there is).
    "oidc:staff_sign_out",
}
# The client's own pages send a visitor without a client session to the client sign-in,
# never to the staff login (``silta.portal.session.client_required``).
CLIENT_PREFIX = "/oma/"


def _web_patterns() -> dict[str, str]:
    """Every named URL pattern outside the admin and the API, as a path with sample ids."""
    found: dict[str, str] = {}

    def walk(patterns: Any, prefix: str, namespace: str | None) -> None:
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                ns = pattern.namespace or namespace
                # The FHIR facade takes API keys like the API (silta.fhir.tests).
                if ns not in ("admin", "api", "fhir"):
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


def test_the_role_matrix_covers_every_page(matrix_scene):
    """A new page needs its rows in its app's WEB table (or a place in PUBLIC_NAMES)."""
    covered = {
        resolve(urlsplit(row.request(matrix_scene, "kela_processor")[1]).path).view_name
        for row in WEB.values()
    }
    missing = set(_web_patterns()) - PUBLIC_NAMES - covered
    assert not missing, f"add rows to the app's WEB table for: {sorted(missing)}"


def _anonymous_urls(scene: Scene) -> dict[str, str]:
    """Every non-public URL (with the scene's real ids where the matrix has them)."""
    urls = {name: path for name, path in _web_patterns().items() if name not in PUBLIC_NAMES}
    for row in WEB.values():
        path = row.request(scene, "kela_processor")[1]
        urls[resolve(path).view_name] = path
    urls["admin:index"] = reverse("admin:index")
    urls["admin:audit"] = reverse("admin:audit_auditevent_changelist")
    return urls


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_walk_redirects_every_page_to_login(client, matrix_scene, method):
    urls = _anonymous_urls(matrix_scene)
    before = AuditEvent.objects.count()
    for name, path in urls.items():
        login = reverse("portal:sign_in" if path.startswith(CLIENT_PREFIX) else "accounts:login")
        response = getattr(client, method)(path)
        assert response.status_code == 302, name
        assert response["Location"] == f"{login}?next={path}", name
        htmx = getattr(client, method)(path, headers={"HX-Request": "true"})
        assert (htmx.status_code, htmx["HX-Redirect"]) == (204, f"{login}?next={path}"), name
    # Nothing was read, so nothing was audited.
    assert AuditEvent.objects.count() == before


def test_a_password_only_session_is_not_signed_in(client, matrix_scene, settings):
    """Password without the second factor: still the login page (the OTP is enforced)."""
    settings.SILTA_DEMO_SKIP_TOTP = False
    client.force_login(matrix_scene.world.users["kela_processor"])
    path = reverse("exchange:case", args=[matrix_scene.case.public_id])
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_public_pages_need_no_login(client, db):
    assert client.get(reverse("accounts:login")).status_code == 200
    assert client.get(reverse("healthz")).json() == {"status": "ok"}


# --- every API operation -----------------------------------------------------------------


def test_the_tables_cover_every_api_operation():
    schema = api.get_openapi_schema()
    operations = {(m, p) for p, ops in schema["paths"].items() for m in ops}
    assert operations == {(e.method, e.path) for e in API.values()}
    for path, ops in schema["paths"].items():
        for op in ops.values():
            assert op.get("security"), f"{path} is documented without authentication"


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


def test_every_endpoint_needs_a_valid_api_key(client, matrix_scene):
    scene = matrix_scene
    requests = {name: endpoint.request(scene, "kela_unit") for name, endpoint in API.items()}
    before, state = AuditEvent.objects.count(), counts()
    for label, headers in _bad_credentials(scene).items():
        if label == "web_session_only":
            # A signed-in staff member's session is not an API credential.
            client.force_login(scene.world.users["kela_processor"])
        for name, (method, path, kwargs) in requests.items():
            response = getattr(client, method)(path, headers=headers, **kwargs)
            assert response.status_code == 401, (label, name)
            assert response.json()["code"] == "unauthorized", (label, name)
    assert AuditEvent.objects.count() == before
    assert counts() == state


def test_the_api_schema_and_docs_are_public_and_hold_no_client_data(client, matrix_scene):
    """Decision: the OpenAPI schema describes the interface only, so it is public."""
    schema = client.get("/api/v1/openapi.json")
    docs = client.get("/api/v1/docs")
    assert (schema.status_code, docs.status_code) == (200, 200)
    text = schema.content.decode() + docs.content.decode()
    for person in matrix_scene.world.clients:
        assert person.identity_code not in text and person.last_name not in text
