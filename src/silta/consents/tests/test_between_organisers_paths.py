"""Every send path, one county to another (issue 9): refused without a basis, allowed with
a consent naming the recipient (logged with both organisations), Kela <-> a county as
before, and two units of one county never a disclosure.

Kuopio's social work (county A, ``world.social_unit``) and Vantaa's (county B,
``world.other_social_unit``). A shared case is Kela's and an organiser's; the case between
the two counties is written here directly, to prove that the paths that send on a case
ask the gate about the organisations, not the sectors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from silta.audit.models import AuditEvent
from silta.bookings import services as bookings
from silta.bookings.inputs import BookInput
from silta.bookings.models import Booking, Slot
from silta.callbacks import services as callbacks
from silta.callbacks.models import CallbackRequest
from silta.clients.models import Client
from silta.consents.codes import DisclosureKind
from silta.consents.disclosures import NoLawfulBasis
from silta.consents.gate import gate_decide, gate_log
from silta.consents.models import Consent, Disclosure
from silta.consents.permissions import viewing_units
from silta.consents.relations import related_unit_ids
from silta.consents.selectors import consent_client, consent_panel, relates
from silta.consents.tests.helpers import wording
from silta.core.errors import Invalid
from silta.exchange import services as exchange
from silta.exchange.models import Case, Message
from silta.meetings import services as meetings
from silta.meetings.models import Meeting
from silta.meetings.tests.scene import meeting_input
from silta.referrals import services as referrals
from silta.referrals.models import Referral
from silta.referrals.tests.helpers import referral_input
from tests.factories import World, give_consent, make_client, pdf

pytestmark = pytest.mark.django_db


def naming(world: World, *units: Any) -> Consent:
    """Kuopio's consent (with Kela) that also names ``units`` of another county."""
    consent = give_consent(world.clients[0], world.county, world.social_unit)
    consent.units.add(*units)
    return consent


def between_counties(world: World) -> Case:
    """A case whose two units are Kuopio's and Vantaa's (no service opens one)."""
    now = timezone.now()
    return Case.objects.create(
        client=world.clients[0],
        kela_unit=world.other_social_unit,
        social_unit=world.social_unit,
        legal_basis="consent",
        opened_at=now,
        opened_by_unit=world.social_unit,
        last_activity_at=now,
    )


def _slot(unit: Any) -> Slot:
    starts = timezone.now() + dt.timedelta(days=3)
    return Slot.objects.create(
        unit=unit,
        topic="social_assistance",
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=30),
        channel="phone",
        place_text="Puhelin",
        resource="Sosiaaliohjaaja 1",
        published_at=timezone.now(),
        published_by_label="Testi",
    )


def _callback(world: World) -> CallbackRequest:
    return callbacks.callback_request(
        actor=world.actor("social_worker"),
        requester_unit_id=world.social_unit.pk,
        unit=world.other_social_unit,
        client=world.clients[0],
        data=callbacks.CallbackInput(
            topic="adult_social_work", phone="020 692 200", description="Asiakas muuttaa"
        ),
    )


def _booking(world: World) -> Booking:
    case = world.open_case()  # Kela and Kuopio; the slot is Vantaa's
    data = BookInput.model_validate({})
    return bookings.booking_create(
        actor=world.actor("social_worker"),
        case=case,
        slot=_slot(world.other_social_unit),
        data=data,
    ).booking


# Each path sent by Kuopio's social worker to Vantaa: (the send, the object it writes,
# the disclosure kinds it logs when allowed).
PATHS: dict[str, tuple[Callable[[World], Any], type, list[str]]] = {
    "message_and_document": (
        lambda world: exchange.thread_start(
            actor=world.actor("social_worker"),
            case=between_counties(world),
            subject="Muutto",
            body="Asiakas muuttaa Vantaalle.",
            files=[pdf("suunnitelma.pdf")],
        ),
        Message,
        [DisclosureKind.MESSAGE, DisclosureKind.ATTACHMENT],
    ),
    "referral": (
        lambda world: referrals.referral_send(
            actor=world.actor("social_worker"),
            case=between_counties(world),
            data=referral_input("statement_request"),
        ),
        Referral,
        [DisclosureKind.STATEMENT_REQUEST],
    ),
    "meeting": (
        lambda world: meetings.meeting_create(
            actor=world.actor("social_worker"),
            case=between_counties(world),
            data=meeting_input(world, participant_ids=[], externals=[]),
        ),
        Meeting,
        [DisclosureKind.MEETING],
    ),
    "booking": (_booking, Booking, [DisclosureKind.BOOKING]),
    "callback": (_callback, CallbackRequest, [DisclosureKind.CALLBACK]),
}


