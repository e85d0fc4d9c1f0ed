"""A unit's relation to a client (703/2023 9 §): each of the three facts grants it, none
refuses it, and the three writes that need it (a call-back request about the client, the
own worker, a shared case) refuse without one: one audited denial, nothing written.

The world's clients live in Kuopio (297, Pohjois-Savo, organiser 13): the county's units
serve them, the Vantaa and Kerava county's unit does not; Kela serves every client outside
Åland.
"""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from silta.api_keys.services import api_key_issue
from silta.audit.models import AuditEvent
from silta.callbacks import services as callbacks
from silta.callbacks.models import CallbackRequest
from silta.clients.models import OwnWorker
from silta.consents.disclosures import NoLawfulBasis
from silta.consents.gate import BasisChoice
from silta.consents.models import ConsentRevocation, Disclosure
from silta.core.errors import Forbidden
from silta.directory.services import service_areas_set
from silta.exchange import services
from silta.exchange.models import Case
from silta.exchange.own_workers import own_worker_set
from silta.exchange.relations import NO_RELATION, has_relation, related_unit_ids
from tests.factories import World, browser_client, give_consent, make_client

pytestmark = pytest.mark.django_db

KELA_BASIS = BasisChoice(statutory_basis="totul_18h")
ALAND = "478"  # Maarianhamina


def _related(world: World, unit_key: str, client=None) -> bool:
    client = client or world.clients[0]
    return has_relation(client=client, unit_id=getattr(world, unit_key).pk)


# --- the predicate -----------------------------------------------------------------------


def test_without_any_fact_the_other_countys_unit_has_no_relation(world) -> None:
    assert not _related(world, "other_social_unit")


def test_the_organiser_of_the_clients_municipality_relates_every_unit_of_it(world) -> None:
    # Neither unit of the county has a case, a consent or a directory service area.
    assert _related(world, "social_unit") and _related(world, "social_unit2")
    vantaa_client = make_client(50, municipality="092")
    assert _related(world, "other_social_unit", vantaa_client)
    assert not _related(world, "social_unit", vantaa_client)


def test_kela_serves_every_client_outside_aland(world) -> None:
    assert _related(world, "kela_unit") and _related(world, "kela_unit2")
    aland = make_client(51, municipality=ALAND)
    assert not _related(world, "kela_unit", aland)
    assert not _related(world, "social_unit", aland)
    # A consent of the Åland client names Kela (a party of every consent).
    give_consent(aland, world.county, world.kela_unit)
    assert _related(world, "kela_unit", aland)


def test_a_shared_case_relates_its_parties_only(world) -> None:
    services.case_open(
        actor=world.actor("kela_processor"),
        client=world.clients[0],
        acting_unit_id=world.kela_unit.pk,
        counterpart_unit_id=world.other_social_unit.pk,
        basis=KELA_BASIS,
        override_reason="Asiakas muuttaa Vantaalle",
    )
    assert _related(world, "other_social_unit")
    assert not _related(world, "other_social_unit", world.clients[1])


def test_a_consent_in_force_naming_the_organisation_relates_its_units(world) -> None:
    consent = give_consent(world.clients[0], world.other_county, world.social_unit)
    assert _related(world, "other_social_unit")
    assert not _related(world, "other_social_unit", world.clients[1])
    ConsentRevocation.objects.create(
        consent=consent,
        revoked_at=timezone.now(),
        revoked_by_unit=world.social_unit,
        revoked_by_label="Testi",
        how="phone",
    )
    assert not _related(world, "other_social_unit"), "a revoked consent relates nobody"


def test_an_expired_consent_or_one_naming_other_units_relates_nobody(world) -> None:
    # Valid from the day before yesterday until yesterday.
    expired = give_consent(world.clients[0], world.other_county, world.social_unit, days=-1)
    assert expired.valid_until < timezone.localdate()
    assert not _related(world, "other_social_unit")
    narrowed = give_consent(world.clients[0], world.other_county, world.social_unit)
    other_vantaa = world.other_social_unit.organisation.units.create(
        kind="child_and_family", name_fi="Perhesosiaalityö Vantaa", name_sv="Familj Vanda"
    )
    narrowed.units.add(other_vantaa)
    assert not _related(world, "other_social_unit")
    assert has_relation(client=world.clients[0], unit_id=other_vantaa.pk)


