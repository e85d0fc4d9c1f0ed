"""A scanned consent or power of attorney: PDF or an image, the type checked from the
bytes (not the name or the browser's claim), size-limited, stored under a random name."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from silta.core.errors import Invalid

# Recognised from the bytes: extension -> MIME type.
SCAN_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "tif": "image/tiff",
    "heic": "image/heic",
    "webp": "image/webp",
}
HEAD_BYTES = 8192


@dataclass(frozen=True)
class StoredScan:
    name: str
    storage_name: str
    content_type: str
    sha256: str

    def fields(self) -> dict[str, str]:
        return {
            "document_name": self.name,
            "document_storage_name": self.storage_name,
            "document_content_type": self.content_type,
            "document_sha256": self.sha256,
        }


def _clean_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*')
    return cleaned[:255] or "document"


def check_scan(upload: File) -> str:
    """The MIME type the bytes show; ``Invalid`` unless a non-empty PDF or image."""
    name = _clean_name(upload.name or "")
    if (upload.size or 0) > settings.SILTA_MAX_ATTACHMENT_BYTES:
        raise Invalid(
            _("%(name)s is too large: the limit is %(limit)d MB.")
            % {"name": name, "limit": settings.SILTA_MAX_ATTACHMENT_BYTES // (1024 * 1024)},
            code="document_too_large",
            field="document",
        )
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    kind = filetype.guess(head) if head else None
    if kind is None or kind.extension not in SCAN_TYPES:
        raise Invalid(
            _("%(name)s is not a PDF or an image.") % {"name": name},
            code="document_type_not_allowed",
            field="document",
        )
    return SCAN_TYPES[kind.extension]


def store_scan(upload: File) -> StoredScan:
    """Check, hash and store the scan; call inside the service's transaction."""
    content_type = check_scan(upload)
    hasher = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        hasher.update(chunk)
    upload.seek(0)
    storage_name = default_storage.save(f"scans/{uuid.uuid4().hex}", upload)
    return StoredScan(
        _clean_name(upload.name or ""), storage_name, content_type, hasher.hexdigest()
    )
