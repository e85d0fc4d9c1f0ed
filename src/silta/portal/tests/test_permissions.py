"""Every staff role x every page of the client's own view: a staff session is never a
client session, so each page sends staff to the client sign-in (302, not the staff login)
and shows nothing. The client-versus-client and attorney matrix is ``test_probes.py``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.permissions import USERS, Row, Scene, check_web_page, get, post, web_cases

pytestmark = pytest.mark.django_db

TO_CLIENT_SIGN_IN = (302,) * len(USERS)


def _page(name: str, method: str = "get", data: dict[str, Any] | None = None) -> Any:
    def build(_scene: Scene, _key: str) -> Any:
        path = reverse(f"portal:{name}")
        return post(path, data) if method == "post" else get(path)

    return build


WEB: dict[str, Row] = {
    "home": Row(TO_CLIENT_SIGN_IN, _page("home")),
    "sign_out": Row(TO_CLIENT_SIGN_IN, _page("sign_out", "post")),
}


@pytest.mark.parametrize("page,key,expected", web_cases(WEB))
def test_staff_on_client_pages(client, matrix_scene, page, key, expected):
    check_web_page(client, matrix_scene, WEB[page], page, key, expected)
    if page != "sign_out":
        response = client.get(WEB[page].request(matrix_scene, key)[1])
        assert response["Location"].startswith(reverse("portal:sign_in"))


# The client's own view is pages only: no API operation (issue 13).
API: dict[str, Any] = {}
API_EXPECTED: dict[str, tuple[int, ...]] = {}
