"""A meeting's minutes reach the case's other unit (issue 9): who attended, what was
agreed and the agreed actions with their owners are a disclosure of their own, on the
client's consent in force, decided before the write and logged with it. Arranging the
meeting on an earlier consent is no basis for its minutes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from silta.api_keys.services import api_key_issue
from silta.audit.models import AuditEvent
from silta.consents.disclosures import NoLawfulBasis
from silta.consents.models import Consent, Disclosure
from silta.consents.services import consent_revoke
from silta.exchange.models import Case
from silta.meetings import minutes
from silta.meetings.inputs import ActionInput, MinutesInput
from silta.meetings.models import Meeting, MeetingAction, MeetingStatus
from silta.meetings.tests.scene import begun_meeting, held_meeting
from tests.factories import World, browser_client, make_client

pytestmark = pytest.mark.django_db

AGREED = "Asiakas hakee vuokravakuutta; sosiaalityö tekee aktivointisuunnitelman."


def _case(world: World) -> Case:
    """A shared case of a new client, on the client's consent (``World.open_case``); the
    world's clients are numbered from 1 (each test's changes are rolled back)."""
    return world.open_case(make_client(800))


def _revoke(world: World, case: Case) -> None:
    consent_revoke(
        actor=world.actor("kela_processor"),
        consent=Consent.objects.get(client=case.client),
        how="phone",
        note="Asiakas soitti",
    )


def _minutes(meeting: Meeting, world: World) -> MinutesInput:
    return MinutesInput(
        attended_ids=[p.public_id for p in meeting.participants.all()],
        client_attended=True,
        agreed=AGREED,
        actions=[
            ActionInput(
                text="Vuokravakuuden päätös",
                owner_unit_id=world.kela_unit.public_id,
                due_date=timezone.localdate() + dt.timedelta(days=5),
            )
        ],
    )


def _denied(case: Case) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="denied", client=case.client))


def test_minutes_on_a_consent_in_force_log_one_disclosure_of_the_minutes(shared_world):
    world = shared_world
    case = _case(world)
    meeting = begun_meeting(world, case)
    before = Disclosure.objects.filter(kind="meeting_minutes").count()
    minutes.minutes_record(
        actor=world.actor("social_worker"), meeting=meeting, data=_minutes(meeting, world)
    )
    (row,) = Disclosure.objects.filter(kind="meeting_minutes", client=case.client)
    assert Disclosure.objects.filter(kind="meeting_minutes").count() == before + 1
    assert (row.object_type, row.object_id) == ("meeting_minutes", str(meeting.public_id))
    assert (row.discloser_unit_id, row.recipient_unit_id) == (
        world.social_unit.pk,
        world.kela_unit.pk,
    )
    assert (row.purpose, row.category) == ("joint_assistance", "plans")
    assert row.consent_id == Consent.objects.get(client=case.client).pk


def test_minutes_on_a_revoked_consent_are_refused_with_nothing_written(shared_world):
    """The meeting was arranged on the consent; revoked since, the minutes cannot go."""
    world = shared_world
    case = _case(world)
    meeting = begun_meeting(world, case)
    _revoke(world, case)
    with pytest.raises(NoLawfulBasis) as refused:
        minutes.minutes_record(
            actor=world.actor("social_worker"), meeting=meeting, data=_minutes(meeting, world)
        )
    assert refused.value.reason == "consent_revoked"
    meeting.refresh_from_db()
    assert (meeting.status, meeting.agreed, meeting.minutes_at) == (
        MeetingStatus.CONFIRMED,
        "",
        None,
    )
    assert not meeting.participants.filter(attended=True).exists()
    assert not MeetingAction.objects.filter(meeting=meeting).exists()
    assert not Disclosure.objects.filter(kind="meeting_minutes", client=case.client).exists()
    (denied,) = _denied(case)
    assert (denied.detail["disclose"], denied.detail["object"]) == (
        "meeting_minutes",
        "meeting_minutes",
    )


def test_an_action_added_later_is_disclosed_the_same_way(shared_world):
    world = shared_world
    case = _case(world)
    meeting = held_meeting(world, case)
    data = ActionInput(
        text="Seurantatapaaminen",
        owner_unit_id=world.social_unit.public_id,
        due_date=timezone.localdate() + dt.timedelta(days=10),
    )
    action = minutes.action_add(actor=world.actor("social_worker"), meeting=meeting, data=data)
    row = Disclosure.objects.get(object_type="meeting_action", object_id=str(action.public_id))
    assert (row.kind, row.recipient_unit_id) == ("meeting_minutes", world.kela_unit.pk)
    _revoke(world, case)
    with pytest.raises(NoLawfulBasis):
        minutes.action_add(actor=world.actor("social_worker"), meeting=meeting, data=data)
    assert MeetingAction.objects.filter(meeting=meeting).count() == 2  # minutes' one + added
    assert len(_denied(case)) == 1


def test_the_api_answers_422_on_a_revoked_consent(shared_world):
    world = shared_world
    case = _case(world)
    meeting = begun_meeting(world, case)
    _revoke(world, case)
    issued = api_key_issue(unit=world.social_unit, name="CMS")
    api = HttpClient(HTTP_AUTHORIZATION=f"Bearer {issued.plaintext}", HTTP_ACCEPT_LANGUAGE="en")
    body = {
        "attended_ids": [str(p.public_id) for p in meeting.participants.all()],
        "client_attended": True,
        "agreed": AGREED,
    }
    response = api.post(
        f"/api/v1/meetings/{meeting.public_id}/minutes", body, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "no_lawful_basis"
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CONFIRMED
    operation = (
        HttpClient()
        .get("/api/v1/openapi.json")
        .json()["paths"]["/api/v1/meetings/{meeting_id}/minutes"]["post"]
    )
    assert "422" in operation["responses"]


def test_the_page_shows_the_refusal_and_keeps_the_minutes_form(shared_world, settings):
    settings.SILTA_DEMO_SKIP_TOTP = True
    world = shared_world
    case = _case(world)
    meeting = begun_meeting(world, case)
    _revoke(world, case)
    browser = browser_client("en")
    browser.force_login(world.users["social_worker"])
    response = browser.post(
        reverse("meetings:minutes", args=[meeting.public_id]),
        {
            "attended_ids": [str(p.public_id) for p in meeting.participants.all()],
            "client_attended": "yes",
            "agreed": AGREED,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Not sent:" in page and AGREED in page
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CONFIRMED
