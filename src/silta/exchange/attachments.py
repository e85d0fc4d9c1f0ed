"""Attachment checks and storage: type by the file's bytes, size limit, SHA-256.

The type comes from the bytes, and the file name must agree with it: a name without an
extension gets the right one; a name claiming another type (PDF bytes named
``page.html``) is refused. PDFs with active content (``pdf_active``) are refused, or kept
and flagged, as ``SILTA_PDF_ACTIVE_CONTENT`` says. Oversized files were already cut off
while they streamed in (``silta.core.uploads``). Files are stored through Django's
storage API under random names outside any public URL.
"""

from __future__ import annotations

import hashlib
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from silta.core.errors import Invalid
from silta.exchange import pdf_active

# Allowed kinds, recognised from the bytes: extension -> MIME type.
ALLOWED_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "tif": "image/tiff",
    "heic": "image/heic",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "rtf": "application/rtf",
}
_OOXML_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
# File-name extensions that agree with each detected type. The legacy Office formats are
# one container format that the bytes do not always tell apart, so they agree together.
_LEGACY_OFFICE = {"doc", "dot", "xls", "xlt", "ppt", "pot", "pps"}
NAME_EXTENSIONS: dict[str, set[str]] = {
    "jpg": {"jpg", "jpeg", "jpe", "jfif"},
    "tif": {"tif", "tiff"},
    "heic": {"heic", "heif"},
    "doc": _LEGACY_OFFICE,
    "xls": _LEGACY_OFFICE,
    "ppt": _LEGACY_OFFICE,
}
HEAD_BYTES = 8192


@dataclass(frozen=True)
class CheckedFile:
    upload: File
    name: str
    content_type: str
    size: int
    sha256: str
    active_content: bool = False


def _sniff(upload: File) -> str | None:
    """The allowed extension the bytes show, or None."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None:
        return None
    if kind.extension == "zip":
        return _sniff_ooxml(upload)
    return kind.extension if kind.extension in ALLOWED_TYPES else None


def _sniff_ooxml(upload: File) -> str | None:
    """Office Open XML files are zip archives: look at the parts inside."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for prefix, extension in _OOXML_PARTS.items():
        if any(name.startswith(prefix) for name in names):
            return extension
    return None


def _digest(upload: File) -> tuple[str, int]:
    upload.seek(0)
    hasher, size = hashlib.sha256(), 0
    for chunk in upload.chunks():
        hasher.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return hasher.hexdigest(), size


def _clean_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*')
    return cleaned[:255] or "document"


def _agreeing_name(name: str, extension: str) -> str:
    """The name if its extension agrees with the bytes; with the extension added if it
    has none; ``Invalid`` if it claims another type."""
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and suffix.lower() in NAME_EXTENSIONS.get(extension, {extension}):
        return name
    if not (dot and stem) or suffix.isdigit() or not suffix.isalnum():
        return f"{name}.{extension}"
    raise Invalid(
        _(
            "%(name)s contains a %(kind)s file, but its name ends in .%(suffix)s. Rename "
            "it to end in .%(extension)s and attach it again."
        )
        % {"name": name, "kind": extension.upper(), "suffix": suffix, "extension": extension},
        code="attachment_name_mismatch",
        field="files",
    )


def _pdf_active_content(upload: File, name: str) -> bool:
    """Whether the PDF has active content; refused here when the setting says so."""
    upload.seek(0)
    found = pdf_active.active_content(upload.read())
    upload.seek(0)
    if found and settings.SILTA_PDF_ACTIVE_CONTENT == "refuse":
        raise Invalid(
            _(
                "%(name)s contains JavaScript or actions that run when it is opened. Save "
                "or print it as a plain PDF and attach it again."
            )
            % {"name": name},
            code="attachment_active_content",
            field="files",
        )
    return bool(found)


def check_files(files: Sequence[File]) -> list[CheckedFile]:
    """Check every file before anything is stored; raise ``Invalid`` on the first problem."""
    limit = settings.SILTA_MAX_ATTACHMENTS_PER_MESSAGE
    if len(files) > limit:
        raise Invalid(
            ngettext(
                "At most %(limit)d file can be attached to one message.",
                "At most %(limit)d files can be attached to one message.",
                limit,
            )
            % {"limit": limit},
            code="too_many_attachments",
            field="files",
        )
    checked = []
    max_bytes = settings.SILTA_MAX_ATTACHMENT_BYTES
    for upload in files:
        name = _clean_name(upload.name or "")
        if (upload.size or 0) > max_bytes:
            raise Invalid(
                _("%(name)s is too large: the limit is %(limit)d MB.")
                % {"name": name, "limit": max_bytes // (1024 * 1024)},
                code="attachment_too_large",
                field="files",
            )
        extension = _sniff(upload)
        if extension is None:
            raise Invalid(
                _(
                    "%(name)s is not an allowed document type. Allowed: PDF, images "
                    "(PNG, JPEG, TIFF, HEIC) and office documents."
                )
                % {"name": name},
                code="attachment_type_not_allowed",
                field="files",
            )
        name = _agreeing_name(name, extension)
        active = extension == "pdf" and _pdf_active_content(upload, name)
        sha256, size = _digest(upload)
        if size == 0:
            raise Invalid(_("%(name)s is empty.") % {"name": name}, code="attachment_empty")
        checked.append(CheckedFile(upload, name, ALLOWED_TYPES[extension], size, sha256, active))
    return checked


def store(checked: CheckedFile) -> str:
    """Save the bytes under a random name; returns the storage name."""
    name = f"{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}"
    return default_storage.save(name, checked.upload)
