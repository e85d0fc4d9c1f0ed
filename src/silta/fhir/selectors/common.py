"""What every FHIR search shares: the audit row of a result page, and turning the
caller's unit ids into primary keys."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from silta.accounts.actor import Actor
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.organisations.models import Unit


def audit_search(actor: Actor, name: str, page: int, clients: Iterable[Any]) -> None:
    """One audit row per page of client data, naming the clients shown (as the JSON API's
    lists do); an empty page is a search that disclosed nothing, still recorded."""
    record(
        actor=actor,
        action=AuditAction.VIEW,
        detail={"list": name, "page": page, "clients": sorted({str(c) for c in clients})},
    )


def unit_pks(public_ids: Sequence[uuid.UUID]) -> list[int]:
    """Primary keys of the units named (unknown ids name none)."""
    return list(Unit.objects.filter(public_id__in=public_ids).values_list("pk", flat=True))
