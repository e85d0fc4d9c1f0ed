"""Who has used my data (703/2023 11 §): the uses and disclosures of the client's data
for a chosen period, by organisation, unit and purpose, as a page and a PDF, online.

Staff are named only where their organisation chose so (``OrganisationSetting``); else
the row says "a worker". The client's own visits are left out; an attorney's are shown
(the principal has the right to know). Refusals are not uses and are left out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from silta.audit.models import AuditAction, AuditEvent, LegalBasis
from silta.audit.report_pdf import ReportSection, render_report
from silta.clients.models import Client
from silta.consents.bases import BASES
from silta.consents.codes import Category, DisclosureKind, Purpose
from silta.consents.models import Disclosure
from silta.core.errors import Invalid
from silta.portal.models import OrganisationSetting

HELSINKI = ZoneInfo("Europe/Helsinki")
LIMIT = 5000
LONGEST = dt.timedelta(days=366 * 12)  # the logs are kept 12 years


@dataclass(frozen=True)
class Period:
    since: dt.date
    until: dt.date

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        start = dt.datetime.combine(self.since, dt.time.min, HELSINKI)
        end = dt.datetime.combine(self.until + dt.timedelta(days=1), dt.time.min, HELSINKI)
        return start, end


def period(since: dt.date | None, until: dt.date | None, today: dt.date) -> Period:
    """The chosen period (default: the last 12 months); bad input is ``Invalid``."""
    until = until or today
    since = since or until.replace(year=until.year - 1)
    if since > until:
        raise Invalid(_("The start date must be before the end date."), code="period_order")
    if until - since > LONGEST:
        raise Invalid(_("Choose a period of at most 12 years."), code="period_too_long")
    return Period(since, until)


def _label(choices: type, code: str) -> str:
    return str(choices(code).label) if code in choices.values else code  # type: ignore[attr-defined]


def _named(organisation_ids: set[int]) -> set[int]:
    return set(
        OrganisationSetting.objects.filter(
            organisation_id__in=organisation_ids, show_staff_names=True
        ).values_list("organisation_id", flat=True)
    )


def _events(client: Client, span: Period) -> list[AuditEvent]:
    start, end = span.bounds()
    rows = (
        AuditEvent.objects.filter(client=client, occurred_at__gte=start, occurred_at__lt=end)
        .exclude(action=AuditAction.DENIED)
        .filter(Q(organisation__isnull=False) | Q(detail__actor_kind="attorney"))
        .select_related("unit", "organisation")
        .order_by("-occurred_at", "-id")
    )
    return list(rows[:LIMIT])


def _disclosures(client: Client, span: Period) -> list[Disclosure]:
    start, end = span.bounds()
    rows = (
        Disclosure.objects.filter(client=client, occurred_at__gte=start, occurred_at__lt=end)
        .select_related(
            "discloser_unit", "discloser_organisation", "recipient_unit", "recipient_organisation"
        )
        .select_related("consent")
        .order_by("-occurred_at", "-id")
    )
    return list(rows[:LIMIT])


def _who(event: AuditEvent, named: set[int]) -> str:
    if event.organisation_id is None:
        return event.actor_label  # the attorney, who acted in the own view
    if event.organisation_id in named:
        return event.actor_label
    return _("A worker")


def _basis(row: Disclosure) -> str:
    if row.consent_id is not None:
        return _("Your consent")
    basis = BASES.get(row.statutory_basis)
    return f"{basis.law}" if basis else row.statutory_basis


def _when(value: dt.datetime) -> str:
    return date_format(timezone.localtime(value), "j.n.Y")


def _use_rows(events: Iterable[AuditEvent], named: set[int]) -> list[list[str]]:
    """One row per organisation, unit, who, what and basis: how many times, last when."""
    counts: Counter[tuple[str, str, str, str, str]] = Counter()
    last: dict[tuple[str, str, str, str, str], dt.datetime] = {}
    for e in events:
        what = f"{e.get_action_display()} – {e.object_type_label}".strip(" –")
        basis = _label(LegalBasis, e.legal_basis) if e.legal_basis else ""
        key = (str(e.organisation or _("Own view")), str(e.unit or ""), _who(e, named), what, basis)
        counts[key] += 1
        last.setdefault(key, e.occurred_at)
    return [[*key, str(n), _when(last[key])] for key, n in counts.items()]


@dataclass(frozen=True)
class DataUse:
    span: Period
    sections: list[ReportSection]


def data_use(client: Client, span: Period) -> DataUse:
    events = _events(client, span)
    named = _named({e.organisation_id for e in events if e.organisation_id is not None})
    used = ReportSection(
        heading=_("Who has used your data"),
        columns=[
            _("Organisation"),
            _("Unit"),
            _("Who"),
            _("What was done"),
            _("Basis"),
            _("Times"),
            _("Last time"),
        ],
        rows=_use_rows(events, named),
        empty=_("No one has used your data in this period."),
    )
    disclosed = ReportSection(
        heading=_("To whom your data was given"),
        columns=[_("Date"), _("From"), _("To"), _("What"), _("Purpose"), _("Basis")],
        rows=[
            [
                _when(d.occurred_at),
                f"{d.discloser_organisation} – {d.discloser_unit}",
                f"{d.recipient_organisation} – {d.recipient_unit}",
                f"{_label(DisclosureKind, d.kind)}: {_label(Category, d.category)}",
                _label(Purpose, d.purpose),
                _basis(d),
            ]
            for d in _disclosures(client, span)
        ],
        empty=_("Your data was not given from one organisation to the other in this period."),
    )
    return DataUse(span, [used, disclosed])


def data_use_pdf(client: Client, use: DataUse) -> bytes:
    span = use.span
    return render_report(
        title=_("Who has used my data"),
        lines=[
            client.full_name,
            _("Period: %(since)s – %(until)s")
            % {
                "since": date_format(span.since, "j.n.Y"),
                "until": date_format(span.until, "j.n.Y"),
            },
            _(
                "The law (703/2023, section 11) gives you the right to know who has used "
                "your data and to whom it was given."
            ),
        ],
        sections=use.sections,
        footer=_("Silta · made %(when)s")
        % {"when": date_format(timezone.localtime(timezone.now()), "j.n.Y H.i")},
    )
