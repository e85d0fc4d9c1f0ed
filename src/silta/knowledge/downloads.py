"""A bulletin's file as a download, for the web page and the API alike."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse

from silta.accounts.actor import Actor
from silta.core.downloads import private_download
from silta.knowledge.selectors import bulletin_attachment_get


def bulletin_file_response(*, actor: Actor, bulletin_id: Any, file_id: Any) -> FileResponse:
    """Only for the units the bulletin concerns (others: the same 404 as a missing file)."""
    attachment = bulletin_attachment_get(actor=actor, bulletin_id=bulletin_id, file_id=file_id)
    return private_download(
        default_storage.open(attachment.storage_name, "rb"),
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
