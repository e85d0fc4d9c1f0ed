"""Recording, verifying and revoking a power of attorney (valtakirja): atomic, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fi import ytunnus

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.clients.identity_codes import validate_identity_code
from silta.clients.models import Client
from silta.consents.codes import AttorneyKind, PoaScope, RevokedHow
from silta.consents.documents import store_scan
from silta.consents.models import PowerOfAttorney
from silta.consents.permissions import can_verify_poa
from silta.consents.rules import helsinki_date
from silta.consents.services import require_unit
from silta.core.errors import Conflict, Invalid


@dataclass(frozen=True, kw_only=True)
class PoaInput:
    attorney_kind: str
    attorney_name: str
    attorney_identity: str
    scopes: Sequence[str]
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    external_mandate_ref: str = ""


def _attorney_identity(kind: str, value: str) -> str:
    if kind == AttorneyKind.PERSON:
        return validate_identity_code(value)
    if kind != AttorneyKind.ORGANISATION:
        raise Invalid(_("Unknown choice."), code="invalid_choice", field="attorney_kind")
    try:
        return str(ytunnus.validate(value))
    except StdnumError as exc:
        raise Invalid(
            _("This is not a valid Business ID (format 1234567-8)."),
            code="business_id_invalid",
            field="attorney_identity",
        ) from exc


def _checked(data: PoaInput, document: File | None, today: dt.date) -> dict[str, object]:
    if not data.attorney_name.strip():
        raise Invalid(
            _("Enter the attorney's name."), code="attorney_required", field="attorney_name"
        )
    scopes = sorted(set(data.scopes))
    if not scopes:
        raise Invalid(_("Choose at least one."), code="empty_scope", field="scopes")
    if any(scope not in PoaScope.values for scope in scopes):
        raise Invalid(_("Unknown choice."), code="invalid_choice", field="scopes")
    valid_from = data.valid_from or today
    if data.valid_until is not None and data.valid_until < valid_from:
        raise Invalid(
            _("The validity cannot end before it starts."),
            code="validity_ends_before_start",
            field="valid_until",
        )
    if document is None and not data.external_mandate_ref.strip():
        raise Invalid(
            _("Attach the scanned power of attorney."), code="document_required", field="document"
        )
    return {
        "attorney_kind": data.attorney_kind,
        "attorney_name": data.attorney_name.strip(),
        "attorney_identity": _attorney_identity(data.attorney_kind, data.attorney_identity),
        "scopes": scopes,
        "valid_from": valid_from,
        "valid_until": data.valid_until,
        "external_mandate_ref": data.external_mandate_ref.strip(),
    }


def poa_record(
    *,
    actor: Actor,
    client: Client,
    data: PoaInput,
    document: File | None = None,
    unit_id: int | None = None,
) -> PowerOfAttorney:
    """Record a power of attorney with its scanned document; it counts once verified."""
    unit = require_unit(actor, Perm.CONSENT_RECORD, unit_id)  # audited outside the transaction
    now = timezone.now()
    fields = _checked(data, document, helsinki_date(now))
    with transaction.atomic():
        if document is not None:
            fields.update(store_scan(document).fields())
        poa = PowerOfAttorney.objects.create(
            client=client,
            recorded_at=now,
            recorded_by=actor.user,
            recorded_by_unit_id=unit,
            recorded_by_label=actor.label[:300],
            **fields,
        )
        record(actor=actor, action=AuditAction.CREATE, obj=poa, client=client, unit_id=unit)
    return poa


def poa_verify(
    *, actor: Actor, poa: PowerOfAttorney, unit_id: int | None = None
) -> PowerOfAttorney:
    """A named worker confirms the document: the power of attorney now counts."""
    if not can_verify_poa(actor):
        raise deny(actor, detail={"perm": str(Perm.POA_VERIFY)})
    unit = require_unit(actor, Perm.POA_VERIFY, unit_id)
    with transaction.atomic():
        return _verify(actor, poa, unit)


def _verify(actor: Actor, poa: PowerOfAttorney, unit: int) -> PowerOfAttorney:
    changed = PowerOfAttorney.objects.filter(
        pk=poa.pk, verified_at__isnull=True, revoked_at__isnull=True
    ).update(verified_at=timezone.now(), verified_by=actor.user, verified_by_label=actor.label)
    if not changed:
        raise Conflict(
            _("This power of attorney is already verified or revoked."), code="poa_not_pending"
        )
    poa.refresh_from_db()
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=poa,
        client=poa.client,
        unit_id=unit,
        detail={"verified": True},
    )
    return poa


def poa_revoke(
    *, actor: Actor, poa: PowerOfAttorney, how: str, unit_id: int | None = None
) -> PowerOfAttorney:
    """Record that the power of attorney was revoked (twice: refused, nothing changes)."""
    unit = require_unit(actor, Perm.CONSENT_REVOKE, unit_id)
    if how not in RevokedHow.values:
        raise Invalid(_("Unknown choice."), code="invalid_choice", field="how")
    with transaction.atomic():
        return _revoke(actor, poa, how, unit)


def _revoke(actor: Actor, poa: PowerOfAttorney, how: str, unit: int) -> PowerOfAttorney:
    changed = PowerOfAttorney.objects.filter(pk=poa.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(),
        revoked_by=actor.user,
        revoked_by_label=actor.label[:300],
        revoked_how=how,
    )
    if not changed:
        raise Conflict(
            _("This power of attorney has already been revoked."), code="already_revoked"
        )
    poa.refresh_from_db()
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=poa,
        client=poa.client,
        unit_id=unit,
        detail={"revoked": how},
    )
    return poa
