"""Client sign-in: the identity code from the provider's claim, and nothing else.

Strong electronic identification (Suomi.fi e-Identification) tells who the person is; the
identity code is read only from the verified ID token's claim (``SILTA_OIDC_CLIENT_
IDENTITY_CLAIM``), validated, and matched to the one client record. A person Silta has no
record of is not signed in and no record is made (Silta keeps data only about the clients
whom Kela and social services serve together): they are told there is nothing yet.
The code never goes into a URL, a log line or an audit detail.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.clients.identity_codes import validate_identity_code
from silta.clients.models import Client
from silta.core.errors import Invalid
from silta.oidc.relying_party import SignInRefused

NO_CODE = _(
    "The identification service did not tell us your personal identity code, so we could "
    "not sign you in. Nothing was changed. Try again, or use another way of identifying."
)
BAD_CODE = _(
    "The personal identity code from the identification service is not valid, so we "
    "could not sign you in. Nothing was changed."
)
NOTHING_YET = _(
    "You have no matters in Silta yet. When Kela and social services start to work "
    "together on your matters, you will see them here."
)


def client_for_claims(claims: dict[str, Any]) -> Client:
    """The client whose identity code the verified claims carry; raises ``SignInRefused``."""
    raw = claims.get(settings.SILTA_OIDC_CLIENT_IDENTITY_CLAIM)
    if not isinstance(raw, str) or not raw.strip():
        _refused("identity_code_claim_missing")
        raise SignInRefused(NO_CODE, code="identity_code_claim_missing")
    try:
        code = validate_identity_code(raw)
    except Invalid as exc:
        _refused(f"identity_code_invalid:{exc.code}")
        raise SignInRefused(BAD_CODE, code="identity_code_invalid") from exc
    client = Client.objects.filter(identity_code=code).first()
    if client is None:
        _refused("no_client_record")
        raise SignInRefused(NOTHING_YET, code="no_client_record")
    # The client as the actor, as in the own view's audit (silta.portal.access).
    actor = Actor(user=None, memberships=(), name=f"Client {client.full_name}"[:300])
    record(actor=actor, action=AuditAction.LOGIN, client=client, detail={"method": "oidc"})
    return client


def _refused(reason: str) -> None:
    """A client identification that signed nobody in (never with the code)."""
    detail = {"reason": reason, "method": "oidc", "kind": "client"}
    record(actor=None, action=AuditAction.LOGIN_FAILED, detail=detail)
