"""A cooperation group's agenda item in the Finnish UI, from Kela's proposal to a decision
found in the decision search (issue 11).

The Pohjois-Savo cooperation group has Kela and the county as member organisations and
the county's adult social work unit as chair. A Kela benefit processor proposes an item on
the forum page; the first attempt carries an identity-code-shaped string and is refused
with the translated message, nothing saved. The chair unit's manager schedules the item to
a meeting, marks it discussed, records the decision and a follow-up action owned by Kela's
unit. The Kela processor finds the decision by a word of it in the decision list. The
forum page (empty and with the item), the refused proposal, the chair's item page and the
decision search pass axe (WCAG 2.1 A and AA rules, as in test_reflow_a11y).
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
from playwright.sync_api import BrowserContext, Page, expect

from silta.accounts.models import User
from silta.accounts.roles import Role
from silta.cooperation.models import ActionStatus, AgendaItem, FollowUpAction, Forum, ForumKind
from silta.cooperation.state import ItemStatus
from tests.e2e.conftest import TIMEOUT_MS, Journey
from tests.e2e.test_reflow_a11y import _violations
from tests.factories import make_user

pytestmark = pytest.mark.e2e

# Finnish texts (msgstr in locale/fi/LC_MESSAGES/django.po).
REFUSED = (
    "Teksti näyttää henkilötunnukselta. Yhteistyön asiat eivät ole "
    "asiakastietoja: poista tunnus ja kuvaa asia ketään yksilöimättä."
)
PROPOSED_OK = "Asia ehdotettu: puheenjohtaja ajoittaa sen kokoukseen."
NO_ITEMS = "Ei vielä asioita."
NO_DECISIONS = "Päätöksiä ei löytynyt."
ACTION_ADDED = "Jatkotoimenpide lisätty."
STATUS_FI: dict[str, str] = {
    ItemStatus.PROPOSED: "Ehdotettu",
    ItemStatus.SCHEDULED: "Aikataulutettu",
    ItemStatus.DISCUSSED: "Käsitelty",
    ItemStatus.DECIDED: "Ratkaistu",
}
OPEN_FI = "Avoin"

FORUM_NAME = "Pohjois-Savon yhteistyöryhmä"
TITLE = "Vuokravakuuksien käsittelyjärjestys"
DESCRIPTION = (
    "Vuokravakuushakemukset kiertävät Kelan ja sosiaalitoimen välillä. "
    "Sovitaan yhteinen linja siitä, kumpi käsittelee ensin."
)
WITH_CODE = DESCRIPTION + " Esimerkkinä asiakas 010594Y9032."
TOPIC = "processes"
DECISION = (
    "Kela ratkaisee perustoimeentulotuen ensin ja siirtää hakemuksen sosiaalitoimeen "
    "viipymättä; linja tarkistetaan puolen vuoden kuluttua."
)
SEARCH_WORD = "puolen"  # only in the decision, not in the title or the description
ACTION = "Kela päivittää vuokravakuusohjeen yhteisen linjan mukaiseksi"


@dataclass
class ForumScene:
    journey: Journey
    forum: Forum
    chair_manager: User


@pytest.fixture
def scene(journey: Journey) -> ForumScene:
    """The cooperation group (as ``silta.cooperation.demo`` builds one) and the chair
    unit's manager with TOTP; the Kela processor of ``journey`` proposes."""
    world = journey.world
    forum = Forum.objects.create(
        name_fi=FORUM_NAME,
        name_sv="Samarbetsgruppen i Norra Savolax",
        kind=ForumKind.COOPERATION_GROUP,
        chair_unit=world.social_unit,
    )
    forum.organisations.set([world.kela, world.county])
    forum.units.set([world.kela_unit, world.social_unit])
    manager = make_user(world.social_unit, Role.UNIT_MANAGER, "maija.esimies", totp=True)
    manager.first_name, manager.last_name = "Maija", "Esimies"
    manager.save(update_fields=["first_name", "last_name"])
    return ForumScene(journey=journey, forum=forum, chair_manager=manager)


