"""Recording and revoking consents: keyword-only, atomic, audited.

A consent is never edited: ``consent_record`` with ``replaces`` writes the new consent and
the old one's revocation in one transaction. Powers of attorney are in ``poa_services``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.clients.identity_codes import validate_identity_code
from silta.clients.models import Client
from silta.consents.codes import Category, GivenBy, GivenHow, PoaScope, Purpose, RevokedHow
from silta.consents.documents import store_scan
from silta.consents.models import (
    Consent,
    ConsentExpiryWarning,
    ConsentRevocation,
    ConsentWording,
    PowerOfAttorney,
)
from silta.consents.permissions import acting_unit
from silta.consents.rules import helsinki_date
from silta.consents.signals import consent_revoked
from silta.consents.validity import validity
from silta.core.errors import Conflict, Invalid, NotFound
from silta.core.events import EventType, publish
from silta.organisations.models import Organisation, OrganisationKind, Unit


@dataclass(frozen=True, kw_only=True)
class ConsentInput:
    """One consent as the client gave it: built by the form or the API schema."""

    given_by: str
    organiser_id: uuid.UUID
    purposes: Sequence[str]
    categories: Sequence[str]
    given_how: str
    wording_version: str
    wording_language: str = "fi"
    unit_ids: Sequence[uuid.UUID] = ()
    representative_name: str = ""
    representative_identity: str = ""
    power_of_attorney_id: uuid.UUID | None = None
    application_reference: str = ""
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    replaces_id: uuid.UUID | None = None


def require_unit(actor: Actor, perm: Perm, unit_id: int | None = None) -> int:
    """The actor's unit for ``perm``, or an audited 403."""
    unit = acting_unit(actor, perm, unit_id)
    if unit is None:
        raise deny(actor, detail={"perm": str(perm)})
    return unit


def _codes(values: Sequence[str], allowed: type, wording: Sequence[str], field: str) -> list[str]:
    chosen = sorted(set(values))
    if not chosen:
        raise Invalid(_("Choose at least one."), code="empty_scope", field=field)
    if any(value not in allowed.values for value in chosen):  # type: ignore[attr-defined]
        raise Invalid(_("Unknown choice."), code="invalid_choice", field=field)
    if not set(chosen) <= set(wording):
        raise Invalid(
            _("The wording shown to the client does not cover this choice."),
            code="not_in_wording",
            field=field,
        )
    return chosen


def _parties(data: ConsentInput) -> tuple[Organisation, list[Unit]]:
    organiser = Organisation.objects.filter(
        public_id=data.organiser_id, kind=OrganisationKind.SOCIAL_SERVICES
    ).first()
    if organiser is None:
        raise Invalid(_("Choose the social services organiser."), code="invalid_organiser")
    # Kela's and the organiser's named units narrow their side; a named unit of another
    # organiser is one the organiser may share with (a county to another: only a consent
    # allows it, ``bases.py``).
    units = list(Unit.objects.select_related("organisation").filter(public_id__in=data.unit_ids))
    if len(units) != len(set(data.unit_ids)):
        raise Invalid(
            _("A named unit must be Kela's or a social services organiser's."),
            code="invalid_unit",
            field="unit_ids",
        )
    return organiser, units


def _giver(client: Client, data: ConsentInput, now: dt.datetime) -> dict[str, object]:
    if data.given_by == GivenBy.CLIENT:
        return {}
    if data.given_by == GivenBy.LEGAL_REPRESENTATIVE:
        if not data.representative_name.strip():
            raise Invalid(
                _("Enter the representative's name."),
                code="representative_required",
                field="representative_name",
            )
        return {
            "representative_name": data.representative_name.strip(),
            "representative_identity": validate_identity_code(data.representative_identity),
        }
    if data.given_by != GivenBy.ATTORNEY:
        raise Invalid(_("Unknown choice."), code="invalid_choice", field="given_by")
    poa = (
        PowerOfAttorney.objects.filter(public_id=data.power_of_attorney_id, client=client).first()
        if data.power_of_attorney_id is not None
        else None
    )
    if poa is None or poa.state(now) != "in_force" or PoaScope.CONSENTS not in poa.scopes:
        raise Invalid(
            _("The attorney needs a verified power of attorney in force that covers consents."),
            code="power_of_attorney_not_valid",
            field="power_of_attorney_id",
        )
    return {
        "power_of_attorney": poa,
        "representative_name": poa.attorney_name,
        "representative_identity": poa.attorney_identity,
    }


def _source(data: ConsentInput, document: File | None) -> dict[str, object]:
    if data.given_how not in GivenHow.values:
        raise Invalid(_("Unknown choice."), code="invalid_choice", field="given_how")
    if data.given_how == GivenHow.APPLICATION and not data.application_reference.strip():
        raise Invalid(
            _("Enter the application's reference."),
            code="application_reference_required",
            field="application_reference",
        )
    if data.given_how == GivenHow.WRITING and document is None:
        raise Invalid(_("Attach the signed consent."), code="document_required", field="document")
    fields: dict[str, object] = {"application_reference": data.application_reference.strip()}
    if document is not None:
        fields.update(store_scan(document).fields())
    return fields


def consent_record(
    *,
    actor: Actor,
    client: Client,
    data: ConsentInput,
    document: File | None = None,
    unit_id: int | None = None,
) -> Consent:
    """Record a consent the client (or their representative) gave; audited as a create."""
    unit = require_unit(actor, Perm.CONSENT_RECORD, unit_id)  # audited outside the transaction
    if data.given_how == GivenHow.OWN_VIEW:  # only the client, in their own view
        raise Invalid(_("Unknown choice."), code="invalid_choice", field="given_how")
    return _record(actor, client, data, document, unit)


