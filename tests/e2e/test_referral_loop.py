"""Closed-loop referrals in the Finnish UI, from Kela's and the social worker's side.

A Kela benefit processor sends a "contact to social services" from the client's shared
case (two concerns, basis "the client consented"); the receiving unit's social worker
opens it (received), accepts it, starts handling and completes it with an outcome; the
Kela user sees the outcome, the status and the referral events on the case timeline.
A second referral is returned with a reason: Kela sees it returned, one handoff counted.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Locator, Page, expect

from silta.accounts.actor import Actor
from silta.exchange.models import Case
from silta.referrals import services
from silta.referrals.deadlines import due_date
from silta.referrals.models import Referral
from silta.referrals.state import Status
from silta.workdays.calendar import today
from tests.e2e.conftest import TIMEOUT_MS, Journey

pytestmark = pytest.mark.e2e

# Finnish texts (msgstr in locale/fi/LC_MESSAGES/django.po).
NEW_REFERRAL = "Uusi lähete"
CONTACT = "Yhteydenotto sosiaalihuoltoon"
STATUS_SENT = "Lähetetty"
STATUS_RECEIVED = "Vastaanotettu"
STATUS_ACCEPTED = "Hyväksytty"
STATUS_IN_PROGRESS = "Käsittelyssä"
STATUS_COMPLETED = "Valmis"
STATUS_RETURNED = "Palautettu"
CONSENTED = "Asiakas on antanut suostumuksensa"
ASSESSMENT_STARTED = "Palvelutarpeen arviointi aloitettu"
HOUSING_RISK = "Asuminen vaarassa tai häätö"
NO_MONEY = "Ei rahaa ruokaan tai lääkkeisiin"
ACCEPT = "Hyväksy"
START = "Aloita käsittely"
COMPLETE = "Merkitse valmiiksi ja kirjaa lopputulos"
RETURN = "Palauta toiselle organisaatiolle"
DATE_REQUIRED = "Anna tämän lopputuloksen päivämäärä."
REASON_REQUIRED = "Valitse, miksi lähete palautetaan."
WRONG_UNIT = "Väärä yksikkö organisaation sisällä"
HANDOFF = "se lasketaan siirroksi"  # the return's confirmation says what will happen
RECEIVED_REFERRALS = "Vastaanotetut lähetteet"
SENT_REFERRALS = "Lähetetyt lähetteet"
COMPLETED_THIS_MONTH = "Valmistuneet tässä kuussa"
SENT_MESSAGE = "Lähete lähetetty. Näet täällä, mitä sille tapahtuu."
EVENT_SENT = "Lähete lähetetty"
EVENT_COMPLETED = "Lähete valmis, lopputulos kirjattu"

DESCRIPTION = "Asiakas kertoi, ettei rahaa ole ruokaan ja vuokra on rästissä kolmelta kuukaudelta."
OUTCOME_NOTE = "Arviointi aloitettu puhelimessa, tapaaminen sovittu."
RETURN_NOTE = "Asiakkaan asia kuuluu toimeentulotuen yksikölle."
# Finnish short date (Django's fi format "j.n.Y") and date-time ("j.n.Y G.i").
FI_DATE = r"\d{1,2}\.\d{1,2}\.\d{4}"
FI_DATETIME = rf"{FI_DATE} \d{{1,2}}\.\d{{2}}"


def fi_date(day: dt.date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


@pytest.fixture
def case(journey: Journey) -> Case:
    """The client's shared case between the Kela unit and the social unit (consent)."""
    return journey.world.open_case(journey.client)


def _context(new_context: Any) -> BrowserContext:
    context: BrowserContext = new_context()
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _action(page: Page, action: str) -> Locator:
    """The action form of the referral page for ``action`` (accept, start, complete...)."""
    return page.locator(f"form.action-form:has(input[name=action][value={action}])")


def _choose(page: Page, action: str) -> Locator:
    """Choose a step that is not the first offer: its form comes in (htmx) with its fields."""
    page.locator(f"form.action-choice input[name=action][value={action}]").check()
    form = _action(page, action)
    expect(form).to_have_count(1)
    return form


def _act(page: Page, action: str, label: str) -> None:
    button = _action(page, action).locator("button[type=submit]")
    expect(button).to_have_text(label)
    button.click()


def _status(page: Page) -> Locator:
    return page.locator("[data-testid=referral-status]")


def _timeline_kinds(page: Page) -> list[str]:
    """The case timeline's items, newest first (class "story story-<kind>")."""
    classes = page.locator("ol.timeline > li").evaluate_all("items => items.map(i => i.className)")
    return [re.sub(r"^story-", "", c.split()[1]) for c in classes]


