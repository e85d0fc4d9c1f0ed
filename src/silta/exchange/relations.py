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

The consent fact puts the predicate above ``consents`` and the case fact above
``exchange.models``: ``exchange`` is the lowest app that sees all three. Within one
organisation the question is the same: a unit of the county does not get the relation
from another unit's case.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.clients.models import Client
from silta.consents.models import Consent
from silta.consents.rules import consent_state
from silta.core.errors import Forbidden
from silta.exchange.models import Case
from silta.organisations.models import Unit
from silta.reference.models import Municipality

NO_RELATION = _(
    "Your unit has no relation to this client: no shared case with the client, no "
    "consent of the client that names your organisation, and the client does not live "
    "in your organisation's area."
)


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
    if rest:
        parties = Case.objects.filter(
            Q(kela_unit_id__in=rest) | Q(social_unit_id__in=rest), client=client
        ).values_list("kela_unit_id", "social_unit_id")
        related |= rest & {unit_id for pair in parties for unit_id in pair}
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
        consents = consents.filter(organiser_id__in=organisers)
    named: set[int] = set()
    for consent in consents.prefetch_related("units"):
        terms = consent.terms()
        if consent_state(terms, now) != "in_force":
            continue
        for unit in units:
            if not unit.is_kela and unit.organisation_id != terms.organiser_id:
                continue
            side = terms.kela_unit_ids if unit.is_kela else terms.social_unit_ids
            if not side or unit.pk in side:
                named.add(unit.pk)
    return named


def has_relation(*, client: Client, unit_id: int) -> bool:
    return unit_id in related_unit_ids(client=client, unit_ids=[unit_id])


def refuse_unrelated(*, actor: Actor, client: Client, unit_id: int | None, what: str) -> Forbidden:
    """The audited refusal of ``what`` (one "denied" row) for a unit without a relation."""
    record(
        actor=actor,
        action=AuditAction.DENIED,
        client=client,
        unit_id=unit_id,
        detail={"relation": what},
    )
    return Forbidden(NO_RELATION)


def require_relation(*, actor: Actor, client: Client, unit_id: int, what: str) -> None:
    """Refuse ``what`` (audited, ``Forbidden``) unless the unit has a relation to the client."""
    if not has_relation(client=client, unit_id=unit_id):
        raise refuse_unrelated(actor=actor, client=client, unit_id=unit_id, what=what)
