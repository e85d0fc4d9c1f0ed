"""The daily digest takes sections from the apps above referrals through the registry in
``core.digest``: meetings' open agreed actions (a unit's, a person's), the forums'
follow-up actions, guideline changes to acknowledge and their impact. No client names."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from silta.accounts.models import Membership
from silta.cooperation.tests import scene as coop_scene
from silta.core import digest
from silta.core.digest import DigestLine
from silta.exchange import services as exchange
from silta.knowledge.tests import scene as knowledge_scene
from silta.meetings.models import MeetingAction
from silta.meetings.tests.scene import held_meeting
from silta.referrals.tasks import send_daily_digests

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings) -> None:
    settings.LANGUAGE_CODE = "en"  # the digest is written in the site's language


def with_emails(world):
    for key, user in world.users.items():
        user.email = f"{key}@example.fi"
        user.save(update_fields=["email"])


def _emails(world, unit):
    return sorted(
        Membership.objects.filter(unit=unit)
        .exclude(role="organisation_admin")
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )


def _mail_to(address, *, some=True):
    found = [m for m in mail.outbox if address in m.to]
    assert bool(found) == some, address
    return found


def test_a_registered_section_reaches_the_unit_and_the_person(world, monkeypatch):
    with_emails(world)
    monkeypatch.setattr(digest, "_sources", {})
    digest.register_section(
        "test",
        lambda day: [
            DigestLine(section="Osio", text="Yksikön rivi", unit_id=world.social_unit.pk),
            DigestLine(section="Osio", text="Oma rivi", user_id=world.users["kela_manager"].pk),
        ],
    )
    assert send_daily_digests.call() == 2
    unit_mail = _mail_to(world.users["social_worker"].email)[0]
    assert "Osio\n- Yksikön rivi" in unit_mail.body and "Oma rivi" not in unit_mail.body
    assert sorted(unit_mail.to) == _emails(world, world.social_unit)
    assert unit_mail.subject == "Silta: your unit's daily digest"
    person = _mail_to(world.users["kela_manager"].email)
    assert [m.to for m in person] == [[world.users["kela_manager"].email]]
    assert "Oma rivi" in person[0].body


def test_meetings_open_actions_overdue_counted_like_referrals(world):
    with_emails(world)
    meeting = held_meeting(world)
    action = MeetingAction.objects.get(meeting=meeting)
    today = timezone.localdate()
    MeetingAction.objects.filter(pk=action.pk).update(due_date=today - dt.timedelta(days=10))
    participant = meeting.participants.filter(user=world.users["social_worker"]).first()
    assert participant is not None
    MeetingAction.objects.create(
        meeting=meeting,
        text="Asiakkaan nimi ei saa näkyä",
        owner_participant=participant,
        due_date=today + dt.timedelta(days=3),
    )
    mail.outbox.clear()  # the invitations
    send_daily_digests.call()
    kela = _mail_to(world.users["kela_processor"].email)
    body = "\n".join(m.body for m in kela)
    assert "Agreed actions from meetings" in body and "1 open, 1 overdue" in body
    assert "overdue by" in body and "Vuokravakuuden" not in body
    own = [
        m
        for m in _mail_to(world.users["social_worker"].email)
        if m.to == [world.users["social_worker"].email]
    ]
    assert own and "1 open, 0 overdue" in own[0].body
    assert "Asiakkaan nimi" not in own[0].body and world.clients[0].last_name not in body
    MeetingAction.objects.update(status="done")
    mail.outbox.clear()
    send_daily_digests.call()
    assert all("Agreed actions" not in m.body for m in mail.outbox)


def test_forum_follow_up_actions_are_named_in_the_owner_units_digest(world):
    with_emails(world)
    coop = coop_scene.build(world)
    send_daily_digests.call()
    body = _mail_to(world.users["kela_processor"].email)[0].body
    assert "Follow-up actions of cooperation forum decisions" in body
    assert "Tiedote tiimeille" in body and coop.forum.name_fi in body
    _mail_to(world.users["social_worker"].email, some=False)


def test_the_digest_is_written_in_the_sites_language(world, settings):
    settings.LANGUAGE_CODE = "fi"
    with_emails(world)
    coop_scene.build(world)
    send_daily_digests.call()
    body = _mail_to(world.users["kela_processor"].email)[0].body
    assert "Yhteistyöryhmien päätösten jatkotoimet" in body and "määräpäivä" in body


def test_bulletins_to_acknowledge_and_their_impact_reach_the_receiving_units(world):
    with_emails(world)
    found = knowledge_scene.build(world)
    exchange.thread_start(
        actor=world.actor("kela_processor"),
        case=world.open_case(),
        subject="Asunto",
        body="x",
        expense_kind="rent-deposit",
    )
    send_daily_digests.call()
    body = _mail_to(world.users["social_worker"].email)[0].body
    assert "Guideline changes to acknowledge" in body and found.bulletin.title in body
    assert "open items that guideline changes touch" in body
    assert "1 open case (0 referrals, 1 threads)" in body
    other = _mail_to(world.users["social_same_org_other_unit"].email)[0].body
    assert found.bulletin.title in other and "touch" not in other
    kela = world.users["kela_manager"].email
    assert all(found.bulletin.title not in m.body for m in mail.outbox if kela in m.to)
