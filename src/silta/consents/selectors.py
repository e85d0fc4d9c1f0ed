"""Reading consents, powers of attorney and the disclosure log: access-checked, audited.

The same 404 for "does not exist" and "not yours"; every refusal writes one audit
"denied" row, every read one "view" row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from silta.accounts.actor import Actor
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.clients.models import Client
from silta.consents.expiry import in_warning_window, working_days_left
from silta.consents.models import Consent, ConsentWording, Disclosure, PowerOfAttorney
from silta.consents.permissions import can_view_consents, disclosure_log_filter, viewing_units
from silta.consents.relations import related_unit_ids
from silta.consents.rules import helsinki_date
from silta.core.ids import parse_uuid
from silta.organisations.models import Organisation, OrganisationKind, Unit


def relates(actor: Actor, client: Client) -> bool:
    """Has one of the actor's units a relation to the client (``consents.relations``)?
    Without one, the client's consents and powers of attorney are not shown: only the way
    to record the consent that would give one."""
    return bool(related_unit_ids(client=client, unit_ids=viewing_units(actor)))


def consent_client(*, actor: Actor, client_id: object) -> Client:
    """The client whose consents the actor works on (the write that follows is audited)."""
    key = parse_uuid(client_id)
    client = (
        Client.objects.select_related("municipality").filter(public_id=key).first()
        if key and can_view_consents(actor)
        else None
    )
    if client is None:
        raise deny(actor, hide=True, detail={"client": str(client_id)})
    return client


def _consents() -> QuerySet[Consent]:
    return Consent.objects.select_related(
        "revocation",
        "organiser",
        "wording",
        "recorded_by_unit__organisation",
        "power_of_attorney",
        "client",
    ).prefetch_related("units__organisation")


def _panel_consents(client: Client) -> QuerySet[Consent]:
    """What the panel shows, and no more: the client is known, the power of attorney and
    the units' organisations are not shown (bench: the panel's planning time was most of
    its cost)."""
    return (
        Consent.objects.filter(client=client)
        .select_related("revocation", "organiser", "wording", "recorded_by_unit")
        .prefetch_related("units")
    )


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
    for consent in _panel_consents(client).order_by("-valid_until", "-id"):
        state = consent.state(panel.at)
        consent.current_state = state  # type: ignore[attr-defined]
        # "expires in N working days" on a consent in force within the warning window.
        expiring = state == "in_force" and in_warning_window(consent.valid_until, day)
        consent.expires_in = (  # type: ignore[attr-defined]
            working_days_left(consent.valid_until, day) if expiring else None
        )
        (panel.in_force if state == "in_force" else panel.history).append(consent)
    panel.powers = list(
        PowerOfAttorney.objects.filter(client=client).order_by("-recorded_at", "-id")
    )
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


def usable_powers(client: Client) -> list[PowerOfAttorney]:
    """The client's verified, unrevoked powers of attorney (the form offers them; the
    service checks the chosen one's validity and scope). The client was access-checked."""
    return list(
        PowerOfAttorney.objects.filter(
            client=client, verified_at__isnull=False, revoked_at__isnull=True
        )
    )
