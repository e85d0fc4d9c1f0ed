"""The disclosure service: one log row per disclosure, none for a refusal (an audit
"denied" row instead), a revocation stops the next send at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from silta.audit.models import AuditEvent
from silta.consents.disclosures import (
    DisclosureInput,
    NoLawfulBasis,
    disclosure_authorise,
    disclosure_decide,
    disclosure_log,
)
from silta.consents.models import Disclosure
from silta.consents.services import consent_record, consent_revoke
from silta.consents.tests.helpers import consent_input
from silta.core.errors import Forbidden

pytestmark = pytest.mark.django_db

MESSAGE = DisclosureInput(
    kind="message",
    category="benefit_decisions",
    purpose="joint_assistance",
    object_type="message",
    object_id="m-1",
)


def _consent(world, **changes):
    return consent_record(
        actor=world.actor("kela_processor"),
        client=world.clients[0],
        data=consent_input(world, **changes),
    )


def _send(world, data=MESSAGE, key="kela_processor", recipient=None):
    actor = world.actor(key)
    return disclosure_authorise(
        actor=actor,
        client=world.clients[0],
        recipient=recipient or world.social_unit,
        data=data,
        unit_id=actor.memberships[0].unit_id,
    )


def _denied():
    return AuditEvent.objects.filter(action="denied").count()


def test_a_disclosure_on_a_covering_consent_is_logged_once(world):
    consent = _consent(world)
    row = _send(world)
    assert Disclosure.objects.count() == 1
    assert (row.consent, row.statutory_basis, row.kind, row.object_id) == (
        consent,
        "",
        "message",
        "m-1",
    )
    assert (row.discloser_unit, row.discloser_organisation) == (world.kela_unit, world.kela)
    assert (row.recipient_unit, row.recipient_organisation) == (world.social_unit, world.county)
    assert row.discloser_user == world.users["kela_processor"]
    _send(world)
    _send(world, key="social_worker", recipient=world.kela_unit)
    assert Disclosure.objects.count() == 3


def test_without_a_basis_nothing_is_logged_and_the_refusal_is_audited(world):
    before = _denied()
    with pytest.raises(NoLawfulBasis) as refused:
        _send(world)
    assert (refused.value.code, refused.value.status) == ("no_lawful_basis", 422)
    assert refused.value.reason == "no_consent"
    assert refused.value.lawful_bases == ("totul_18h",)
    assert "18 h" in str(refused.value.message)
    assert Disclosure.objects.count() == 0
    assert _denied() == before + 1
    row = AuditEvent.objects.filter(action="denied").latest("id")
    assert row.detail["reason"] == "no_consent" and row.client == world.clients[0]


def test_revocation_between_compose_and_send_refuses_the_send(world):
    consent = _consent(world)
    _send(world)
    consent_revoke(actor=world.actor("social_worker"), consent=consent, how="phone")
    with pytest.raises(NoLawfulBasis) as refused:
        _send(world)
    assert refused.value.reason == "consent_revoked"
    assert Disclosure.objects.count() == 1


def test_a_revocation_after_the_decision_refuses_the_log_write(world):
    consent = _consent(world)
    actor = world.actor("kela_processor")
    decided = disclosure_decide(
        actor=actor,
        client=world.clients[0],
        recipient=world.social_unit,
        data=MESSAGE,
        unit_id=world.kela_unit.pk,
    )
    consent_revoke(actor=world.actor("social_worker"), consent=consent, how="phone")
    with pytest.raises(NoLawfulBasis):
        disclosure_log(authorised=decided)
    assert Disclosure.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "data", "reason"),
    [
        (
            {"valid_from": dt.date(2020, 1, 1), "valid_until": dt.date(2020, 12, 31)},
            MESSAGE,
            "consent_expired",
        ),
        (
            {"valid_from": dt.date(2099, 1, 1), "valid_until": dt.date(2099, 2, 1)},
            MESSAGE,
            "consent_not_yet_valid",
        ),
        ({"purposes": ["outcome_report"]}, MESSAGE, "consent_purpose_out_of_scope"),
        ({"categories": ["plans"]}, MESSAGE, "consent_category_out_of_scope"),
    ],
)
def test_a_consent_that_does_not_cover_refuses(world, changes, data, reason):
    _consent(world, **changes)
    with pytest.raises(NoLawfulBasis) as refused:
        _send(world, data=data)
    assert refused.value.reason == reason
    assert Disclosure.objects.count() == 0


def test_a_consent_for_another_organiser_does_not_cover(world):
    _consent(world, organiser_id=world.other_county.public_id)
    with pytest.raises(NoLawfulBasis) as refused:
        _send(world)
    assert refused.value.reason == "consent_party_out_of_scope"


def test_a_named_consent_must_be_the_clients_and_cover(world):
    consent = _consent(world)
    other = consent_record(
        actor=world.actor("kela_processor"), client=world.clients[1], data=consent_input(world)
    )
    named = DisclosureInput(**{**MESSAGE.__dict__, "consent_id": other.public_id})
    with pytest.raises(NoLawfulBasis) as refused:
        _send(world, data=named)
    assert refused.value.reason == "consent_not_found"
    named = DisclosureInput(**{**MESSAGE.__dict__, "consent_id": consent.public_id})
    assert _send(world, data=named).consent == consent


def test_a_statutory_basis_is_logged(world):
    forward = DisclosureInput(
        kind="forwarded_application",
        category="applications",
        purpose="joint_assistance",
        object_type="referral",
        object_id="r-1",
        basis="totul_14c",
    )
    row = _send(world, data=forward)
    assert (row.consent, row.statutory_basis, row.inform_client) == (None, "totul_14c", False)
    contact = DisclosureInput(
        kind="contact",
        category="contact_details",
        purpose="social_services_contact",
        object_type="referral",
        object_id="r-2",
        basis="shl_35_2_no_consent",
        circumstance="child_interest",
    )
    assert _send(world, data=contact).inform_client is True


@pytest.mark.parametrize(
    ("key", "recipient", "basis", "reason"),
    [
        ("social_worker", "kela_unit", "totul_14c", "basis_direction_not_allowed"),
        ("kela_processor", "social_unit", "totul_15", "basis_kind_not_allowed"),
        ("kela_processor", "social_unit", "shl_35_1_consent", "basis_requires_consent"),
    ],
)
def test_a_statutory_basis_not_allowed_refuses(world, key, recipient, basis, reason):
    data = DisclosureInput(
        kind="forwarded_application",
        category="applications",
        purpose="joint_assistance",
        object_type="referral",
        object_id="r-1",
        basis=basis,
    )
    if basis == "shl_35_1_consent":
        data = DisclosureInput(
            **{**data.__dict__, "kind": "contact", "category": "contact_details"}
        )
    with pytest.raises(NoLawfulBasis) as refused:
        _send(world, data=data, key=key, recipient=getattr(world, recipient))
    assert refused.value.reason == reason
    assert Disclosure.objects.count() == 0


def test_the_discloser_unit_must_be_the_actors(world):
    _consent(world)
    with pytest.raises(Forbidden):
        disclosure_authorise(
            actor=world.actor("kela_processor"),
            client=world.clients[0],
            recipient=world.social_unit,
            data=MESSAGE,
            unit_id=world.kela_unit2.pk,
        )
    assert Disclosure.objects.count() == 0


def test_the_disclosure_log_is_append_only(world):
    _consent(world)
    row = _send(world)
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        Disclosure.objects.filter(pk=row.pk).delete()
    with pytest.raises(PermissionError):
        Disclosure.objects.filter(pk=row.pk).update(purpose="x")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigger")
def test_the_database_refuses_to_change_the_disclosure_log(world):
    _consent(world)
    row = _send(world)
    for sql in (
        "UPDATE consents_disclosure SET purpose = 'x' WHERE id = %s",
        "DELETE FROM consents_disclosure WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [row.pk])
