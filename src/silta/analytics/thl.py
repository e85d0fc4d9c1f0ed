"""The deadline monitoring THL runs twice a year (Totul 27 c §), for a whole organiser:
every unit of it, for April and October of a year, in the categories of the monitoring.

- 14 a §: applications (forwarded applications and other referrals under the 7 working
  day decision rule, also after completion) decided by the 7th working day;
- 14 b §: urgent cases decided the same or the next working day;
- 14 d §: personal meetings arranged by the 7th working day after the client asked.

Per month and category: arrived, decided, decided within the deadline, decided late, still
undecided past the deadline on the day of the export, the deadline exceeded (decided late
or undecided past it) as a share of the arrived, and the mean working days to decision
(the calendar table, as the dashboard). One number format: a decimal point, no thousands
separators, so every file from every organiser reads the same.

Checked (2026-12) against THL's pages on the statistic "Toimeentulotukihakemusten
käsittelyajat": its data-delivery page (thl.fi, ohjeet tietojen toimittamiseen), its
quality description (laatuseloste) and the April 2024 release, and DOMAIN.md §2-3:

- who and what: THL asks the wellbeing services counties and Helsinki (not Åland) for the
  supplementary and preventive applications addressed to them; Kela reports basic
  assistance itself over a technical interface. So only a social services organiser's
  file is made (Kela's is refused), and Åland's municipalities are never routed here;
- the period: the applications that arrived in April and in October (cross-sections),
  delivered by the end of the following month: so "undecided past the deadline" is
  counted on the day of the export (by the end of May every April deadline has passed),
  not at the month's end as before, which missed late-April arrivals;
- the figures: numbers of applications and of urgent applications, and the share of
  applications whose 7-working-day processing time was exceeded (THL's published
  figure: here "deadline exceeded (%)", of the arrived); personal meetings within 7
  working days (14 d); working days counted from the day after arrival (DOMAIN.md §3);
- summary counts per county, no client identifiers: the file holds counts only.

- requests for additional information (lisäselvityspyynnöt): THL publishes the share of
  applications for which one was asked and the share of the requests made after the 7th
  working day. Silta records a request as the hold transition (a ``hold`` event). The
  clock's restart when the information arrives overwrites ``arrived_on``, but not
  ``sent_at`` (only a re-send, a new arrival, moves it), so the original arrival is the
  Europe/Helsinki date of ``sent_at``: the month of an application and the request's own
  deadline are counted from it; the decision's deadline and working days from the
  restarted clock (``due_date``, ``arrived_on``), as the law counts them.

Not checked or not done: the e-form's exact fields and its filling instructions (the form
is open only during the collection, April-May and October-November, and its instructions
are inside it); the consolidated text of 27 c § itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from silta.accounts.actor import Actor
from silta.analytics import permissions
from silta.analytics.queries import CALENDAR, EVENT, REFERRAL, column_in, fetch
from silta.analytics.tables import Table
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.core.errors import Invalid
from silta.organisations.models import Organisation, OrganisationKind, Unit
from silta.workdays import calendar
from silta.workdays.table import local_date_sql

MONTHS = (4, 10)
# Statutory rule -> THL category; urgent referrals go to 14 b whatever their rule.
CATEGORY_OF_RULE = {
    "totul_14a_decision": "14a",
    "totul_14a_after_completion": "14a",
    "totul_14b_urgent": "14b",
    "totul_14d_meeting": "14d",
}
CATEGORIES = ("14a", "14b", "14d")


def _labels() -> dict[str, str]:
    return {
        "14a": _("Applications decided by the 7th working day (Totul 14 a §)"),
        "14b": _("Urgent cases decided the same or next working day (Totul 14 b §)"),
        "14d": _("Personal meetings by the 7th working day (Totul 14 d §)"),
    }


@dataclass
class Monitoring:
    organisation: Organisation
    year: int
    table: Table


def _sql(units: list[int]) -> tuple[str, list[object]]:
    rules, rule_params = column_in("r.deadline_rule", list(CATEGORY_OF_RULE))
    receivers, unit_params = column_in("r.receiver_unit_id", units)
    completed = local_date_sql("r.completed_at")
    asked = local_date_sql("e.at")
    # o: the original arrival (the month, the requests' deadline); a: the clock's start.
    # q: the referral's requests for additional information, and those made after the
    # 7th working day from the original arrival.
    sql = f"""
