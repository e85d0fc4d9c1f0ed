"""Meeting services: scheduling, iCalendar invitations by e-mail, minutes and actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from silta.api_keys.services import api_key_issue
from silta.consents.disclosures import NoLawfulBasis
from silta.consents.gate import BasisChoice
from silta.consents.models import Disclosure
from silta.core.errors import Conflict, Invalid, NotFound
from silta.exchange import services as exchange_services
from silta.meetings import minutes, services
from silta.meetings.inputs import (
    ActionInput,
    ActionStatusInput,
    AnswerInput,
    ConfirmInput,
    MeetingCancelInput,
    MinutesInput,
    PlaceInput,
    TimeAnswerInput,
    TimesInput,
)
from silta.meetings.models import Meeting, MeetingAction, MeetingStatus, TimeAnswer
from silta.meetings.selectors import meeting_get, open_actions
from silta.meetings.tests.scene import (
    EXTERNAL_EMAIL,
    VIDEO,
    confirmed_meeting,
    future,
    held_meeting,
    meeting_input,
    new_meeting,
    with_emails,
)
from silta.referrals import services as referrals
from silta.referrals.models import Referral
from tests.factories import browser_client, give_consent, make_client
from tests.permissions import REFERRAL_INPUTS

pytestmark = pytest.mark.django_db


def _calendar(message) -> icalendar.Calendar:
    (part,) = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    return icalendar.Calendar.from_ical(part.get_payload(decode=True))


def _event(calendar: icalendar.Calendar) -> Any:
    (event,) = calendar.walk("VEVENT")
    return event


def test_confirm_update_and_cancel_send_one_uid_with_growing_sequence(shared_world):
    world = shared_world
    with_emails(world)
    meeting = confirmed_meeting(world)
    organiser = world.actor("social_worker")
    assert len(mail.outbox) == 3  # two workers and the external participant
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [EXTERNAL_EMAIL, "social_worker@example.fi", "kela_processor@example.fi"]
    )
    first = _calendar(mail.outbox[0])
    event = _event(first)
    assert first["METHOD"] == "REQUEST"
    uid = str(event["UID"])
    assert (event["SEQUENCE"], event.decoded("DTSTART")) == (0, future(10))
    assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(minutes=60)
    assert str(event["LOCATION"]) == VIDEO["video_url"]

    mail.outbox.clear()
    services.meeting_change_place(
        actor=organiser,
        meeting=meeting,
        data=PlaceInput(
            place_kind="phone", place_details="Puhelinneuvottelu 029 000 000, PIN 1234"
        ),
    )
    update = _event(_calendar(mail.outbox[0]))
    assert (str(update["UID"]), update["SEQUENCE"]) == (uid, 1)
    assert "029 000 000" in str(update["LOCATION"])

    mail.outbox.clear()
    services.meeting_cancel(
        actor=organiser, meeting=meeting, data=MeetingCancelInput(reason="Sairastuminen")
    )
    cancel_calendar = _calendar(mail.outbox[0])
    cancelled = _event(cancel_calendar)
    assert cancel_calendar["METHOD"] == "CANCEL"
    assert (str(cancelled["UID"]), cancelled["SEQUENCE"], cancelled["STATUS"]) == (
        uid,
        2,
        "CANCELLED",
    )
    assert len(mail.outbox) == 3


def test_an_update_of_a_cancelled_meeting_is_refused_and_sends_nothing(shared_world):
    world = shared_world
    meeting = confirmed_meeting(world)
    organiser = world.actor("social_worker")
    services.meeting_cancel(
        actor=organiser, meeting=meeting, data=MeetingCancelInput(reason="Peruttu")
    )
    mail.outbox.clear()
    with pytest.raises(Conflict) as error:
        services.meeting_change_place(
            actor=organiser, meeting=meeting, data=PlaceInput.model_validate(VIDEO)
        )
    assert error.value.code == "meeting_cancelled"
    assert mail.outbox == []


def test_external_participants_get_no_client_data(shared_world):
    world = shared_world
    with_emails(world)
    client = world.clients[0]
    confirmed_meeting(world, title=f"Palaveri: {client.full_name} {client.identity_code}")
    (external,) = [m for m in mail.outbox if m.to == [EXTERNAL_EMAIL]]
    text = external.message().as_string() + _calendar(external).to_ical().decode()
    for secret in (client.last_name, client.first_names, client.identity_code, "Palaveri"):
        assert secret not in text
    assert world.social_unit.name_fi in text  # the organiser is named


def test_a_time_nobody_was_offered_is_refused(shared_world):
    world = shared_world
    meeting = new_meeting(world)
    with pytest.raises(Invalid) as error:
        services.meeting_confirm(
            actor=world.actor("social_worker"),
            meeting=meeting,
            data=ConfirmInput(starts_at=future(12)),
        )
    assert error.value.code == "time_not_proposed"
    meeting.refresh_from_db()
    assert (meeting.status, meeting.starts_at, meeting.sequence) == ("scheduling", None, None)
    assert mail.outbox == []


def test_a_naive_time_is_helsinki_time(shared_world):
    meeting = new_meeting(shared_world)
    naive = future(10).astimezone(timezone.get_current_timezone()).replace(tzinfo=None)
    confirmed = services.meeting_confirm(
        actor=shared_world.actor("social_worker"),
        meeting=meeting,
        data=ConfirmInput(starts_at=naive),
    )
    assert confirmed.starts_at == future(10)


@pytest.mark.parametrize(
    ("times", "code"),
    [([1], "times_count"), ([1, 2, 3, 4, 5, 6], "times_count"), ([-1, 2], "time_past")],
)
def test_two_to_five_future_times(shared_world, times, code):
    meeting = new_meeting(shared_world)
    with pytest.raises(Invalid) as error:
        services.meeting_propose_times(
            actor=shared_world.actor("social_worker"),
            meeting=meeting,
            data=TimesInput(times=[future(d) for d in times]),
        )
    assert error.value.code == code
    assert meeting.times.count() == 2


@pytest.mark.parametrize(
    "url",
    [
        "http://meet.example.fi/a",
        "javascript:alert(1)",
        "https://",
        "meet.example.fi",
        "https://a b.fi",
    ],
)
def test_an_invalid_video_url_is_refused(shared_world, url):
    with pytest.raises(Invalid) as error:
        new_meeting(shared_world, video_url=url)
    assert error.value.code == "video_url_invalid"


def test_a_participant_answers_and_an_external_answer_is_recorded_by_the_organiser(shared_world):
    world = shared_world
    meeting = new_meeting(world)
    answers = [TimeAnswerInput(starts_at=future(10), answer="yes")]
    services.meeting_answer(
        actor=world.actor("kela_processor"), meeting=meeting, data=AnswerInput(answers=answers)
    )
    external = meeting.participants.get(user=None)
    services.meeting_answer(
        actor=world.actor("social_worker"),
        meeting=meeting,
        data=AnswerInput(participant_id=external.public_id, answers=answers),
    )
    assert TimeAnswer.objects.filter(time__meeting=meeting, answer="yes").count() == 2
    with pytest.raises(Invalid):  # a time that was not proposed
        services.meeting_answer(
            actor=world.actor("kela_processor"),
            meeting=meeting,
            data=AnswerInput(
                answers=[TimeAnswerInput(starts_at=future(12), answer="no")],
            ),
        )


def test_only_network_meetings_invite_people_from_outside(shared_world):
    with pytest.raises(Invalid) as error:
        new_meeting(shared_world, kind="tripartite")
    assert error.value.code == "externals_network_only"


def test_minutes_without_attendance_are_refused(shared_world):
    world = shared_world
    meeting = confirmed_meeting(world)
    for data, code in [
        (MinutesInput(client_attended=True, agreed="x"), "attendance_required"),
        (
            MinutesInput(attended_ids=[meeting.participants.all()[0].public_id], agreed="x"),
            "client_attendance_required",
        ),
    ]:
        with pytest.raises(Invalid) as error:
            minutes.minutes_record(actor=world.actor("social_worker"), meeting=meeting, data=data)
        assert error.value.code == code
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes_at) == (MeetingStatus.CONFIRMED, None)


@pytest.mark.parametrize(
    ("action", "code"),
    [
        ({"text": "Päätös", "due_date": dt.date(2031, 1, 1)}, "action_owner_required"),
        ({"text": "Päätös", "owner_unit": True}, "action_due_required"),
    ],
)
def test_an_action_without_owner_or_due_date_is_refused(shared_world, action, code):
    world = shared_world
    meeting = confirmed_meeting(world)
    owner = {"owner_unit_id": world.kela_unit.public_id} if action.pop("owner_unit", False) else {}
    data = MinutesInput(
        attended_ids=[p.public_id for p in meeting.participants.all()],
        client_attended=False,
        actions=[ActionInput(**action, **owner)],
    )
    with pytest.raises(Invalid) as error:
        minutes.minutes_record(actor=world.actor("social_worker"), meeting=meeting, data=data)
    assert error.value.code == code
    assert MeetingAction.objects.count() == 0
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CONFIRMED


def test_an_action_is_tracked_to_done_on_the_owners_list(shared_world):
    world = shared_world
    meeting = held_meeting(world)
    assert meeting.status == MeetingStatus.HELD and meeting.client_attended is True
    kela = world.actor("kela_processor")
    (row,) = open_actions(actor=kela)
    assert (row.action.meeting_id, row.overdue) == (meeting.pk, False)
    assert open_actions(actor=world.actor("social_worker")) == []  # Kela Itä owns it
    later = timezone.now() + dt.timedelta(days=30)
    assert open_actions(actor=kela, now=later)[0].overdue
    minutes.action_set_status(actor=kela, action=row.action, data=ActionStatusInput(status="done"))
    assert open_actions(actor=kela) == []


def test_the_referral_deadline_is_kept_with_the_meeting(shared_world):
    world = shared_world
    case = world.open_case()
    request = referrals.referral_send(
        actor=world.actor("kela_processor"), case=case, data=REFERRAL_INPUTS["meeting_request"]
    )
    meeting = new_meeting(world, case, referral_id=request.public_id)
    assert meeting.referral is not None and meeting.referral.due_date == request.due_date
    contact = referrals.referral_send(
        actor=world.actor("kela_processor"), case=case, data=REFERRAL_INPUTS["contact"]
    )
    with pytest.raises(Invalid):
        new_meeting(world, case, referral_id=contact.public_id)


def test_the_request_deadline_shows_only_while_the_request_is_open(shared_world, settings):
    settings.SILTA_DEMO_SKIP_TOTP = True
    world = shared_world
    case = world.open_case()
    request = referrals.referral_send(
        actor=world.actor("kela_processor"), case=case, data=REFERRAL_INPUTS["meeting_request"]
    )
    meeting = new_meeting(world, case, referral_id=request.public_id)
    http = browser_client("fi")
    http.force_login(world.users["social_worker"])
    url = reverse("meetings:detail", args=[meeting.public_id])
    assert 'data-testid="meeting-deadline"' in http.get(url).content.decode()
    Referral.objects.filter(pk=request.pk).update(status="completed")
    assert 'data-testid="meeting-deadline"' not in http.get(url).content.decode()


def test_other_organisations_do_not_see_the_meeting(shared_world):
    world = shared_world
    meeting = new_meeting(world)
    for key in ("social_other_org", "kela_other_unit", "social_same_org_other_unit", "kela_admin"):
        with pytest.raises(NotFound):
            meeting_get(actor=world.actor(key), meeting_id=meeting.public_id)
    assert meeting_get(actor=world.actor("kela_advisor"), meeting_id=meeting.public_id) == meeting


def test_meeting_input_has_no_default_kind(shared_world):
    with pytest.raises(Invalid):
        services.meeting_create(
            actor=shared_world.actor("social_worker"),
            case=shared_world.open_case(),
            data=meeting_input(shared_world, kind=""),
        )


def test_minutes_wait_until_the_meeting_has_begun(shared_world) -> None:
    world = shared_world
    meeting = confirmed_meeting(world)  # confirmed for a time ten days ahead
    data = MinutesInput(
        attended_ids=[p.public_id for p in meeting.participants.all()],
        client_attended=True,
        agreed="Sovittiin etukäteen",
    )
    with pytest.raises(Conflict) as refused:
        minutes.minutes_record(actor=world.actor("social_worker"), meeting=meeting, data=data)
    assert refused.value.code == "not_yet_held"
    meeting.refresh_from_db()
    assert (meeting.status, meeting.agreed) == ("confirmed", "")


def test_a_meeting_goes_to_the_other_unit_only_on_a_consent(shared_world):
    """Its title, agenda and times reach the case's other unit: a disclosure on the
    client's consent (no statutory basis arranges a meeting), logged with the meeting."""
    world = shared_world
    client = make_client()  # no consent: the case was opened on Totul 18 h §
    case, _created = exchange_services.case_open(
        actor=world.actor("kela_processor"),
        client=client,
        acting_unit_id=world.kela_unit.pk,
        counterpart_unit_id=world.social_unit.pk,
        basis=BasisChoice(statutory_basis="totul_18h"),
    )
    with pytest.raises(NoLawfulBasis) as refused:
        new_meeting(world, case)
    assert refused.value.reason == "no_consent"
    assert not Meeting.objects.filter(case=case).exists()
    give_consent(client, world.county, world.kela_unit)
    meeting = new_meeting(world, case)
    row = Disclosure.objects.get(object_type="meeting", object_id=str(meeting.public_id))
    assert (row.kind, row.discloser_unit_id, row.recipient_unit_id) == (
        "meeting",
        world.social_unit.pk,
        world.kela_unit.pk,
    )
    assert row.consent_id is not None


def test_the_api_answers_422_and_the_page_keeps_the_form_without_a_consent(shared_world, settings):
    settings.SILTA_DEMO_SKIP_TOTP = True
    world = shared_world
    client = make_client()
    case, _created = exchange_services.case_open(
        actor=world.actor("kela_processor"),
        client=client,
        acting_unit_id=world.kela_unit.pk,
        counterpart_unit_id=world.social_unit.pk,
        basis=BasisChoice(statutory_basis="totul_18h"),
    )
    issued = api_key_issue(unit=world.social_unit, name="CMS")
    body = {
        "case_id": str(case.public_id),
        "kind": "case_conference",
        "title": "Tilannekatsaus",
        "times": [future(10).isoformat(), future(11).isoformat()],
        **VIDEO,
    }
    api = HttpClient(HTTP_AUTHORIZATION=f"Bearer {issued.plaintext}", HTTP_ACCEPT_LANGUAGE="en")
    response = api.post("/api/v1/meetings", body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "no_lawful_basis"
    assert not Meeting.objects.filter(case=case).exists()
