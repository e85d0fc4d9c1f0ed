"""The client's access-log report (703/2023 11 §): who in the reader's organisations has
used the client's data, and to whom those organisations disclosed it, on which basis.

Given to the client on request, in the client's language (fi or sv; en for others). The
client is named by name and date of birth, never by identity code. Building the report
is itself audited (an "export" row).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.audit.denial import deny
from silta.audit.models import AuditAction, AuditEvent
from silta.audit.report_pdf import ReportSection, render_report
from silta.audit.services import record
from silta.clients.identity_codes import validate_identity_code
from silta.clients.models import Client
from silta.consents.bases import BASES
from silta.consents.codes import Category, DisclosureKind, Purpose
from silta.consents.models import Disclosure

# The newest rows first; a client's whole history fits (REPORT_LIMIT per section).
REPORT_LIMIT = 5000
LANGUAGES = ("fi", "sv", "en")


def _when(value: Any) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _label(choices: Any, code: str) -> str:
    return str(choices(code).label) if code in choices.values else code


def _events(client: Client, organisation_ids: frozenset[int] | None) -> Iterable[AuditEvent]:
    events = AuditEvent.objects.filter(client=client).exclude(action=AuditAction.DENIED)
    if organisation_ids is not None:
        events = events.filter(organisation_id__in=organisation_ids)
    return events.select_related("unit", "organisation").order_by("-occurred_at", "-id")[
        :REPORT_LIMIT
    ]


def _disclosures(client: Client, organisation_ids: frozenset[int] | None) -> Iterable[Disclosure]:
    rows = Disclosure.objects.filter(client=client)
    if organisation_ids is not None:
        rows = rows.filter(discloser_organisation_id__in=organisation_ids)
    return rows.select_related(
        "discloser_unit", "recipient_unit", "recipient_organisation", "consent"
    ).order_by("-occurred_at", "-id")[:REPORT_LIMIT]


def _basis(row: Disclosure) -> str:
    consent = row.consent
    if consent is not None:
        return _("Your consent of %(date)s") % {
            "date": date_format(consent.valid_from, "SHORT_DATE_FORMAT")
        }
    basis = BASES.get(row.statutory_basis)
    return f"{basis.law}: {basis.description}" if basis else row.statutory_basis


def _sections(client: Client, organisation_ids: frozenset[int] | None) -> list[ReportSection]:
    used = ReportSection(
        heading=_("Who has used your data"),
        columns=[_("Time"), _("Organisation"), _("Unit"), _("Who"), _("What was done")],
        rows=[
            [
                _when(e.occurred_at),
                str(e.organisation or ""),
                str(e.unit or ""),
                e.actor_label,
                f"{e.get_action_display()} – {e.object_type_label}".strip(" –"),
            ]
            for e in _events(client, organisation_ids)
        ],
        empty=_("No one has used your data."),
    )
    disclosed = ReportSection(
        heading=_("To whom your data was disclosed"),
        columns=[_("Time"), _("From"), _("To"), _("What"), _("Purpose"), _("Basis")],
        rows=[
            [
                _when(d.occurred_at),
                f"{d.discloser_unit} ({d.discloser_label})",
                f"{d.recipient_organisation} – {d.recipient_unit}",
                f"{_label(DisclosureKind, d.kind)}: {_label(Category, d.category)}",
                _label(Purpose, d.purpose),
                _basis(d),
            ]
            for d in _disclosures(client, organisation_ids)
        ],
        empty=_("Your data has not been disclosed to the other organisation."),
    )
    return [used, disclosed]


def access_report_by(*, actor: Actor, client: Client, language: str) -> bytes:
    """The report for ``actor``'s organisations (a unit's system, an administrator);
    without Perm.ACCESS_REPORT one audited 403."""
    units = actor.units_with(Perm.ACCESS_REPORT)
    if not units:
        raise deny(actor, client=client, detail={"perm": "access_report"})
    organisations = frozenset(m.organisation_id for m in actor.memberships if m.unit_id in units)
    return access_report_pdf(
        user=actor.user,
        client=client,
        organisation_ids=organisations,
        language=language,
        actor=actor,
    )


def client_for_report(identity_code: str) -> Client | None:
    """The client the report is about (the code is checked; None: no such client)."""
    code = validate_identity_code(identity_code, allow_test_codes=True)
    return Client.objects.filter(identity_code=code).first()


def access_report_pdf(
    *,
    user: Any,
    client: Client,
    organisation_ids: frozenset[int] | None,
    language: str,
    actor: Actor | None = None,
) -> bytes:
    """The report as PDF in ``language``; ``organisation_ids``: the reader's organisations
    (None: every organisation, for a platform auditor). Audited as an export."""
    record(
        actor=actor,
        user=user if actor is None else None,
        action=AuditAction.EXPORT,
        client=client,
        detail={"report": "access_report_pdf", "language": language},
    )
    with translation.override(language if language in LANGUAGES else "fi"):
        born = date_format(client.birth_date, "SHORT_DATE_FORMAT") if client.birth_date else ""
        lines = [
            _("%(name)s, born %(born)s") % {"name": client.full_name, "born": born},
            _(
                "Under the Act on the Processing of Client Data in Healthcare and Social "
                "Welfare (703/2023) § 11 you have the right to know who has used your data "
                "and to whom it was disclosed."
            ),
        ]
        return render_report(
            title=_("Report on the use and disclosure of your data"),
            lines=lines,
            sections=_sections(client, organisation_ids),
            footer=_("Silta · made %(when)s") % {"when": _when(timezone.now())},
        )
