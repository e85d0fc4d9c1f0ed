"""Identity codes stay out of logs and error reports."""

from __future__ import annotations

import logging

from django.test import RequestFactory

from silta.core.logging import (
    MaskIdentityCodeFilter,
    NoClientDataExceptionReporterFilter,
    mask_identity_codes,
)


def test_mask_identity_codes_in_text() -> None:
    text = "lookup 010594Y9032 and 131052-308T done; 12345 stays"
    assert mask_identity_codes(text) == "lookup [hetu] and [hetu] done; 12345 stays"


def test_log_filter_masks_arguments() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "client %s", ("020516C903K",), None)
    assert MaskIdentityCodeFilter().filter(record)
    assert record.getMessage() == "client [hetu]"


def test_error_reports_hide_all_posted_fields() -> None:
    request = RequestFactory().post("/clients/find/", {"query": "010594Y9032", "x": "y"})
    cleaned = NoClientDataExceptionReporterFilter().get_post_parameters(request)
    assert "010594Y9032" not in str(cleaned)
    assert set(cleaned) == {"query", "x"}
