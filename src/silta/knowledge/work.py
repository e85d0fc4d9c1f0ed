"""The guide tied to the work: the entry for an expense kind recorded on a referral or a
thread (the forms' hint, the detail pages' link), whether a kind has an entry (asked by
referral returns through ``reference.expense_kinds``), and how often each kind was
returned in the last twelve months, per unit pair.

The return figures are aggregates. A pair with one of the reader's own units shows its
count; every other pair is a cross-organisation figure and shows counts under
``SMALL_COUNT`` as "<5", so that no client can be recognised.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from silta.accounts.actor import Actor
from silta.audit.denial import deny
from silta.knowledge import permissions
from silta.knowledge.guide import shown_version
from silta.knowledge.models import GuideEntry, GuideVersion
from silta.organisations.models import Unit
from silta.reference.expense_kinds import ExpenseKind
from silta.referrals.models import ReferralEvent
from silta.referrals.state import Action

SMALL_COUNT = 5
RETURN_WINDOW_DAYS = 365


def kind_has_entry(code: str) -> bool:
    """Registered with ``reference.expense_kinds`` at start-up (``apps.py``)."""
    return GuideEntry.objects.filter(expense_kind=code, national__isnull=True).exists()


def national_entry(*, actor: Actor, code: str) -> GuideEntry:
    """The national entry of an expense kind (404, audited, when there is none)."""
    detail = {"expense_kind": code[:40]}
    if not permissions.can_read(actor):
        raise deny(actor, hide=True, detail=detail)
    entry = None
    if code in ExpenseKind.values:
        entry = GuideEntry.objects.filter(expense_kind=code, national__isnull=True).first()
    if entry is None:
        raise deny(actor, hide=True, detail=detail)
    return entry


@dataclass(frozen=True)
class Hint:
    entry: GuideEntry
    version: GuideVersion | None
    variants: list[GuideEntry]

    @property
    def is_demo(self) -> bool:
        return self.version is None or not self.version.is_verified


def guide_hint(*, actor: Actor, code: str) -> Hint | None:
    """The entry a form suggests for a chosen kind: its shown summary and its local
    variants (None for no kind; 404, audited, when the actor may not read the guide)."""
    if not permissions.can_read(actor):
        raise deny(actor, hide=True, detail={"knowledge": "hint"})
    if not code or code not in ExpenseKind.values:
        return None
    entry = GuideEntry.objects.filter(expense_kind=code, national__isnull=True).first()
    if entry is None:
        return None
    variants = list(entry.variants.select_related("owner").order_by("owner__name_fi"))
    return Hint(entry=entry, version=shown_version(entry), variants=variants)


@dataclass(frozen=True)
class PairReturns:
    sender: Unit
    returner: Unit
    count: int
    own: bool

    @property
    def shown(self) -> str:
        """The count as shown: exact for the reader's own pairs, "<5" under the limit."""
        if self.own or self.count >= SMALL_COUNT:
            return str(self.count)
        return f"<{SMALL_COUNT}"


def returns_by_pair(
    *, actor: Actor, entry: GuideEntry, now: dt.datetime | None = None
) -> list[PairReturns]:
    """Returns of referrals of the entry's expense kind in the last twelve months, per
    (sending unit, returning unit), most first. A local variant counts the pairs with a
    unit of its organisation only."""
    since = (now or timezone.now()) - dt.timedelta(days=RETURN_WINDOW_DAYS)
    events = ReferralEvent.objects.filter(
        action=Action.RETURN, at__gte=since, referral__expense_kind=entry.expense_kind
    )
    if entry.is_variant:
        events = events.filter(
            Q(unit__organisation_id=entry.owner_id)
            | Q(referral__sender_unit__organisation_id=entry.owner_id)
        )
    rows = list(
        events.values("referral__sender_unit_id", "unit_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "referral__sender_unit_id", "unit_id")
    )
    ids = {r["referral__sender_unit_id"] for r in rows} | {r["unit_id"] for r in rows}
    units = Unit.objects.select_related("organisation").in_bulk(ids)
    own = actor.unit_ids
    return [
        PairReturns(
            sender=units[r["referral__sender_unit_id"]],
            returner=units[r["unit_id"]],
            count=r["n"],
            own=bool({r["referral__sender_unit_id"], r["unit_id"]} & own),
        )
        for r in rows
        if r["unit_id"] in units
    ]
