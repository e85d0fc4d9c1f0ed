"""``record``: the one function that writes the audit trail."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone

from silta.audit.models import AuditAction, AuditEvent
from silta.core import request_context

if TYPE_CHECKING:
    from silta.accounts.actor import Actor
    from silta.clients.models import Client


def record(
    *,
    actor: Actor | None,
    action: AuditAction,
    obj: models.Model | None = None,
    client: Client | None = None,
    unit_id: int | None = None,
    legal_basis: str = "",
    detail: dict[str, Any] | None = None,
    user: Any = None,
) -> AuditEvent:
    """Write one audit event; call it inside the transaction of the action it records.

    ``unit_id`` is the actor's unit that acted; when omitted and the actor has a single
    unit, that unit is used. ``detail`` must never hold an identity code.
    """
    context = request_context.current()
    acting_user = actor.user if actor is not None else user
    if unit_id is None and actor is not None and len(actor.memberships) == 1:
        unit_id = actor.memberships[0].unit_id
    organisation_id = None
    if actor is not None and unit_id is not None:
        membership = actor.membership(unit_id)
        organisation_id = membership.organisation_id if membership else None
    label = actor.label if actor is not None else (str(acting_user) if acting_user else "system")
    public_id = getattr(obj, "public_id", None) or getattr(obj, "pk", None)
    return AuditEvent.objects.create(
        occurred_at=timezone.now(),
        action=action,
        user=acting_user,
        actor_label=label[:300],
        unit_id=unit_id,
        organisation_id=organisation_id,
        api_key=actor.api_key if actor is not None else None,
        client=client,
        object_type=(obj._meta.model_name or "") if obj is not None else "",
        object_id=str(public_id) if public_id is not None else "",
        legal_basis=legal_basis,
        request_id=context.request_id,
        source_address=context.source_address,
        detail=detail or {},
    )
