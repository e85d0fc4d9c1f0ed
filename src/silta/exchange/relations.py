"""A unit's relation to a client (the rule: ``consents.relations``), the case fact it
needs from this app, and the one audited refusal of a write without a relation."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.audit.denial import deny
from silta.clients.models import Client
from silta.consents.relations import has_relation, related_unit_ids
from silta.core.errors import ServiceError
from silta.exchange.models import Case

__all__ = [
    "NO_RELATION",
    "case_parties",
    "has_relation",
    "refuse_unrelated",
    "related_unit_ids",
    "require_relation",
]

NO_RELATION = _(
    "Your unit has no relation to this client: no shared case with the client, no "
    "consent of the client that names your organisation, and the client does not live "
    "in your organisation's area."
)


def case_parties(client: Client, unit_ids: set[int]) -> set[int]:
    """Those of ``unit_ids`` that share a case with ``client`` (fact 2; registered with
    ``consents.relations`` by this app's config)."""
    pairs = Case.objects.filter(
        Q(kela_unit_id__in=unit_ids) | Q(social_unit_id__in=unit_ids), client=client
    ).values_list("kela_unit_id", "social_unit_id")
    return unit_ids & {unit_id for pair in pairs for unit_id in pair}


def refuse_unrelated(
    *, actor: Actor, client: Client, unit_id: int | None, what: str
) -> ServiceError:
    """The audited refusal of ``what`` (one "denied" row, 403) for a unit without a relation."""
    return deny(
        actor, message=NO_RELATION, client=client, unit_id=unit_id, detail={"relation": what}
    )


def require_relation(*, actor: Actor, client: Client, unit_id: int, what: str) -> None:
    """Refuse ``what`` (audited, ``Forbidden``) unless the unit has a relation to the client."""
    if not has_relation(client=client, unit_id=unit_id):
        raise refuse_unrelated(actor=actor, client=client, unit_id=unit_id, what=what)
