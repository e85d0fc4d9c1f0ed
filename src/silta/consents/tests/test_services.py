"""Recording and revoking consents and powers of attorney: the rules of issue 9's "Bad
input", each refused with its code and nothing changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from silta.accounts.actor import Actor
from silta.api_keys.services import api_key_issue
from silta.audit.models import AuditEvent
from silta.consents.models import Consent, ConsentRevocation, PowerOfAttorney
from silta.consents.poa_services import PoaInput, poa_record, poa_revoke, poa_verify
from silta.consents.services import consent_record, consent_revoke
from silta.consents.tests.helpers import consent_input, today, wording
from silta.consents.validity import add_months
from silta.core.errors import Conflict, Forbidden, Invalid
from tests.factories import exe_as_pdf, pdf, png, test_code

pytestmark = pytest.mark.django_db


def _record(world, key="kela_processor", document=None, **changes):
    return consent_record(
        actor=world.actor(key),
        client=world.clients[0],
        data=consent_input(world, **changes),
        document=document,
    )


def _poa(world, **changes):
    fields: dict[str, Any] = {
        "attorney_kind": "person",
        "attorney_name": "Pekka Asiamies",
        "attorney_identity": test_code(55),
        "scopes": ["consents", "social_assistance"],
    }
    fields.update(changes)
    return poa_record(
        actor=world.actor("social_worker"),
        client=world.clients[0],
        data=PoaInput(**fields),
        document=pdf("valtakirja.pdf"),
    )


def test_a_consent_from_the_application_checkbox(world, settings):
    settings.SILTA_CONSENT_DEFAULT_MONTHS = 24
    consent = _record(world, unit_ids=[world.kela_unit.public_id, world.social_unit.public_id])
    assert consent.given_how == "application"
    assert consent.application_reference == "TO-2026-123"
    assert consent.valid_from == today()
    assert consent.valid_until == add_months(today(), 24)
    assert consent.recorded_by_unit == world.kela_unit
    terms = consent.terms()
    assert (terms.kela_unit_ids, terms.social_unit_ids) == (
        {world.kela_unit.pk},
        {world.social_unit.pk},
    )
    row = AuditEvent.objects.get(action="create", object_type="consent")
    assert (row.client, row.unit, row.object_id) == (
        world.clients[0],
        world.kela_unit,
        str(consent.public_id),
    )


def test_a_written_consent_keeps_its_scan(world):
    consent = _record(world, given_how="writing", application_reference="", document=png())
    assert consent.document_content_type == "image/png"
    assert len(consent.document_sha256) == 64


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        (
            {"valid_from": dt.date(2027, 5, 1), "valid_until": dt.date(2027, 4, 30)},
            "validity_ends_before_start",
        ),
        (
            {"valid_from": dt.date(2027, 1, 1), "valid_until": dt.date(2030, 1, 2)},
            "validity_too_long",
        ),
        ({"purposes": []}, "empty_scope"),
        ({"categories": []}, "empty_scope"),
        ({"purposes": ["reduction_assessment"]}, "not_in_wording"),
        ({"categories": ["contact_details"]}, "not_in_wording"),
        ({"purposes": ["nonsense"]}, "invalid_choice"),
        (
            {"given_by": "legal_representative", "representative_name": "Maija Edunvalvoja"},
            "identity_code_missing",
        ),
        (
            {"given_by": "legal_representative", "representative_identity": test_code(40)},
            "representative_required",
        ),
        ({"given_by": "attorney"}, "power_of_attorney_not_valid"),
        ({"application_reference": ""}, "application_reference_required"),
        ({"given_how": "writing"}, "document_required"),
        ({"wording_version": "1999"}, "invalid_wording"),
        ({"organiser_id": "00000000-0000-0000-0000-000000000000"}, "invalid_organiser"),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(world, settings, changes, code):
    settings.SILTA_CONSENT_MAX_MONTHS = 36
    wording()
    before = (Consent.objects.count(), AuditEvent.objects.count())
    with pytest.raises(Invalid) as refused:
        _record(world, **changes)
    assert refused.value.code == code
    assert (Consent.objects.count(), AuditEvent.objects.count()) == before


def test_the_organiser_must_be_social_services_and_units_known(world):
    with pytest.raises(Invalid) as refused:
        _record(world, organiser_id=world.kela.public_id)
    assert refused.value.code == "invalid_organiser"
    with pytest.raises(Invalid) as refused:
        _record(world, unit_ids=["00000000-0000-0000-0000-000000000000"])
    assert refused.value.code == "invalid_unit"


def test_a_named_unit_of_another_organiser_is_one_the_organiser_may_share_with(world):
    """County to county (issue 9): the consent names the other county's unit; Kela's and
    the organiser's sides stay whole (nothing of theirs named)."""
    consent = _record(world, unit_ids=[world.other_social_unit.public_id])
    terms = consent.terms()
    assert (terms.kela_unit_ids, terms.social_unit_ids, terms.other_unit_ids) == (
        frozenset(),
        frozenset(),
        {world.other_social_unit.pk},
    )