def consent_give_in_own_view(
    *, actor: Actor, client: Client, data: ConsentInput, unit_id: int
) -> Consent:
    """The client (or their attorney) gives a consent themselves in their own view
    (silta.portal), signed in with strong identification: ``actor`` is the client's,
    ``unit_id`` the organiser's unit of the client's case, where it is recorded. How it
    was given is always ``GivenHow.OWN_VIEW``; no document is needed."""
    if data.given_how != GivenHow.OWN_VIEW:
        raise Invalid(_("Unknown choice."), code="invalid_choice", field="given_how")
    return _record(actor, client, data, None, unit_id)


def consent_revoke_in_own_view(
    *, actor: Actor, consent: Consent, unit_id: int
) -> ConsentRevocation:
    """The client (or their attorney) revokes ``consent`` in their own view: at once,
    electronically; a second revocation is refused (409 already_revoked), nothing changed."""
    with transaction.atomic():
        return _revocation(actor, consent, RevokedHow.ELECTRONIC, "", unit_id)


def _record(
    actor: Actor, client: Client, data: ConsentInput, document: File | None, unit: int
) -> Consent:
    with transaction.atomic():
        now = timezone.now()
        wording = ConsentWording.objects.filter(version=data.wording_version).first()
        if wording is None or data.wording_language not in ("fi", "sv"):
            raise Invalid(_("Choose the wording shown to the client."), code="invalid_wording")
        purposes = _codes(data.purposes, Purpose, wording.purposes, "purposes")
        categories = _codes(data.categories, Category, wording.categories, "categories")
        organiser, units = _parties(data)
        valid_from, valid_until = validity(data.valid_from or helsinki_date(now), data.valid_until)
        replaced = _replaced(client, data.replaces_id)
        consent = Consent.objects.create(
            client=client,
            given_by=data.given_by,
            organiser=organiser,
            purposes=purposes,
            categories=categories,
            given_how=data.given_how,
            wording=wording,
            wording_language=data.wording_language,
            valid_from=valid_from,
            valid_until=valid_until,
            replaces=replaced,
            recorded_at=now,
            recorded_by=actor.user,
            recorded_by_unit_id=unit,
            recorded_by_label=actor.label[:300],
            api_key=actor.api_key,
            **_giver(client, data, now),
            **_source(data, document),
        )
        consent.units.set(units)
        record(actor=actor, action=AuditAction.CREATE, obj=consent, client=client, unit_id=unit)
        if replaced is not None:
            consent_revoke(actor=actor, consent=replaced, how=RevokedHow.REPLACED, unit_id=unit)
        return consent


def _replaced(client: Client, replaces_id: uuid.UUID | None) -> Consent | None:
    if replaces_id is None:
        return None
    replaced = Consent.objects.filter(public_id=replaces_id, client=client).first()
    if replaced is None:
        raise NotFound(_("Not found."))
    return replaced


def consent_revoke(
    *, actor: Actor, consent: Consent, how: str, note: str = "", unit_id: int | None = None
) -> ConsentRevocation:
    """Record that the client revoked ``consent``: sharing on it stops at once. Revoking
    twice is refused (409), and nothing changes. Once committed, ``consent_revoked`` is sent
    (the open referrals sent on it are flagged to both sides)."""
    unit = require_unit(actor, Perm.CONSENT_REVOKE, unit_id)
    if how not in RevokedHow.values:
        raise Invalid(_("Unknown choice."), code="invalid_choice", field="how")
    with transaction.atomic():
        return _revocation(actor, consent, how, note, unit)


def _revocation(
    actor: Actor, consent: Consent, how: str, note: str, unit: int
) -> ConsentRevocation:
    if ConsentRevocation.objects.filter(consent=consent).exists():
        raise Conflict(_("This consent has already been revoked."), code="already_revoked")
    try:
        with transaction.atomic():
            revocation = ConsentRevocation.objects.create(
                consent=consent,
                revoked_at=timezone.now(),
                revoked_by=actor.user,
                revoked_by_unit_id=unit,
                revoked_by_label=actor.label[:300],
                how=how,
                note=note.strip()[:500],
            )
    except IntegrityError as exc:  # a concurrent revocation won the race
        raise Conflict(_("This consent has already been revoked."), code="already_revoked") from exc
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=consent,
        client=consent.client,
        unit_id=unit,
        detail={"revoked": how},
    )
    publish(
        EventType.CONSENT_REVOKED, (unit, consent.recorded_by_unit_id), "consent", consent.public_id
    )
    # After the commit only: a rolled-back revocation flags nothing. A failing listener
    # is logged and does not undo the revocation (robust).
    transaction.on_commit(
        lambda: consent_revoked.send(
            sender=Consent, consent=consent, revocation=revocation, actor=actor
        ),
        robust=True,
    )
    return revocation


def expiry_warning_record(
    *, consent: Consent, at: dt.datetime, days_left: int, recipient_count: int
) -> ConsentExpiryWarning | None:
    """Record that the workers are being warned of ``consent``'s expiry; None when it was
    recorded already (by another worker): then send nothing. Call inside the transaction
    that sends, so a failed sending leaves the consent unwarned."""
    try:
        with transaction.atomic():
            return ConsentExpiryWarning.objects.create(
                consent=consent,
                warned_at=at,
                working_days_left=days_left,
                recipient_count=recipient_count,
            )
    except IntegrityError:
        return None
