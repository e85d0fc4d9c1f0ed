"""Every main page reflows at 320 px without horizontal scrolling (WCAG 2.1 1.4.10) and
has no axe-core violations (WCAG 2.1 A and AA rules), in Finnish, Swedish and English.

axe-core is vendored for the tests only (tests/e2e/static/, see its README): the app
never serves it. The page's Content-Security-Policy forbids inline scripts, so the test
context bypasses CSP to inject it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from silta.accounts.roles import Role
from silta.exchange import services
from silta.referrals.models import Referral
from silta.workdays import calendar
from tests.e2e.conftest import TIMEOUT_MS, Journey, current_code
from tests.factories import PASSWORD, PDF_BYTES, make_user

pytestmark = pytest.mark.e2e

AXE = Path(__file__).parent / "static" / "axe.min.js"
NARROW = {"width": 320, "height": 640}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The elements reaching past the window's right edge (to say what to fix).
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(0, 5).map(e => e.tagName + '.' + e.className)"""


def _scene(journey: Journey) -> tuple[Any, dict[str, str]]:
    """A manager in the social unit, and a case with a thread, a document and a referral."""
    world = journey.world
    manager = make_user(world.social_unit, Role.UNIT_MANAGER, "maija.esimies", totp=True)
    manager.first_name, manager.last_name = "Maija", "Esimies-Pitkänimi-Virtanen"
    manager.save(update_fields=["first_name", "last_name"])
    case = world.open_case(journey.client)
    message = services.thread_start(
        actor=world.actor("kela_processor"),
        case=case,
        subject="Vuokravakuus ja toimeentulotuki, pitkä otsikko joka ei saa levittää sivua",
        body="Hakemus ja päätös liitteenä. " * 10,
        files=[SimpleUploadedFile("paatos-hyvin-pitka-tiedostonimi-2026.pdf", PDF_BYTES)],
    )
    now = timezone.now()
    referral = Referral.objects.create(
        case=case,
        thread=message.thread,
        type="contact",
        sender_unit=world.kela_unit,
        receiver_unit=world.social_unit,
        status="requested",
        payload={"basis": "consented", "concerns": ["no_money"]},
        deadline_rule="shl_36_assessment",
        arrived_on=calendar.local_date(now),
        due_date=calendar.add_working_days(calendar.local_date(now), 7),
        sent_at=now,
    )
    unit = world.social_unit.public_id
    pages = {
        "inbox": reverse("exchange:inbox", args=[unit]),
        "thread": reverse("exchange:thread", args=[message.thread.public_id]),
        "case": reverse("exchange:case", args=[case.public_id]),
        "client": reverse("clients:detail", args=[journey.client.public_id]),
        "find client": reverse("clients:find"),
        "received referrals": reverse("referrals:received", args=[unit]),
        "sent referrals": reverse("referrals:sent", args=[unit]),
        "referral": reverse("referrals:detail", args=[referral.public_id]),
        "directory": reverse("directory:search") + "?q=Kuopio",
        "directory unit": reverse("directory:unit", args=[world.kela_unit.public_id]),
        "call-backs": reverse("callbacks:queue", args=[unit]),
        "new call-back": reverse("callbacks:new", args=[world.kela_unit.public_id]),
        "manager view": reverse("exchange:load", args=[unit]),
        "monthly report": reverse("referrals:report", args=[unit]),
    }
    return manager, pages


def _sign_in(page: Page, base: str, user: Any) -> None:
    page.goto(base + reverse("accounts:login"))
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_otp_token").fill(current_code(user))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/units/[0-9a-f-]+/inbox/$"))


def _violations(page: Page) -> list[str]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))",
        AXE_TAGS,
    )
    return list(result)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_main_pages_reflow_at_320px_and_pass_axe(
    live_server: Any, browser: Any, journey: Journey, language: str, artifacts: Path
) -> None:
    manager, pages = _scene(journey)
    context = browser.new_context(
        bypass_csp=True, viewport=NARROW, locale="fi-FI", timezone_id="Europe/Helsinki"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    _sign_in(page, live_server.url, manager)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    problems: dict[str, Any] = {}
    for name, path in pages.items():
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, (name, response and response.status)
        expect(page.locator("html")).to_have_attribute("lang", language)
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if widths[0] > widths[1]:
            wide = page.evaluate(WIDEST)
            problems[f"{name}: scroll {widths}"] = wide
        violations = _violations(page)
        if violations:
            problems[f"{name}: axe"] = violations
        slug = re.sub(r"\W+", "-", name)
        page.screenshot(path=artifacts / f"{language}-{slug}.png", full_page=True)
    context.close()
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)


def test_header_is_one_row_and_inbox_is_cards_on_a_phone(
    live_server: Any, browser: Any, journey: Journey
) -> None:
    manager, pages = _scene(journey)
    context = browser.new_context(viewport=NARROW, locale="fi-FI")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    _sign_in(page, live_server.url, manager)
    page.goto(live_server.url + pages["inbox"])
    header = page.locator(".site-header").bounding_box()
    brand = page.locator(".brand").bounding_box()
    assert header is not None and brand is not None
    assert header["height"] < 2.5 * brand["height"]  # one row: brand and the menu button
    expect(page.locator(".site-menu nav")).not_to_be_visible()
    page.locator(".site-menu > summary").click()
    expect(page.locator(".site-menu nav")).to_be_visible()
    row = page.locator("[data-testid=inbox-row]").first
    assert page.evaluate("(r) => getComputedStyle(r).display", row.element_handle()) == "block"
    context.close()
