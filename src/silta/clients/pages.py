"""The client page's content: the client's cases and referrals, own workers, the units to
ask for a call-back and the form to open a case with the suggested counterpart.

Shared by the client page (``clients.views``) and the case-open page that shows it again
with the form's errors (``exchange.views``), so no view imports another app's view.

A staff member none of whose units has a relation to the client (``exchange.relations``)
gets only what opening a case needs: the name, the date of birth and how a relation
arises; the read is audited as a lookup, not as a view of the client's data.
"""

from __future__ import annotations

from django.urls import reverse

from silta.accounts.request import AuthenticatedRequest
from silta.accounts.roles import Perm
from silta.clients.models import Client
from silta.clients.selectors import client_get, client_seen
from silta.directory.selectors import Route
from silta.exchange.forms import CaseOpenForm
from silta.exchange.models import Case
from silta.exchange.own_workers import own_workers_for
from silta.exchange.permissions import can_name_own_worker
from silta.exchange.relations import related_unit_ids
from silta.exchange.selectors import client_cases
from silta.exchange.services import suggested_counterpart
from silta.organisations.models import Unit
from silta.organisations.selectors import counterpart_units, units_of_actor
from silta.referrals.selectors import client_referrals


def client_for_page(request: AuthenticatedRequest, client_id: object) -> tuple[Client, bool]:
    """The client of a client page and whether one of the actor's units has a relation to
    them; audited as a view, or without a relation as a lookup."""
    actor = request.actor
    client = client_get(actor=actor, client_id=client_id, audit=False)
    reading = actor.units_with(Perm.CLIENT_LOOKUP) | actor.units_with(Perm.CASE_VIEW)
    related = bool(related_unit_ids(client=client, unit_ids=reading))
    client_seen(actor=actor, client=client, related=related)
    return client, related


def case_open_form(
    request: AuthenticatedRequest,
    client: Client,
    data: object = None,
    topic: str = "",
    *,
    related_only: bool = True,
) -> tuple[CaseOpenForm | None, Route | None]:
    """The form to open a case, with the counterpart Silta suggests for the client's
    municipality and topic pre-selected (and listed first). The actor's units offered are
    those with a relation to the client (``related_only=False``: all of them, so that the
    service answers a posted unit without one with its refusal)."""
    actor = request.actor
    unit_ids = actor.units_with(Perm.CASE_OPEN)
    if related_only:
        unit_ids = related_unit_ids(client=client, unit_ids=unit_ids)
    own = units_of_actor(unit_ids=unit_ids)
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
    request: AuthenticatedRequest,
    client: Client,
    form: CaseOpenForm | None,
    suggestion: Route | None,
    *,
    related: bool = True,
) -> dict[str, object]:
    """Everything the client page shows: cases, own workers, the open-case form; without a
    relation only the name, the date of birth and how a relation arises."""
    actor = request.actor
    if not related:
        return {
            "client": client,
            "related": False,
            "can_record_consent": actor.can(Perm.CONSENT_RECORD),
        }
    cases = client_cases(actor=actor, client=client)
    referrals = client_referrals(actor=actor, client=client)
    social_units = {case.social_unit_id for case in cases}
    own_social = [
        unit
        for unit in units_of_actor(unit_ids=actor.units_with(Perm.CASE_OPEN))
        if can_name_own_worker(actor, unit.pk)
    ]
    # The forms only where the unit may name one (the service asks again).
    naming = related_unit_ids(client=client, unit_ids=[u.pk for u in own_social])
    return {
        "client": client,
        "related": True,
        "cases": cases,
        "own_workers": own_workers_for(
            actor=actor, client=client, unit_ids=social_units | {u.pk for u in own_social}
        ),
        "own_worker_units": [unit for unit in own_social if unit.pk in naming],
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