def _counts(model: type, world: World) -> tuple[int, int, int]:
    """The path's objects, the disclosures to Vantaa, the audit's denials."""
    denied = AuditEvent.objects.filter(action="denied").count()
    to_vantaa = Disclosure.objects.filter(recipient_organisation=world.other_county).count()
    return model.objects.count(), to_vantaa, denied  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", PATHS)
def test_county_to_county_without_a_consent_naming_the_recipient_is_refused(world, path):
    send, model, _kinds = PATHS[path]
    # Kuopio's consent with Kela (no other county named) does not reach Vantaa.
    give_consent(world.clients[0], world.county, world.social_unit)
    before = _counts(model, world)
    with pytest.raises(NoLawfulBasis) as refused:
        send(world)
    assert refused.value.reason == "consent_party_out_of_scope"
    assert refused.value.lawful_bases == ()  # no statutory basis between two organisers
    assert gettext("Only the client's consent can make it lawful.") in str(refused.value.message)
    objects, disclosures, denied = _counts(model, world)
    assert (objects, disclosures) == before[:2]
    assert denied == before[2] + 1


@pytest.mark.parametrize("path", PATHS)
def test_county_to_county_with_a_consent_naming_the_recipient_is_sent_and_logged(world, path):
    send, model, kinds = PATHS[path]
    consent = naming(world, world.other_social_unit)
    before = Disclosure.objects.count()
    sent = send(world)
    assert isinstance(sent, model)
    # (The booking's Kela-Kuopio case opening logs its own row, to Kuopio.)
    new = Disclosure.objects.order_by("id")[before:]
    rows = [row for row in new if row.recipient_unit_id == world.other_social_unit.pk]
    assert sorted(r.kind for r in rows) == sorted(kinds)
    for row in rows:
        assert (row.discloser_organisation_id, row.recipient_organisation_id) == (
            world.county.pk,
            world.other_county.pk,
        )
        assert (row.discloser_unit_id, row.recipient_unit_id) == (
            world.social_unit.pk,
            world.other_social_unit.pk,
        )
        assert (row.consent_id, row.statutory_basis) == (consent.pk, "")


def test_a_statutory_basis_chosen_between_counties_is_refused(world):
    with pytest.raises(NoLawfulBasis) as refused:
        exchange.thread_start(
            actor=world.actor("social_worker"),
            case=between_counties(world),
            subject="Muutto",
            body="Asiakas muuttaa.",
            basis=exchange.BasisChoice(statutory_basis="totul_18b"),
        )
    assert refused.value.reason == "basis_direction_not_allowed"
    assert not Message.objects.exists()


def test_a_consent_naming_vantaa_does_not_let_kela_tell_vantaa(world):
    naming(world, world.other_social_unit)
    with pytest.raises(NoLawfulBasis) as refused:
        gate_decide(
            actor=world.actor("kela_processor"),
            client=world.clients[0],
            unit_id=world.kela_unit.pk,
            recipient=world.other_social_unit,
            kind=DisclosureKind.MESSAGE,
            object_type="message",
        )
    assert refused.value.reason == "consent_party_out_of_scope"


@pytest.mark.parametrize("kind", DisclosureKind.values)
def test_the_gate_decides_every_kind_between_counties_on_the_consent(world, kind):
    """Outcomes, minutes and the rest: the gate each path calls, both ways."""

    def ask(key: str, unit: Any, recipient: Any) -> Any:
        return gate_decide(
            actor=world.actor(key),
            client=world.clients[0],
            unit_id=unit.pk,
            recipient=recipient,
            kind=kind,
            object_type=kind,
        )

    a, b = world.social_unit, world.other_social_unit
    with pytest.raises(NoLawfulBasis):
        ask("social_worker", a, b)
    with pytest.raises(NoLawfulBasis):
        ask("social_other_org", b, a)
    consent = naming(world, b)
    for key, unit, recipient in (("social_worker", a, b), ("social_other_org", b, a)):
        row = gate_log(ask(key, unit, recipient), object_id="x")
        assert row is not None
        assert (row.discloser_organisation_id, row.recipient_organisation_id, row.consent_id) == (
            unit.organisation_id,
            recipient.organisation_id,
            consent.pk,
        )
    # Kela and Kuopio, unchanged: on the same consent.
    kela = ask("kela_processor", world.kela_unit, a)
    assert kela is not None and kela.allowed.consent_id == consent.pk
    # Two units of Kuopio: nothing is disclosed.
    assert ask("social_worker", a, world.social_unit2) is None


