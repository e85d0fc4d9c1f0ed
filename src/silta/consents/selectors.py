"""Reading consents, powers of attorney and the disclosure log: access-checked, audited.

The same 404 for "does not exist" and "not yours"; every refusal writes one audit
"denied" row, every read one "view" row.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from silta.accounts.actor import Actor
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.clients.models import Client
from silta.consents.expiry import in_warning_window, working_days_left
from silta.consents.models import (
    Consent,
    ConsentRevocation,
    ConsentWording,
    Disclosure,
    PowerOfAttorney,
)
from silta.consents.permissions import can_view_consents, disclosure_log_filter, viewing_units
from silta.consents.relations import related_unit_ids
from silta.consents.rules import helsinki_date
from silta.core.ids import parse_uuid
from silta.core.prepared import Prepared
from silta.organisations.models import Organisation, OrganisationKind, Unit
from silta.reference.models import Municipality


def relates(actor: Actor, client: Client) -> bool:
    """Has one of the actor's units a relation to the client (``consents.relations``)?
    Without one, the client's consents and powers of attorney are not shown: only the way
    to record the consent that would give one.

    A client read by ``consent_client`` carries its municipality's organiser: then the
    first fact (the unit's organisation serves the municipality: Kela everywhere outside
    Åland, an organiser its own) is answered from the actor's memberships without a
    query; the other facts are asked only when it does not hold."""
    units = viewing_units(actor)
    if hasattr(client, "organiser_pk") and not client.municipality.is_aland:
        serving = {m.unit_id for m in actor.memberships if m.is_kela}
        serving |= {
            m.unit_id for m in actor.memberships if m.organisation_id == client.organiser_pk
        }
        if serving & units:
            return True
    return bool(related_unit_ids(client=client, unit_ids=units))


# The client by public id with its municipality and the organisation that serves the
# municipality (``relates``), compiled once per process (``core.prepared``).
_CLIENT_FIELDS = tuple(f.attname for f in Client._meta.concrete_fields)
_MUNICIPALITY_FIELDS = tuple(f.attname for f in Municipality._meta.concrete_fields)
_SAMPLE_KEY = uuid.UUID(int=987_654_321_990)
_SAMPLE_CLIENT = 987_654_321_989  # a distinct object the queryset passes on unchanged
_CLIENT_ROW = Prepared(
    lambda key: (
        Client.objects.filter(public_id=key)
        .annotate(
            organiser_pk=Subquery(
                Organisation.objects.filter(
                    organiser_code=OuterRef("municipality__organiser_code")
                ).values("pk")[:1]
            )
        )
        .values_list(
            *_CLIENT_FIELDS,
            *[f"municipality__{name}" for name in _MUNICIPALITY_FIELDS],
            "organiser_pk",
        )[:1]
    ),
    key=_SAMPLE_KEY,
)


def consent_client(*, actor: Actor, client_id: object) -> Client:
    """The client whose consents the actor works on (the write that follows is audited)."""
    key = parse_uuid(client_id)
    rows = _CLIENT_ROW.rows(key=key) if key and can_view_consents(actor) else []
    if not rows:
        raise deny(actor, hide=True, detail={"client": str(client_id)})
    row, size = rows[0], len(_CLIENT_FIELDS)
    client = Client.from_db("default", _CLIENT_FIELDS, row[:size])
    municipality = Municipality.from_db("default", _MUNICIPALITY_FIELDS, row[size:-1])
    client._state.fields_cache["municipality"] = municipality
    client.organiser_pk = row[-1]  # type: ignore[attr-defined]
    return client


# The client's powers of attorney, newest first, compiled once per process.
_POA_FIELDS = tuple(f.attname for f in PowerOfAttorney._meta.concrete_fields)
_POWERS = Prepared(
    lambda client_id: (
        PowerOfAttorney.objects.filter(client_id=client_id)
        .order_by("-recorded_at", "-id")
        .values_list(*_POA_FIELDS)
    ),
    client_id=_SAMPLE_CLIENT,
)


def _consents() -> QuerySet[Consent]:
    return Consent.objects.select_related(
        "revocation",
        "organiser",
        "wording",
        "recorded_by_unit__organisation",
        "power_of_attorney",
        "client",
    ).prefetch_related("units__organisation")


# The panel's read (issue 9 bench: Django's compile, the planning of eight joins and the
# building of six related objects per consent were most of its cost): what the panel, the
# API's list and the FHIR export read, and no more, in one statement compiled once per
# process (``core.prepared``), one row per named unit; instances built from the rows as
# ``select_related`` / ``prefetch_related`` would (the client is known; the power of
# attorney and the recording unit's organisation are read only where used). The
# organiser, the wording and the recording unit are scalar subqueries, not joins: at
# national scale PostgreSQL planned the seven-table join in about 1.5 ms on every read,
# the statement with three joins fewer in about 0.4 ms (it runs in 0.2 ms either way).
def _one(model: type[Any], key: str, name: str) -> Subquery:
    """Field ``name`` of the ``model`` row that the consent's ``key`` points to."""
    return Subquery(model.objects.filter(pk=OuterRef(key)).order_by().values(name))


