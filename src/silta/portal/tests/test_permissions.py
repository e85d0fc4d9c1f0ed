"""Every staff role x every page of the client's own view: a staff session is never a
client session, so each page sends staff to the client sign-in (302, not the staff login)
and shows nothing. The client-versus-client and attorney matrix is ``test_probes.py``.

The one staff page of the app, keeping a referral from the client's view, is for the
referral's party units (CASE_VIEW to see it, MESSAGE_SEND to change it), like the
referral page itself.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.urls import reverse

from tests.permissions import USERS, Row, Scene, check_web_page, get, post, web_cases

pytestmark = pytest.mark.django_db

TO_CLIENT_SIGN_IN = (302,) * len(USERS)


def _page(name: str, method: str = "get", data: dict[str, Any] | None = None) -> Any:
    def build(scene: Scene, _key: str) -> Any:
        args = [uuid.uuid4()] if name in ("meeting_calendar", "booking_calendar") else []
        path = reverse(f"portal:{name}", args=args)
        return post(path, data) if method == "post" else get(path)

    return build


def _withholding(data: dict[str, str] | None = None) -> Any:
    def build(scene: Scene, _key: str) -> Any:
        path = reverse("portal:withholding", args=[scene.referral("requested").public_id])
        return post(path, data) if data is not None else get(path)

    return build


# fmt: off
WEB: dict[str, Row] = {
    "home": Row(TO_CLIENT_SIGN_IN, _page("home")),
    "sign_out": Row(TO_CLIENT_SIGN_IN, _page("sign_out", "post")),
    # The sign-out through the identity provider (silta.oidc): the own view's button.
    "provider_sign_out": Row(
        TO_CLIENT_SIGN_IN, lambda scene, key: post(reverse("oidc:client_sign_out"), {})
    ),
    "acting_for": Row(TO_CLIENT_SIGN_IN, _page("acting_for")),
    "acting_for_choose": Row(TO_CLIENT_SIGN_IN, _page("acting_for", "post", {"power": "self"})),
    "meetings": Row(TO_CLIENT_SIGN_IN, _page("meetings")),
    "meeting_request": Row(TO_CLIENT_SIGN_IN, _page("meetings", "post", {"wishes": "x"})),
    "meeting_calendar": Row(TO_CLIENT_SIGN_IN, _page("meeting_calendar")),
    "booking_calendar": Row(TO_CLIENT_SIGN_IN, _page("booking_calendar")),
    "consents": Row(TO_CLIENT_SIGN_IN, _page("consents")),
    "consent_give": Row(TO_CLIENT_SIGN_IN, _page("consent_give", "post", {"agreed": "on"})),
    "consent_revoke": Row(TO_CLIENT_SIGN_IN, _page("consent_revoke", "post", {})),
    "data_use": Row(TO_CLIENT_SIGN_IN, _page("data_use", "post", {})),
    # Columns: Kela Itä processor, advisor, manager, admin | Kuopio worker, counsellor,
    # processor, manager, admin | outsiders.
    "withholding": Row(
        (200, 200, 200, 404,   200, 200, 200, 200, 404,   404, 404, 404, 404),
        _withholding(),
    ),
    "withhold": Row(
        (302, 302, 302, 404,   302, 302, 302, 302, 404,   404, 404, 404, 404),
        _withholding({"withhold": "1", "reason": "child_safety"}),
    ),
}
# fmt: on


@pytest.mark.parametrize("page,key,expected", web_cases(WEB))
def test_staff_on_client_pages(client, matrix_scene, page, key, expected):
    check_web_page(client, matrix_scene, WEB[page], page, key, expected)
    if WEB[page].expected == TO_CLIENT_SIGN_IN:
        method, path, data = WEB[page].request(matrix_scene, key)
        response = getattr(client, method)(path, data)
        assert response["Location"].startswith(reverse("portal:sign_in"))


# The client's own view is pages only: no API operation (issue 13).
API: dict[str, Any] = {}
API_EXPECTED: dict[str, tuple[int, ...]] = {}
