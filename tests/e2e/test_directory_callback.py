"""Directory and call-back requests in the Finnish UI, in two browser contexts.

A Kela benefit processor searches the directory for "Kuopio", sees the responsible unit
with its open/closed status and files a call-back request; a social worker of that unit
claims it and records the outcome; the Kela user sees the outcome (steps 1-4).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import BrowserContext, Locator, Page, expect

from silta.callbacks.models import CallbackRequest, CallbackStatus, Outcome, Urgency
from silta.directory.hours import HELSINKI, TimeRange
from silta.directory.models import ChannelKind, Topic
from silta.directory.services import ChannelInput, channel_save, service_areas_set
from silta.organisations.models import Unit
from tests.e2e.conftest import TIMEOUT_MS, Journey

pytestmark = pytest.mark.e2e

# Finnish texts (msgstr in locale/fi/LC_MESSAGES/django.po).
DIRECTORY = "Hakemisto"
OPEN_NOW = "Avoinna nyt"
ALWAYS = "24/7"
CLOSED = "Suljettu"
OPENS = "avautuu"
REQUEST_CALLBACK = "Pyydä soittoa"
SENT = "Soittopyyntö lähetetty. Voit seurata sitä täällä."
STATUS_OPEN = "Avoin"
STATUS_CLAIMED = "Otettu käsittelyyn"
STATUS_DONE = "Valmis"
CALLBACK_REQUESTS = "Soittopyynnöt"
WE_REQUESTED = "Pyytämämme soitot"
CLAIM = "Ota itselleni"
RESOLVED = "Tavoitettu, asia ratkaistu"
MARK_DONE = "Merkitse valmiiksi"
DONE_MESSAGE = "Valmis: pyytäjä näkee lopputuloksen."
TOPIC = "Aikuissosiaalityö"

# Finnish short date-time (Django's fi format "j.n.Y G.i"), e.g. 23.11.2026 9.05
FI_DATETIME = r"\d{1,2}\.\d{1,2}\.\d{4} \d{1,2}\.\d{2}"
PHONE = "040 1234567"
DESCRIPTION = "Asiakas tarvitsee kiireellisesti sosiaalityöntekijän arvion asumisestaan."
PREFERRED = "arkisin klo 9–11"
NOTE = "Soitettu, asiakas ohjattu vastaanotolle ensi viikolla."
ALWAYS_OPEN_LABEL = "Sosiaalipäivystys"
CLOSED_LABEL = "Soittopyyntölinja"


@dataclass
class DirectoryJourney:
    journey: Journey
    unit: Unit
    opens_on: dt.date  # the closed channel's only opening day (an exception)


@pytest.fixture
def directory_journey(journey: Journey) -> DirectoryJourney:
    """The social unit serves Kuopio (297) for adult social work and has two phone
    channels whose status does not depend on the time of the run: one always open, one
    with no weekly hours at all, only an opening a month from now."""
    unit = journey.world.social_unit
    service_areas_set(unit=unit, topic=Topic.ADULT_SOCIAL_WORK, municipality_codes=["297"])
    channel_save(
        user=None,
        unit=unit,
        check_owner=False,
        data=ChannelInput(
            kind=ChannelKind.PHONE,
            label_fi=ALWAYS_OPEN_LABEL,
            label_sv="Socialjour",
            phone="017 182 999",
            always_open=True,
            closed_on_holidays=False,
        ),
    )
    opens_on = dt.datetime.now(HELSINKI).date() + dt.timedelta(days=30)
    channel_save(
        user=None,
        unit=unit,
        check_owner=False,
        data=ChannelInput(
            kind=ChannelKind.CALLBACK,
            label_fi=CLOSED_LABEL,
            label_sv="Återuppringning",
            phone="017 182 010",
            weekly={},
            exceptions={opens_on: (TimeRange.of(dt.time(10), dt.time(12)),)},
        ),
    )
    Unit.objects.filter(pk=unit.pk).update(verified_at=timezone.now())  # not stale
    unit.refresh_from_db()
    return DirectoryJourney(journey=journey, unit=unit, opens_on=opens_on)


def _context(new_context: Any) -> BrowserContext:
    context: BrowserContext = new_context()
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _detail(page: Page, label: str) -> Locator:
    """The <dd> that follows the <dt> with ``label`` in the request's details."""
    return page.locator("dl.details dt", has_text=re.compile(rf"^{re.escape(label)}$")).locator(
        "xpath=following-sibling::dd[1]"
    )


