"""The guide tied to the work (issue 12): expense kinds recorded on referrals and threads,
the forms' hint, a return "belongs to the other organisation" naming its guide entry, the
entry's returns per unit pair (small counts suppressed across organisations), and the
bulletin impact by recorded kind (keywords only for items without one)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from silta.api_keys.services import api_key_issue
from silta.core.errors import Invalid
from silta.exchange import services as exchange
from silta.exchange.models import Thread
from silta.knowledge import bulletins, impact, work
from silta.knowledge.tests.scene import bulletin_input
from silta.reference.expense_kinds import ExpenseKind, guide_has_entry
from silta.referrals import services as referrals
from silta.referrals.models import Referral, ReferralEvent
from silta.referrals.services import ActInput
from tests.factories import browser_client

pytestmark = pytest.mark.django_db


def _send(world, case, kind=""):
    return referrals.referral_send(
        actor=world.actor("kela_processor"),
        case=case,
        data=referrals.ReferralInput(
            type="contact",
            description="Huoli",
            fields={"concerns": ["housing_risk"], "basis": "consented"},
            expense_kind=kind,
        ),
    )


def _return(world, referral, reason="basic_assistance_expense", kind=None, key="social_worker"):
    """Receive and return; the entry named is the referral's own kind unless ``kind``."""
    actor = world.actor(key)
    referrals.referral_act(actor=actor, referral=referral, data=ActInput(action="receive"))
    return referrals.referral_act(
        actor=actor,
        referral=Referral.objects.get(pk=referral.pk),
        data=ActInput(
            action="return",
            reason=reason,
            reason_text="Perusosaan",
            expense_kind=referral.expense_kind if kind is None else kind,
        ),
    )


def test_the_kinds_are_the_guides_entries(world, knowledge):
    assert all(guide_has_entry(code) for code in ExpenseKind.values)
    assert not guide_has_entry("yacht")
    national = knowledge.entries["rent-deposit"]
    assert national.expense_kind == "rent-deposit" and national.national_id is None


def test_a_referral_and_a_thread_record_a_kind_and_refuse_an_unknown_one(world, knowledge):
    case = world.open_case()
    referral = _send(world, case, "rent-deposit")
    assert referral.expense_kind == "rent-deposit"
    assert referral.thread.expense_kind == "rent-deposit"
    message = exchange.thread_start(
        actor=world.actor("kela_processor"),
        case=case,
        subject="Silmälasit",
        body="Hei",
        expense_kind="eyeglasses",
    )
    assert message.thread.expense_kind == "eyeglasses"
    before = (Referral.objects.count(), Thread.objects.count())
    with pytest.raises(Invalid) as refused:
        _send(world, case, "yacht")
    assert refused.value.code == "expense_kind_unknown"
    with pytest.raises(Invalid):
        exchange.thread_start(
            actor=world.actor("kela_processor"),
            case=case,
            subject="X",
            body="Hei",
            expense_kind="yacht",
        )
    assert (Referral.objects.count(), Thread.objects.count()) == before


def test_a_return_that_the_expense_belongs_elsewhere_names_its_guide_entry(world, knowledge):
    referral = _send(world, world.open_case())
    with pytest.raises(Invalid) as refused:
        _return(world, referral)
    assert refused.value.code == "guide_entry_required"
    assert refused.value.field == "expense_kind"
    referral.refresh_from_db()
    assert referral.status == "received" and referral.handoff_count == 0
    actor = world.actor("social_worker")
    returned = referrals.referral_act(
        actor=actor,
        referral=referral,
        data=ActInput(action="return", reason="basic_assistance_expense", expense_kind="rent"),
    )
    assert returned.status == "returned" and returned.expense_kind == "rent"
    event = ReferralEvent.objects.get(referral=referral, action="return")
    assert event.detail["expense_kind"] == "rent"


def test_other_reasons_need_no_entry_and_a_kind_on_the_referral_must_still_be_named(
    world, knowledge
):
    plain = _return(world, _send(world, world.open_case()), reason="wrong_unit")
    assert plain.status == "returned" and plain.expense_kind == ""
    carried = _send(world, world.open_case(world.clients[1]), "rent-deposit")
    with pytest.raises(Invalid):
        _return(world, carried, kind="")
    named = referrals.referral_act(
        actor=world.actor("social_worker"),
        referral=Referral.objects.get(pk=carried.pk),
        data=ActInput(
            action="return", reason="basic_assistance_expense", expense_kind="rent-deposit"
        ),
    )
    assert named.status == "returned" and named.expense_kind == "rent-deposit"