def test_kela_contact_completed_by_social_worker(
    live_server: Any,
    new_context: Any,
    login: Any,
    journey: Journey,
    case: Case,
    artifacts: Path,
    readme_screenshots: Path | None,
) -> None:
    world, client = journey.world, journey.client
    kela = _context(new_context).new_page()

    # 1. The Kela benefit processor signs in, opens the client's shared case and starts
    #    a new referral: a contact to social services.
    login(kela, journey.kela_user)
    case_url = reverse("exchange:case", args=[case.public_id])
    kela.goto(live_server.url + case_url)
    expect(kela.locator("h1")).to_contain_text(client.full_name)
    new_url = reverse("referrals:new", args=[case.public_id])
    new_link = kela.locator(f"main a[href='{new_url}']")
    expect(new_link).to_have_text(NEW_REFERRAL)
    new_link.click()
    expect(kela.locator("h1")).to_have_text(NEW_REFERRAL)
    expect(kela.locator("#referral-type option[value=contact]")).to_have_text(CONTACT)
    kela.locator("#referral-type").select_option("contact")
    kela.locator("main form[method=get] button[type=submit]").click()
    expect(kela).to_have_url(re.compile(r"\?type=contact$"))
    expect(kela.locator("[data-testid=deadline-rule]")).to_contain_text("SHL 36 §")

    # 2. Two concerns of the checklist, the basis, a description; send.
    form = kela.locator("main form[method=post]")
    for value, label in (("housing_risk", HOUSING_RISK), ("no_money", NO_MONEY)):
        box = form.locator(f"input[name=concerns][value={value}]")
        expect(form.locator(f"label[for='{box.get_attribute('id')}']")).to_contain_text(label)
        box.check()
    consented = form.locator("input[name=basis][value=consented]")
    expect(form.locator(f"label[for='{consented.get_attribute('id')}']")).to_contain_text(CONSENTED)
    consented.check()
    form.locator("#id_description").fill(DESCRIPTION)
    form.locator("button[type=submit]").click()

    expect(kela).to_have_url(re.compile(r"/referrals/[0-9a-f-]+/$"))
    referral = Referral.objects.get(case=case)
    assert kela.url.endswith(reverse("referrals:detail", args=[referral.public_id]))
    assert (referral.type, referral.status, referral.urgent) == ("contact", "requested", False)
    assert (referral.sender_unit_id, referral.receiver_unit_id, referral.sender_id) == (
        world.kela_unit.pk,
        world.social_unit.pk,
        journey.kela_user.pk,
    )
    assert referral.payload == {
        "concerns": ["housing_risk", "no_money"],
        "basis": "consented",
        "share_back": "",
    }
    assert referral.due_date == due_date("shl_36_assessment", referral.arrived_on, urgent=False)
    expect(kela.locator(".message-success")).to_have_text(SENT_MESSAGE)
    expect(kela.locator("h1")).to_have_text(CONTACT)
    expect(_status(kela)).to_have_text(STATUS_SENT)
    expect(kela.locator("[data-testid=referral-due]")).to_contain_text(fi_date(referral.due_date))
    expect(kela.locator("[data-testid=referral-due]")).to_contain_text("SHL 36 §")
    expect(kela.locator("[data-testid=handoffs]")).to_have_text("0")
    expect(kela.locator("[data-testid=referral-fields]")).to_contain_text(HOUSING_RISK)
    expect(kela.locator("[data-testid=referral-fields]")).to_contain_text(NO_MONEY)
    expect(kela.locator("[data-testid=referral-description]")).to_have_text(DESCRIPTION)
    # The receiver acts, not the sender: Kela may only cancel now.
    expect(kela.locator("form.action-form")).to_have_count(0)  # no step is offered first
    expect(kela.locator("form.action-choice input[name=action]")).to_have_count(1)
    expect(kela.locator("form.action-choice input[value=cancel]")).to_have_count(1)
    kela.screenshot(path=artifacts / "1-kela-sent.png", full_page=True)

    # 3. The social worker signs in, opens the unit's received referrals from the inbox
    #    and opens the referral: that records the receipt.
    social = _context(new_context).new_page()
    login(social, journey.social_worker)
    expect(social).to_have_url(re.compile(rf"/units/{world.social_unit.public_id}/inbox/$"))
    received_url = reverse("referrals:received", args=[world.social_unit.public_id])
    received_link = social.locator(f"main a[href='{received_url}']")
    expect(received_link).to_have_text(RECEIVED_REFERRALS)
    received_link.click()
    expect(social).to_have_url(re.compile(rf"{re.escape(received_url)}$"))
    row = social.locator("main table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(client.full_name)
    expect(row).to_contain_text(world.kela_unit.name_fi)
    expect(row.locator("[data-testid=referral-row-status]")).to_have_text(STATUS_SENT)
    social.screenshot(path=artifacts / "2-social-received-list.png", full_page=True)
    row.get_by_role("link", name=CONTACT).click()
    expect(social).to_have_url(re.compile(rf"/referrals/{referral.public_id}/$"))
    expect(_status(social)).to_have_text(STATUS_RECEIVED)
    referral.refresh_from_db()
    assert referral.status == Status.RECEIVED and referral.received_at is not None
    # Accept is offered first; reject and return are behind a choice, without their
    # reason fields until chosen.
    expect(_action(social, "accept")).to_have_count(1)
    for action in ("reject", "return"):
        expect(social.locator(f"form.action-choice input[value={action}]")).to_have_count(1)
    expect(social.locator("[name=reason], [name=reason_text]")).to_have_count(0)

    # 4. Accept, start handling, complete with the outcome (the date is required).
    _act(social, "accept", ACCEPT)
    # "Saved. The referral is now “<status>”." (the wording may still change: the status)
    expect(social.locator(".message-success")).to_contain_text(STATUS_ACCEPTED)
    expect(_status(social)).to_have_text(STATUS_ACCEPTED)
    _act(social, "start", START)
    expect(_status(social)).to_have_text(STATUS_IN_PROGRESS)
    complete = _action(social, "complete")
    started = complete.locator("input[name=outcome][value=assessment_started]")
    started.check()
    expect(complete.locator(f"label[for='{started.get_attribute('id')}']")).to_have_text(
        ASSESSMENT_STARTED
    )
    _act(social, "complete", COMPLETE)
    expect(_action(social, "complete").locator(".error-text")).to_contain_text(DATE_REQUIRED)
    expect(_status(social)).to_have_text(STATUS_IN_PROGRESS)
    complete = _action(social, "complete")
    complete.locator("input[name=outcome][value=assessment_started]").check()
    started_on = today()
    complete.locator("input[name=outcome_date]").fill(started_on.isoformat())
    complete.locator("textarea[name=outcome_text]").fill(OUTCOME_NOTE)
    _act(social, "complete", COMPLETE)
    expect(social.locator(".message-success")).to_contain_text(STATUS_COMPLETED)
    expect(_status(social)).to_have_text(STATUS_COMPLETED)
    expect(social.locator("form.action-form")).to_have_count(0)
    social.screenshot(path=artifacts / "3-social-completed.png", full_page=True)
    referral.refresh_from_db()
    assert (referral.status, referral.outcome, referral.outcome_date, referral.outcome_text) == (
        Status.COMPLETED,
        "assessment_started",
        started_on,
        OUTCOME_NOTE,
    )
    assert referral.completed_at is not None and referral.handoff_count == 0

    # 5. Kela reloads: the outcome and the status; the referral's history.
    kela.reload()
    expect(_status(kela)).to_have_text(STATUS_COMPLETED)
    outcome = kela.locator("[data-testid=referral-outcome]")
    expect(outcome).to_contain_text(f"{ASSESSMENT_STARTED} · {fi_date(started_on)}")
    expect(outcome).to_contain_text(OUTCOME_NOTE)
    expect(kela.locator("form.action-form")).to_have_count(0)
    history = kela.locator("main ol.timeline > li")
    expect(history).to_have_count(5)  # sent, received, accepted, started, completed
    expect(history.last).to_contain_text(journey.social_worker.display_name)
    expect(history.last).to_contain_text(STATUS_COMPLETED)
    if readme_screenshots:
        kela.evaluate("document.activeElement.blur()")
        kela.screenshot(path=readme_screenshots / "referral.png")
    kela.screenshot(path=artifacts / "4-kela-outcome.png", full_page=True)

    # 6. The case page: the referral with its outcome, and its events on the timeline.
    kela.locator(f"main .breadcrumbs a[href='{case_url}']").click()
    expect(kela).to_have_url(re.compile(rf"{re.escape(case_url)}$"))
    expect(kela.locator("[data-testid=case-referrals] li")).to_contain_text(
        f"{CONTACT} – {STATUS_COMPLETED}: {ASSESSMENT_STARTED}"
    )
    # The referral is one item; its receipt and state changes are folded under it.
    assert _timeline_kinds(kela) == ["referral", "message", "case"]
    timeline = kela.locator("ol.timeline > li")
    expect(timeline.first).to_contain_text(f"{CONTACT} – {STATUS_COMPLETED}")
    expect(timeline.first.locator(".who")).to_contain_text(journey.kela_user.display_name)
    steps = timeline.first.locator("details li")
    expect(steps).to_have_count(4)  # received, accepted, in progress, completed
    timeline.first.locator("details summary").click()
    expect(steps.last).to_contain_text(EVENT_COMPLETED)
    kela.screenshot(path=artifacts / "5-kela-case-timeline.png", full_page=True)

    # 7. The unit's sent referrals, "completed this month": the row shows the outcome.
    inbox_url = reverse("exchange:inbox", args=[world.kela_unit.public_id])
    kela.locator(f"header nav a[href='{inbox_url}']").click()
    sent_url = reverse("referrals:sent", args=[world.kela_unit.public_id])
    sent_link = kela.locator(f"main a[href='{sent_url}']")
    expect(sent_link).to_have_text(SENT_REFERRALS)
    sent_link.click()
    tab = kela.locator("nav.tabs a[href='?filter=completed_month']")
    expect(tab).to_have_text(COMPLETED_THIS_MONTH)
    tab.click()
    expect(tab).to_have_attribute("aria-current", "page")
    row = kela.locator("main table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(world.social_unit.name_fi)
    expect(row.locator("[data-testid=referral-row-status]")).to_have_text(
        f"{STATUS_COMPLETED}: {ASSESSMENT_STARTED}"
    )
    kela.screenshot(path=artifacts / "6-kela-sent-completed.png", full_page=True)


def test_social_worker_returns_referral_to_kela(
    live_server: Any,
    new_context: Any,
    login: Any,
    journey: Journey,
    case: Case,
    artifacts: Path,
) -> None:
    world = journey.world
    referral = services.referral_send(
        actor=Actor.for_user(journey.kela_user),
        case=case,
        data=services.ReferralInput(
            type="contact",
            description=DESCRIPTION,
            fields={"concerns": ["housing_risk"], "basis": "client_asked"},
        ),
    )
    detail_url = reverse("referrals:detail", args=[referral.public_id])

    # 1. The social worker opens the referral from the received list and returns it:
    #    a reason is required.
    social = _context(new_context).new_page()
    login(social, journey.social_worker)
    social.goto(live_server.url + reverse("referrals:received", args=[world.social_unit.public_id]))
    social.locator(f"main table tbody tr a[href='{detail_url}']").click()
    expect(_status(social)).to_have_text(STATUS_RECEIVED)
    back = _choose(social, "return")
    expect(back.locator("label:has(+ input[name=confirm]), label[for$=confirm]")).to_contain_text(
        HANDOFF
    )
    back.locator("input[name=confirm]").check()
    _act(social, "return", RETURN)
    expect(_action(social, "return")).to_contain_text(REASON_REQUIRED)
    back = _action(social, "return")
    expect(back.locator("select[name=reason] option[value=wrong_unit]")).to_have_text(WRONG_UNIT)
    back.locator("select[name=reason]").select_option("wrong_unit")
    back.locator("input[name=reason_text]").fill(RETURN_NOTE)
    back.locator("input[name=confirm]").check()
    _act(social, "return", RETURN)
    expect(social.locator(".message-success")).to_contain_text(STATUS_RETURNED)
    expect(_status(social)).to_have_text(STATUS_RETURNED)
    expect(social.locator("[data-testid=handoffs]")).to_have_text("1")
    expect(social.locator("form.action-form")).to_have_count(0)  # Kela's turn now
    social.screenshot(path=artifacts / "1-social-returned.png", full_page=True)
    referral.refresh_from_db()
    assert (referral.status, referral.reason, referral.reason_text, referral.handoff_count) == (
        Status.RETURNED,
        "wrong_unit",
        RETURN_NOTE,
        1,
    )

    # 2. Kela sees it returned, with the reason and one handoff, and may send it again.
    kela = _context(new_context).new_page()
    login(kela, journey.kela_user)
    kela.goto(live_server.url + reverse("referrals:sent", args=[world.kela_unit.public_id]))
    row = kela.locator("main table tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("[data-testid=referral-row-status]")).to_have_text(STATUS_RETURNED)
    row.locator(f"a[href='{detail_url}']").click()
    expect(_status(kela)).to_have_text(STATUS_RETURNED)
    expect(kela.locator("[data-testid=handoffs]")).to_have_text("1")
    expect(kela.locator("dl.details").first).to_contain_text(f"{WRONG_UNIT}: {RETURN_NOTE}")
    expect(_action(kela, "resend")).to_have_count(1)
    expect(kela.locator("main ol.timeline > li").last).to_contain_text(RETURN_NOTE)
    kela.screenshot(path=artifacts / "2-kela-returned.png", full_page=True)
