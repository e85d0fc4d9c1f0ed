"""``own_unit``: the unit a page acts for is one of the actor's units with the permission;
anything else is one audited refusal and a 404, whatever the reason."""

from __future__ import annotations

import pytest

from silta.accounts.roles import Perm
from silta.audit.models import AuditEvent
from silta.core.errors import NotFound
from silta.organisations.selectors import counterpart_units, own_unit


def _denied() -> int:
    return AuditEvent.objects.filter(action="denied").count()


def test_own_unit_is_the_actors_unit_with_the_permission(shared_world):
    w = shared_world
    unit = own_unit(
        actor=w.actor("kela_manager"), unit_id=w.kela_unit.public_id, perm=Perm.UNIT_LOAD_VIEW
    )
    assert unit == w.kela_unit
    assert _denied() == 0


@pytest.mark.parametrize(
    ("key", "unit", "perm"),
    [
        ("kela_processor", "social_unit", Perm.CASE_VIEW),  # another organisation's unit
        ("kela_processor", "kela_unit2", Perm.CASE_VIEW),  # the same organisation's other unit
        ("kela_processor", "kela_unit", Perm.UNIT_LOAD_VIEW),  # own unit, role lacks it
        ("kela_admin", "kela_unit", Perm.CASE_VIEW),  # administrators do no case work
    ],
)
def test_any_other_unit_is_one_audited_refusal(shared_world, key, unit, perm):
    w = shared_world
    with pytest.raises(NotFound):
        own_unit(actor=w.actor(key), unit_id=getattr(w, unit).public_id, perm=perm)
    row = AuditEvent.objects.get(action="denied")
    assert (row.user, row.detail) == (w.users[key], {"unit": str(getattr(w, unit).public_id)})


@pytest.mark.parametrize("unit_id", ["not-a-uuid", "", "5f0c1d0e-9a55-4c1e-8f3e-1d2c3b4a5e6f"])
def test_an_unknown_or_malformed_id_is_the_same_refusal(shared_world, unit_id):
    with pytest.raises(NotFound):
        own_unit(actor=shared_world.actor("kela_processor"), unit_id=unit_id, perm=Perm.CASE_VIEW)
    assert _denied() == 1


def test_counterparts_are_the_other_kind_with_the_responsible_organisation_first(shared_world):
    w = shared_world
    for_kela = counterpart_units(of_kela=True, first_organisation_id=w.other_county.pk)
    assert {u.organisation.kind for u in for_kela} == {"social_services"}
    assert for_kela[0] == w.other_social_unit
    assert {u.organisation.kind for u in counterpart_units(of_kela=False)} == {"kela"}
