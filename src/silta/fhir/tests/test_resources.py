"""Each resource the facade produces: valid R4 (``fhir.resources``) and mapped as the
standards say (../shared/STANDARDS.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from silta.accounts.roles import Role
from silta.directory.models import HoursException
from silta.directory.services import ChannelInput, channel_save
from silta.fhir.codes import BUSINESS_STATUS, IDENTITY_CODE_SYSTEM
from silta.fhir.tests.helpers import get, key_for, validate
from silta.meetings.tests.scene import confirmed_meeting, held_meeting, new_meeting
from silta.referrals.state import FHIR
from tests.permissions import REFERRAL_STATES

pytestmark = pytest.mark.django_db


@pytest.fixture
def kuopio(matrix_scene):
    return key_for(matrix_scene.world.social_unit)


@pytest.mark.parametrize("state", list(REFERRAL_STATES))
def test_each_referral_state_is_a_valid_task_with_its_status_and_business_status(
    client, matrix_scene, state
):
    referral = matrix_scene.referral(state)
    # Kela (the sender) reads: no receipt is recorded by the read.
    task = get(client, f"Task/{referral.public_id}", key_for(matrix_scene.world.kela_unit)).json()
    status, business, _display = FHIR[referral.status]
    assert task["status"] == status
    assert task["businessStatus"]["coding"][0] == {
        "system": BUSINESS_STATUS,
        "code": business,
        "display": _display,
    }
    assert task["focus"]["reference"] == f"ServiceRequest/{referral.public_id}"
    assert task["for"]["reference"] == f"Patient/{matrix_scene.world.clients[0].public_id}"
    assert task["owner"]["reference"] == f"Organization/{matrix_scene.world.social_unit.public_id}"
    assert task["requester"]["reference"] == (
        f"Organization/{matrix_scene.world.kela_unit.public_id}"
    )
    if status in ("rejected", "cancelled", "on-hold", "failed"):
        assert task["statusReason"]["text"]
    assert len(task["relevantHistory"]) == referral.events.count()


def test_a_returned_referral_carries_its_reason_and_handoff_and_its_history(client, matrix_scene):
    referral = matrix_scene.referral("returned")
    headers = key_for(matrix_scene.world.kela_unit)
    task = get(client, f"Task/{referral.public_id}", headers).json()
    assert (task["status"], task["businessStatus"]["coding"][0]["code"]) == ("rejected", "4.1")
    assert task["statusReason"]["coding"][0]["code"] == "wrong_unit"
    assert task["extension"][0]["valueInteger"] == 1  # one handoff
    history = get(client, "Provenance", headers, target=f"Task/{referral.public_id}").json()
    steps = [e["resource"]["activity"]["coding"][0]["code"] for e in history["entry"]]
    assert steps == ["send", "receive", "return"]
    assert [e["fullUrl"].rsplit("/", 1)[1] for e in history["entry"]] == [
        r["reference"].split("/")[1] for r in task["relevantHistory"]
    ]
    one = get(client, task["relevantHistory"][2]["reference"], headers)
    assert one.json()["reason"][1]["coding"][0]["code"] == "wrong_unit"


def test_the_completed_meeting_request_reports_its_outcome(client, matrix_scene):
    referral = matrix_scene.referral("meeting")
    task = get(client, f"Task/{referral.public_id}", key_for(matrix_scene.world.kela_unit)).json()
    assert task["status"] == "completed"
    outcome = task["output"][0]
    assert outcome["type"]["coding"][0]["code"] == "resulting-activity"
    assert outcome["valueCodeableConcept"]["coding"][0]["code"] == "meeting_confirmed"
    assert task["output"][1]["valueString"] == "2030-01-15T10:00:00"


def test_service_request_names_the_type_and_the_performer(client, matrix_scene, kuopio):
    referral = matrix_scene.referral("on_hold")
    request = get(client, f"ServiceRequest/{referral.public_id}", kuopio).json()
    assert request["status"] == "on-hold"
    assert request["code"]["coding"][0]["code"] == "contact"
    assert request["performer"][0]["reference"] == (
        f"Organization/{matrix_scene.world.social_unit.public_id}"
    )


def test_patient_has_the_identity_code_only_as_the_national_identifier(
    client, matrix_scene, kuopio
):
    person = matrix_scene.world.clients[0]
    response = get(client, f"Patient/{person.public_id}", kuopio)
    patient = response.json()
    assert patient["identifier"] == [
        {"use": "official", "system": IDENTITY_CODE_SYSTEM, "value": person.identity_code}
    ]
    assert patient["id"] == str(person.public_id)
    assert patient["name"][0]["family"] == person.last_name
    # The code appears in the body once, nowhere else (no link, no id).
    assert response.content.decode().count(person.identity_code) == 1


def test_communication_links_its_attachments_to_access_checked_binaries(
    client, matrix_scene, kuopio
):
    message, attachment = matrix_scene.message, matrix_scene.attachment
    communication = get(client, f"Communication/{message.public_id}", kuopio).json()
    assert communication["payload"][0]["contentString"] == message.body
    assert communication["payload"][1]["contentReference"]["reference"] == (
        f"DocumentReference/{attachment.public_id}"
    )
    document = get(client, f"DocumentReference/{attachment.public_id}", kuopio).json()
    url = document["content"][0]["attachment"]["url"]
    assert url == f"http://testserver/fhir/R4/Binary/{attachment.public_id}"
    assert document["context"]["related"][0]["reference"] == f"Communication/{message.public_id}"
    data = client.get(url, headers=kuopio)
    assert data.status_code == 200
    assert data["Content-Type"] == "application/pdf"
    assert b"".join(data.streaming_content).startswith(b"%PDF")
    # Another organisation's key gets neither the metadata nor the bytes.
    stranger = key_for(matrix_scene.world.other_social_unit)
    assert client.get(url, headers=stranger).status_code == 404
    assert get(client, f"DocumentReference/{attachment.public_id}", stranger).status_code == 404


def test_consents_of_the_client_are_r4_consents(client, matrix_scene, kuopio):
    person = matrix_scene.world.clients[0]
    bundle = get(client, "Consent", kuopio, patient=f"Patient/{person.public_id}").json()
    assert bundle["entry"], "open_case gives the application's consent"
    consent = bundle["entry"][0]["resource"]
    assert (consent["status"], consent["patient"]["reference"]) == (
        "active",
        f"Patient/{person.public_id}",
    )
    one = get(client, f"Consent/{consent['id']}", kuopio)
    assert one.json()["id"] == consent["id"]


def test_directory_unit_channels_hours_and_holiday_closures(client, matrix_scene, kuopio):
    world, channel = matrix_scene.world, matrix_scene.channel
    channel.weekly_hours.create(weekday=0, opens=dt.time(8), closes=dt.time(16))
    closed_on = dt.date.today() + dt.timedelta(days=3)
    HoursException.objects.create(channel=channel, date=closed_on, note="Koulutus")
    service = get(client, f"HealthcareService/{channel.public_id}", kuopio).json()
    assert service["availableTime"] == [
        {"daysOfWeek": ["mon"], "availableStartTime": "08:00:00", "availableEndTime": "16:00:00"}
    ]
    closures = {n["during"]["start"]: n["description"] for n in service["notAvailable"]}
    assert closed_on.isoformat() in closures
    # Public holidays: the channel is closed on them (6.12., Independence Day).
    year = dt.date.today().year + (
        1 if dt.date.today() > dt.date(dt.date.today().year, 12, 6) else 0
    )
    assert dt.date(year, 12, 6).isoformat() in closures
    assert service["providedBy"]["reference"] == f"Organization/{world.social_unit.public_id}"
    unit = get(client, f"Organization/{world.social_unit.public_id}", kuopio).json()
    assert unit["partOf"]["reference"] == f"Organization/{world.county.public_id}"
    roles = get(client, "PractitionerRole", kuopio, organization=str(world.social_unit.public_id))
    names = {e["resource"]["practitioner"]["display"] for e in roles.json()["entry"]}
    assert world.users["social_worker"].display_name in names
    worker = next(
        e["resource"]
        for e in roles.json()["entry"]
        if e["resource"]["practitioner"]["display"] == world.users["social_worker"].display_name
    )
    assert worker["code"][0]["coding"][0]["code"] == "social_worker"
    assert worker["code"][0]["coding"][0]["display"] == str(Role.SOCIAL_WORKER.label)


def test_a_visiting_address_is_a_location(client, matrix_scene, kuopio):
    channel = channel_save(
        user=None,
        unit=matrix_scene.world.social_unit,
        check_owner=False,
        data=ChannelInput(
            kind="visiting_address",
            street="Suokatu 42",
            postal_code="70100",
            city="Kuopio",
            weekly={},
        ),
    )
    location = get(client, f"Location/{channel.public_id}", kuopio).json()
    assert location["address"]["line"] == ["Suokatu 42"]
    service = get(client, f"HealthcareService/{channel.public_id}", kuopio).json()
    assert service["location"][0]["reference"] == f"Location/{channel.public_id}"


@pytest.mark.parametrize(
    ("make", "status"),
    [(new_meeting, "proposed"), (confirmed_meeting, "booked"), (held_meeting, "fulfilled")],
)
def test_a_meeting_is_an_appointment(client, matrix_scene, kuopio, make, status):
    meeting = make(matrix_scene.world, matrix_scene.case)
    appointment = get(client, f"Appointment/{meeting.public_id}", kuopio).json()
    assert appointment["status"] == status
    actors = [p["actor"] for p in appointment["participant"]]
    assert {"display": "Outi Ohjaaja"} in actors
    assert {"reference": f"Patient/{matrix_scene.world.clients[0].public_id}"} in actors
    if status == "proposed":
        assert len(appointment["requestedPeriod"]) == 2
    else:
        assert appointment["start"] < appointment["end"]
    found = get(client, "Appointment", kuopio, status=status).json()
    assert [e["resource"]["id"] for e in found["entry"]] == [str(meeting.public_id)]


def test_metadata_is_a_capability_statement_listing_every_resource(client, db):
    statement = client.get("/fhir/R4/metadata").json()
    validate(statement)
    types = {r["type"] for r in statement["rest"][0]["resource"]}
    assert {"Task", "ServiceRequest", "Patient", "Communication", "Consent", "Appointment"} <= types
    task = next(r for r in statement["rest"][0]["resource"] if r["type"] == "Task")
    assert {p["name"] for p in task["searchParam"]} >= {
        "_lastUpdated",
        "patient",
        "status",
        "owner",
        "requester",
        "_id",
        "_count",
    }
    assert {"update", "patch"} <= {i["code"] for i in task["interaction"]}


def test_patient_is_found_by_identity_code_only_in_a_posted_body(client, matrix_scene, kuopio):
    person = matrix_scene.world.clients[0]
    body = f"identifier=urn:oid:1.2.246.21|{person.identity_code}"
    response = client.post(
        "/fhir/R4/Patient/_search",
        body,
        content_type="application/x-www-form-urlencoded",
        headers=kuopio,
    )
    assert response.status_code == 200, response.content
    bundle = response.json()
    validate(bundle)
    assert [e["resource"]["id"] for e in bundle["entry"]] == [str(person.public_id)]
    assert all(person.identity_code not in link["url"] for link in bundle["link"])
    # Another organisation's unit, with no relation to the client, finds nothing.
    stranger = key_for(matrix_scene.world.other_social_unit)
    other = client.post(
        "/fhir/R4/Patient/_search",
        body,
        content_type="application/x-www-form-urlencoded",
        headers=stranger,
    )
    assert other.json()["entry"] == []
    # In a URL it is refused, and the answer does not repeat it.
    refused = client.get("/fhir/R4/Patient", {"identifier": body[11:]}, headers=kuopio)
    assert refused.status_code == 400
    assert person.identity_code not in refused.content.decode()
