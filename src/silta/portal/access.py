"""Who acts in the own view, what each page needs of an attorney's power, and the audit
of every read with the client (or the attorney) as the actor.

A client's or attorney's ``Actor`` has no memberships: no staff permission can ever
follow from it. An attorney sees the principal's data only within the power's scope
(``consents.codes.PoaScope``); every page is marked as acting for the principal.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from silta.accounts.actor import Actor
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.consents.codes import PoaScope
from silta.portal.session import SignedInClient

# The shared matters of Kela and social services (cases, referrals, meetings, the log of
# their use) are covered by any of these scopes; consents only by the consents scope.
MATTERS = frozenset({PoaScope.SOCIAL_ASSISTANCE, PoaScope.KELA_BENEFITS, PoaScope.SOCIAL_SERVICES})
CONSENTS = frozenset({PoaScope.CONSENTS})


def client_actor(me: SignedInClient) -> Actor:
    """The actor of the services and the audit trail: the client or their attorney."""
    return Actor(user=None, memberships=(), name=me.actor_label)


def _detail(me: SignedInClient, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    detail: dict[str, Any] = {"actor_kind": "attorney" if me.is_attorney else "client"}
    if me.power_of_attorney is not None:
        detail["power_of_attorney"] = str(me.power_of_attorney.public_id)
    detail.update(extra or {})
    return detail


def require_scope(me: SignedInClient, scopes: frozenset[str], page: str) -> None:
    """An attorney whose power does not cover ``page``: one audited refusal (403)."""
    if not me.scope & scopes:
        raise deny(
            client_actor(me),
            client=me.subject,
            message=_("Your power of attorney does not cover this."),
            code="power_of_attorney_scope",
            detail=_detail(me, {"page": page}),
        )


def audit_read(
    me: SignedInClient, page: str, obj: models.Model | None = None, **extra: Any
) -> None:
    """One audit "view" row for a page the client (or attorney) read."""
    record(
        actor=client_actor(me),
        action=AuditAction.VIEW,
        obj=obj,
        client=me.subject,
        detail=_detail(me, {"page": page, **extra}),
    )


def audit_write(
    me: SignedInClient, action: AuditAction, obj: models.Model | None = None, **extra: Any
) -> None:
    record(
        actor=client_actor(me),
        action=action,
        obj=obj,
        client=me.subject,
        detail=_detail(me, extra),
    )


def refuse_hidden(me: SignedInClient, page: str, **extra: Any) -> Exception:
    """Not the client's (or not found): one audited 404 that tells nothing."""
    return deny(
        client_actor(me), hide=True, client=me.subject, detail=_detail(me, {"page": page, **extra})
    )
