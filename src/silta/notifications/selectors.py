"""Reads of the client's notification choices (audited: the address is client data)."""

from __future__ import annotations

from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.clients.models import Client
from silta.notifications.models import NotificationPreference

PAGE = "notification_preferences"


def preference_read(*, client: Client, by: str) -> NotificationPreference | None:
    """The client's choices, read in the own view by the client or their attorney
    (``by``); one audit row with the client as the subject."""
    preference = NotificationPreference.objects.filter(client=client).first()
    record(
        actor=None,
        action=AuditAction.VIEW,
        obj=preference,
        client=client,
        detail={"page": PAGE, "by": by},
    )
    return preference
