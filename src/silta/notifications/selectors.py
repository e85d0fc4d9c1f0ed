"""Reads of the client's notification choices (audited: the address is client data)."""

from __future__ import annotations

from typing import Any

from silta.accounts.actor import Actor
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.clients.models import Client
from silta.notifications.models import NotificationPreference

PAGE = "notification_preferences"


def preference_read(
    *, client: Client, actor: Actor, detail: dict[str, Any]
) -> NotificationPreference | None:
    """The client's choices, read in the own view by the client or their attorney
    (``actor``, without memberships); one audit row with the client as the subject."""
    preference = NotificationPreference.objects.filter(client=client).first()
    record(
        actor=actor,
        action=AuditAction.VIEW,
        obj=preference,
        client=client,
        detail={**detail, "page": PAGE},
    )
    return preference