_REFERRED: tuple[tuple[type[Any], str, str, tuple[str, ...]], ...] = (
    (Organisation, "organiser", "organiser_id", ("public_id", "kind", "organiser_code",
                                                 "name_fi", "name_sv")),
    (ConsentWording, "wording", "wording_id", ("version",)),
    (Unit, "recorded_by_unit", "recorded_by_unit_id", ("public_id", "organisation_id",
                                                       "name_fi", "name_sv")),
)  # fmt: skip
_PANEL_MODELS: tuple[tuple[type[Any], str, tuple[str, ...]], ...] = (
    (Consent, "", tuple(f.attname for f in Consent._meta.concrete_fields)),
    (
        ConsentRevocation,
        "revocation__",
        tuple(f.attname for f in ConsentRevocation._meta.concrete_fields),
    ),
    *[(model, f"{name}__", ("id", *fields)) for model, name, _key, fields in _REFERRED],
    (Unit, "units__", ("id", "public_id", "organisation_id", "name_fi", "name_sv")),
)
_PANEL_ANNOTATIONS = {
    f"panel_{name}_{field}": _one(model, key, field)
    for model, name, key, fields in _REFERRED
    for field in fields
}


def _panel_columns() -> list[str]:
    """The row's columns in ``_PANEL_MODELS`` order: model fields, a referred row's id as
    the consent's key and its other fields from the subqueries."""
    columns: list[str] = []
    keys = {f"{name}__": key for _model, name, key, _fields in _REFERRED}
    for _model, path, names in _PANEL_MODELS:
        if path in keys:
            columns += [keys[path], *[f"panel_{path[:-2]}_{name}" for name in names[1:]]]
        else:
            columns += [path + name for name in names]
    return columns


_PANEL_ROWS = Prepared(
    lambda client_id: (
        Consent.objects.filter(client_id=client_id)
        .annotate(**_PANEL_ANNOTATIONS)
        .order_by("-valid_until", "-id", "units__id")
        .values_list(*_panel_columns())
    ),
    client_id=_SAMPLE_CLIENT,
)


def _panel_consents(client: Client) -> list[Consent]:
    """The client's consents, longest lasting first, with their revocation, organiser,
    wording, recording unit and named units."""
    consents: dict[int, Consent] = {}
    units: dict[int, list[Unit]] = {}
    for row in _PANEL_ROWS.rows(client_id=client.pk):
        values, made = list(row), list[Any]()
        for model, _path, names in _PANEL_MODELS:
            part = values[: len(names)]
            del values[: len(names)]
            made.append(model.from_db("default", names, part) if part[0] is not None else None)
        consent, revocation, organiser, wording, recorded_in, unit = made
        assert isinstance(consent, Consent)
        if consent.pk not in consents:
            cache = consent._state.fields_cache
            cache.update(client=client, organiser=organiser, wording=wording)
            cache.update(recorded_by_unit=recorded_in, revocation=revocation)
            if revocation is not None:
                revocation._state.fields_cache["consent"] = consent
            consents[consent.pk] = consent
            units[consent.pk] = []
        if unit is not None:
            units[consent.pk].append(unit)
    for pk, consent in consents.items():
        named = consent.units.all()
        named._result_cache = units[pk]
        setattr(named, "_prefetch_done", True)  # noqa: B010 (as prefetch_related_objects)
        setattr(consent, "_prefetched_objects_cache", {"units": named})  # noqa: B010
    return list(consents.values())


@dataclass
class ConsentPanel:
    """What is in force for a client at a glance, and the history. Each consent carries
    ``current_state`` and ``expires_in`` (working days left, or None outside the expiry
    warning window)."""

    client: Client
    at: dt.datetime
    in_force: list[Consent] = field(default_factory=list)
    history: list[Consent] = field(default_factory=list)
    powers: list[PowerOfAttorney] = field(default_factory=list)
    # No relation to the client: nothing of the client's consents is shown.
    limited: bool = False


