"""Writing clients."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.clients.identity_codes import validate_identity_code
from silta.clients.models import Client
from silta.core.errors import Conflict, Invalid
from silta.reference.models import Municipality


def _municipality(code: str) -> Municipality:
    code = (code or "").strip()
    municipality = Municipality.objects.filter(code=code, is_current=True).first()
    if municipality is None:
        raise Invalid(
            _("Unknown municipality code. Use the three-digit code, e.g. 297 for Kuopio."),
            code="municipality_unknown",
            field="municipality_code",
        )
    return municipality


def _name(value: str, field: str) -> str:
    cleaned = " ".join((value or "").split())
    if not cleaned:
        raise Invalid(_("This field is required."), code="required", field=field)
    if len(cleaned) > 200:
        raise Invalid(_("The name is too long."), code="too_long", field=field)
    return cleaned


def client_create(
    *,
    actor: Actor,
    identity_code: str,
    first_names: str,
    last_name: str,
    municipality_code: str,
) -> Client:
    """Add a client. A client exists once: an existing identity code is a ``Conflict``."""
    if not actor.can(Perm.CLIENT_CREATE):
        raise deny(actor, detail={"perm": "client_create"})
    code = validate_identity_code(identity_code)
    client = Client(
        identity_code=code,
        first_names=_name(first_names, "first_names"),
        last_name=_name(last_name, "last_name"),
        municipality=_municipality(municipality_code),
        created_by=actor.user,
    )
    try:
        with transaction.atomic():
            client.save()
            record(actor=actor, action=AuditAction.CREATE, client=client, obj=client)
    except IntegrityError as exc:
        raise Conflict(
            _("A client with this identity code already exists."), code="client_exists"
        ) from exc
    return client
