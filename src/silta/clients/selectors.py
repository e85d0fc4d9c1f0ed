"""Reading clients: every read checks access and writes the audit event."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.clients.identity_codes import validate_identity_code
from silta.clients.models import Client
from silta.core.ids import parse_uuid


def _require(actor: Actor, perm: Perm) -> None:
    if not actor.can(perm):
        raise deny(actor, detail={"perm": str(perm)})


def client_lookup(*, actor: Actor, identity_code: str) -> Client | None:
    """Find a client by identity code (exact match). Audited whether found or not."""
    _require(actor, Perm.CLIENT_LOOKUP)
    code = validate_identity_code(identity_code)
    client = Client.objects.select_related("municipality").filter(identity_code=code).first()
    record(
        actor=actor,
        action=AuditAction.SEARCH,
        client=client,
        obj=client,
        detail={"by": "identity_code", "found": client is not None},
    )
    return client


def client_get(*, actor: Actor, client_id: object, audit: bool = True) -> Client:
    """A client's page: for staff who may look clients up. Audited as a view; with
    ``audit=False`` the caller writes the row (``client_seen``, or its write's own row)."""
    if not actor.can(Perm.CLIENT_LOOKUP) and not actor.can(Perm.CASE_VIEW):
        raise deny(actor, hide=True, detail={"client": str(client_id)})
    key = parse_uuid(client_id)
    client = (
        Client.objects.select_related("municipality").filter(public_id=key).first() if key else None
    )
    if client is None:
        raise deny(actor, hide=True, detail={"client": str(client_id)})
    if audit:
        client_seen(actor=actor, client=client, related=True)
    return client


def client_seen(*, actor: Actor, client: Client, related: bool) -> None:
    """The audit row of a client page: a view of the client's data, or, for a staff member
    none of whose units has a relation to the client (``exchange.relations``), a lookup
    (``SEARCH``): that page shows only what opening a case needs (703/2023 9 §)."""
    if related:
        record(actor=actor, action=AuditAction.VIEW, client=client, obj=client)
        return
    record(
        actor=actor,
        action=AuditAction.SEARCH,
        client=client,
        obj=client,
        detail={"by": "client_page", "related": False},
    )


def client_identity_code(*, actor: Actor, client: Client, related: bool = True) -> str:
    """Reveal a client's full identity code (the page shows it masked). The reveal is its
    own audit row, so the log shows who saw the whole code and when (703/2023 10 §). Only
    for a staff member with a relation to the client (``related``): others see no code."""
    if not actor.can(Perm.CLIENT_LOOKUP) and not actor.can(Perm.CASE_VIEW):
        raise deny(actor, hide=True, detail={"client": str(client.public_id)})
    if not related:
        raise deny(
            actor,
            message=_("Only a unit with a relation to the client sees the identity code."),
            client=client,
            detail={"relation": "identity_code"},
        )
    record(
        actor=actor,
        action=AuditAction.VIEW,
        client=client,
        obj=client,
        detail={"revealed": "identity_code"},
    )
    return client.identity_code
