"""The closed loop: Kela's contact is opened, accepted and completed, and Kela sees the
outcome; returns are counted handoffs; the clock restarts where the law says so."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client as HttpClient

from silta.core.errors import NotFound
from silta.referrals.models import Referral, ReferralEvent
from silta.referrals.selectors import referral_get, referrals_received, referrals_sent
from silta.referrals.services import referral_open
from silta.referrals.tests.helpers import Clock, act, at, send
from tests.factories import browser_client

pytestmark = pytest.mark.django_db
D = dt.date


def test_contact_loop_through_the_services(world) -> None:
    referral = send(world, "contact", share_back="Tieto arvioinnin alkamisesta")
    assert (referral.status, referral.sender_unit, referral.receiver_unit) == (
        "requested",
        world.kela_unit,
        world.social_unit,
    )
    # Kela opening its own referral does not acknowledge it.
    mine = referral_get(actor=world.actor("kela_processor"), referral_id=referral.public_id)
    assert referral_open(actor=world.actor("kela_processor"), referral=mine).status == "requested"
    worker = world.actor("social_worker")
    seen = referral_get(actor=worker, referral_id=referral.public_id)
    opened = referral_open(actor=worker, referral=seen)
    assert opened.status == "received" and opened.received_at is not None
    assert referral_open(actor=worker, referral=opened).version == opened.version  # once
    act(world, "social_worker", referral, "accept")
    act(
        world,
        "social_worker",
        referral,
        "complete",
        outcome="assessment_started",
        outcome_date=D(2026, 12, 1),
    )
    kela = world.actor("kela_processor")
    result = referral_get(actor=kela, referral_id=referral.public_id)
    assert (result.status, result.outcome, result.outcome_date) == (
        "completed",
        "assessment_started",
        D(2026, 12, 1),
    )
    completed = referrals_sent(actor=kela, unit_id=world.kela_unit.pk, filter="completed_month")
    assert [r.pk for r in completed.items] == [referral.pk]
    assert referrals_sent(actor=kela, unit_id=world.kela_unit.pk, filter="waiting").items == []
    assert [e.action for e in ReferralEvent.objects.filter(referral=referral)] == [
        "send",
        "receive",
        "accept",
        "complete",
    ]


@pytest.fixture
def browsers(world, settings) -> dict[str, HttpClient]:
    settings.SILTA_DEMO_SKIP_TOTP = True
    result = {}
    for key in ("kela_processor", "social_worker"):
        http = browser_client("en")
        http.force_login(world.users[key])
        result[key] = http
    return result


def test_contact_loop_through_the_pages(world, browsers) -> None:
    kela, social = browsers["kela_processor"], browsers["social_worker"]
    case = world.open_case()
    form = kela.get(f"/cases/{case.public_id}/referrals/new/?type=contact").content.decode()
    token = re.search(r'name="client_token" value="([^"]+)"', form)
    assert token is not None
    sent = kela.post(
        f"/cases/{case.public_id}/referrals/new/",
        {
            "type": "contact",
            "description": "Vuokrarästit, asiakas pyysi yhteydenottoa.",
            "concerns": ["housing_risk", "no_money"],
            "basis": "client_asked",
            "client_token": token.group(1),
        },
    )
    assert sent.status_code == 302, sent.content.decode()[:2000]
    referral = Referral.objects.get()
    detail = f"/referrals/{referral.public_id}/"
    assert sent["Location"] == detail
    assert social.get(detail).status_code == 200  # the receiver's first open: received
    assert Referral.objects.get().status == "received"
    assert social.post(f"{detail}act/", {"action": "accept", "version": 1}).status_code == 302
    refused = social.post(f"{detail}act/", {"action": "complete", "version": 2})
    assert refused.status_code == 400 and Referral.objects.get().status == "accepted"
    done = social.post(
        f"{detail}act/",
        {
            "action": "complete",
            "version": 2,
            "outcome": "already_client",
            "outcome_text": "Omatyöntekijä Sari Sosiaali",
        },
    )
    assert done.status_code == 302
    page = kela.get(detail).content.decode()
    outcome = re.search(r'data-testid="referral-outcome">(.*?)</dd>', page, re.S)
    assert outcome is not None
    assert "Already a client (own worker named)" in outcome.group(1)
    assert "Omatyöntekijä Sari Sosiaali" in outcome.group(1)
    case_page = kela.get(f"/cases/{case.public_id}/").content.decode()
    listed = re.search(r'data-testid="case-referrals">(.*?)</ul>', case_page, re.S)
    assert listed is not None and detail in listed.group(1)
    assert "Already a client" in listed.group(1)
    box = f"/units/{world.kela_unit.public_id}/referrals/sent/"
    assert detail in kela.get(box, {"filter": "completed_month"}).content.decode()
    assert detail not in kela.get(box, {"filter": "waiting"}).content.decode()
    assert detail not in kela.get(box, {"filter": "overdue"}).content.decode()


def test_return_and_resend_is_one_handoff_with_a_new_clock(world, monkeypatch) -> None:
    clock = Clock(monkeypatch, at(2026, 11, 2))  # Monday
    referral = send(world, "forwarded_application")
    assert (referral.arrived_on, referral.due_date) == (D(2026, 11, 2), D(2026, 11, 11))
    clock.set(2026, 11, 3)
    act(world, "social_worker", referral, "receive")
    returned = act(
        world,
        "social_worker",
        referral,
        "return",
        reason="no_basic_decision",
        reason_text="Kelan perusosan päätös puuttuu",
    )
    assert (returned.status, returned.handoff_count) == ("returned", 1)
    seen = referral_get(actor=world.actor("kela_processor"), referral_id=referral.public_id)
    assert (seen.reason, seen.handoff_count) == ("no_basic_decision", 1)
    clock.set(2026, 11, 5, 15, 0)  # Thursday: 6, 9, 10, 11, 12, 13, 16 Nov
    again = act(world, "kela_processor", referral, "resend")
    assert (again.status, again.handoff_count) == ("requested", 1)
    assert (again.arrived_on, again.due_date) == (D(2026, 11, 5), D(2026, 11, 16))
    assert again.sent_at == at(2026, 11, 5, 15, 0)
    assert again.received_at is None and again.reason == ""
    # The receiver sees it again as new and can take it on.
    clock.set(2026, 11, 6)
    incoming = referrals_received(actor=world.actor("social_worker"), unit_id=world.social_unit.pk)
    assert [r.pk for r in incoming.items] == [referral.pk]
    act(world, "social_worker", referral, "receive")
    act(world, "social_worker", referral, "return", reason="wrong_unit")
    act(world, "kela_processor", referral, "resend")
    assert Referral.objects.get().handoff_count == 2


def test_resume_restarts_the_clock_of_a_forwarded_application(world, monkeypatch) -> None:
    clock = Clock(monkeypatch, at(2026, 11, 2))
    referral = send(world, "forwarded_application")
    assert referral.deadline_rule == "totul_14a_decision"
    for action in ("receive", "accept", "start"):
        act(world, "social_worker", referral, action)
    clock.set(2026, 11, 4)
    held = act(world, "social_worker", referral, "hold", reason_text="Vuokrasopimus puuttuu")
    assert (held.status, held.due_date) == ("on_hold", D(2026, 11, 11))
    clock.set(2026, 11, 9, 8, 0)  # the sender supplies the information on Monday
    resumed = act(world, "kela_processor", referral, "resume")
    assert resumed.status == "in_progress"
    assert resumed.deadline_rule == "totul_14a_after_completion"
    # 7th working day after Monday 9 Nov: 10, 11, 12, 13, 16, 17, 18.
    assert (resumed.arrived_on, resumed.due_date) == (D(2026, 11, 9), D(2026, 11, 18))


def test_resume_of_other_types_keeps_the_clock(world, monkeypatch) -> None:
    clock = Clock(monkeypatch, at(2026, 11, 2))
    referral = send(world, "contact")
    for action in ("receive", "accept", "start"):
        act(world, "social_worker", referral, action)
    act(world, "social_worker", referral, "hold", reason_text="Lisätietoja")
    clock.set(2026, 11, 9)
    resumed = act(world, "kela_processor", referral, "resume")
    assert (resumed.deadline_rule, resumed.arrived_on, resumed.due_date) == (
        "shl_36_assessment",
        D(2026, 11, 2),
        D(2026, 11, 11),
    )


def test_cannot_cope_contact_is_urgent_and_due_the_same_day(world, monkeypatch) -> None:
    Clock(monkeypatch, at(2026, 11, 24, 16, 45))  # Tuesday
    referral = send(world, "contact", basis="cannot_cope", urgent=False)
    assert referral.urgent is True
    assert (referral.arrived_on, referral.due_date) == (D(2026, 11, 24), D(2026, 11, 24))
    ordinary = send(world, "contact", basis="consented")
    assert ordinary.urgent is False and ordinary.due_date == D(2026, 12, 3)
    # Friday evening after the office has closed is still Friday; "at once" on a Saturday
    # is that Saturday (zero working days is the arrival day itself; emergency social
    # services answer around the clock).
    Clock(monkeypatch, at(2026, 11, 27, 23, 30))
    assert send(world, "contact", basis="cannot_cope").due_date == D(2026, 11, 27)
    Clock(monkeypatch, at(2026, 11, 28, 0, 30))
    assert send(world, "contact", basis="cannot_cope").due_date == D(2026, 11, 28)


def test_outsiders_do_not_see_the_referral(world) -> None:
    referral = send(world)
    for key in ("social_same_org_other_unit", "social_other_org", "kela_other_unit"):
        with pytest.raises(NotFound):
            referral_get(actor=world.actor(key), referral_id=referral.public_id)


def test_page_counts_open_days_after_the_arrival_day(world, settings, monkeypatch) -> None:
    settings.SILTA_DEMO_SKIP_TOTP = True
    clock = Clock(monkeypatch, at(2026, 11, 21, 12))  # Saturday: Monday is working day 1
    referral = send(world, "contact", basis="client_asked")
    clock.set(2026, 11, 24, 9)  # Tuesday: working day 2
    for action in ("receive", "accept"):
        act(world, "social_worker", referral, action)
    act(world, "social_worker", referral, "complete", outcome="no_action", outcome_text="Ok")
    kela = browser_client("en")
    kela.force_login(world.users["kela_processor"])  # after the clock moved: a live session
    page = kela.get(f"/referrals/{referral.public_id}/").content.decode()
    assert re.search(r"Open for</dt><dd>2 working days</dd>", page), page
