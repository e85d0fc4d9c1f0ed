"""Referrals for FHIR: Task and ServiceRequest reads and searches, their Provenance.

Reads go through ``referrals.selectors.referral_get`` (one 404 for missing and not
yours, audited), and the receiving unit's read records the receipt as the JSON API's
does (``referral_open``). Searches see exactly the referrals ``referral_get`` would
show: those whose sending or receiving unit is one of the actor's with ``CASE_VIEW``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.audit.denial import deny
from silta.fhir.mappings.referrals import (
    provenance_resource,
    request_statuses,
    service_request_resource,
    task_resource,
    task_statuses,
)
from silta.fhir.outcome import FhirError
from silta.fhir.search import Search, date_bounds, reference_ids
from silta.fhir.selectors.common import audit_search, unit_pks
from silta.referrals.models import Referral, ReferralEvent
from silta.referrals.selectors import referral_get
from silta.referrals.services import referral_open

Mapper = Callable[[Referral, list[ReferralEvent]], dict[str, Any]]
TASK_PARAMS = ("_id", "_lastUpdated", "patient", "status", "owner", "requester")
REQUEST_PARAMS = ("_id", "_lastUpdated", "patient", "status", "requester", "performer")
FIELDS = (
    "id",
    "public_id",
    "type",
    "status",
    "urgent",
    "outcome",
    "outcome_date",
    "outcome_time",
    "outcome_text",
    "reason",
    "reason_text",
    "due_date",
    "sent_at",
    "handoff_count",
    "version",
    "case__client__public_id",
    "sender_unit__public_id",
    "receiver_unit__public_id",
)


def _events(referral_ids: list[int]) -> dict[int, list[ReferralEvent]]:
    found: dict[int, list[ReferralEvent]] = defaultdict(list)
    rows = (
        ReferralEvent.objects.filter(referral_id__in=referral_ids)
        .select_related("unit")
        .only(
            "referral_id", "action", "to_status", "actor_label", "at", "detail", "unit__public_id"
        )
        .order_by("at", "pk")
    )
    for event in rows:
        found[event.referral_id].append(event)
    return found


def referral_events(referral: Referral) -> list[ReferralEvent]:
    """The history of a referral already returned by ``referral_get``, oldest first."""
    return _events([referral.pk])[referral.pk]


def referral_read(*, actor: Actor, referral_id: str, mapper: Mapper) -> dict[str, Any]:
    referral = referral_get(actor=actor, referral_id=referral_id)
    referral = referral_open(actor=actor, referral=referral)
    return mapper(referral, _events([referral.pk])[referral.pk])


def task_read(*, actor: Actor, task_id: str) -> dict[str, Any]:
    return referral_read(actor=actor, referral_id=task_id, mapper=task_resource)


def service_request_read(*, actor: Actor, request_id: str) -> dict[str, Any]:
    return referral_read(actor=actor, referral_id=request_id, mapper=service_request_resource)


def visible_filter(actor: Actor) -> Q:
    """The rule of ``referral_get``: the actor's units with CASE_VIEW send or receive it."""
    units = actor.units_with(Perm.CASE_VIEW)
    return Q(sender_unit_id__in=units) | Q(receiver_unit_id__in=units)


def _last_updated(bounds: list[tuple[str, dt.datetime]]) -> Q:
    """The last step's time within the bounds: some step at or after a lower bound, and
    no step after an upper one (steps are the referral's only changes)."""
    result = Q()
    for lookup, moment in bounds:
        later = ReferralEvent.objects.filter(referral_id=OuterRef("pk"))
        if lookup in ("gt", "gte"):
            result &= Q(Exists(later.filter(**{f"at__{lookup}": moment})))
        else:
            beyond = {"lt": "gte", "lte": "gt"}[lookup]
            result &= ~Q(Exists(later.filter(**{f"at__{beyond}": moment})))
    return result


def _statuses(values: list[str], lookup: Callable[[str], list[str]]) -> list[str]:
    statuses = [s for value in values for s in lookup(value)]
    if not statuses:
        raise FhirError(
            400, "invalid_status", _("Unknown status: %(values)s.") % {"values": ", ".join(values)}
        )
    return statuses