def test_kela_requests_call_back_and_sees_outcome(
    live_server: Any,
    new_context: Any,
    login: Any,
    directory_journey: DirectoryJourney,
    artifacts: Path,
    readme_screenshots: Path | None,
) -> None:
    journey, unit = directory_journey.journey, directory_journey.unit
    kela_unit = journey.world.kela_unit
    kela = _context(new_context).new_page()

    # 1. The Kela benefit processor signs in, opens the directory from the header and
    #    searches for "Kuopio": the unit serving Kuopio shows with its channels' status.
    login(kela, journey.kela_user)
    search_url = reverse("directory:search")
    nav = kela.locator(f"header nav a[href='{search_url}']")
    expect(nav).to_have_text(DIRECTORY)
    nav.click()
    expect(kela.locator("h1")).to_have_text(DIRECTORY)
    kela.locator("#id_q").fill("Kuopio")
    with kela.expect_response(lambda r: "q=Kuopio" in r.url and r.request.method == "GET"):
        kela.locator(f"form[action='{search_url}'] button[type=submit]").click()
    expect(kela).to_have_url(re.compile(r"/directory/\?q=Kuopio"))
    card = kela.locator("[data-testid=unit-card]", has_text=unit.name_fi)
    expect(card).to_have_count(1)
    expect(card.locator("h3")).to_have_text(unit.name_fi)
    expect(card.locator(".meta")).to_have_text(
        f"{journey.world.county.name_fi} · {TOPIC}"  # unit kind; checked, so no stale tag
    )
    # The other county's unit does not serve Kuopio.
    expect(kela.locator("[data-testid=unit-card]", has_text="Vantaa")).to_have_count(0)
    open_line = card.locator("li.channel", has_text=ALWAYS_OPEN_LABEL)
    expect(open_line.locator("[data-testid=status-open]")).to_be_visible()
    expect(open_line.locator("[data-testid=status-open]")).to_have_text(
        re.compile(rf"^{OPEN_NOW}\s+–\s+{ALWAYS}$")
    )
    expect(open_line.locator("a.phone")).to_have_attribute("href", "tel:+35817182999")
    closed_line = card.locator("li.channel", has_text=CLOSED_LABEL)
    closed = closed_line.locator("[data-testid=status-closed]")
    expect(closed).to_be_visible()
    opens_on = directory_journey.opens_on
    # e.g. "Suljettu – avautuu ke 23.12. 10.00": the exception a month ahead.
    expect(closed).to_have_text(
        re.compile(rf"^{CLOSED}\s+–\s+{OPENS} \w+ {opens_on.day}\.{opens_on.month}\. 10\.00$")
    )
    if readme_screenshots:
        kela.evaluate("document.activeElement.blur()")  # no focus ring in the README
        kela.screenshot(path=readme_screenshots / "directory.png")
    kela.screenshot(path=artifacts / "1-kela-directory.png", full_page=True)

    # 2. The unit page, then "Request a call-back": topic, urgency, number, description.
    card.get_by_role("link", name=unit.name_fi).click()
    expect(kela).to_have_url(re.compile(rf"/directory/units/{unit.public_id}/$"))
    expect(kela.locator("h1")).to_have_text(unit.name_fi)
    expect(kela.locator("[data-testid=status-open]")).to_have_count(1)
    expect(kela.locator("[data-testid=status-closed]")).to_have_count(1)
    new_url = reverse("callbacks:new", args=[unit.public_id])
    ask = kela.locator(f"main a[href='{new_url}']")
    expect(ask).to_have_text(REQUEST_CALLBACK)
    ask.click()
    expect(kela).to_have_url(re.compile(rf"{re.escape(new_url)}$"))
    expect(kela.locator("#id_requester_unit option:checked")).to_have_text(kela_unit.name_fi)
    kela.locator("#id_topic").select_option(Topic.ADULT_SOCIAL_WORK)
    kela.locator(f"input[name=urgency][value={Urgency.NORMAL}]").check()
    kela.locator("#id_phone").fill(PHONE)
    kela.locator("#id_preferred_times").fill(PREFERRED)
    kela.locator("#id_description").fill(DESCRIPTION)
    kela.locator("main form[method=post] button[type=submit]").click()

    expect(kela).to_have_url(re.compile(r"/callbacks/[0-9a-f-]+/$"))
    callback = CallbackRequest.objects.get(unit=unit)
    assert kela.url.endswith(reverse("callbacks:detail", args=[callback.public_id]))
    assert (callback.requester_unit_id, callback.requester_id) == (
        kela_unit.pk,
        journey.kela_user.pk,
    )
    assert (callback.topic, callback.urgency, callback.phone, callback.status) == (
        Topic.ADULT_SOCIAL_WORK,
        Urgency.NORMAL,
        "+358401234567",
        CallbackStatus.OPEN,
    )
    expect(kela.locator(".message-success")).to_have_text(SENT)
    expect(kela.locator("h1")).to_contain_text(TOPIC)
    expect(kela.locator("[data-testid=callback-status]")).to_have_text(STATUS_OPEN)
    expect(_detail(kela, "Määräaika")).to_have_text(re.compile(rf"^{FI_DATETIME}$"))
    expect(_detail(kela, "Soitettava numero")).to_have_text(f"{PHONE} · {PREFERRED}")
    expect(kela.locator("dl.details")).to_contain_text(DESCRIPTION)
    # Only the receiving unit handles the request: no claim or outcome form for Kela.
    claim_url = reverse("callbacks:claim", args=[callback.public_id])
    complete_url = reverse("callbacks:complete", args=[callback.public_id])
    expect(kela.locator(f"form[action='{claim_url}']")).to_have_count(0)
    expect(kela.locator(f"form[action='{complete_url}']")).to_have_count(0)
    expect(kela.locator("[data-testid=callback-outcome]")).to_have_count(0)
    cancel_url = reverse("callbacks:cancel", args=[callback.public_id])
    expect(kela.locator(f"form[action='{cancel_url}']")).to_have_count(1)  # may withdraw
    kela.screenshot(path=artifacts / "2-kela-requested.png", full_page=True)

    # 3. The social worker of the unit signs in, opens the unit's call-back queue from
    #    the inbox, opens the request, claims it and records the outcome.
    social = _context(new_context).new_page()
    login(social, journey.social_worker)
    expect(social).to_have_url(re.compile(rf"/units/{unit.public_id}/inbox/$"))
    queue_url = reverse("callbacks:queue", args=[unit.public_id])
    queue_link = social.locator(f"main a[href='{queue_url}']")
    expect(queue_link).to_have_text(CALLBACK_REQUESTS)
    queue_link.click()
    expect(social).to_have_url(re.compile(rf"{re.escape(queue_url)}$"))
    expect(social.locator("h1")).to_contain_text(unit.name_fi)
    expect(social.locator("nav.tabs a[aria-current=page] .badge")).to_have_text("1")
    row = social.locator("main table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(kela_unit.name_fi)
    expect(row.locator("[data-testid=callback-status]")).to_have_text(STATUS_OPEN)
    social.screenshot(path=artifacts / "3-social-queue.png", full_page=True)
    row.get_by_role("link", name=TOPIC).click()
    expect(social).to_have_url(re.compile(rf"/callbacks/{callback.public_id}/$"))
    expect(social.locator("dl.details")).to_contain_text(DESCRIPTION)
    expect(_detail(social, "Soitettava numero").locator("a")).to_have_attribute(
        "href", "tel:+358401234567"
    )

    claim = social.locator(f"form[action='{claim_url}'] button[type=submit]")
    expect(claim).to_have_text(CLAIM)
    claim.click()
    expect(social.locator("[data-testid=callback-status]")).to_have_text(STATUS_CLAIMED)
    expect(social.locator(f"form[action='{claim_url}']")).to_have_count(0)
    callback.refresh_from_db()
    assert (callback.status, callback.claimed_by_id) == (
        CallbackStatus.CLAIMED,
        journey.social_worker.pk,
    )

    complete = social.locator(f"form[action='{complete_url}']")
    resolved = complete.locator(f"input[name=outcome][value={Outcome.RESOLVED}]")
    expect(complete.locator(f"label[for='{resolved.get_attribute('id')}']")).to_have_text(RESOLVED)
    resolved.check()
    complete.locator("#id_note").fill(NOTE)
    done = complete.locator("button[type=submit]")
    expect(done).to_have_text(MARK_DONE)
    done.click()
    expect(social.locator(".message-success")).to_have_text(DONE_MESSAGE)
    expect(social.locator("[data-testid=callback-status]")).to_have_text(STATUS_DONE)
    expect(social.locator(f"form[action='{complete_url}']")).to_have_count(0)
    expect(social.locator("[data-testid=callback-outcome]")).to_contain_text(f"{RESOLVED}: {NOTE}")
    social.screenshot(path=artifacts / "3-social-done.png", full_page=True)
    callback.refresh_from_db()
    assert (callback.status, callback.outcome, callback.outcome_note, callback.attempts) == (
        CallbackStatus.DONE,
        Outcome.RESOLVED,
        NOTE,
        1,
    )

    # 4. Back in Kela: the request page shows the outcome, the note, who and when; the
    #    "Call-backs we requested" list shows it done.
    kela.reload()
    expect(kela.locator("[data-testid=callback-status]")).to_have_text(STATUS_DONE)
    outcome = kela.locator("[data-testid=callback-outcome]")
    expect(outcome).to_have_text(
        re.compile(
            rf"^{re.escape(RESOLVED)}: {re.escape(NOTE)} "
            rf"\({re.escape(journey.social_worker.display_name)}, {FI_DATETIME}\)$"
        )
    )
    expect(_detail(kela, "Soittoyritykset")).to_have_text("1")
    expect(kela.locator(f"form[action='{cancel_url}']")).to_have_count(0)  # closed now
    kela.screenshot(path=artifacts / "4-kela-outcome.png", full_page=True)

    inbox_url = reverse("exchange:inbox", args=[kela_unit.public_id])
    kela.locator(f"header nav a[href='{inbox_url}']").click()
    sent_url = reverse("callbacks:sent", args=[kela_unit.public_id])
    sent_link = kela.locator(f"main a[href='{sent_url}']")
    expect(sent_link).to_have_text(WE_REQUESTED)
    sent_link.click()
    row = kela.locator("main table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(unit.name_fi)
    expect(row.locator("[data-testid=callback-status]")).to_have_text(f"{STATUS_DONE}: {RESOLVED}")
    kela.screenshot(path=artifacts / "4-kela-sent.png", full_page=True)
