"""The list behind a bar: the referrals of the actor's own unit whose handoffs a figure
counted. Client data, so only a unit where the actor holds ``ANALYTICS_VIEW`` and
``CASE_VIEW``; any other unit is the same 404 as one that does not exist (audited)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from silta.accounts.actor import Actor
from silta.analytics import permissions
from silta.analytics.handoff_sql import HANDOFF_KINDS, REDIRECT
from silta.analytics.periods import Period, period_parse
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.core.errors import Invalid
from silta.organisations.models import Unit
from silta.referrals.models import Referral, ReferralEvent

LIMIT = 200


@dataclass(frozen=True)
class DrillInput:
    unit: str
    first: str | None = None
    last: str | None = None
    kind: str = ""
    reason: str = ""
    other: str = ""
    expense_kind: str = ""


@dataclass
class DrillList:
    unit: Unit
    period: Period
    data: DrillInput
    referrals: list[Referral]


def _unit(actor: Actor, key: str) -> Unit:
    try:
        public_id = uuid.UUID(key)
    except ValueError:
        public_id = None
    unit = Unit.objects.filter(public_id=public_id).first() if public_id else None
    if unit is None or unit.pk not in permissions.drill_units(actor):
        raise deny(actor, hide=True, detail={"analytics": "drill", "unit": key})
    return unit


def _events(data: DrillInput, period: Period) -> Q:
    if data.kind and data.kind not in HANDOFF_KINDS:
        raise Invalid(_("Unknown kind of handoff."), code="kind_unknown", field="kind")
    returns_or_resends = Q(action__in=["return", "resend"])
    redirects = Q(action="complete", detail__outcome="transferred")
    kinds = {"return": Q(action="return"), "resend": Q(action="resend"), REDIRECT: redirects}
    match = kinds[data.kind] if data.kind else returns_or_resends | redirects
    if data.reason:
        match &= Q(detail__reason=data.reason)
    return match & Q(at__gte=period.start_at, at__lt=period.end_at)


def drill_list(*, actor: Actor, data: DrillInput) -> DrillList:
    """The unit's referrals behind one bar (at most 200, latest first), audited."""
    period = period_parse(data.first, data.last)
    unit = _unit(actor, data.unit)
    events = ReferralEvent.objects.filter(_events(data, period)).values("referral_id")
    referrals = Referral.objects.filter(Q(sender_unit=unit) | Q(receiver_unit=unit)).filter(
        pk__in=events
    )
    if data.other:
        referrals = referrals.filter(
            Q(sender_unit__public_id=data.other) | Q(receiver_unit__public_id=data.other)
        )
    if data.expense_kind:
        code = "" if data.expense_kind == "none" else data.expense_kind
        referrals = referrals.filter(expense_kind=code)
    found = list(
        referrals.select_related("sender_unit", "receiver_unit").order_by("-sent_at", "-pk")[:LIMIT]
    )
    record(
        actor=actor,
        action=AuditAction.VIEW,
        unit_id=unit.pk,
        detail={
            "analytics": "drill",
            "period": period.key(),
            "kind": data.kind,
            "reason": data.reason,
            "referrals": [str(r.public_id) for r in found],
        },
    )
    return DrillList(unit, period, data, found)