def _filtered(actor: Actor, search: Search, *, task: bool) -> QuerySet[Referral]:
    """The search's referrals among those the actor may see. When the owner (or the
    requester) named is one of the actor's own units, every referral it receives (sends)
    is visible and the visibility test adds nothing: it is left out, so the database
    plans the owner's index alone (the OR of both sides misleads its estimates)."""
    rows, visible = Referral.objects.all(), actor.units_with(Perm.CASE_VIEW)
    implied = False
    params = search.params
    if "_id" in params:
        rows = rows.filter(public_id__in=reference_ids(params["_id"], "", "_id"))
    if "patient" in params:
        clients = reference_ids(params["patient"], "Patient", "patient")
        rows = rows.filter(case__client__public_id__in=clients)
    for name, column in (("owner" if task else "performer", "receiver"), ("requester", "sender")):
        if name in params:
            units = set(unit_pks(reference_ids(params[name], "Organization", name)))
            rows = rows.filter(**{f"{column}_unit_id__in": units})
            implied = implied or units <= visible
    if "status" in params:
        lookup = task_statuses if task else request_statuses
        rows = rows.filter(status__in=_statuses(params["status"], lookup))
    if "_lastUpdated" in params:
        rows = rows.filter(_last_updated(date_bounds(params["_lastUpdated"])))
    return rows if implied else rows.filter(visible_filter(actor))


def referral_search(
    *, actor: Actor, search: Search, task: bool
) -> tuple[list[dict[str, Any]], bool]:
    """One page of Tasks (or ServiceRequests), newest first; audited with its clients.

    The page's ids are found on the referral table alone (its indexes, in order, stopping
    at the page's end), then those rows are read with their client and units."""
    if not actor.can(Perm.CASE_VIEW):
        raise deny(actor, detail={"perm": str(Perm.CASE_VIEW)})
    ordered = _filtered(actor, search, task=task).order_by("-sent_at", "-pk")
    ids = list(
        ordered.values_list("pk", flat=True)[search.offset : search.offset + search.count + 1]
    )
    has_next, ids = len(ids) > search.count, ids[: search.count]
    rows = Referral.objects.filter(pk__in=ids).select_related(
        "case__client", "sender_unit", "receiver_unit"
    )
    by_pk = {r.pk: r for r in rows.only(*FIELDS)}
    page = [by_pk[pk] for pk in ids]
    events = _events(ids)
    mapper: Mapper = task_resource if task else service_request_resource
    audit_search(
        actor,
        "fhir_task" if task else "fhir_service_request",
        search.page,
        (r.case.client.public_id for r in page),
    )
    return [mapper(r, events[r.pk]) for r in page], has_next


def provenance_search(*, actor: Actor, search: Search) -> tuple[list[dict[str, Any]], bool]:
    """The history of one referral: ``target=Task/<id>`` (required), oldest step first."""
    target = search.first("target")
    if target is None:
        raise FhirError(
            400, "target_required", _("Search Provenance by target (target=Task/<id>).")
        )
    ids = reference_ids([target], "Task", "target")
    referral = referral_get(actor=actor, referral_id=ids[0])
    events = _events([referral.pk])[referral.pk]
    resources = [provenance_resource(referral, e, n) for n, e in enumerate(events, start=1)]
    chunk = resources[search.offset : search.offset + search.count]
    return chunk, len(resources) > search.offset + search.count


def provenance_read(*, actor: Actor, provenance_id: str) -> dict[str, Any]:
    referral_id, _dash, seq = provenance_id.rpartition("-")
    referral = referral_get(actor=actor, referral_id=referral_id)
    events = _events([referral.pk])[referral.pk]
    if not seq.isdigit() or not 1 <= int(seq) <= len(events):
        raise FhirError(404, "not_found", _("Not found."))
    return provenance_resource(referral, events[int(seq) - 1], int(seq))


def task_provenances(*, actor: Actor, task_ids: list[str]) -> list[dict[str, Any]]:
    """``_revinclude=Provenance:target``: the history of the Tasks of a search page (which
    the search has shown and audited), oldest step first per Task."""
    ids = reference_ids(task_ids, "Task", "_id")
    rows = Referral.objects.filter(visible_filter(actor), public_id__in=ids).only("id", "public_id")
    by_public = {r.public_id: r for r in rows}
    events = _events([r.pk for r in by_public.values()])
    return [
        provenance_resource(referral, event, seq)
        for public_id in ids
        if (referral := by_public.get(public_id)) is not None
        for seq, event in enumerate(events[referral.pk], start=1)
    ]
