"""The client's own worker (omatyöntekijä): set by the social services unit, read by the
parties of the client's cases. Both audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.accounts.models import User
from silta.accounts.roles import Perm
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.clients.models import Client, OwnWorker
from silta.core.errors import Forbidden, Invalid
from silta.core.ids import parse_uuid
from silta.directory.phones import normalise_phone


def own_worker_set(
    *,
    actor: Actor,
    client: Client,
    unit_id: int,
    worker_id: Any = None,
    name: str = "",
    phone: str = "",
    reachability: str = "",
) -> OwnWorker:
    """Record (or replace) the client's own worker in one of the actor's social units."""
    membership = actor.membership(unit_id)
    if membership is None or membership.is_kela or unit_id not in actor.units_with(Perm.CASE_OPEN):
        raise Forbidden(_("Only the client's social services unit can name the own worker."))
    worker = None
    if worker_id:
        key = parse_uuid(worker_id)
        worker = (
            User.objects.filter(public_id=key, is_active=True, memberships__unit_id=unit_id).first()
            if key
            else None
        )
        if worker is None:
            raise Invalid(_("Choose a member of the unit."), code="worker_invalid", field="worker")
    name = (name or "").strip() or (worker.display_name if worker else "")
    if not name:
        raise Invalid(
            _("Give the worker's name or choose a member."), code="worker_required", field="name"
        )
    phone_e164 = (
        normalise_phone(phone)
        if phone.strip()
        else (normalise_phone(worker.phone) if worker and worker.phone else "")
    )
    with transaction.atomic():
        own, _created = OwnWorker.objects.update_or_create(
            client=client,
            unit_id=unit_id,
            defaults={
                "worker": worker,
                "name": name,
                "phone": phone_e164,
                "reachability": (reachability or "").strip()[:300],
                "updated_at": timezone.now(),
                "updated_by": actor.user,
            },
        )
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=own,
            client=client,
            unit_id=unit_id,
            detail={"own_worker": name},
        )
    return own


def own_workers_for(*, actor: Actor, client: Client, unit_ids: set[int]) -> list[OwnWorker]:
    """Own workers in the given units (the social parties of the actor's visible cases)."""
    if not unit_ids:
        return []
    rows = list(
        OwnWorker.objects.filter(client=client, unit_id__in=unit_ids)
        .select_related("unit", "worker")
        .order_by("unit__name_fi")
    )
    if rows:
        record(
            actor=actor,
            action=AuditAction.VIEW,
            client=client,
            detail={"own_workers": [str(r.unit.public_id) for r in rows]},
        )
    return rows