def test_the_return_form_asks_for_the_entry_and_refuses_without_it(world, knowledge):
    referral = _send(world, world.open_case())
    browser = browser_client("en")
    browser.force_login(world.users["social_worker"])
    url = reverse("referrals:detail", args=[referral.public_id])
    browser.get(url)  # the first open records the receipt
    page = browser.get(url, {"action": "return"}).content.decode()
    assert 'id="return-guide-hint"' in page and reverse("knowledge:hint") in page
    referral.refresh_from_db()
    act = reverse("referrals:act", args=[referral.public_id])
    body = {
        "action": "return",
        "version": referral.version,
        "reason": "supplementary_expense",
        "reason_text": "Täydentävään",
        "confirm": "on",
    }
    refused = browser.post(act, body)
    assert refused.status_code == 400
    assert "Name the guide entry this return relies on" in refused.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == "received"
    browser.post(act, {**body, "expense_kind": "furniture"})
    referral.refresh_from_db()
    assert referral.status == "returned" and referral.expense_kind == "furniture"
    detail = browser.get(url).content.decode()
    assert 'data-testid="referral-expense-kind"' in detail
    assert reverse("knowledge:by_kind", args=["furniture"]) in detail


def test_the_hint_shows_the_entry_by_code_alone(world, knowledge):
    browser = browser_client("fi")
    browser.force_login(world.users["social_worker"])
    hint = browser.get(reverse("knowledge:hint"), {"expense_kind": "rent-deposit"})
    text = hint.content.decode()
    entry = knowledge.entries["rent-deposit"]
    assert hint.status_code == 200 and 'data-testid="guide-hint"' in text
    assert reverse("knowledge:entry", args=[entry.slug]) in text
    assert "Demo" in text or "demo" in text  # the starter text is labelled unverified
    assert (
        'data-testid="guide-hint"'
        not in browser.get(reverse("knowledge:hint"), {"expense_kind": "yacht"}).content.decode()
    )
    jump = browser.get(reverse("knowledge:by_kind", args=["rent-deposit"]))
    assert jump.status_code == 302 and jump["Location"] == reverse(
        "knowledge:entry", args=[entry.slug]
    )
    assert browser.get(reverse("knowledge:by_kind", args=["yacht"])).status_code == 404


def test_the_forms_offer_the_kind_with_the_hint(world, knowledge):
    case = world.open_case()
    browser = browser_client("en")
    browser.force_login(world.users["kela_processor"])
    new = browser.get(reverse("referrals:new", args=[case.public_id]), {"type": "contact"})
    assert 'name="expense_kind"' in new.content.decode()
    assert 'id="referral-guide-hint"' in new.content.decode()
    page = browser.get(reverse("exchange:case", args=[case.public_id])).content.decode()
    assert 'id="thread-guide-hint"' in page and 'name="expense_kind"' in page


def test_returns_per_unit_pair_suppress_small_counts_outside_ones_own(world, knowledge):
    for n in range(6):
        _return(world, _send(world, world.open_case(world.clients[n % 3]), "rent-deposit"))
    _return(
        world,
        _send(
            world, world.open_case(world.clients[0], social_unit=world.social_unit2), "rent-deposit"
        ),
        key="social_same_org_other_unit",
    )
    entry = knowledge.entries["rent-deposit"]
    pairs = {
        (r.returner, r.shown)
        for r in work.returns_by_pair(actor=world.actor("kela_other_unit"), entry=entry)
    }
    assert pairs == {(world.social_unit, "6"), (world.social_unit2, "<5")}
    own = work.returns_by_pair(actor=world.actor("social_same_org_other_unit"), entry=entry)
    assert {(r.returner, r.shown) for r in own} == {
        (world.social_unit, "6"),
        (world.social_unit2, "1"),
    }
    # Older than twelve months: not counted.
    ReferralEvent.objects.filter(action="return").update(at=timezone.now() - dt.timedelta(days=400))
    assert work.returns_by_pair(actor=world.actor("kela_manager"), entry=entry) == []


def test_the_entry_page_shows_the_returns(world, knowledge):
    _return(world, _send(world, world.open_case(), "rent-deposit"))
    browser = browser_client("en")
    browser.force_login(world.users["kela_other_unit"])
    entry = knowledge.entries["rent-deposit"]
    page = browser.get(reverse("knowledge:entry", args=[entry.slug])).content.decode()
    assert 'data-testid="guide-returns"' in page and "&lt;5" in page


