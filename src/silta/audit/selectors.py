from __future__ import annotations

from typing import Any

from silta.audit.models import AuditAction, AuditEvent
from silta.audit.services import record
from silta.clients.identity_codes import validate_identity_code
from silta.clients.models import Client

REPORT_LIMIT = 2000


def audit_events_for_identity_code(
    *, user: Any, identity_code: str, organisation_ids: frozenset[int] | None = None
) -> list[AuditEvent] | None:
    """Every audit event about one client, newest first; the report itself is audited.
    ``organisation_ids``: only these organisations' events (None: every organisation)."""
    code = validate_identity_code(identity_code, allow_test_codes=True)
    client = Client.objects.filter(identity_code=code).first()
    record(
        actor=None,
        user=user,
        action=AuditAction.EXPORT,
        client=client,
        detail={"report": "audit_by_client", "found": client is not None},
    )
    if client is None:
        return []
    events = AuditEvent.objects.filter(client=client)
    if organisation_ids is not None:
        events = events.filter(organisation_id__in=organisation_ids)
    return list(
        events.select_related("unit", "organisation").order_by("-occurred_at", "-id")[:REPORT_LIMIT]
    )
