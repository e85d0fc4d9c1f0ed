"""The client chooses how they are notified (issue 13), in Chromium at 320 px: the page
reflows and has no axe-core violations in fi, sv and en; the client saves e-mail and
Swedish; then a referral about them is completed by a social worker, and the worker's
delivery sends one e-mail in Swedish that says only that there is something new, with
the link to Silta."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from silta.notifications.delivery import deliver
from silta.notifications.models import Delivery
from silta.portal.testing import client_session_key
from silta.referrals import services as referrals
from tests.e2e.conftest import TIMEOUT_MS, Journey
from tests.permissions import REFERRAL_INPUTS

pytestmark = pytest.mark.e2e

AXE = Path(__file__).parent / "static" / "axe.min.js"
NARROW = {"width": 320, "height": 640}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _violations(page: Page) -> list[str]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))",
        AXE_TAGS,
    )
    return list(result)


def _signed_in_page(browser: Any, live_server: Any, journey: Journey, language: str) -> Page:
    context = browser.new_context(
        bypass_csp=True, viewport=NARROW, locale="fi-FI", timezone_id="Europe/Helsinki"
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client_session_key(journey.client),
                "url": live_server.url,
            },
            {"name": "django_language", "value": language, "url": live_server.url},
        ]
    )
    return context.new_page()


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_page_reflows_and_passes_axe(
    live_server: Any, browser: Any, journey: Journey, language: str
) -> None:
    page = _signed_in_page(browser, live_server, journey, language)
    url = live_server.url + reverse("notification_preferences")
    response = page.goto(url)
    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", language)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
    assert _violations(page) == []
    # The refusal of bad input, too.
    page.locator("#id_email").fill("asiakas@")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-text")).to_be_visible()
    assert _violations(page) == []


def test_the_client_chooses_e_mail_in_swedish_and_is_notified(
    live_server: Any, browser: Any, journey: Journey, artifacts: Path
) -> None:
    page = _signed_in_page(browser, live_server, journey, "fi")
    page.goto(live_server.url + reverse("notification_preferences"))
    expect(page.get_by_test_id("no-channel")).to_be_visible()
    page.locator("#id_email").fill("asiakas@example.fi")
    page.get_by_label("svenska").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".message-success")).to_have_text("Valintasi on tallennettu.")
    expect(page.get_by_test_id("no-channel")).to_have_count(0)
    page.screenshot(path=str(artifacts / "notifications-320.png"), full_page=True)

    world = journey.world
    referral = referrals.referral_send(
        actor=world.actor("kela_processor"),
        case=world.open_case(journey.client),
        data=REFERRAL_INPUTS["contact"],
    )
    for step, outcome in (("receive", ""), ("accept", ""), ("complete", "urgent_acted")):
        referral = referrals.referral_act(
            actor=world.actor("social_worker"),
            referral=referral,
            data=referrals.ActInput(action=step, outcome=outcome),
        )
    (delivery,) = Delivery.objects.filter(notification__client=journey.client)
    mail.outbox.clear()
    assert deliver.call(delivery.pk) == "sent"
    (message,) = mail.outbox
    assert message.to == ["asiakas@example.fi"]
    assert message.subject == "Silta: du har ny information"
    assert journey.client.last_name not in message.body
    assert journey.client.identity_code not in message.body
