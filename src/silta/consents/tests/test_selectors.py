"""Reading consents and the disclosure log: one audit row per read, the disclosure log
only of one's own organisation."""

from __future__ import annotations

import pytest

from silta.audit.models import AuditEvent
from silta.consents.disclosures import DisclosureInput, disclosure_authorise
from silta.consents.selectors import consent_panel, disclosure_log_for_client
from silta.consents.services import consent_record
from silta.consents.tests.helpers import consent_input
from silta.core.errors import NotFound

pytestmark = pytest.mark.django_db


def test_the_panel_is_one_audited_read(world):
    consent_record(
        actor=world.actor("kela_processor"), client=world.clients[0], data=consent_input(world)
    )
    before = AuditEvent.objects.count()
    panel = consent_panel(actor=world.actor("social_worker"), client_id=world.clients[0].public_id)
    assert [c.current_state for c in panel.in_force] == ["in_force"]  # type: ignore[attr-defined]
    rows = AuditEvent.objects.order_by("id")[before:]
    assert [(r.action, r.client, r.detail) for r in rows] == [
        ("view", world.clients[0], {"read": "consents"})
    ]


def test_an_administrator_reads_no_consents(world):
    with pytest.raises(NotFound):
        consent_panel(actor=world.actor("kela_admin"), client_id=world.clients[0].public_id)
    assert AuditEvent.objects.filter(action="denied", user=world.users["kela_admin"]).count() == 1


def test_the_disclosure_log_shows_only_ones_own_organisation(world):
    consent_record(
        actor=world.actor("kela_processor"), client=world.clients[0], data=consent_input(world)
    )
    disclosure_authorise(
        actor=world.actor("kela_processor"),
        client=world.clients[0],
        recipient=world.social_unit,
        data=DisclosureInput(
            kind="message",
            category="benefit_decisions",
            purpose="joint_assistance",
            object_type="message",
            object_id="m-1",
        ),
        unit_id=world.kela_unit.pk,
    )
    client_id = world.clients[0].public_id
    for key, expected in (
        ("kela_processor", 1),  # disclosed
        ("kela_other_unit", 1),  # the same organisation (Kela)
        ("social_worker", 1),  # received
        ("social_same_org_other_unit", 1),
        ("social_other_org", 0),  # Vantaa was no party
    ):
        _client, rows = disclosure_log_for_client(actor=world.actor(key), client_id=client_id)
        assert len(rows) == expected, key
