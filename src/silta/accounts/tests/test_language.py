"""Pages are Finnish unless the user chose another language; the choice is saved on the
user and applied at sign-in. The browser's Accept-Language is not a choice (the API
still follows it)."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from tests.factories import browser_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _skip_totp(settings):
    settings.SILTA_DEMO_SKIP_TOTP = True


def _lang(response) -> str:
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


def test_first_page_is_finnish_whatever_the_browser_asks() -> None:
    for asked in ("en", "sv", "en-GB,en;q=0.9"):
        page = HttpClient(HTTP_ACCEPT_LANGUAGE=asked).get(reverse("accounts:login"))
        assert _lang(page) == "fi"


def test_switcher_remembers_the_choice_before_sign_in() -> None:
    http = HttpClient(HTTP_ACCEPT_LANGUAGE="en")
    response = http.post(reverse("accounts:language"), {"language": "sv", "next": "/login/"})
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert _lang(http.get(reverse("accounts:login"))) == "sv"
    http.post(reverse("accounts:language"), {"language": "xx"})  # unknown: ignored
    assert _lang(http.get(reverse("accounts:login"))) == "sv"


def test_saved_choice_follows_the_user_to_another_browser(world) -> None:
    user = world.users["kela_processor"]
    first = browser_client("fi")
    first.force_login(user)
    first.post(reverse("accounts:language"), {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"
    other = HttpClient(HTTP_ACCEPT_LANGUAGE="sv")  # no cookie, a Swedish browser
    other.force_login(user)
    page = other.get(reverse("clients:find"))
    assert _lang(page) == "en"


def test_switcher_does_not_redirect_off_site() -> None:
    response = HttpClient().post(
        reverse("accounts:language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("exchange:home")


def test_api_errors_follow_accept_language() -> None:
    fi = HttpClient(HTTP_ACCEPT_LANGUAGE="fi").get("/api/v1/cases").json()
    en = HttpClient(HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/cases").json()
    assert fi["code"] == en["code"]
    assert fi["message"] != en["message"]
