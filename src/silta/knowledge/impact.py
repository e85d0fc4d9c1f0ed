"""Which open items of each receiving unit a bulletin touches.

An item is matched by what the work records: a referral or a thread whose expense kind
(``reference.expense_kinds``) is one the bulletin touches, or whose case's routing topic
is a touched topic. Items recorded before expense kinds existed carry none; for them
alone the old match stays as a fallback: a thread whose subject names a touched kind (the
guide entry's fi and sv keywords: "vuokravakuus", "hyresgaranti"), and a referral without
a kind on the case of such a thread. An item with a kind of its own is never matched by
words. The cases are those of the matched threads and referrals.

The publisher and the managers see counts per unit only; a unit's own items (client
data) are listed only to that unit's case workers, and each listing is audited.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from silta.exchange.models import InboxEntry, Thread, ThreadStatus
from silta.exchange.subjects import PREFIX
from silta.knowledge.models import Bulletin
from silta.organisations.models import Unit
from silta.referrals.models import OPEN_STATE_VALUES, Referral

# Threads Silta starts for referrals store "silta:referral:<type>" as their subject.
REFERRAL_SUBJECT = f"{PREFIX}referral:"


@dataclass(frozen=True)
class UnitImpact:
    unit: Unit
    cases: int
    referrals: int
    threads: int


@dataclass(frozen=True)
class ImpactItems:
    unit: Unit
    entries: list[InboxEntry]
    referrals: list[Referral]

    @property
    def case_count(self) -> int:
        return len({e.thread.case_id for e in self.entries} | {r.case_id for r in self.referrals})


def receiving_units(bulletin: Bulletin) -> QuerySet[Unit]:
    """The active units of the concerned organisations, the publisher's own excepted."""
    organisations = [o.pk for o in bulletin.organisations.all()]
    return (
        Unit.objects.filter(organisation_id__in=organisations, is_active=True)
        .exclude(organisation_id=bulletin.publisher_unit.organisation_id)
        .select_related("organisation")
        .order_by("organisation__name_fi", "name_fi")
    )


def _keywords(bulletin: Bulletin) -> list[str]:
    words = {
        word.casefold() for kind in bulletin.expense_kinds.all() for word in kind.keyword_list()
    }
    return sorted(words)


def _kinds(bulletin: Bulletin) -> list[str]:
    return sorted({kind.expense_kind for kind in bulletin.expense_kinds.all()})


def _thread_match(bulletin: Bulletin) -> Q:
    """By the recorded kind or the case's topic; by subject words only without a kind."""
    by_subject = [Q(subject__icontains=word) for word in _keywords(bulletin)]
    fallback = Q(expense_kind="") & reduce(or_, by_subject) if by_subject else Q(pk__in=[])
    return Q(expense_kind__in=_kinds(bulletin)) | Q(case__topic__in=bulletin.topics) | fallback


def _threads(bulletin: Bulletin) -> QuerySet[Thread]:
    """Open threads touched; a referral's own thread is counted as the referral."""
    return Thread.objects.filter(_thread_match(bulletin), status=ThreadStatus.OPEN).exclude(
        subject__startswith=REFERRAL_SUBJECT
    )


def _referral_match(bulletin: Bulletin) -> Q:
    """By the recorded kind or the case's topic; a referral without a kind also by a
    matching thread on its case (the fallback)."""
    cases = Thread.objects.filter(_thread_match(bulletin)).values("case_id")
    return (
        Q(expense_kind__in=_kinds(bulletin))
        | Q(case__topic__in=bulletin.topics)
        | Q(expense_kind="", case_id__in=cases)
    )


def impact_counts(bulletin: Bulletin) -> list[UnitImpact]:
    """Per receiving unit: affected open cases, referrals and threads (counts only)."""
    units = list(receiving_units(bulletin))
    ids = [u.pk for u in units]
    cases: dict[int, set[int]] = defaultdict(set)
    threads: dict[int, int] = defaultdict(int)
    referrals: dict[int, int] = defaultdict(int)
    entries = InboxEntry.objects.filter(
        unit_id__in=ids, is_open=True, thread__in=_threads(bulletin)
    ).values_list("unit_id", "thread__case_id")
    for unit_id, case_id in entries:
        threads[unit_id] += 1
        cases[unit_id].add(case_id)
    rows = (
        Referral.objects.filter(_referral_match(bulletin), status__in=OPEN_STATE_VALUES)
        .filter(Q(sender_unit_id__in=ids) | Q(receiver_unit_id__in=ids))
        .values_list("sender_unit_id", "receiver_unit_id", "case_id")
    )
    for sender, receiver, case_id in rows:
        for unit_id in {sender, receiver} & set(ids):
            referrals[unit_id] += 1
            cases[unit_id].add(case_id)
    return [UnitImpact(u, len(cases[u.pk]), referrals[u.pk], threads[u.pk]) for u in units]


def impact_items(bulletin: Bulletin, unit: Unit, *, limit: int = 200) -> ImpactItems:
    """One unit's own affected open threads and referrals (the caller checks and audits)."""
    entries = list(
        InboxEntry.objects.filter(unit=unit, is_open=True, thread__in=_threads(bulletin))
        .select_related("thread", "thread__case", "client")
        .order_by("-last_activity_at")[:limit]
    )
    referrals = list(
        Referral.objects.filter(_referral_match(bulletin), status__in=OPEN_STATE_VALUES)
        .filter(Q(sender_unit=unit) | Q(receiver_unit=unit))
        .select_related("case", "case__client")
        .order_by("due_date", "pk")[:limit]
    )
    return ImpactItems(unit, entries, referrals)
