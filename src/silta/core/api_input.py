"""API input is checked once, before any endpoint runs: text PostgreSQL can hold, JSON bodies.

PostgreSQL ``text`` cannot hold the NUL character, and a lone UTF-16 surrogate (which
JSON's ``\\ud800`` escape produces) cannot be encoded at all: either would reach the
database as a driver error (a 500). The web forms refuse NUL with Django's validator; the
API refuses both here, in the parser every query string, form field and JSON
body goes through, so no endpoint and no new schema field can forget it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from ninja.parser import Parser

from silta.core.errors import Invalid, ServiceError

# NUL, and the surrogate code points that have no UTF-8 encoding.
UNSTORABLE_RE = re.compile("[\x00\ud800-\udfff]")
JSON_TYPES = ("application/json",)


class UnsupportedMediaType(ServiceError):
    """A JSON endpoint was sent something that is not JSON."""

    status = 415
    default_code = "unsupported_media_type"


def refuse_unstorable_text(value: Any, *, field: str = "") -> None:
    """Raise ``Invalid`` if any string in ``value`` (nested lists and dicts, keys too)
    holds a character that PostgreSQL text cannot store."""
    if isinstance(value, str):
        if UNSTORABLE_RE.search(value):
            raise Invalid(
                _("The text contains a character that is not allowed (such as a null character)."),
                code="invalid_characters",
                field=field or None,
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_unstorable_text(key, field=field)
            refuse_unstorable_text(item, field=_join(field, key))
    elif isinstance(value, list | tuple):
        for item in value:
            refuse_unstorable_text(item, field=field)


def _join(parent: str, key: Any) -> str:
    name = key if isinstance(key, str) and not UNSTORABLE_RE.search(key) else "?"
    return f"{parent}.{name}" if parent else name


def _is_json(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type in JSON_TYPES or media_type.endswith("+json")


class ApiParser(Parser):
    """Ninja's parser with the checks above; its errors are the API's JSON errors."""

    def parse_body(self, request: HttpRequest) -> Any:
        # Ninja's multipart helper passes a bare HttpRequest (content_type None).
        if request.content_type is not None and not _is_json(request.content_type):
            raise UnsupportedMediaType(
                _("The request body must be JSON (Content-Type: application/json).")
            )
        try:
            data = json.loads(request.body)
        except ValueError as error:  # also invalid UTF-8 (UnicodeDecodeError)
            raise Invalid(
                _("The request body is not valid JSON."), code="malformed_json"
            ) from error
        refuse_unstorable_text(data)
        return data

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        # Uploaded files (request.FILES) are not text: Django already drops non-printable
        # characters from their names.
        for key, values in data.lists():
            refuse_unstorable_text(key)
            refuse_unstorable_text([v for v in values if isinstance(v, str)], field=key)
        return super().parse_querydict(data, list_fields, request)