def consent_panel(
    *, actor: Actor, client_id: object, refuse_unrelated: bool = False
) -> ConsentPanel:
    """A client's consents (in force first) and powers of attorney; one audit row."""
    client = consent_client(actor=actor, client_id=client_id)
    panel = ConsentPanel(client=client, at=timezone.now(), limited=not relates(actor, client))
    if panel.limited and refuse_unrelated:  # the API: as if there were no such client
        raise deny(actor, hide=True, detail={"client": str(client_id)})
    if panel.limited:
        record(
            actor=actor,
            action=AuditAction.SEARCH,
            client=client,
            detail={"read": "consents", "relation": False},
        )
        return panel
    day = helsinki_date(panel.at)
    for consent in _panel_consents(client):
        state = consent.state(panel.at)
        consent.current_state = state  # type: ignore[attr-defined]
        # "expires in N working days" on a consent in force within the warning window.
        expiring = state == "in_force" and in_warning_window(consent.valid_until, day)
        consent.expires_in = (  # type: ignore[attr-defined]
            working_days_left(consent.valid_until, day) if expiring else None
        )
        (panel.in_force if state == "in_force" else panel.history).append(consent)
    panel.powers = [
        PowerOfAttorney.from_db("default", _POA_FIELDS, row)
        for row in _POWERS.rows(client_id=client.pk)
    ]
    for poa in panel.powers:
        poa.current_state = poa.state(panel.at)  # type: ignore[attr-defined]
    record(actor=actor, action=AuditAction.VIEW, client=client, detail={"read": "consents"})
    return panel


def consent_get(*, actor: Actor, consent_id: object, client: Client | None = None) -> Consent:
    """One consent (of ``client``, when given) for revoking or the FHIR export; audited."""
    key = parse_uuid(consent_id)
    consents = _consents().filter(client=client) if client is not None else _consents()
    consent = consents.filter(public_id=key).first() if key and can_view_consents(actor) else None
    if consent is None or not relates(actor, consent.client):
        raise deny(actor, hide=True, detail={"consent": str(consent_id)})
    record(actor=actor, action=AuditAction.VIEW, obj=consent, client=consent.client)
    return consent


def poa_get(*, actor: Actor, poa_id: object, client: Client | None = None) -> PowerOfAttorney:
    """One power of attorney (of ``client``, when given); audited as a view."""
    key = parse_uuid(poa_id)
    powers = PowerOfAttorney.objects.select_related("client")
    if client is not None:
        powers = powers.filter(client=client)
    poa = powers.filter(public_id=key).first() if key and can_view_consents(actor) else None
    if poa is None or not relates(actor, poa.client):
        raise deny(actor, hide=True, detail={"power_of_attorney": str(poa_id)})
    record(actor=actor, action=AuditAction.VIEW, obj=poa, client=poa.client)
    return poa


def disclosure_log_for_client(
    *, actor: Actor, client_id: object
) -> tuple[Client, list[Disclosure]]:
    """The disclosures of a client in which one of the actor's organisations disclosed or
    received (703/2023 10 §); one audit row."""
    client = consent_client(actor=actor, client_id=client_id)
    rows = list(
        Disclosure.objects.filter(disclosure_log_filter(actor), client=client)
        .select_related("discloser_unit", "recipient_unit", "consent")
        .order_by("-occurred_at", "-id")[:500]
    )
    record(actor=actor, action=AuditAction.VIEW, client=client, detail={"read": "disclosures"})
    return client, rows


def wordings() -> list[ConsentWording]:
    """The consent wordings, newest first (no client data)."""
    return list(ConsentWording.objects.order_by("-created_at", "-id"))


def organisers() -> list[Organisation]:
    return list(Organisation.objects.filter(kind=OrganisationKind.SOCIAL_SERVICES))


def own_units(actor: Actor) -> list[Unit]:
    """The actor's units, which a consent recorded by them may name."""
    return list(Unit.objects.select_related("organisation").filter(pk__in=actor.unit_ids))


def other_organiser_units(actor: Actor) -> list[Unit]:
    """Active units of the social services organisers other than the actor's own, which a
    consent may name as ones the organiser shares with (public directory data)."""
    own = {m.organisation_id for m in actor.memberships}
    return list(
        Unit.objects.select_related("organisation")
        .filter(is_active=True, organisation__kind=OrganisationKind.SOCIAL_SERVICES)
        .exclude(organisation_id__in=own)
        .order_by("organisation__name_fi", "name_fi")
    )


def usable_powers(client: Client) -> list[PowerOfAttorney]:
    """The client's verified, unrevoked powers of attorney (the form offers them; the
    service checks the chosen one's validity and scope). The client was access-checked."""
    return list(
        PowerOfAttorney.objects.filter(
            client=client, verified_at__isnull=False, revoked_at__isnull=True
        )
    )
