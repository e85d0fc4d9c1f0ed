"""Each trigger gives the client exactly one notification (and nothing else does): a
meeting confirmed, changed or cancelled; the answer to their joint-meeting request; an
outcome of a referral about them; a consent about to expire (once)."""

from __future__ import annotations

import dataclasses

import pytest

from silta.meetings import services as meetings
from silta.meetings.inputs import ConfirmInput, MeetingCancelInput, PlaceInput
from silta.meetings.tests.scene import future, new_meeting
from silta.notifications.models import Notification, NotificationKind, Outcome
from silta.notifications.services import PreferenceInput, preference_set
from silta.notifications.tasks import notify_expiring_consents
from silta.referrals.tests.helpers import COMPLETIONS, act, send
from silta.referrals.types import SPECS
from silta.referrals.typespec import ClientSees
from tests.factories import give_consent

pytestmark = pytest.mark.django_db


def kinds(client) -> list[str]:
    return list(
        Notification.objects.filter(client=client).order_by("pk").values_list("kind", flat=True)
    )


@pytest.fixture
def world(shared_world):
    client = shared_world.open_case().client
    preference_set(client=client, data=PreferenceInput(email="asiakas@example.fi"))
    return shared_world


def test_a_meeting_confirmed_changed_and_cancelled(world):
    case = world.open_case()
    organiser = world.actor("social_worker")
    meeting = new_meeting(world, case)
    assert kinds(case.client) == []  # proposing times is not news to the client yet
    meeting = meetings.meeting_confirm(
        actor=organiser, meeting=meeting, data=ConfirmInput(starts_at=future(10))
    )
    assert kinds(case.client) == [NotificationKind.MEETING_CONFIRMED]
    meetings.meeting_change_place(
        actor=organiser,
        meeting=meeting,
        data=PlaceInput(place_kind="phone", place_details="+358 9 123 4567"),
    )
    meetings.meeting_cancel(
        actor=organiser, meeting=meeting, data=MeetingCancelInput(reason="Sairastuminen")
    )
    assert kinds(case.client) == [
        NotificationKind.MEETING_CONFIRMED,
        NotificationKind.MEETING_CHANGED,
        NotificationKind.MEETING_CANCELLED,
    ]
    assert {n.outcome for n in Notification.objects.all()} == {Outcome.QUEUED}


def test_a_case_conference_without_the_client_notifies_nobody(world):
    case = world.open_case()
    meeting = new_meeting(world, case, kind="case_conference", externals=[])
    meetings.meeting_confirm(
        actor=world.actor("social_worker"), meeting=meeting, data=ConfirmInput(starts_at=future(10))
    )
    assert kinds(case.client) == []


def test_a_refused_step_notifies_nobody(world):
    case = world.open_case()
    meeting = new_meeting(world, case)
    with pytest.raises(Exception):  # noqa: B017  (the service's own refusal)
        meetings.meeting_confirm(
            actor=world.actor("social_worker"),
            meeting=meeting,
            data=ConfirmInput(starts_at=future(30)),  # a time nobody was offered
        )
    assert kinds(case.client) == []


def test_the_outcome_of_a_referral_is_one_notification(world):
    referral = send(world, "contact")
    case_client = referral.case.client
    act(world, "social_worker", referral, "receive")
    act(world, "social_worker", referral, "accept")
    assert kinds(case_client) == []
    act(world, "social_worker", referral, "complete", **COMPLETIONS["contact"])
    assert kinds(case_client) == [NotificationKind.REFERRAL_OUTCOME]


@pytest.mark.parametrize("answer", ["accept", "reject"])
def test_the_answer_to_a_meeting_request(world, answer):
    referral = send(world, "meeting_request")
    act(world, "social_worker", referral, "receive")
    fields = {"reason_text": "Ei tarvetta"} if answer == "reject" else {}
    act(world, "social_worker", referral, answer, **fields)
    assert kinds(referral.case.client) == [NotificationKind.MEETING_REQUEST_ANSWERED]


def test_a_consent_about_to_expire_is_notified_once(world, settings):
    settings.SILTA_CONSENT_EXPIRY_WARNING_DAYS = 10
    client = world.open_case().client
    assert notify_expiring_consents.call() == 0  # the world's consents run for a year
    give_consent(client, world.county, world.social_unit, days=3)
    assert notify_expiring_consents.call() == 1
    assert notify_expiring_consents.call() == 0  # once per consent
    assert kinds(client) == [NotificationKind.CONSENT_EXPIRING]


def test_a_client_without_a_channel_is_recorded_and_the_step_goes_on(world):
    referral = send(world, "contact")
    client = referral.case.client
    client.notification_preference.delete()
    act(world, "social_worker", referral, "receive")
    act(world, "social_worker", referral, "accept")
    done = act(world, "social_worker", referral, "complete", **COMPLETIONS["contact"])
    assert done.status == "completed"
    (notification,) = Notification.objects.filter(client=client)
    assert notification.outcome == Outcome.NO_CHANNEL
    assert not notification.deliveries.exists()


def test_a_type_the_client_never_sees_gives_no_outcome_notice(world, monkeypatch):
    spec = SPECS["contact"]
    monkeypatch.setitem(SPECS, "contact", dataclasses.replace(spec, client_sees=ClientSees.NEVER))
    referral = send(world, "contact")
    for action in ("receive", "accept"):
        act(world, "social_worker", referral, action)
    act(world, "social_worker", referral, "complete", **COMPLETIONS["contact"])
    assert kinds(referral.case.client) == []
