"""Issuing, checking and revoking API keys."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from silta.api_keys.models import ApiKey
from silta.api_keys.scopes import ALL_SCOPES
from silta.core.prepared import Joined, Prepared
from silta.organisations.models import Organisation, Unit

KEY_PREFIX = "silta"


@dataclass(frozen=True)
class IssuedKey:
    api_key: ApiKey
    plaintext: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_key_issue(
    *, unit: Unit, name: str, created_by: Any = None, scopes: Sequence[str] | None = None
) -> IssuedKey:
    """Create a key; the plaintext is returned once and never stored. ``scopes``: what it
    may change (default every scope; empty: read-only)."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    chosen = list(ALL_SCOPES) if scopes is None else [s for s in ALL_SCOPES if s in scopes]
    api_key = ApiKey.objects.create(
        unit=unit,
        name=name,
        prefix=prefix,
        secret_hash=_hash(secret),
        created_by=created_by,
        scopes=chosen,
    )
    return IssuedKey(api_key=api_key, plaintext=f"{KEY_PREFIX}_{prefix}_{secret}")


# The key with its unit and organisation, every field of each, in one read compiled once
# per process: it runs on every API request (issue 10).
_JOINED = Joined((ApiKey, ""), (Unit, "unit__"), (Organisation, "unit__organisation__"))
_ACTIVE_KEY = Prepared(
    lambda prefix: ApiKey.objects.filter(
        prefix=prefix, revoked_at__isnull=True, unit__is_active=True
    ).values_list(*_JOINED.fields()),
    prefix="\x1fapi-key-prefix",
)


def _active_key(prefix: str) -> ApiKey | None:
    rows = _ACTIVE_KEY.rows(prefix=prefix)
    if not rows:
        return None
    # As select_related("unit__organisation") would have joined them.
    api_key = _JOINED.build(rows[0])[0]
    assert isinstance(api_key, ApiKey)
    return api_key


def api_key_authenticate(token: str) -> ApiKey | None:
    """The active key matching ``token``, or None."""
    parts = (token or "").split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX:
        return None
    api_key = _active_key(parts[1])
    if api_key is None or not hmac.compare_digest(api_key.secret_hash, _hash(parts[2])):
        return None
    now = timezone.now()
    if api_key.last_used_at is None or (now - api_key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    return api_key


def api_key_revoke(*, api_key: ApiKey) -> None:
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
