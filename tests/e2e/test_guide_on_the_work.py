"""The division-of-labour guide on the work (issue 12), in the Finnish UI.

A Kela benefit processor starts a contact referral and chooses the expense kind "rent
deposit": the guide's entry comes in beside the form (htmx, the code alone in the URL)
with its summary, its demo label and a link. The social worker returns it because the
expense belongs to basic assistance: with no guide entry named the return is refused with
a clear message and nothing changes; naming the entry returns it, and the guide entry's
page counts the return for the unit pair.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from silta.exchange.models import Case
from silta.knowledge.demo import load_starter
from silta.referrals.models import Referral
from tests.e2e.conftest import TIMEOUT_MS, Journey

pytestmark = pytest.mark.e2e

DEMO_LABEL = "Demosisältöä, tarkistettava"
GUIDE_REQUIRED = "Kerro, mihin työnjako-oppaan kohtaan palautus perustuu"
RENT_DEPOSIT_SUMMARY = "Kela voi huomioida vuokravakuuden perustoimeentulotuessa"


def _page(new_context: Any) -> Page:
    context: BrowserContext = new_context()
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def test_the_guide_entry_follows_the_expense_kind_to_the_return(
    live_server: Any, new_context: Any, login: Any, journey: Journey, artifacts: Path
) -> None:
    world = journey.world
    entries = {e.slug: e for e in load_starter(world.kela)}
    case: Case = world.open_case(journey.client)

    # 1. Kela chooses the expense kind: the guide's entry comes in beside the form.
    kela = _page(new_context)
    login(kela, journey.kela_user)
    kela.goto(live_server.url + reverse("referrals:new", args=[case.public_id]) + "?type=contact")
    form = kela.locator("main form[method=post]")
    form.locator("select[name=expense_kind]").select_option("rent-deposit")
    hint = kela.locator("#referral-guide-hint [data-testid=guide-hint]")
    expect(hint).to_contain_text(RENT_DEPOSIT_SUMMARY)
    expect(hint).to_contain_text(DEMO_LABEL)
    entry_url = reverse("knowledge:entry", args=[entries["rent-deposit"].slug])
    expect(hint.locator(f"a[href='{entry_url}']")).to_have_count(1)
    form.locator("input[name=concerns][value=housing_risk]").check()
    form.locator("input[name=basis][value=consented]").check()
    form.locator("#id_description").fill("Vuokravakuus uuteen asuntoon.")
    form.locator("button[type=submit]").click()
    expect(kela).to_have_url(re.compile(r"/referrals/[0-9a-f-]+/$"))
    referral = Referral.objects.get(case=case)
    assert referral.expense_kind == "rent-deposit"
    expect(kela.locator("[data-testid=referral-expense-kind]")).to_contain_text("Vuokravakuus")
    kela.screenshot(path=artifacts / "1-kela-sent-with-kind.png", full_page=True)

    # 2. The social worker returns it as basic assistance's: without an entry, refused.
    social = _page(new_context)
    login(social, journey.social_worker)
    detail = live_server.url + reverse("referrals:detail", args=[referral.public_id])
    social.goto(detail)
    social.locator("form.action-choice input[name=action][value=return]").check()
    back = social.locator("form.action-form:has(input[name=action][value=return])")
    expect(back).to_have_count(1)
    back.locator("select[name=reason]").select_option("basic_assistance_expense")
    back.locator("select[name=expense_kind]").select_option("")
    back.locator("input[name=reason_text]").fill("Kuuluu perustoimeentulotukeen.")
    back.locator("input[name=confirm]").check()
    back.locator("button[type=submit]").click()
    back = social.locator("form.action-form:has(input[name=action][value=return])")
    expect(back).to_contain_text(GUIDE_REQUIRED)
    referral.refresh_from_db()
    assert referral.status == "received" and referral.handoff_count == 0

    # 3. Naming the entry returns it; the entry counts the return for the unit pair.
    back.locator("select[name=expense_kind]").select_option("rent-deposit")
    expect(social.locator("#return-guide-hint [data-testid=guide-hint]")).to_contain_text(
        RENT_DEPOSIT_SUMMARY
    )
    back.locator("input[name=confirm]").check()
    back.locator("button[type=submit]").click()
    expect(social.locator("[data-testid=handoffs]")).to_have_text("1")
    referral.refresh_from_db()
    assert referral.status == "returned" and referral.expense_kind == "rent-deposit"
    social.goto(live_server.url + entry_url)
    returns = social.locator("[data-testid=guide-returns] tbody tr")
    expect(returns).to_have_count(1)
    expect(returns).to_contain_text(world.social_unit.name_fi)
    expect(returns.locator("td.num")).to_have_text("1")
    social.screenshot(path=artifacts / "2-entry-returns.png", full_page=True)
