"""Every staff role x the client's notification page: a staff session is never a client
session, so the page sends staff to the client sign-in and shows nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.permissions import USERS, Row, Scene, check_web_page, get, post, web_cases

pytestmark = pytest.mark.django_db

TO_CLIENT_SIGN_IN = (302,) * len(USERS)


def _page(method: str) -> Any:
    def build(_scene: Scene, _key: str) -> Any:
        path = reverse("notification_preferences")
        return (
            post(path, {"email": "x@example.fi", "language": "fi"})
            if method == "post"
            else get(path)
        )

    return build


WEB: dict[str, Row] = {
    "preferences": Row(TO_CLIENT_SIGN_IN, _page("get")),
    "preferences_post": Row(TO_CLIENT_SIGN_IN, _page("post")),
}


@pytest.mark.parametrize("page,key,expected", web_cases(WEB))
def test_staff_on_the_notification_page(client, matrix_scene, page, key, expected):
    check_web_page(client, matrix_scene, WEB[page], page, key, expected)
    response = client.get(WEB[page].request(matrix_scene, key)[1])
    assert response["Location"].startswith(reverse("portal:sign_in"))


# The notification adapter has no API of its own; its delivery log is in the admin.
API: dict[str, Any] = {}
API_EXPECTED: dict[str, tuple[int, ...]] = {}
