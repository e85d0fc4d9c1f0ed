"""No identity code in any URL the app generates: crawl the demo as each demo user.

The demo data is loaded, each demo user signs in with password and one-time code, and a
breadth-first crawl (GET only, same site) collects every URL the pages carry (href, src,
form action, hx-* attributes) and every redirect Location. None may hold an identity code,
neither one of the clients' codes nor anything shaped like one; nor may any log record
emitted meanwhile. Identity codes travel only in POST bodies, so the search forms are POST.
"""

from __future__ import annotations

import json
import logging
import re
from collections import deque
from html.parser import HTMLParser
from io import StringIO
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from silta.accounts.models import User
from silta.api_keys.services import api_key_issue
from silta.clients.models import Client
from silta.demo import data
from silta.organisations.models import Unit
from tests.factories import test_code

pytestmark = pytest.mark.django_db

# DDMMYY, century sign, individual number, check character; case-insensitive.
CODE_SHAPE = re.compile(r"(?<![0-9a-z])\d{6}[-+a-fu-y]\d{3}[0-9a-y](?![0-9a-z])", re.IGNORECASE)
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "hx-get",
    "hx-post",
    "hx-put",
    "hx-patch",
    "hx-delete",
    "hx-push-url",
    "hx-replace-url",
    "data-url",
}
REDIRECTS = {301, 302, 303, 307, 308}
PAGE_LIMIT = 300
SKIP_PREFIXES = ("/logout/", "/admin/logout/", "/static/", "/i18n/")
DEMO_USERS = [row[0] for row in data.USERS]


class UrlCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str]] = []  # (attribute, value)
        self.forms: list[tuple[str, str]] = []  # (method, action)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name in URL_ATTRIBUTES:
                self.urls.append((name, value))
        if tag == "form":
            self.forms.append((values.get("method", "get").lower(), values.get("action", "")))


def leaks(url: str, codes: set[str]) -> list[str]:
    """The identity codes (or code-shaped strings) in a URL, after percent-decoding."""
    text = unquote(unquote(url)).upper()
    found = [code for code in codes if code in text]
    return found + CODE_SHAPE.findall(text)


@pytest.fixture(scope="module")
def demo_codes(module_db, django_db_blocker) -> set[str]:
    """The demo data, seeded once for the module (each test's changes are rolled back)."""
    with django_db_blocker.unblock():
        call_command("demo_seed", stdout=StringIO())
        codes = set(Client.objects.values_list("identity_code", flat=True))
    assert len(codes) == 20
    return codes


@pytest.fixture
def demo(demo_codes, db, settings):  # type: ignore[no-untyped-def]
    settings.SILTA_DEMO_SKIP_TOTP = False
    return set(demo_codes)


def sign_in(client: Any, username: str) -> None:
    """The real sign-in: password and the current one-time code of the demo device."""
    device = TOTPDevice.objects.get(user__username=username)
    token = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    response = client.post(
        reverse("accounts:login"),
        {"username": username, "password": data.DEMO_PASSWORD, "otp_token": f"{token:06d}"},
    )
    assert response.status_code == 302, response.content[:500]
    assert response["Location"] == reverse("exchange:home")


def _same_site(base: str, value: str) -> str | None:
    url, _fragment = urldefrag(urljoin(base, value))
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _outgoing(path: str, response: Any) -> list[tuple[str, str, bool]]:
    """(where, url, follow?) for every URL a response carries."""
    if response.status_code in REDIRECTS:
        return [(f"Location from {path}", response["Location"], True)]
    assert response.status_code == 200, (path, response.status_code)
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    parser = UrlCollector()
    parser.feed(response.content.decode())
    found = [(f"{a} on {path}", url, a in ("href", "hx-get")) for a, url in parser.urls]
    found += [(f"form on {path}", url or path, m == "get") for m, url in parser.forms]
    return found


def crawl(client: Any, codes: set[str], start: str = "/") -> tuple[int, list[str], list[str]]:
    """Visit up to PAGE_LIMIT pages; return (pages, every URL seen, the leaking ones)."""
    queue, visited, seen, leaking = deque([start]), set(), [], []
    while queue and len(visited) < PAGE_LIMIT:
        path = queue.popleft()
        if path in visited or path.startswith(SKIP_PREFIXES):
            continue
        visited.add(path)
        for where, url, follow in _outgoing(path, client.get(path)):
            seen.append(url)
            if leaks(url, codes):
                leaking.append(f"{where}: {url}")
            target = _same_site(path, url)
            if follow and target:
                queue.append(target)
    return len(visited), seen, leaking


@pytest.mark.parametrize("username", DEMO_USERS)
def test_crawl_as_each_demo_user_finds_no_identity_code_in_any_url(client, demo, caplog, username):
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    sign_in(client, username)
    pages, urls, leaking = crawl(client, demo)
    assert leaking == []
    # The crawl really went through the app, not just the front page.
    user = User.objects.get(username=username)
    # (A demo user may serve in two units: Kela's service advisor also at its service point.)
    if {m.role for m in user.memberships.all()} == {"organisation_admin"}:
        assert any(url.startswith("/admin/") for url in urls)
        assert pages >= 10
    else:
        assert any("/threads/" in url for url in urls)
        assert any("/cases/" in url for url in urls)
        assert any("/attachments/" in url for url in urls)
    logged = "\n".join(_log_text(record) for record in caplog.records)
    assert [code for code in demo if code in logged.upper()] == []
    assert CODE_SHAPE.findall(logged) == []


