"""``deny``: the one refusal of the project (issue 9).

Every refusal writes one audit "denied" row and raises one error: ``NotFound`` when the
object's existence is not told (the actor may not see it), ``Forbidden`` when the actor may
see it but their role does not allow the action. Callers write ``raise deny(...)``.
``deny_row`` writes the row alone, for a refusal of another kind (``NoLawfulBasis``: no
consent or statutory basis for a disclosure, a 422 raised by its own code).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.core.errors import Forbidden, NotFound, ServiceError

if TYPE_CHECKING:
    from silta.accounts.actor import Actor
    from silta.clients.models import Client


def deny_row(
    actor: Actor | None,
    *,
    obj: models.Model | None = None,
    client: Client | None = None,
    unit_id: int | None = None,
    detail: dict[str, Any] | None = None,
    user: Any = None,
) -> None:
    """Write the one audit "denied" row of a refusal (``record``'s arguments)."""
    record(
        actor=actor,
        action=AuditAction.DENIED,
        obj=obj,
        client=client,
        unit_id=unit_id,
        detail=detail,
        user=user,
    )


def deny(
    actor: Actor | None,
    *,
    hide: bool = False,
    message: str | Promise | None = None,
    obj: models.Model | None = None,
    client: Client | None = None,
    unit_id: int | None = None,
    detail: dict[str, Any] | None = None,
    user: Any = None,
    code: str | None = None,
) -> ServiceError:
    """Audit a refusal and return the error to raise: 404 "Not found." with ``hide`` (the
    object's existence is not told), else 403 with ``message`` (default: the role does not
    allow this) and ``code``."""
    deny_row(actor, obj=obj, client=client, unit_id=unit_id, detail=detail, user=user)
    if hide:
        return NotFound(_("Not found."))
    return Forbidden(message or _("Your role does not allow this."), code=code)
