"""The client's own view in Chromium (issue 13): the client signs in through the real
local OpenID provider (devidp, a test identity carrying the client's test identity code),
sees a referral's outcome, gives and then revokes a consent (and a staff send on it is then
refused), asks for a joint meeting, downloads their data-use report, and signs out of Silta
and of the provider (RP-Initiated Logout); every page reflows at 320 px.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from silta.bookings.tests.scene import book, one_slot, service_point
from silta.consents.disclosures import NoLawfulBasis
from silta.consents.models import Consent, ConsentWording
from silta.oidc import devidp
from silta.referrals import services as referrals
from silta.referrals.models import Referral
from tests.e2e.conftest import Journey
from tests.e2e.test_reflow_a11y import _violations
from tests.permissions import REFERRAL_INPUTS

pytestmark = pytest.mark.e2e
PASSWORD = "e2e-pass-2026"


@pytest.fixture(scope="module")
def provider(
    live_server: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[devidp.DevIdp, Path]]:
    """The local provider for this module (its accounts file is read at every sign-in)."""
    path = Path(tmp_path_factory.mktemp("devidp")) / "accounts.json"
    path.write_text(json.dumps({"accounts": {}}))
    idp = devidp.start(
        port=devidp.free_port(), redirect_bases=(live_server.url,), accounts_file=path
    )
    yield idp, path
    idp.stop()


def _scene(journey: Journey) -> Any:
    world = journey.world
    case = world.open_case(journey.client)
    referral = referrals.referral_send(
        actor=world.actor("kela_processor"), case=case, data=REFERRAL_INPUTS["contact"]
    )
    for step, outcome in (
        ("receive", ""),
        ("accept", ""),
        ("start", ""),
        ("complete", "urgent_acted"),
    ):
        referral = referrals.referral_act(
            actor=world.actor("social_worker"),
            referral=referral,
            data=referrals.ActInput(action=step, outcome=outcome),
        )
    # An appointment Kuopio's social worker booked for the client at Kela's service point.
    service_point(world)
    book(world, one_slot(world), case)
    ConsentWording.objects.create(
        version="e2e-portal",
        text_fi="Annan Kelalle ja sosiaalipalveluille luvan vaihtaa tietojani.",
        text_sv="Jag ger FPA och socialservicen lov att utbyta mina uppgifter.",
        purposes=["joint_assistance", "outcome_report"],
        categories=["benefit_decisions", "contact_details"],
    )
    return case


def _sign_in(page: Page, live_server: Any, journey: Journey, provider: Any, settings: Any) -> None:
    """Strong identification's stand-in: the client's test identity at the local provider."""
    idp, accounts = provider
    claims = {
        "given_name": "Matti",
        "family_name": journey.client.last_name,
        settings.SILTA_OIDC_CLIENT_IDENTITY_CLAIM: journey.client.identity_code,
    }
    account = {"password": PASSWORD, "amr": ["pwd", "mfa"], "claims": claims}
    accounts.write_text(json.dumps({"accounts": {"asiakas": account}}))
    for name, value in devidp.silta_environment(idp.issuer).items():
        setattr(settings, name, value)
    page.goto(live_server.url + reverse("portal:sign_in"))
    page.get_by_role("link", name="Kirjaudu sisään").click()
    expect(page.get_by_role("heading", name="Test identification (local provider)")).to_be_visible()
    page.get_by_label("User name").fill("asiakas")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/oma/**")
    assert journey.client.identity_code not in page.url


def _sign_out(page: Page, live_server: Any) -> None:
    """Out of Silta, then out of the provider, and back to Silta's sign-in page."""
    page.get_by_role("button", name="Kirjaudu ulos").click()
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(live_server.url + reverse("portal:sign_in"))
    expect(page.locator(".message-success")).to_contain_text("Olet kirjautunut ulos.")
    page.goto(live_server.url + reverse("portal:home"))
    assert page.url.startswith(live_server.url + reverse("portal:sign_in"))


def _no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, width


def _axe_clean(browser: Any, page: Page) -> None:
    """The page as the client sees it, checked by axe (in a context that lets axe in)."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 320, "height": 800})
    context.add_cookies(page.context.cookies())
    checked = context.new_page()
    checked.goto(page.url)
    violations = _violations(checked)
    context.close()
    assert violations == []


def test_the_client_flow(
    page: Page,
    browser: Any,
    live_server: Any,
    journey: Journey,
    artifacts: Any,
    provider: Any,
    settings: Any,
) -> None:
    case = _scene(journey)
    page.set_viewport_size({"width": 320, "height": 800})
    _sign_in(page, live_server, journey, provider, settings)

    page.goto(live_server.url + reverse("portal:home"))
    expect(page.locator("h1")).to_have_text("Omat asiani")
    expect(page.get_by_test_id("outcome").first).to_be_visible()
    _no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts / "home-320.png"), full_page=True)

    # Give a consent with the exact wording, then revoke every consent in force.
    page.get_by_role("link", name="Suostumukset").click()
    expect(page.get_by_test_id("wording")).to_contain_text("Annan Kelalle")
    page.get_by_label("Olen lukenut yllä olevan tekstin ja hyväksyn sen.").check()
    page.get_by_role("button", name="Annan suostumuksen").click()
    expect(page.locator(".message-success")).to_contain_text("Suostumuksesi on nyt voimassa")
    assert Consent.objects.filter(client=journey.client, given_how="own_view").exists()
    _no_horizontal_scroll(page)
    while page.get_by_role("button", name="Peru tämä suostumus").count():
        page.get_by_role("button", name="Peru tämä suostumus").first.click()
        expect(page.locator(".message-success")).to_contain_text("Suostumuksesi on peruttu")
    with pytest.raises(NoLawfulBasis):  # Kela's next message has no basis now
        journey.world.thread(case)

    # The appointment booked for the client, with its calendar file; then ask for a joint
    # meeting: the request reaches Kela with its deadline.
    page.get_by_role("link", name="Tapaamiset").click()
    expect(page.get_by_test_id("booking")).to_contain_text("Puijonkatu 19")
    with page.expect_download() as calendar:
        page.get_by_test_id("booking").get_by_role("link", name="Lisää kalenteriini").click()
    ics = calendar.value.path()
    assert ics is not None and b"BEGIN:VEVENT" in Path(ics).read_bytes()
    _axe_clean(browser, page)
    page.get_by_label("Milloin sinulle sopisi? (ei pakollinen)").fill("Tiistaisin aamupäivällä")
    page.get_by_role("button", name="Pyydä tapaamista").click()
    expect(page.locator(".message-success")).to_contain_text("Pyyntösi lähti")
    expect(page.get_by_test_id("meeting-request-pending")).to_be_visible()
    assert Referral.objects.filter(case=case, type="meeting_request").count() == 1
    _no_horizontal_scroll(page)

    # Who has used my data: the page, then the PDF.
    page.get_by_role("link", name="Kuka on käyttänyt tietojani").click()
    page.get_by_role("button", name="Näytä").click()
    expect(page.get_by_test_id("data-use-section").first).to_be_visible()
    _no_horizontal_scroll(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Lataa PDF-tiedostona").click()
    path = download.value.path()
    assert path is not None and Path(path).read_bytes()[:4] == b"%PDF"
    page.screenshot(path=str(artifacts / "data-use-320.png"), full_page=True)

    _sign_out(page, live_server)
