"""Stop an oversized file while it streams in, before it is written out in full.

Django's own handlers keep small files in memory and write larger ones to a temporary
file, whatever their size, and Silta's size check only ran afterwards: a 200 MB upload
was received and written to disk before being refused. ``SizeLimitUploadHandler`` runs
first: it counts each file's bytes as they arrive and, past ``SILTA_MAX_ATTACHMENT_BYTES``,
passes no more of that file on (so at most the limit is ever buffered) and hands the view
an empty ``OversizedUpload`` whose size is above the limit. The attachment checks then
refuse it with their usual translated "too large" message. The proxy in front
(``client_max_body_size`` in deploy/nginx) bounds the request as a whole.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class OversizedUpload(UploadedFile):
    """A file that was cut off at the limit: no content, a size above the limit."""

    def __init__(self, name: str, content_type: str, size: int) -> None:
        super().__init__(BytesIO(b""), name, content_type, size, None)

    def chunks(self, chunk_size: int | None = None) -> Any:
        return iter(())


class SizeLimitUploadHandler(FileUploadHandler):
    """Counts each file's bytes and stops passing them on at the attachment limit."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.limit = settings.SILTA_MAX_ATTACHMENT_BYTES

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        return None if self.received > self.limit else raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.received > self.limit:
            return OversizedUpload(self.file_name or "", self.content_type or "", self.received)
        return None  # the next handler (memory or temporary file) completes it
