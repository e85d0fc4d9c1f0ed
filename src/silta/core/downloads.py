"""A file handed to the one who asked for it: a download that no cache keeps and no
browser reinterprets (messages' attachments, bulletins' files)."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse


def private_download(handle: Any, *, filename: str, content_type: str) -> FileResponse:
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