def test_a_scan_that_is_not_a_pdf_or_image_is_refused(world):
    with pytest.raises(Invalid) as refused:
        _record(world, given_how="writing", document=exe_as_pdf())
    assert refused.value.code == "document_type_not_allowed"
    assert not Consent.objects.exists()


def test_an_attorney_needs_a_verified_power_of_attorney_covering_consents(world):
    poa = _poa(world)
    with pytest.raises(Invalid):  # not verified yet
        _record(world, given_by="attorney", power_of_attorney_id=poa.public_id)
    poa_verify(actor=world.actor("social_worker"), poa=poa)
    consent = _record(world, given_by="attorney", power_of_attorney_id=poa.public_id)
    assert (consent.power_of_attorney, consent.representative_name) == (poa, "Pekka Asiamies")
    narrow = _poa(world, scopes=["kela_benefits"])
    poa_verify(actor=world.actor("social_worker"), poa=narrow)
    with pytest.raises(Invalid) as refused:
        _record(world, given_by="attorney", power_of_attorney_id=narrow.public_id)
    assert refused.value.code == "power_of_attorney_not_valid"


def test_revoking_stops_the_consent_and_twice_is_refused(world):
    consent = _record(world)
    consent_revoke(actor=world.actor("social_worker"), consent=consent, how="phone")
    consent = Consent.objects.select_related("revocation").get(pk=consent.pk)
    assert consent.revocation.revoked_by_unit == world.social_unit
    assert consent.state(consent.revocation.revoked_at) == "revoked"
    before = AuditEvent.objects.count()
    with pytest.raises(Conflict) as refused:
        consent_revoke(actor=world.actor("kela_processor"), consent=consent, how="writing")
    assert refused.value.code == "already_revoked"
    assert ConsentRevocation.objects.count() == 1
    assert AuditEvent.objects.count() == before


def test_a_change_is_a_new_consent_and_the_old_ones_revocation(world):
    old = _record(world)
    new = _record(world, purposes=["joint_assistance", "outcome_report"], replaces_id=old.public_id)
    assert new.replaces == old
    assert ConsentRevocation.objects.get(consent=old).how == "replaced"


def test_a_consent_is_never_edited_or_deleted(world):
    consent = _record(world)
    consent.valid_until = dt.date(2099, 1, 1)
    for attempt in (
        consent.save,
        consent.delete,
        lambda: Consent.objects.filter(pk=consent.pk).update(valid_until=dt.date(2099, 1, 1)),
        lambda: Consent.objects.filter(pk=consent.pk).delete(),
        lambda: Consent._base_manager.filter(pk=consent.pk).update(purposes=[]),
    ):
        with pytest.raises(PermissionError):
            attempt()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigger")
def test_the_database_refuses_to_change_consents(world):
    consent = _record(world)
    consent_revoke(actor=world.actor("social_worker"), consent=consent, how="phone")
    for sql in (
        "UPDATE consents_consent SET valid_until = '2099-01-01' WHERE id = %s",
        "DELETE FROM consents_consentrevocation WHERE consent_id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [consent.pk])


def test_a_role_without_the_permission_is_refused_and_audited(world):
    with pytest.raises(Forbidden):
        _record(world, key="kela_admin")
    assert AuditEvent.objects.filter(action="denied", user=world.users["kela_admin"]).count() == 1
    assert not Consent.objects.exists()


def test_power_of_attorney_rules(world):
    with pytest.raises(Invalid) as refused:
        poa_record(
            actor=world.actor("social_worker"),
            client=world.clients[0],
            data=PoaInput(
                attorney_kind="organisation",
                attorney_name="Edunvalvonta Oy",
                attorney_identity="1234567-8",
                scopes=["consents"],
            ),
            document=pdf(),
        )
    assert refused.value.code == "business_id_invalid"
    with pytest.raises(Invalid) as refused:
        poa_record(
            actor=world.actor("social_worker"),
            client=world.clients[0],
            data=PoaInput(
                attorney_kind="person",
                attorney_name="A",
                attorney_identity=test_code(5),
                scopes=["consents"],
            ),
            document=exe_as_pdf(),
        )
    assert refused.value.code == "document_type_not_allowed"
    assert not PowerOfAttorney.objects.exists()
    poa = _poa(world, attorney_kind="organisation", attorney_identity="0112038-9")
    assert poa.state(poa.recorded_at) == "unverified"
    poa_verify(actor=world.actor("kela_processor"), poa=poa)
    with pytest.raises(Conflict):
        poa_verify(actor=world.actor("kela_processor"), poa=poa)
    poa_revoke(actor=world.actor("kela_processor"), poa=poa, how="writing")
    with pytest.raises(Conflict) as conflict:
        poa_revoke(actor=world.actor("social_worker"), poa=poa, how="writing")
    assert conflict.value.code == "already_revoked"


def test_a_power_of_attorney_is_verified_by_a_named_worker_only(world):
    poa = _poa(world)
    system = Actor.for_api_key(api_key_issue(unit=world.social_unit, name="sys").api_key)
    with pytest.raises(Forbidden):
        poa_verify(actor=system, poa=poa)
    assert PowerOfAttorney.objects.get(pk=poa.pk).verified_at is None


def test_validity_months_are_calendar_months():
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 12, 15), 24) == dt.date(2029, 12, 15)
