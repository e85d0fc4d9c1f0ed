"""Silence escalation and the daily digest (django-tasks, run synchronously here)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client as HttpClient

from silta.api_keys.services import api_key_issue
from silta.referrals.models import Referral, ReferralEvent
from silta.referrals.tasks import escalate_silent_referrals, send_daily_digests
from silta.referrals.tests.helpers import Clock, act, at, give_emails, send
from tests.factories import browser_client

pytestmark = pytest.mark.django_db
D = dt.date
# Everyone in the social unit who handles cases gets the reminder; the administrator not.
SOCIAL_MEMBERS = [
    "social_counsellor@example.fi",
    "social_manager@example.fi",
    "social_processor@example.fi",
    "social_worker@example.fi",
]


@pytest.fixture
def clock(world, monkeypatch) -> Clock:
    give_emails(world)
    return Clock(monkeypatch, at(2026, 12, 23, 10, 0))  # Wednesday before Christmas


def run(clock: Clock, *day: int) -> dict[str, int]:
    clock.set(*day)
    mail.outbox.clear()
    result: dict[str, int] = escalate_silent_referrals.call()
    return result


def test_reminder_then_escalation_over_christmas(world, clock) -> None:
    referral = send(world, "contact")  # arrived Wed 23.12.2026
    assert run(clock, 2026, 12, 23, 16) == {"renotify": 0, "escalate": 0}
    assert run(clock, 2026, 12, 24, 8) == {"renotify": 0, "escalate": 0}  # Christmas Eve
    assert run(clock, 2026, 12, 27, 8) == {"renotify": 0, "escalate": 0}  # Sunday
    # Monday 28.12 is the first working day after the arrival: remind the unit.
    assert run(clock, 2026, 12, 28, 8) == {"renotify": 1, "escalate": 0}
    assert [m.to for m in mail.outbox] == [SOCIAL_MEMBERS]
    assert "Aikuissosiaalityö Kuopio" in mail.outbox[0].body
    row = Referral.objects.get()
    assert row.renotified_at == at(2026, 12, 28, 8) and row.escalated_at is None
    assert run(clock, 2026, 12, 28, 16) == {"renotify": 0, "escalate": 0}  # not repeated
    assert mail.outbox == []
    # Tuesday 29.12: two working days unopened: escalate to the manager.
    assert run(clock, 2026, 12, 29, 8) == {"renotify": 0, "escalate": 1}
    assert [m.to for m in mail.outbox] == [["social_manager@example.fi"]]
    assert Referral.objects.get().escalated_at == at(2026, 12, 29, 8)
    for day in ((2026, 12, 29, 16), (2026, 12, 30, 8), (2027, 1, 7, 8)):
        assert run(clock, *day) == {"renotify": 0, "escalate": 0}
        assert mail.outbox == []
    assert [e.action for e in ReferralEvent.objects.filter(referral=referral)] == [
        "send",
        "renotify",
        "escalate",
    ]


def test_sender_sees_the_escalation(world, clock, settings) -> None:
    referral = send(world, "contact")
    run(clock, 2026, 12, 29, 8)
    issued = api_key_issue(unit=world.kela_unit, name="Kela CMS")
    api = HttpClient(HTTP_AUTHORIZATION=f"Bearer {issued.plaintext}")
    body = api.get(f"/api/v1/referrals/{referral.public_id}").json()
    assert (body["escalated"], body["status"]) == (True, "requested")
    settings.SILTA_DEMO_SKIP_TOTP = True
    browser = browser_client("en")
    browser.force_login(world.users["kela_processor"])
    page = browser.get(f"/referrals/{referral.public_id}/").content.decode()
    assert "escalated to the unit&#x27;s manager" in page or "escalated to the unit's" in page
    sent = browser.get(f"/units/{world.kela_unit.public_id}/referrals/sent/").content.decode()
    assert "escalated" in sent


def test_escalation_without_an_earlier_reminder_is_not_followed_by_one(world, clock) -> None:
    clock.set(2026, 11, 2, 10)  # Monday
    send(world, "contact")
    # The task did not run for two working days: it escalates at once ...
    assert run(clock, 2026, 11, 4, 8) == {"renotify": 0, "escalate": 1}
    # ... and does not send a late "please open it" reminder after the escalation.
    assert run(clock, 2026, 11, 5, 8) == {"renotify": 0, "escalate": 0}
    assert mail.outbox == []


def test_weekend_arrival_waits_as_long_as_a_friday_arrival(world, clock) -> None:
    # The arrival day is never counted and Monday is working day 1 (DOMAIN.md §3): a
    # Saturday arrival is reminded on Monday and escalated on Tuesday, like one on Friday.
    clock.set(2026, 11, 21, 12)  # Saturday
    send(world, "contact")
    assert run(clock, 2026, 11, 22, 20) == {"renotify": 0, "escalate": 0}  # Sunday
    assert run(clock, 2026, 11, 23, 8) == {"renotify": 1, "escalate": 0}  # Monday
    assert run(clock, 2026, 11, 24, 8) == {"renotify": 0, "escalate": 1}  # Tuesday


def test_opened_and_closed_referrals_are_left_alone(world, clock) -> None:
    opened = send(world, "contact")
    act(world, "social_worker", opened, "receive")
    cancelled = send(world, "contact")
    act(world, "kela_processor", cancelled, "cancel", reason_text="Peruttu")
    waiting = send(world, "contact")
    assert run(clock, 2027, 1, 15, 8) == {"renotify": 0, "escalate": 1}
    assert Referral.objects.get(pk=waiting.pk).escalated_at is not None
    for referral in (opened, cancelled):
        row = Referral.objects.get(pk=referral.pk)
        assert row.renotified_at is None and row.escalated_at is None
    assert not ReferralEvent.objects.filter(referral__in=[opened, cancelled]).filter(
        action__in=["renotify", "escalate"]
    )


def test_a_unit_without_e_mail_addresses_is_still_marked(world, clock) -> None:
    from silta.accounts.models import User

    User.objects.update(email="")
    send(world, "contact")
    assert run(clock, 2026, 12, 29, 8) == {"renotify": 0, "escalate": 1}
    assert mail.outbox == [] and Referral.objects.get().escalated_at is not None


def test_daily_digest_one_mail_per_unit_without_client_names(world, clock, settings) -> None:
    settings.LANGUAGE_CODE = "en"
    clock.set(2026, 11, 23, 7)  # Monday; due soon = by Wednesday 25.11
    social_case = world.open_case(world.clients[1])
    due = {
        "overdue": D(2026, 11, 20),
        "today": D(2026, 11, 23),
        "soon": D(2026, 11, 25),
        "later": D(2026, 11, 26),
    }
    made = {name: send(world, "contact", case=social_case) for name in due}
    for name, day in due.items():
        Referral.objects.filter(pk=made[name].pk).update(due_date=day)
    closed = send(world, "contact", case=social_case)
    Referral.objects.filter(pk=closed.pk).update(status="completed", due_date=D(2026, 11, 2))
    returned = send(world, "contact", case=social_case)
    Referral.objects.filter(pk=returned.pk).update(status="returned", due_date=D(2026, 11, 2))
    in_progress = send(world, "contact", case=social_case)
    Referral.objects.filter(pk=in_progress.pk).update(
        status="in_progress", due_date=D(2026, 11, 19)
    )
    to_kela = send(world, "document_delivery", case=world.open_case(world.clients[2]))
    Referral.objects.filter(pk=to_kela.pk).update(due_date=D(2026, 11, 24))
    mail.outbox.clear()
    assert send_daily_digests.call() == 2
    by_recipient = {tuple(m.to): m for m in mail.outbox}
    assert set(by_recipient) == {
        tuple(SOCIAL_MEMBERS),
        (
            "kela_advisor@example.fi",
            "kela_manager@example.fi",
            "kela_processor@example.fi",
        ),
    }
    social = by_recipient[tuple(SOCIAL_MEMBERS)]
    assert social.subject == "Silta: referrals overdue or due soon (4)"
    assert "Overdue: 2. Due within 2 working days: 2." in social.body
    kela = by_recipient[
        ("kela_advisor@example.fi", "kela_manager@example.fi", "kela_processor@example.fi")
    ]
    assert kela.subject == "Silta: referrals overdue or due soon (1)"
    assert "Overdue: 0. Due within 2 working days: 1." in kela.body
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        for client in world.clients:
            assert client.last_name not in text and client.identity_code not in text
            assert client.first_names not in text


def test_daily_digest_sends_nothing_when_nothing_is_due(world, clock) -> None:
    clock.set(2026, 11, 23, 7)
    referral = send(world, "contact")
    Referral.objects.filter(pk=referral.pk).update(due_date=D(2026, 12, 31))
    mail.outbox.clear()
    assert send_daily_digests.call() == 0 and mail.outbox == []
