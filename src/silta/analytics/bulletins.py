"""Guideline-change bulletins: how many receiving units acknowledged them and how many
open items they touched (``knowledge.impact``; counts only)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _

from silta.analytics.periods import Period
from silta.analytics.scope import Scope
from silta.analytics.suppression import count
from silta.analytics.tables import Table
from silta.knowledge import impact
from silta.knowledge.models import Acknowledgement, Bulletin
from silta.organisations.models import Unit

LATEST = 20


def _bulletins(scope: Scope, period: Period) -> list[Bulletin]:
    bulletins = Bulletin.objects.filter(
        published_at__gte=period.start_at, published_at__lt=period.end_at
    )
    if scope.unit_ids is not None:
        organisations = (
            {scope.organisation_id}
            if scope.organisation_id is not None
            else set(
                Unit.objects.filter(pk__in=scope.unit_ids).values_list("organisation_id", flat=True)
            )
        )
        bulletins = bulletins.filter(
            Q(publisher_unit__organisation_id__in=organisations)
            | Q(organisations__in=organisations)
        ).distinct()
    return list(
        bulletins.select_related("publisher_unit").prefetch_related("organisations")[:LATEST]
    )


def bulletin_table(scope: Scope, period: Period) -> Table:
    table = Table(
        "bulletins",
        _("Guideline-change bulletins"),
        [
            _("Bulletin"),
            _("Published"),
            _("Receiving units"),
            _("Acknowledged"),
            _("Affected open cases"),
            _("Affected open referrals"),
            _("Affected open threads"),
        ],
        chart="bar",
        series=(2, 3),
        note=_("The twenty latest bulletins of the period; counts only."),
    )
    hide = scope.suppressed
    for bulletin in _bulletins(scope, period):
        per_unit = [
            u
            for u in impact.impact_counts(bulletin)
            if scope.unit_ids is None or u.unit.pk in scope.unit_ids
        ]
        ids = [u.unit.pk for u in per_unit]
        acknowledged = Acknowledgement.objects.filter(bulletin=bulletin, unit_id__in=ids).count()
        table.rows.append(
            [
                bulletin.title,
                formats.date_format(bulletin.published_at.date(), "SHORT_DATE_FORMAT"),
                len(per_unit),
                acknowledged,
                count(sum(u.cases for u in per_unit), suppressed=hide),
                count(sum(u.referrals for u in per_unit), suppressed=hide),
                count(sum(u.threads for u in per_unit), suppressed=hide),
            ]
        )
    return table