def test_within_one_county_a_booking_is_not_one_of_the_other_organisation(world):
    case = world.open_case()
    with pytest.raises(Invalid) as refused:
        bookings.booking_create(
            actor=world.actor("social_worker"),
            case=case,
            slot=_slot(world.social_unit2),
            data=BookInput.model_validate({}),
        )
    assert refused.value.code == "same_organisation"


def test_within_one_county_a_callback_about_the_client_is_no_disclosure(world):
    before = Disclosure.objects.count()
    request = callbacks.callback_request(
        actor=world.actor("social_worker"),
        requester_unit_id=world.social_unit.pk,
        unit=world.social_unit2,
        client=world.clients[0],
        data=callbacks.CallbackInput(
            topic="adult_social_work", phone="020 692 200", description="Asiakas soittaa"
        ),
    )
    assert request.pk is not None and Disclosure.objects.count() == before


def test_the_panel_shows_the_other_countys_named_unit_beside_kela_and_the_organiser(
    client, world, settings
):
    settings.SILTA_DEMO_SKIP_TOTP = True
    client.force_login(world.users["social_worker"])
    naming(world, world.other_social_unit)
    url = reverse("consents:panel", args=[world.clients[0].public_id])
    in_force = client.get(url).content.decode().split('data-testid="consents-in-force"')[1]
    assert "Kela ja Pohjois-Savon hyvinvointialue · nimetyt yksiköt: Aikuissosiaalityö Vantaa" in (
        in_force
    )


def test_the_consent_form_names_another_countys_unit(client, world, settings):
    """A Kuopio social worker records the client's consent to share with Vantaa's unit:
    the form offers other organisers' units (not Kuopio's own, not Kela's), grouped by
    organiser, and the consent then covers Kuopio -> Vantaa."""
    settings.SILTA_DEMO_SKIP_TOTP = True
    client.force_login(world.users["social_worker"])
    wording()
    url = reverse("consents:consent_new", args=[world.clients[0].public_id])
    page = client.get(url).content.decode()
    offered = page.split('name="other_units"')[1].split("</select>")[0]
    assert 'label="Vantaan ja Keravan hyvinvointialue"' in offered
    assert str(world.other_social_unit.public_id) in offered
    assert str(world.social_unit2.public_id) not in offered
    assert str(world.kela_unit.public_id) not in offered
    data = {
        "given_how": "in_person",
        "given_by": "client",
        "organiser": str(world.county.public_id),
        "other_units": [str(world.other_social_unit.public_id)],
        "purposes": ["joint_assistance"],
        "categories": ["benefit_decisions", "applications"],
        "wording": "2026-1",
        "wording_language": "fi",
    }
    assert client.post(url, data).status_code == 302
    consent = Consent.objects.get()
    assert consent.terms().other_unit_ids == {world.other_social_unit.pk}
    authorised = gate_decide(
        actor=world.actor("social_worker"),
        client=world.clients[0],
        unit_id=world.social_unit.pk,
        recipient=world.other_social_unit,
        kind=DisclosureKind.MESSAGE,
        object_type="message",
    )
    assert authorised is not None and authorised.allowed.consent_id == consent.pk


@pytest.mark.parametrize(
    "key", ["kela_processor", "social_worker", "social_same_org_other_unit", "social_other_org"]
)
@pytest.mark.parametrize("municipality", ["297", "092", "478"])  # Kuopio, Vantaa, Åland
def test_the_panels_quick_relation_answer_is_the_relations_answer(world, key, municipality):
    """``relates`` answers the first relation fact from the memberships (no query) only
    where it holds; otherwise it asks ``consents.relations`` as before."""
    person = make_client(70, municipality=municipality)
    actor = world.actor(key)
    loaded = consent_client(actor=actor, client_id=person.public_id)
    expected = bool(related_unit_ids(client=person, unit_ids=viewing_units(actor)))
    assert relates(actor, loaded) == expected
    assert relates(actor, Client.objects.get(pk=person.pk)) == expected


def test_the_panel_of_a_client_the_unit_serves_reads_four_statements(
    world, django_assert_num_queries
):
    """The client (with its organiser), the consents with all they show, the powers of
    attorney, the audit row (the relation from the memberships)."""
    give_consent(world.clients[0], world.county, world.social_unit)
    actor = world.actor("social_worker")
    with django_assert_num_queries(4):
        panel = consent_panel(actor=actor, client_id=world.clients[0].public_id)
    assert len(panel.in_force) == 1 and not panel.limited