def test_the_api_takes_and_gives_the_kind(client, world, knowledge):
    case = world.open_case()
    key = api_key_issue(unit=world.kela_unit, name="Kela", scopes=["referrals", "exchange"])
    headers = {"Authorization": f"Bearer {key.plaintext}"}
    body = {
        "case_id": str(case.public_id),
        "type": "contact",
        "description": "Huoli",
        "concerns": ["housing_risk"],
        "basis": "consented",
        "expense_kind": "medicine",
    }
    sent = client.post("/api/v1/referrals", body, content_type="application/json", headers=headers)
    assert sent.status_code == 201 and sent.json()["expense_kind"] == "medicine"
    bad = client.post(
        "/api/v1/referrals",
        {**body, "expense_kind": "yacht"},
        content_type="application/json",
        headers=headers,
    )
    assert bad.status_code == 400 and bad.json()["code"] == "expense_kind_unknown"
    thread = client.post(
        f"/api/v1/cases/{case.public_id}/threads",
        {"subject": "Lasit", "body": "Hei", "expense_kind": "eyeglasses"},
        headers=headers,
    )
    assert thread.status_code == 201 and thread.json()["expense_kind"] == "eyeglasses"


def test_impact_matches_the_recorded_kind_and_words_only_without_one(world, knowledge):
    """Case A: a thread about rent deposits by its recorded kind (subject says nothing);
    case B: "Vuokravakuus" in the subject but recorded as medicine -- not touched;
    case C: an old thread without a kind, "Vuokravakuus" in the subject -- the fallback;
    a referral recorded as rent deposit on case D -- touched, the others not."""
    kela = world.actor("kela_processor")
    a = world.open_case(world.clients[0])
    b = world.open_case(world.clients[1])
    c = world.open_case(world.clients[2])
    d = world.open_case(world.clients[0], kela_unit=world.kela_unit2)
    exchange.thread_start(
        actor=kela, case=a, subject="Asunto", body="x", expense_kind="rent-deposit"
    )
    exchange.thread_start(
        actor=kela, case=b, subject="Vuokravakuus?", body="x", expense_kind="medicine"
    )
    exchange.thread_start(actor=kela, case=c, subject="Vuokravakuus", body="x")
    referrals.referral_send(
        actor=world.actor("kela_other_unit"),
        case=d,
        data=referrals.ReferralInput(
            type="contact",
            description="Huoli",
            fields={"concerns": ["housing_risk"], "basis": "consented"},
            expense_kind="rent-deposit",
        ),
    )
    _send(world, b, "medicine")
    rows = {
        r.unit: (r.cases, r.referrals, r.threads) for r in impact.impact_counts(knowledge.bulletin)
    }
    assert rows[world.social_unit] == (3, 1, 2)
    own = impact.impact_items(knowledge.bulletin, world.social_unit)
    assert {e.thread.case_id for e in own.entries} == {a.pk, c.pk}
    assert [r.case_id for r in own.referrals] == [d.pk]


def test_a_bulletin_on_another_kind_touches_none_of_them(world, knowledge):
    kela = world.actor("kela_processor")
    exchange.thread_start(
        actor=kela,
        case=world.open_case(),
        subject="Vuokravakuus",
        body="x",
        expense_kind="rent-deposit",
    )
    bulletin = bulletins.bulletin_publish(
        actor=world.actor("kela_manager"),
        unit=world.kela_unit,
        data=bulletin_input(world, expense_kinds=("eyeglasses",)),
    )
    assert all(r.threads == 0 for r in impact.impact_counts(bulletin))


def test_the_api_entry_gives_its_code_and_returns_per_pair(client, world, knowledge):
    _return(world, _send(world, world.open_case(), "rent-deposit"))
    own = api_key_issue(unit=world.social_unit, name="County").plaintext
    other = api_key_issue(unit=world.kela_unit2, name="Kela Etelä").plaintext
    path = f"/api/v1/knowledge/guide/{knowledge.entries['rent-deposit'].slug}"
    mine = client.get(path, headers={"Authorization": f"Bearer {own}"}).json()
    assert mine["expense_kind"] == "rent-deposit"
    assert mine["returns_12_months"] == [
        {
            "sender_unit_id": str(world.kela_unit.public_id),
            "returning_unit_id": str(world.social_unit.public_id),
            "returns": "1",
        }
    ]
    theirs = client.get(path, headers={"Authorization": f"Bearer {other}"}).json()
    assert [r["returns"] for r in theirs["returns_12_months"]] == ["<5"]
