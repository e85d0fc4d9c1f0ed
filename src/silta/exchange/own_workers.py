"""The client's own worker (omatyöntekijä): named by a social services unit with a
relation to the client, shown to Kela on the cases it shares with that unit.

Naming the own worker keeps it in the organiser's own records: that is no disclosure.
Kela seeing it is one (703/2023 10 §): Kela learns that the client is a client of that
unit, who their worker is and how to reach them. So when a unit saves its own worker, it
discloses it to each Kela unit with which it shares a case of the client, through the gate
(``DisclosureKind.OWN_WORKER``: contact details, for sorting out assistance together; no
statutory basis covers it, so it goes on the client's consent only), one disclosure-log
row per Kela unit. Kela is shown an own worker only where such a row exists for the saved
version. Where no consent covers it, the own worker is still saved for the unit's own use,
the refusal is audited, and the worker is told which Kela units will not see it and why;
a case opened later shows it once it is saved again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.accounts.models import User
from silta.accounts.roles import Perm
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.clients.models import Client, OwnWorker
from silta.consents.codes import DisclosureKind
from silta.consents.disclosures import REFUSALS, Authorised, NoLawfulBasis, audit_late_refusals
from silta.consents.gate import gate_decide, gate_log, legal_basis_of
from silta.consents.models import Disclosure
from silta.core.errors import Invalid
from silta.core.ids import parse_uuid
from silta.directory.phones import normalise_phone
from silta.exchange.models import Case
from silta.exchange.permissions import can_name_own_worker
from silta.exchange.relations import require_relation
from silta.organisations.models import Unit


@dataclass(frozen=True)
class OwnWorkerSaved:
    """The saved own worker, the Kela units now shown it, and those refused (with why)."""

    own: OwnWorker
    shown_to: list[Unit]
    not_shown: list[tuple[Unit, str]]


def own_worker_set(
    *,
    actor: Actor,
    client: Client,
    unit_id: int,
    worker_id: Any = None,
    name: str = "",
    phone: str = "",
    reachability: str = "",
) -> OwnWorkerSaved:
    """Record (or replace) the client's own worker in one of the actor's social units and
    show it to the Kela units of the unit's cases with the client where a consent allows."""
    if not can_name_own_worker(actor, unit_id):
        raise deny(
            actor,
            message=_("Only the client's social services unit can name the own worker."),
            client=client,
            detail={"own_worker": "role"},
        )
    require_relation(actor=actor, client=client, unit_id=unit_id, what="own_worker")
    worker = _member(worker_id, unit_id)
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
    decided, shown_to, not_shown = _decide(actor, client, unit_id)
    now = timezone.now()
    with audit_late_refusals(), transaction.atomic():
        own, _created = OwnWorker.objects.update_or_create(
            client=client,
            unit_id=unit_id,
            defaults={
                "worker": worker,
                "name": name,
                "phone": phone_e164,
                "reachability": (reachability or "").strip()[:300],
                "updated_at": now,
                "updated_by": actor.user,
            },
        )
        disclosures = [gate_log(authorised, object_id=own.pk) for authorised in decided]
        record(
            actor=actor,
            action=AuditAction.DISCLOSE if decided else AuditAction.UPDATE,
            obj=own,
            client=client,
            unit_id=unit_id,
            legal_basis=legal_basis_of(decided[0]) if decided else "",
            detail={
                "own_worker": name,
                "disclosures": [str(d.public_id) for d in disclosures if d is not None],
            },
        )
    return OwnWorkerSaved(own, shown_to, not_shown)


def _member(worker_id: Any, unit_id: int) -> User | None:
    if not worker_id:
        return None
    key = parse_uuid(worker_id)
    worker = (
        User.objects.filter(public_id=key, is_active=True, memberships__unit_id=unit_id).first()
        if key
        else None
    )
    if worker is None:
        raise Invalid(_("Choose a member of the unit."), code="worker_invalid", field="worker")
    return worker


def _decide(
    actor: Actor, client: Client, unit_id: int
) -> tuple[list[Authorised], list[Unit], list[tuple[Unit, str]]]:
    """The gate's decision for each Kela unit that shares a case of the client with the
    unit, before anything is written: (decided, shown to, not shown to and why). The gate
    audits each refusal."""
    decided: list[Authorised] = []
    shown_to: list[Unit] = []
    not_shown: list[tuple[Unit, str]] = []
    cases = Case.objects.filter(client=client, social_unit_id=unit_id).select_related(
        "kela_unit__organisation"
    )
    for case in cases.order_by("kela_unit__name_fi", "pk"):
        try:
            authorised = gate_decide(
                actor=actor,
                client=client,
                unit_id=unit_id,
                recipient=case.kela_unit,
                kind=DisclosureKind.OWN_WORKER,
                object_type="own_worker",
            )
        except NoLawfulBasis as refusal:
            not_shown.append((case.kela_unit, str(REFUSALS[refusal.reason])))
            continue
        if authorised is not None:
            decided.append(authorised)
            shown_to.append(case.kela_unit)
    return decided, shown_to, not_shown


def own_workers_for(*, actor: Actor, client: Client, unit_ids: set[int]) -> list[OwnWorker]:
    """Own workers in the given social units that the actor may see: those of the actor's
    own organisation, and those disclosed to one of the actor's units since last saved.
    Each carries ``shown_to``: the Kela units it was disclosed to (for its own side)."""
    if not unit_ids:
        return []
    rows = list(
        OwnWorker.objects.filter(client=client, unit_id__in=unit_ids)
        .select_related("unit", "worker")
        .order_by("unit__name_fi")
    )
    disclosed = list(
        Disclosure.objects.filter(
            client=client,
            kind=DisclosureKind.OWN_WORKER,
            object_id__in=[str(row.pk) for row in rows],
        ).select_related("recipient_unit")
    )
    organisations = {m.organisation_id for m in actor.memberships}
    viewing = actor.units_with(Perm.CASE_VIEW)
    visible = []
    for row in rows:
        # Disclosed since the last save: a replaced worker is shown again once disclosed.
        units = [
            d.recipient_unit
            for d in disclosed
            if d.object_id == str(row.pk) and d.occurred_at >= row.updated_at
        ]
        own_side = row.unit.organisation_id in organisations
        if own_side or any(unit.pk in viewing for unit in units):
            row.shown_to = units if own_side else []  # type: ignore[attr-defined]
            visible.append(row)
    if visible:
        record(
            actor=actor,
            action=AuditAction.VIEW,
            client=client,
            detail={"own_workers": [str(r.unit.public_id) for r in visible]},
        )
    return visible
