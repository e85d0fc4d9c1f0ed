"""Has a unit a relation to a client? The one place that answers it.

Client-data act 703/2023 9 §: client data only for a work task and a verified client
relationship. Asking for a call-back about a client, naming the client's own worker and
opening a shared case need one (a refusal is audited and is a 403: the client's existence
is no secret to whoever may see the client page); the client page shows a staff member
whose units have none only what opening a case needs, audited as a lookup.

A unit has a relation to a client when any of these holds:

1. **Its organisation is responsible for the client's municipality of residence.** Kela
   for every municipality outside Åland: one national organisation to which basic
   assistance is applied for (Totul 14 §); its five customer-service areas divide the
   customer service, not the responsibility, and any benefit team may decide any
   application. A social services organiser for the municipalities it organises for
   (Statistics Finland's mapping, ``reference.Municipality.organiser_code``: the join
   ``directory.selectors.route`` uses), whichever of its units acts: the organiser
   answers for all its residents, while the directory's service areas only route work
   inside it and are often not registered at all. Åland: nobody (its social assistance
   is under Åland's own law, outside both organisations' roles; reference data
   SOURCES.md).
2. **A shared case of the client exists with the unit** (on either side).
3. **A consent of the client in force names the unit** (suostumus): its organisation is
   the consent's organiser, or Kela (a party of every consent), and where the consent
   names units on that side, the unit is one of them. A client who moved to Vantaa gives
   Vantaa's social services the relation this way.

The rule lives here, with the consent fact; the case fact belongs to ``exchange`` (above
this app), which registers it at start-up (``register_case_relation``), so the consents
pages can ask the same question. Within one organisation the question is the same: a
unit of the county does not get the relation from another unit's case.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Prefetch, Q
from django.utils import timezone

from silta.clients.models import Client
from silta.consents.models import Consent
from silta.consents.rules import consent_state
from silta.organisations.models import Unit
from silta.reference.models import Municipality

# Given a client and unit ids, those of the units that share a case with the client.
CaseRelation = Callable[[Client, set[int]], set[int]]
_CASE_RELATIONS: list[CaseRelation] = []


def register_case_relation(source: CaseRelation) -> None:
    """Called once by ``exchange`` at start-up with its case fact (fact 2)."""
    if source not in _CASE_RELATIONS:
        _CASE_RELATIONS.append(source)


def responsible(unit: Unit, municipality: Municipality) -> bool:
    """Is the unit's organisation responsible for the municipality's residents (fact 1)?"""
    if municipality.is_aland:
        return False
    if unit.is_kela:
        return True
    return unit.organisation.organiser_code == municipality.organiser_code


def related_unit_ids(*, client: Client, unit_ids: Iterable[int]) -> frozenset[int]:
    """Those of ``unit_ids`` that have a relation to ``client`` (at most five queries)."""
    units = {u.pk: u for u in Unit.objects.select_related("organisation").filter(pk__in=unit_ids)}
    related = {pk for pk, unit in units.items() if responsible(unit, client.municipality)}
    rest = set(units) - related
    for source in _CASE_RELATIONS:
        if rest:
            related |= rest & source(client, rest)
            rest -= related
    if rest:
        related |= _named_by_consent(client, [units[pk] for pk in rest])
    return frozenset(related)


def _named_by_consent(client: Client, units: list[Unit]) -> set[int]:
    """The units a consent of the client in force names (fact 3)."""
    now = timezone.now()
    organisers = {u.organisation_id for u in units if not u.is_kela}
    consents = Consent.objects.filter(client=client).select_related("revocation")
    if not any(u.is_kela for u in units):
        # The organiser's consents, and those naming one of these units (another organiser's).
        named_here = Q(units__in=[u.pk for u in units])
        consents = consents.filter(Q(organiser_id__in=organisers) | named_here).distinct()
    named: set[int] = set()
    in_organisation = Unit.objects.select_related("organisation")
    for consent in consents.prefetch_related(Prefetch("units", queryset=in_organisation)):
        terms = consent.terms()
        if consent_state(terms, now) != "in_force":
            continue
        for unit in units:
            if unit.pk in terms.other_unit_ids:
                named.add(unit.pk)
                continue
            if not unit.is_kela and unit.organisation_id != terms.organiser_id:
                continue
            side = terms.kela_unit_ids if unit.is_kela else terms.social_unit_ids
            if not side or unit.pk in side:
                named.add(unit.pk)
    return named


def has_relation(*, client: Client, unit_id: int) -> bool:
    return unit_id in related_unit_ids(client=client, unit_ids=[unit_id])