def test_related_unit_ids_answers_for_many_units_at_once(world, django_assert_max_num_queries):
    give_consent(world.clients[0], world.other_county, world.social_unit)
    units = [world.kela_unit.pk, world.social_unit2.pk, world.other_social_unit.pk]
    # The units, the municipality, the cases, the consents and their named units.
    with django_assert_max_num_queries(5):
        assert related_unit_ids(client=world.clients[0], unit_ids=units) == frozenset(units)


# --- the writes that need a relation -------------------------------------------------------


def _callback_input() -> callbacks.CallbackInput:
    return callbacks.CallbackInput(
        topic="adult_social_work", urgency="normal", phone="09 123 4567", description="Soittakaa"
    )


def _refused(world: World, key: str, write) -> None:
    before = AuditEvent.objects.filter(action="denied").count()
    with pytest.raises(Forbidden) as refused:
        write()
    assert str(refused.value.message) == str(NO_RELATION)
    rows = AuditEvent.objects.filter(action="denied")
    assert rows.count() == before + 1
    row = rows.latest("pk")
    assert (row.user, row.client, row.unit) == (
        world.users[key],
        world.clients[0],
        world.other_social_unit,
    )


def test_vantaa_cannot_ask_for_a_call_back_about_a_kuopio_client(world) -> None:
    actor = world.actor("social_other_org")

    def ask():
        return callbacks.callback_request(
            actor=actor,
            requester_unit_id=world.other_social_unit.pk,
            unit=world.social_unit,
            client=world.clients[0],
            data=_callback_input(),
        )

    _refused(world, "social_other_org", ask)
    assert not CallbackRequest.objects.exists()
    # Without a client nothing about a client is asked: no relation needed.
    callbacks.callback_request(
        actor=actor,
        requester_unit_id=world.other_social_unit.pk,
        unit=world.social_unit,
        data=_callback_input(),
    )
    # The client's consent names Vantaa: now it has a relation, but Kuopio is another
    # organisation (issue 9: county to county is a disclosure), and a consent between Kela
    # and Vantaa does not cover telling Kuopio.
    consent = give_consent(world.clients[0], world.other_county, world.social_unit)
    with pytest.raises(NoLawfulBasis) as refused:
        ask()
    assert refused.value.reason == "consent_party_out_of_scope"
    # Naming Kuopio's unit as well: now it may ask, logged between the two counties.
    consent.units.add(world.social_unit)
    assert ask().client == world.clients[0]
    row = Disclosure.objects.get(kind="callback")
    assert (row.discloser_organisation, row.recipient_organisation) == (
        world.other_county,
        world.county,
    )


def test_vantaa_cannot_name_itself_the_own_worker_of_a_kuopio_client(world) -> None:
    def name():
        return own_worker_set(
            actor=world.actor("social_other_org"),
            client=world.clients[0],
            unit_id=world.other_social_unit.pk,
            name="Elina Koskinen",
        )

    _refused(world, "social_other_org", name)
    assert not OwnWorker.objects.exists()
    give_consent(world.clients[0], world.other_county, world.social_unit)
    assert name().own.unit == world.other_social_unit


def test_vantaa_cannot_open_a_case_about_a_kuopio_client(world) -> None:
    def open_case():
        return services.case_open(
            actor=world.actor("social_other_org"),
            client=world.clients[0],
            acting_unit_id=world.other_social_unit.pk,
            counterpart_unit_id=world.kela_unit.pk,
            basis=BasisChoice(statutory_basis="totul_18b"),
        )

    _refused(world, "social_other_org", open_case)
    assert not (Case.objects.exists() or Disclosure.objects.exists())
    # Kela opened one with Vantaa: the case relates Vantaa, which may open its own too.
    services.case_open(
        actor=world.actor("kela_other_unit"),
        client=world.clients[0],
        acting_unit_id=world.kela_unit2.pk,
        counterpart_unit_id=world.other_social_unit.pk,
        basis=KELA_BASIS,
        override_reason="Asiakas asuu nyt Vantaalla",
    )
    case, created = open_case()
    assert created and case.kela_unit == world.kela_unit


