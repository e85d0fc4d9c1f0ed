"""Logging filters that keep client data out of log lines and error reports."""

from __future__ import annotations

import logging
import re
from typing import Any

from django.views.debug import SafeExceptionReporterFilter

from silta.core import request_context

# DDMMYY + century sign + individual number + check character (DOMAIN.md §4).
IDENTITY_CODE_RE = re.compile(r"\b\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b", re.IGNORECASE)
MASK = "[hetu]"


def mask_identity_codes(text: str) -> str:
    return IDENTITY_CODE_RE.sub(MASK, text)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_context.current().request_id or "-"
        return True


class MaskIdentityCodeFilter(logging.Filter):
    """Last line of defence: mask anything shaped like an identity code in a log line."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_identity_codes(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class NoClientDataExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports show no submitted field values and no local variables."""

    def get_post_parameters(self, request: Any) -> dict[str, str]:
        if request is None:
            return {}
        return {key: self.cleansed_substitute for key in request.POST}

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> Any:
        return {}.items()
