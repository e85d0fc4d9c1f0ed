"""The client page's content: the client's cases and referrals, own workers, the units to
ask for a call-back and the form to open a case with the suggested counterpart.

Shared by the client page (``clients.views``) and the case-open page that shows it again
with the form's errors (``exchange.views``), so no view imports another app's view.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from silta.accounts.roles import Perm
from silta.clients.models import Client
from silta.clients.own_workers import own_workers_for
from silta.directory.selectors import Route
from silta.exchange.forms import CaseOpenForm
from silta.exchange.models import Case
from silta.exchange.selectors import client_cases
from silta.exchange.services import suggested_counterpart
from silta.organisations.models import Unit
from silta.organisations.selectors import counterpart_units, units_of_actor
from silta.referrals.selectors import client_referrals


def case_open_form(
    request: HttpRequest, client: Client, data: object = None, topic: str = ""
) -> tuple[CaseOpenForm | None, Route | None]:
    """The form to open a case, with the counterpart Silta suggests for the client's
    municipality and topic pre-selected (and listed first)."""
    actor = request.actor  # type: ignore[attr-defined]
    own = units_of_actor(unit_ids=actor.units_with(Perm.CASE_OPEN))
    if not own:
        return None, None
    kela_side = own[0].is_kela
    suggestion = suggested_counterpart(client=client, own_is_kela=kela_side, topic=topic)
    counterparts = counterpart_units(
        of_kela=kela_side,
        first_organisation_id=suggestion.organisation.pk if suggestion.organisation else None,
    )
    initial = {"topic": suggestion.topic}
    if suggestion.unit is not None:
        initial["counterpart_unit"] = str(suggestion.unit.public_id)
    form = CaseOpenForm(
        data,
        own_units=own,
        counterparts=counterparts,
        kela_side=kela_side,
        initial=initial,
        route_url=reverse("clients:detail", args=[client.public_id]),
    )
    return form, suggestion


def client_context(
    request: HttpRequest, client: Client, form: CaseOpenForm | None, suggestion: Route | None
) -> dict[str, object]:
    """Everything the client page shows: cases, own workers, the open-case form."""
    actor = request.actor  # type: ignore[attr-defined]
    cases = client_cases(actor=actor, client=client)
    referrals = client_referrals(actor=actor, client=client)
    social_units = {case.social_unit_id for case in cases}
    own_social = [
        unit
        for unit in units_of_actor(unit_ids=actor.units_with(Perm.CASE_OPEN))
        if not unit.is_kela
    ]
    return {
        "client": client,
        "cases": cases,
        "own_workers": own_workers_for(
            actor=actor, client=client, unit_ids=social_units | {u.pk for u in own_social}
        ),
        "own_worker_units": own_social,
        "open_form": form,
        "suggestion": suggestion,
        "open_action": reverse("exchange:case_open", args=[client.public_id]),
        "callback_units": _callback_units(cases, suggestion),
        "referrals": referrals,
        "handoffs": sum(r.handoff_count for r in referrals),
        "open_referrals": sum(1 for r in referrals if r.is_open),
    }


def _callback_units(cases: list[Case], suggestion: Route | None) -> list[Unit]:
    """Units the user may want to ask for a call-back about this client."""
    units: dict[int, Unit] = {}
    if suggestion is not None and suggestion.unit is not None:
        units[suggestion.unit.pk] = suggestion.unit
    for case in cases:
        units.setdefault(case.social_unit_id, case.social_unit)
        units.setdefault(case.kela_unit_id, case.kela_unit)
    return list(units.values())[:10]
