"""The compose page's preview (consents/gate.py ``basis_preview``): rules the fourth mutation
run found unpinned (issue 15)."""

from __future__ import annotations

import pytest

from silta.consents.codes import DisclosureKind
from silta.consents.gate import basis_preview
from tests.factories import give_consent

K = DisclosureKind


@pytest.mark.django_db
def test_the_preview_answers_for_the_unit_asked_about_not_for_a_loaded_unit_of_another_id(world):
    """``discloser`` only saves a read when it *is* the unit ``unit_id``: a Kela message to
    social services needs a basis, whatever other unit the caller had loaded."""
    preview = basis_preview(
        client=world.clients[0],
        unit_id=world.kela_unit.pk,
        recipient=world.social_unit,
        kind=K.MESSAGE,
        discloser=world.social_unit,  # not the unit asked about: ignored
    )
    assert preview.between_organisations is True
    assert preview.needs_choice is True
    # The other way round too (unit ids compared for equality, not order).
    back = basis_preview(
        client=world.clients[0],
        unit_id=world.social_unit.pk,
        recipient=world.kela_unit,
        kind=K.MESSAGE,
        discloser=world.kela_unit,  # not the unit asked about: ignored
    )
    assert (back.between_organisations, back.needs_choice) == (True, True)
    same = basis_preview(
        client=world.clients[0],
        unit_id=world.kela_unit.pk,
        recipient=world.social_unit,
        kind=K.MESSAGE,
        discloser=world.kela_unit,
    )
    assert (same.between_organisations, same.needs_choice) == (True, True)


@pytest.mark.django_db
def test_the_preview_with_documents_still_says_the_message_crosses_organisations(world):
    consent = give_consent(world.clients[0], world.county, world.kela_unit)
    both = basis_preview(
        client=world.clients[0],
        unit_id=world.kela_unit.pk,
        recipient=world.social_unit,
        kind=K.MESSAGE,
        documents=True,
    )
    assert both.between_organisations is True
    assert both.consent == consent
    assert both.documents is not None and both.documents.between_organisations is True


@pytest.mark.django_db
def test_the_preview_inside_one_organisation_needs_no_basis(world):
    preview = basis_preview(
        client=world.clients[0],
        unit_id=world.kela_unit.pk,
        recipient=world.kela_unit,
        kind=K.MESSAGE,
        documents=True,
    )
    assert (preview.between_organisations, preview.needs_choice, preview.documents) == (
        False,
        False,
        None,
    )
