"""The API's JSON renderer: orjson, with Django's formats for dates and times (issue 10).

The standard library's encoder with ``DjangoJSONEncoder`` took about 6.5 ms to write a
timeline page of fifty messages on the 2-core machine, orjson about 1.5 ms with the same
text. The answer stays what it was: datetimes as ``DjangoJSONEncoder`` writes them
(milliseconds, ``Z`` for UTC), UUIDs and dates in their standard form, and anything else
orjson does not know handed to ninja's encoder. Only the spacing differs (none) and
non-ASCII text is written as UTF-8 instead of ``\\u`` escapes.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.http import HttpRequest
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder

_FALLBACK = NinjaJSONEncoder()
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


def _default(value: Any) -> Any:
    """Dates and times (passed through by ``OPT_PASSTHROUGH_DATETIME``) in Django's form,
    and what orjson cannot write (Decimal, lazy text, pydantic values) by ninja's encoder."""
    return _FALLBACK.default(value)


def dumps(data: Any) -> bytes:
    return orjson.dumps(data, default=_default, option=_OPTIONS)


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        return dumps(data)
