"""The guide's section of the daily digest (registered in ``core.digest`` at start-up):
the guideline changes a unit has still to acknowledge, and how many of the unit's own
open items each current change touches (``impact``), so that the workers affected hear
of it. Titles and counts only: the items themselves are listed in Silta, to the unit."""

from __future__ import annotations

import datetime as dt

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from silta.core.digest import DigestLine
from silta.knowledge.impact import impact_counts, receiving_units
from silta.knowledge.models import Acknowledgement, Bulletin

ORDER = 40
# A bulletin is "current" in the digest while it has yet to take effect, or took effect
# within this many days.
RECENT_DAYS = 30


def current_bulletins(day: dt.date) -> list[Bulletin]:
    since = day - dt.timedelta(days=RECENT_DAYS)
    return list(
        Bulletin.objects.filter(effective_date__gte=since)
        .select_related("publisher_unit")
        .prefetch_related("expense_kinds", "organisations")
        .order_by("effective_date", "pk")
    )


def _effective(bulletin: Bulletin) -> str:
    return formats.date_format(bulletin.effective_date, "SHORT_DATE_FORMAT")


def _to_acknowledge(bulletin: Bulletin, acknowledged: set[int]) -> list[DigestLine]:
    section = _("Guideline changes to acknowledge")
    text = _("%(title)s (in effect from %(date)s)") % {
        "title": bulletin.title,
        "date": _effective(bulletin),
    }
    return [
        DigestLine(section=section, text=text, unit_id=unit.pk, order=ORDER)
        for unit in receiving_units(bulletin)
        if unit.pk not in acknowledged
    ]


def _impact(bulletin: Bulletin) -> list[DigestLine]:
    section = _("Your unit's open items that guideline changes touch")
    lines = []
    for row in impact_counts(bulletin):
        if not (row.referrals or row.threads):
            continue
        text = ngettext(
            "%(title)s (in effect from %(date)s): %(count)d open case "
            "(%(referrals)d referrals, %(threads)d threads)",
            "%(title)s (in effect from %(date)s): %(count)d open cases "
            "(%(referrals)d referrals, %(threads)d threads)",
            row.cases,
        ) % {
            "title": bulletin.title,
            "date": _effective(bulletin),
            "count": row.cases,
            "referrals": row.referrals,
            "threads": row.threads,
        }
        lines.append(DigestLine(section=section, text=text, unit_id=row.unit.pk, order=ORDER + 1))
    return lines


def digest_section(day: dt.date) -> list[DigestLine]:
    bulletins = current_bulletins(day)
    acknowledged: dict[int, set[int]] = {}
    for bulletin_id, unit_id in Acknowledgement.objects.filter(bulletin__in=bulletins).values_list(
        "bulletin_id", "unit_id"
    ):
        acknowledged.setdefault(bulletin_id, set()).add(unit_id)
    lines: list[DigestLine] = []
    for bulletin in bulletins:
        lines += _to_acknowledge(bulletin, acknowledged.get(bulletin.pk, set()))
        lines += _impact(bulletin)
    return lines
