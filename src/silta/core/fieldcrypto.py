"""Encryption at rest of the secrets Silta keeps in the database (webhook signing secrets).

Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``) under a key derived with
HKDF-SHA256 from ``SILTA_FIELD_KEY`` (``SECRET_KEY`` when unset). The keys in
``SILTA_FIELD_KEYS_OLD`` still decrypt (``MultiFernet``), so a key can change without
downtime: set the new key, list the old one, run ``manage.py field_key_rotate`` (every
``EncryptedCharField`` re-encrypted with the new key), then drop the old one.

An ``EncryptedCharField`` holds the plain text in Python and the token in the database;
each write gives a new token, so the column cannot be searched or compared.
"""

from __future__ import annotations

import base64
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction

# Fixed and versioned: another use of the same setting must derive a different key.
INFO = b"silta field encryption v1"
# Every Fernet token starts so (version byte 0x80, then the timestamp).
TOKEN_PREFIX = "gAAAAA"  # noqa: S105 (not a password)


def derive(material: str) -> Fernet:
    key = HKDF(algorithm=SHA256(), length=32, salt=None, info=INFO).derive(material.encode())
    return Fernet(base64.urlsafe_b64encode(key))


@lru_cache(maxsize=4)
def _cipher(current: str, old: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([derive(current), *(derive(k) for k in old if k)])


def cipher() -> MultiFernet:
    return _cipher(settings.SILTA_FIELD_KEY, tuple(settings.SILTA_FIELD_KEYS_OLD))


def encrypt(text: str) -> str:
    return cipher().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return cipher().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "An encrypted value does not open with SILTA_FIELD_KEY or SILTA_FIELD_KEYS_OLD "
            "(was the key changed without listing the old one?)"
        ) from error


class EncryptedCharField(models.CharField):
    """Plain text in Python, a Fernet token in the database ("" and None stay as they are)."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return decrypt(value) if value else value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return encrypt(value) if value else value


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]
        if names:
            found.append((model, names))
    return found


def rotate_all() -> int:
    """Re-encrypt every encrypted value with the current key; how many rows were written."""
    written = 0
    for model, names in encrypted_fields():
        with transaction.atomic():
            rows = model._base_manager.select_for_update().values_list("pk", *names)
            for pk, *values in rows:
                model._base_manager.filter(pk=pk).update(**dict(zip(names, values, strict=True)))
                written += 1
    return written