# --- the client page ---------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _signed_in(settings) -> None:
    settings.SILTA_DEMO_SKIP_TOTP = True  # a forced login counts as verified here


def _page(world: World, key: str) -> tuple[str, AuditEvent]:
    http = browser_client("en")
    http.force_login(world.users[key])
    response = http.get(reverse("clients:detail", args=[world.clients[0].public_id]))
    assert response.status_code == 200
    row = AuditEvent.objects.filter(user=world.users[key], client=world.clients[0]).get()
    return response.content.decode(), row


def test_without_a_relation_the_client_page_shows_only_what_opening_a_case_needs(world):
    world.open_case()
    page, row = _page(world, "social_other_org")
    client = world.clients[0]
    assert client.full_name in page
    with translation.override("en"):
        assert date_format(client.birth_date, "SHORT_DATE_FORMAT") in page
    assert 'data-testid="no-relation"' in page and 'data-testid="record-consent"' in page
    for hidden in (client.masked_identity_code, "Kuopio", world.kela_unit.name_fi, "open-case"):
        assert hidden not in page, hidden
    assert (row.action, row.detail) == ("search", {"by": "client_page", "related": False})


def test_with_a_relation_the_client_page_is_a_view_of_the_clients_data(world):
    world.open_case()
    page, row = _page(world, "social_same_org_other_unit")
    assert world.clients[0].masked_identity_code in page and 'id="open-case"' in page
    assert 'data-testid="no-relation"' not in page
    assert row.action == "view"


def test_without_a_relation_the_identity_code_is_not_revealed(world):
    http = browser_client("en")
    http.force_login(world.users["social_other_org"])
    response = http.post(reverse("clients:identity_code", args=[world.clients[0].public_id]))
    assert response.status_code == 403
    assert world.clients[0].identity_code not in response.content.decode()
    assert AuditEvent.objects.filter(action="denied", detail__relation="identity_code").exists()


# --- POST /api/v1/cases: the reason for another unit, as on the web -------------------------


def test_the_api_gives_the_reason_for_choosing_another_unit_than_the_suggested(world):
    service_areas_set(unit=world.social_unit, topic="social_assistance", municipality_codes=["297"])
    key = api_key_issue(unit=world.kela_unit, name="Kela system").plaintext
    http = HttpClient(headers={"Authorization": f"Bearer {key}"})
    body = {
        "client_id": str(world.clients[0].public_id),
        "counterpart_unit_id": str(world.other_social_unit.public_id),
        "statutory_basis": "totul_18h",
        "topic": "social_assistance",
    }

    def post(data, idem):
        return http.post(
            "/api/v1/cases",
            data,
            content_type="application/json",
            headers={"Idempotency-Key": idem},
        )

    refused = post(body, "k1")
    assert refused.status_code == 400 and refused.json()["code"] == "override_reason_required"
    assert world.social_unit.name_fi in refused.json()["message"]
    assert not Case.objects.exists()
    opened = post({**body, "override_reason": "Asiakas muuttaa Vantaalle"}, "k2")
    assert opened.status_code == 201
    case = Case.objects.get()
    assert (case.override_reason, case.suggested_unit, case.topic) == (
        "Asiakas muuttaa Vantaalle",
        world.social_unit,
        "social_assistance",
    )
    # Basic assistance is Kela's own: not a topic to open a case on.
    assert post({**body, "topic": "basic_assistance"}, "k3").status_code == 422


def test_the_api_documents_the_new_fields_and_the_400(world):
    schema = HttpClient().get("/api/v1/openapi.json").json()
    case_in = schema["components"]["schemas"]["CaseIn"]["properties"]
    assert {"override_reason", "topic"} <= set(case_in)
    operation = schema["paths"]["/api/v1/cases"]["post"]
    assert "override_reason_required" in operation["description"]
