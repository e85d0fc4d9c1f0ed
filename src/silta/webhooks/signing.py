"""Signatures exactly as the Standard Webhooks specification (1.0) describes them.

Headers: ``webhook-id`` (the event's id, the same on every retry), ``webhook-timestamp``
(integer Unix seconds of this attempt) and ``webhook-signature``: ``v1,<base64 of
HMAC-SHA256(key, "{id}.{timestamp}.{body}")>``, where the key is the secret's base64 part
after ``whsec_``. During a secret rotation the previous secret signs too: both
signatures, space-separated, and a receiver accepts either.

``verify`` is the receiving side (what the README's example does), used by the tests'
loopback receiver: a request without the headers, with a timestamp outside the tolerance
(a stale replay) or with no matching signature is refused.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping, Sequence

PREFIX = "whsec_"
SECRET_BYTES = 32  # the specification asks for 24 to 64
TOLERANCE_SECONDS = 5 * 60


class VerificationError(Exception):
    """The request is not a valid signed webhook (``code`` says why)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def _key(secret: str) -> bytes:
    raw = secret.removeprefix(PREFIX)
    return base64.b64decode(raw + "=" * (-len(raw) % 4))


def signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(
    msg_id: str, timestamp: int, body: bytes, signing_secrets: Sequence[str]
) -> dict[str, str]:
    """The three headers of one attempt, signed with every secret in force."""
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            signature(secret, msg_id, timestamp, body) for secret in signing_secrets
        ),
    }


def verify(
    secret: str,
    body: bytes,
    received: Mapping[str, str],
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> None:
    """Raise ``VerificationError`` unless ``received`` (headers, any case) sign ``body``
    with ``secret`` at a time within ``tolerance`` seconds of ``now``."""
    lowered = {name.lower(): value for name, value in received.items()}
    msg_id = lowered.get("webhook-id", "")
    stamp = lowered.get("webhook-timestamp", "")
    signatures = lowered.get("webhook-signature", "")
    if not (msg_id and stamp and signatures):
        raise VerificationError("missing_headers")
    try:
        timestamp = int(stamp)
    except ValueError as error:
        raise VerificationError("invalid_timestamp") from error
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise VerificationError("stale_timestamp")
    expected = signature(secret, msg_id, timestamp, body).encode()
    for candidate in signatures.split(" "):
        if candidate.startswith("v1,") and hmac.compare_digest(candidate.encode(), expected):
            return
    raise VerificationError("bad_signature")