def _log_text(record: logging.LogRecord) -> str:
    parts = [record.getMessage(), str(record.args or ""), record.exc_text or ""]
    request = getattr(record, "request", None)
    if request is not None:
        parts.append(request.get_full_path())
    return " ".join(parts)


def test_the_search_forms_send_the_identity_code_in_a_post_body(client, demo):
    sign_in(client, "kela.kasittelija")
    find = reverse("clients:find")
    parser = UrlCollector()
    parser.feed(client.get(find).content.decode())
    assert ("post", find) in parser.forms
    assert ("get", find) not in parser.forms
    unit = Unit.objects.get(name_fi__startswith="Kela, Itäinen")
    inbox = reverse("exchange:inbox", args=[unit.public_id])
    parser = UrlCollector()
    parser.feed(client.get(inbox).content.decode())
    assert ("post", inbox) in parser.forms
    assert ("hx-post", inbox) in parser.urls
    # A GET with the code in the query string is not a search: it is ignored.
    code = sorted(demo)[0]
    response = client.get(find, {"query": code})
    assert response.status_code == 200 and code not in response.content.decode()


def test_searching_by_identity_code_leads_to_opaque_urls_only(client, demo, caplog):
    caplog.set_level(logging.DEBUG)
    sign_in(client, "sos.tyontekija")
    code = Client.objects.order_by("pk").values_list("identity_code", flat=True)[0]
    found = client.post(reverse("clients:find"), {"query": code})
    assert found.status_code == 302 and not leaks(found["Location"], demo)
    assert urlsplit(found["Location"]).path.startswith("/clients/")
    unit = Unit.objects.get(name_fi="Aikuissosiaalityö, Kuopio")
    inbox = reverse("exchange:inbox", args=[unit.public_id])
    for headers in ({}, {"HX-Request": "true"}):
        response = client.post(inbox, {"q": code, "filter": "all"}, headers=headers)
        assert response.status_code == 200
        parser = UrlCollector()
        parser.feed(response.content.decode())
        assert [v for _a, v in parser.urls if leaks(v, demo)] == []
    # An unknown code offers to add the client; adding leads to the opaque client page.
    new_code = next(c for c in (test_code(n) for n in range(900, 999)) if c not in demo)
    offer = client.post(reverse("clients:find"), {"query": new_code})
    parser = UrlCollector()
    parser.feed(offer.content.decode())
    assert ("post", reverse("clients:add")) in parser.forms
    assert [v for _a, v in parser.urls if leaks(v, demo | {new_code})] == []
    added = client.post(
        reverse("clients:add"),
        {
            "identity_code": new_code,
            "first_names": "Uusi",
            "last_name": "Asiakas",
            "municipality_code": "297",
        },
    )
    assert added.status_code == 302 and not leaks(added["Location"], demo | {new_code})
    logged = " ".join(_log_text(r) for r in caplog.records)
    assert CODE_SHAPE.findall(logged) == []


def test_the_admins_audit_report_by_client_takes_the_code_in_a_post_body(client, demo):
    sign_in(client, "paakayttaja")
    report = reverse("admin:audit_auditevent_by_client")
    parser = UrlCollector()
    parser.feed(client.get(report).content.decode())
    assert ("post", "") in parser.forms
    code = sorted(demo)[1]
    response = client.post(report, {"identity_code": code})
    assert response.status_code == 200
    parser = UrlCollector()
    parser.feed(response.content.decode())
    assert [v for _a, v in parser.urls if leaks(v, demo)] == []


def test_the_api_never_returns_an_identity_code(client, demo):
    """The API's JSON (lists, timelines, messages) carries opaque ids, never a code."""
    for unit in Unit.objects.all():
        key = api_key_issue(unit=unit, name="crawler").plaintext
        headers = {"Authorization": f"Bearer {key}"}
        bodies = [
            client.get("/api/v1/units", headers=headers).json(),
            client.get("/api/v1/cases", headers=headers).json(),
        ]
        for case in bodies[1]["items"]:
            timeline = client.get(f"/api/v1/cases/{case['id']}/timeline", headers=headers)
            assert timeline.status_code == 200
            bodies.append(timeline.json())
        text = json.dumps(bodies).upper()
        assert [code for code in demo if code in text] == []
        assert CODE_SHAPE.findall(text) == []


def test_the_checker_catches_codes_in_every_kind_of_url():
    from django.http import HttpResponse, HttpResponseRedirect

    code = "010594Y9032"
    page = HttpResponse(
        f'<a href="/a/?q={code.lower()}">x</a><img src="/i/{code}"><div hx-get="/h/{code}">'
        f'<form method="get" action="/f/%30%31%30%35%39%34Y9032"></form>'
        f'<a href="/safe/3f2504e0-4f89-11d3-9a0c-0305e82c3301/">uuid</a>'
    )
    found = [url for _where, url, _follow in _outgoing("/", page) if leaks(url, set())]
    assert len(found) == 5  # the form action counts as an attribute and as a form
    assert leaks(HttpResponseRedirect(f"/next/?c={code}")["Location"], {code})
    assert not leaks("/cases/010594aa-9032-4c3b-8d2e-0123456789ab/", {"X"})