def _context(new_context: Any) -> BrowserContext:
    # The page's Content-Security-Policy forbids inline scripts: bypassed to inject axe.
    context: BrowserContext = new_context(bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _no_axe_violations(page: Page, where: str) -> None:
    violations = _violations(page)
    assert not violations, (where, violations)


def _fi_date(day: dt.date) -> str:
    return f"{day.day}.{day.month}.{day.year}"  # Django's fi SHORT_DATE_FORMAT "j.n.Y"


def _open_forum(page: Page, forum: Forum) -> None:
    """Header "Yhteistyö" -> the forums tab -> the forum."""
    page.locator(f"header nav a[href='{reverse('cooperation:teams')}']").click()
    page.locator(f"nav.tabs a[href='{reverse('cooperation:forums')}']").click()
    page.locator("[data-testid=forums]").get_by_role("link", name=forum.name_fi).click()
    expect(page).to_have_url(re.compile(rf"/cooperation/forums/{forum.public_id}/$"))
    expect(page.locator("h1")).to_have_text(forum.name_fi)


def _step(page: Page, action: str) -> Any:
    return page.locator(f"section[aria-labelledby=step-{action}]")


def _move(page: Page, action: str, status: str) -> None:
    """Submit the chair's step form and wait for the item page to show the new state."""
    _step(page, action).locator("button[type=submit]").click()
    expect(page.locator(".message-success")).to_have_text(f"Siirretty: {STATUS_FI[status]}.")
    expect(page.locator("[data-testid=item-status]")).to_have_text(STATUS_FI[status])


def test_kela_proposes_and_cooperation_group_decides(
    live_server: Any, new_context: Any, login: Any, scene: ForumScene, artifacts: Path
) -> None:
    journey, forum = scene.journey, scene.forum
    world = journey.world
    meeting_day = timezone.localdate() + dt.timedelta(days=14)

    # 1. The Kela benefit processor opens the forum (no items yet; axe on the empty page).
    kela = _context(new_context).new_page()
    login(kela, journey.kela_user)
    _open_forum(kela, forum)
    expect(kela.locator("main")).to_contain_text(NO_ITEMS)
    expect(kela.locator("main .meta").first).to_contain_text(world.social_unit.name_fi)
    _no_axe_violations(kela, "forum page, empty")

    # 2. A proposal whose description holds an identity-code-shaped string is refused on
    #    the description field in Finnish; the form keeps the text; nothing is saved.
    kela.locator(f"a[href='{reverse('cooperation:propose', args=[forum.public_id])}']").click()
    kela.locator("#id_title").fill(TITLE)
    kela.locator("#id_description").fill(WITH_CODE)
    kela.locator("#id_topic").select_option(TOPIC)
    with kela.expect_response(
        lambda r: r.request.method == "POST" and "/propose/" in r.url
    ) as refused:
        kela.locator("main form button[type=submit]").click()
    assert refused.value.status == 400
    expect(kela.locator("#id_description_error")).to_have_text(REFUSED)
    expect(kela.locator(".field-error #id_description")).to_have_value(WITH_CODE)
    expect(kela.locator("#id_title")).to_have_value(TITLE)
    expect(kela.locator(".error-text")).to_have_count(1)
    assert "010594Y9032" not in kela.url
    assert not AgendaItem.objects.exists()
    _no_axe_violations(kela, "propose form, refused")
    kela.screenshot(path=artifacts / "1-kela-refused.png", full_page=True)

    # 3. Without the code the item is proposed: Kela's side and unit, state "proposed".
    kela.locator("#id_description").fill(DESCRIPTION)
    kela.locator("main form button[type=submit]").click()
    expect(kela).to_have_url(re.compile(r"/cooperation/items/[0-9a-f-]+/$"))
    expect(kela.locator(".message-success")).to_have_text(PROPOSED_OK)
    item = AgendaItem.objects.get(forum=forum)
    assert (item.title, item.description, item.topic, item.status) == (
        TITLE,
        DESCRIPTION,
        TOPIC,
        ItemStatus.PROPOSED,
    )
    assert (item.side, item.proposing_unit, item.proposed_by) == (
        "kela",
        world.kela_unit,
        journey.kela_user,
    )
    expect(kela.locator("h1")).to_have_text(TITLE)
    expect(kela.locator("[data-testid=item-status]")).to_have_text(STATUS_FI[ItemStatus.PROPOSED])
    # Only the chair moves items: the processor gets no step forms.
    move_url = reverse("cooperation:move", args=[item.public_id])
    expect(kela.locator(f"form[action='{move_url}']")).to_have_count(0)

    # The forum page lists it under "proposed", from Kela's unit; axe on the agenda.
    forum_url = reverse("cooperation:forum", args=[forum.public_id])
    kela.locator(f"p.breadcrumbs a[href='{forum_url}']").click()
    row = kela.locator("[data-testid=item-proposed]")
    expect(row).to_have_count(1)
    expect(row.get_by_role("link", name=TITLE)).to_be_visible()
    expect(row).to_contain_text(world.kela_unit.name_fi)
    _no_axe_violations(kela, "forum page with a proposed item")
    kela.screenshot(path=artifacts / "2-kela-forum.png", full_page=True)

    # 4. The chair unit's manager schedules it, marks it discussed and records the decision.
    chair = _context(new_context).new_page()
    login(chair, scene.chair_manager)
    _open_forum(chair, forum)
    chair.locator("[data-testid=item-proposed]").get_by_role("link", name=TITLE).click()
    expect(chair.locator("h1")).to_have_text(TITLE)
    _no_axe_violations(chair, "item page, chair's step forms")
    _step(chair, "schedule").locator("input[type=date]").fill(meeting_day.isoformat())
    _move(chair, "schedule", ItemStatus.SCHEDULED)
    expect(chair.locator("dl.details")).to_contain_text(_fi_date(meeting_day))
    _move(chair, "discuss", ItemStatus.DISCUSSED)
    _step(chair, "decide").locator("textarea").fill(DECISION)
    _move(chair, "decide", ItemStatus.DECIDED)
    expect(chair.locator("[data-testid=decision]")).to_have_text(DECISION)
    item.refresh_from_db()
    assert (item.status, item.meeting_date, item.decision) == (
        ItemStatus.DECIDED,
        meeting_day,
        DECISION,
    )
    assert item.decided_at is not None

    # 5. ... and the follow-up action, owned by Kela's unit.
    due = meeting_day + dt.timedelta(days=30)
    panel = chair.locator("details.panel")
    panel.locator("summary").click()
    panel.locator("#id_description").fill(ACTION)
    panel.locator("#id_owner_unit_id").select_option(label=world.kela_unit.name_fi)
    panel.locator("#id_due_date").fill(due.isoformat())
    panel.locator("button[type=submit]").click()
    expect(chair.locator(".message-success")).to_have_text(ACTION_ADDED)
    action_row = chair.locator("table tbody tr")
    expect(action_row).to_have_count(1)
    expect(action_row).to_contain_text(ACTION)
    expect(action_row).to_contain_text(world.kela_unit.name_fi)
    expect(action_row).to_contain_text(_fi_date(due))
    expect(action_row.locator("[data-testid=action-status]")).to_contain_text(OPEN_FI)
    followup = FollowUpAction.objects.get(item=item)
    assert (followup.description, followup.owner_unit, followup.due_date, followup.status) == (
        ACTION,
        world.kela_unit,
        due,
        ActionStatus.OPEN,
    )
    _no_axe_violations(chair, "item page, decided, follow-up form open")
    chair.screenshot(path=artifacts / "3-chair-decided.png", full_page=True)

    # 6. The Kela processor finds the decision by a word of it (not in the title or the
    #    description), with the action owned by their unit; a word in none finds nothing.
    kela.locator(f"header nav a[href='{reverse('cooperation:teams')}']").click()
    kela.locator(f"nav.tabs a[href='{reverse('cooperation:decisions')}']").click()
    kela.locator("#id_q").fill("lumityöt")
    kela.locator("form[role=search] button[type=submit]").click()
    expect(kela.locator("main .empty")).to_have_text(NO_DECISIONS)
    kela.locator("#id_q").fill(SEARCH_WORD)
    kela.locator("form[role=search] button[type=submit]").click()
    expect(kela).to_have_url(re.compile(rf"\?q={SEARCH_WORD}$"))
    found = kela.locator("[data-testid=decisions] > li")
    expect(found).to_have_count(1)
    expect(found.locator("h2")).to_have_text(TITLE)
    expect(found).to_contain_text(DECISION)
    expect(found).to_contain_text(forum.name_fi)
    expect(found).to_contain_text(STATUS_FI[ItemStatus.DECIDED])
    expect(found.locator("ul li")).to_have_text(
        f"{ACTION} – {world.kela_unit.name_fi}, {_fi_date(due)} ({OPEN_FI})"
    )
    _no_axe_violations(kela, "decision search")
    kela.screenshot(path=artifacts / "4-kela-decisions.png", full_page=True)
