"""The one way an attachment's bytes leave Silta: access-checked, audited, as a download."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse

from silta.accounts.actor import Actor
from silta.core.downloads import private_download
from silta.exchange.selectors import attachment_get
from silta.exchange.workflow import attachment_open


def attachment_response(*, actor: Actor, attachment_id: Any) -> FileResponse:
    attachment = attachment_get(actor=actor, attachment_id=attachment_id)
    handle = attachment_open(actor=actor, attachment=attachment)
    return private_download(
        handle, filename=attachment.original_name, content_type=attachment.content_type
    )
