"""Who may see and act on shared cases: predicates and the matching queryset filters.

Built from the one role table in ``silta.accounts.roles``: an actor sees a case when one
of their units is a party to it and their role there allows the action.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.exchange.models import Case


def case_filter(actor: Actor, perm: Perm = Perm.CASE_VIEW) -> Q:
    units = actor.units_with(perm)
    return Q(kela_unit_id__in=units) | Q(social_unit_id__in=units)


def visible_cases(actor: Actor, perm: Perm = Perm.CASE_VIEW) -> QuerySet[Case]:
    return Case.objects.filter(case_filter(actor, perm))


def acting_unit_for_case(actor: Actor, case: Case, perm: Perm) -> int | None:
    """The actor's unit that is a party to ``case`` and allows ``perm`` (None if none)."""
    allowed = actor.units_with(perm)
    for unit_id in case.party_unit_ids:
        if unit_id in allowed:
            return unit_id
    return None


def can_on_case(actor: Actor, case: Case, perm: Perm) -> bool:
    return acting_unit_for_case(actor, case, perm) is not None


def can_name_own_worker(actor: Actor, unit_id: int) -> bool:
    """The client's own worker (omatyöntekijä) is named by a social services unit in which
    the actor may open cases; Kela has none."""
    membership = actor.membership(unit_id)
    if membership is None or membership.is_kela:
        return False
    return unit_id in actor.units_with(Perm.CASE_OPEN)