SELECT o.month, r.deadline_rule, r.urgent, COUNT(*), COUNT(cc.n),
       SUM(CASE WHEN {completed} <= r.due_date THEN 1 ELSE 0 END),
       SUM(CASE WHEN cc.n IS NULL AND r.due_date < %s THEN 1 ELSE 0 END),
       SUM(cc.n - a.n), COUNT(q.requests), SUM(q.requests), SUM(q.late)
FROM {REFERRAL} r
JOIN {CALENDAR} o ON o.day = {local_date_sql("r.sent_at")}
JOIN {CALENDAR} a ON a.day = r.arrived_on
LEFT JOIN {CALENDAR} cc ON cc.day = {completed}
LEFT JOIN (
  SELECT e.referral_id AS referral_id, COUNT(*) AS requests,
         SUM(CASE WHEN h.n - o2.n > 7 THEN 1 ELSE 0 END) AS late
  FROM {EVENT} e
  JOIN {REFERRAL} r2 ON r2.id = e.referral_id
  JOIN {CALENDAR} o2 ON o2.day = {local_date_sql("r2.sent_at")}
  JOIN {CALENDAR} h ON h.day = {asked}
  WHERE e.action = 'hold' AND o2.month = %s
  GROUP BY e.referral_id
) q ON q.referral_id = r.id
WHERE o.month = %s AND {rules} AND {receivers}
GROUP BY 1, 2, 3
"""  # noqa: S608
    return sql, [*rule_params, *unit_params]


def thl_monitoring(
    *, actor: Actor, organisation: Organisation, year: int, today: dt.date | None = None
) -> Monitoring:
    """April and October of ``year`` for every unit of the organiser (audited export)."""
    if not permissions.can_view_organisation(actor, organisation.pk):
        raise deny(actor, hide=True, detail={"analytics": "thl", "organisation": organisation.pk})
    if organisation.kind != OrganisationKind.SOCIAL_SERVICES:
        # THL collects these from the organisers; Kela reports basic assistance itself.
        raise Invalid(
            _("The monitoring file is made for a social services organiser."),
            code="thl_organiser_only",
        )
    units = list(Unit.objects.filter(organisation=organisation).values_list("pk", flat=True))
    months = (dt.date(year, 4, 1), dt.date(year, 10, 1))
    sql, params = _sql(units)
    sums: dict[tuple[dt.date, str], list[int]] = {
        (m, c): [0] * 8 for m in months for c in CATEGORIES
    }
    # Undecided past the deadline on the day of the export (THL asks after the month).
    export_day = today or calendar.today()
    for month in months:
        for _m, rule, urgent, *values in fetch(sql, [export_day, month, month, *params]):
            category = "14b" if urgent and rule != "totul_14d_meeting" else CATEGORY_OF_RULE[rule]
            target = sums[(month, category)]
            for i, value in enumerate(values):
                target[i] += int(value or 0)
    table = Table(
        "thl_27c",
        _("Deadline monitoring (Totul 27 c §)"),
        [
            _("Month"),
            _("Category"),
            _("Arrived"),
            _("Decided"),
            _("Decided within the deadline"),
            _("Decided late"),
            _("Undecided past the deadline on the day of the export"),
            _("Deadline exceeded, share of the arrived (%)"),
            _("Decided within the deadline (%)"),
            _("Working days to decision (mean)"),
            _("Applications with a request for additional information"),
            _("Requests for additional information"),
            _("Requests made after the 7th working day"),
            _("Request for additional information, share of the arrived (%)"),
            _("Requests made after the 7th working day, share of the requests (%)"),
        ],
    )
    labels = _labels()
    for (month, category), figures in sums.items():
        arrived, decided, in_time, late_open, days, asked, requests, late_requests = figures
        table.rows.append(
            [
                f"{month:%Y-%m}",
                labels[category],
                arrived,
                decided,
                in_time,
                decided - in_time,
                late_open,
                round(100 * (decided - in_time + late_open) / arrived, 1) if arrived else None,
                round(100 * in_time / decided, 1) if decided else None,
                round(days / decided, 1) if decided else None,
                asked,
                requests,
                late_requests,
                round(100 * asked / arrived, 1) if arrived else None,
                round(100 * late_requests / requests, 1) if requests else None,
            ]
        )
    record(
        actor=actor,
        action=AuditAction.EXPORT,
        unit_id=min(actor.unit_ids) if actor.unit_ids else None,
        detail={"report": "thl_27c", "organisation": str(organisation.public_id), "year": year},
    )
    return Monitoring(organisation, year, table)
