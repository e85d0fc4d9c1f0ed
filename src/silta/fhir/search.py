"""Search parameters and searchset Bundles.

Each resource declares the parameters it supports; any other (a typo, a modifier such as
``status:not``, an identity code sent as ``identifier``) is refused with a 400
OperationOutcome, nothing is searched. Paging: ``_count`` (1-100, default 20) and
``_page`` in the Bundle's ``next`` / ``previous`` links, one row fetched ahead instead of
counting (``Bundle.total`` is left out).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _

from silta.fhir.outcome import FhirError
from silta.workdays.calendar import HELSINKI

DEFAULT_COUNT = 20
MAX_COUNT = 100
MAX_PAGE = 1000
# Accepted by every search; _format only as JSON.
COMMON = frozenset({"_count", "_page", "_format"})
JSON_FORMATS = {"json", "application/json", "application/fhir+json"}
_PREFIXES = {"gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}
DATE_PARAMS = frozenset({"_lastUpdated", "date"})


@dataclass(frozen=True)
class Search:
    """A parsed search: its own parameters (name -> values, comma lists split) and paging."""

    params: dict[str, list[str]] = field(default_factory=dict)
    count: int = DEFAULT_COUNT
    page: int = 1

    def first(self, name: str) -> str | None:
        values = self.params.get(name)
        return values[0] if values else None

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.count


def _bad(code: str, message: str) -> FhirError:
    return FhirError(400, code, message)


def _int(query: QueryDict, name: str, default: int, low: int, high: int) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise _bad(
            "invalid_parameter", _("%(name)s must be a whole number.") % {"name": name}
        ) from None
    if value < low:
        raise _bad(
            "invalid_parameter",
            _("%(name)s must be at least %(low)s.") % {"name": name, "low": low},
        )
    return min(value, high)


def parse_search(query: QueryDict, allowed: Iterable[str]) -> Search:
    """The search of ``query``; 400 for an unknown parameter or a malformed value."""
    known = frozenset(allowed)
    unknown = sorted(set(query) - known - COMMON)
    if unknown:
        raise _bad(
            "unknown_parameter",
            _("Unknown search parameter: %(names)s. Supported: %(supported)s.")
            % {"names": ", ".join(unknown), "supported": ", ".join(sorted(known | COMMON))},
        )
    fmt = query.get("_format")
    if fmt is not None and fmt not in JSON_FORMATS:
        raise _bad("unsupported_format", _("Only JSON is supported (_format=json)."))
    params: dict[str, list[str]] = {}
    for name in known & set(query):
        values = [v.strip() for raw in query.getlist(name) for v in raw.split(",")]
        if name in DATE_PARAMS:  # repeated = AND (a range); never split on commas
            values = [v.strip() for v in query.getlist(name)]
        if not all(values):
            raise _bad("invalid_parameter", _("%(name)s needs a value.") % {"name": name})
        params[name] = values
    return Search(
        params=params,
        count=_int(query, "_count", DEFAULT_COUNT, 1, MAX_COUNT),
        page=_int(query, "_page", 1, 1, MAX_PAGE),
    )


def _range(text: str) -> tuple[dt.datetime, dt.datetime | None]:
    """A FHIR date (the whole day in Finland: [start, end)) or dateTime (end None)."""
    try:
        if len(text) == 10:
            start = dt.datetime.combine(dt.date.fromisoformat(text), dt.time(), HELSINKI)
            return start, start + dt.timedelta(days=1)
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise _bad(
            "invalid_date",
            _("Write the date as YYYY-MM-DD or YYYY-MM-DDThh:mm:ss+02:00."),
        ) from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=HELSINKI)), None


def date_bounds(values: Sequence[str], name: str = "_lastUpdated") -> list[tuple[str, dt.datetime]]:
    """``_lastUpdated`` (or ``date``) values (``ge2026-12-01``, ``lt2026-12-02T10:00:00Z``, a
    bare date for the whole day) as (lookup, moment) pairs, all to hold at once."""
    bounds: list[tuple[str, dt.datetime]] = []
    for value in values:
        prefix, rest = (value[:2], value[2:]) if value[:2].isalpha() else ("eq", value)
        if prefix not in ("eq", *_PREFIXES):
            raise _bad(
                "invalid_date",
                _("Use one of the prefixes eq, gt, ge, lt, le with %(name)s.") % {"name": name},
            )
        start, end = _range(rest)
        if end is None:  # an instant
            bounds.append(("gte" if prefix == "eq" else _PREFIXES[prefix], start))
            if prefix == "eq":
                bounds.append(("lte", start))
            continue
        bounds += {
            "eq": [("gte", start), ("lt", end)],
            "gt": [("gte", end)],
            "ge": [("gte", start)],
            "lt": [("lt", start)],
            "le": [("lt", end)],
        }[prefix]
    return bounds


def date_filter(field_name: str, bounds: Sequence[tuple[str, dt.datetime]]) -> Q:
    result = Q()
    for lookup, moment in bounds:
        result &= Q(**{f"{field_name}__{lookup}": moment})
    return result


def reference_ids(values: Sequence[str], resource_type: str, name: str) -> list[uuid.UUID]:
    """``Patient/<id>`` or ``<id>`` values as ids; anything else (an identity code, a
    foreign type) is a 400."""
    ids = []
    for value in values:
        kind, _slash, rest = value.rpartition("/")
        if kind and kind.rsplit("/", 1)[-1] != resource_type:
            raise _bad(
                "invalid_reference",
                _("%(name)s refers to %(type)s resources.") % {"name": name, "type": resource_type},
            )
        try:
            ids.append(uuid.UUID(rest))
        except ValueError:
            raise _bad(
                "invalid_reference",
                _("%(name)s takes a resource id (%(type)s/<id>).")
                % {"name": name, "type": resource_type},
            ) from None
    return ids


def searchset(
    request: HttpRequest,
    resource_type: str,
    search: Search,
    resources: Sequence[dict[str, Any]],
    has_next: bool,
    included: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """A searchset Bundle with self / next / previous links carrying the same search."""
    base = request.build_absolute_uri(f"/fhir/R4/{resource_type}")
    root = request.build_absolute_uri("/fhir/R4")

    def link(relation: str, page: int) -> dict[str, str]:
        query = [
            (k, value) for k, values in request.GET.lists() for value in values if k != "_page"
        ]
        query.append(("_page", str(page)))
        return {"relation": relation, "url": f"{base}?{urlencode(query)}"}

    links = [link("self", search.page)]
    if has_next:
        links.append(link("next", search.page + 1))
    if search.page > 1:
        links.append(link("previous", search.page - 1))
    entries = [
        {
            "fullUrl": f"{root}/{r['resourceType']}/{r['id']}",
            "resource": r,
            "search": {"mode": mode},
        }
        for rows, mode in ((resources, "match"), (included, "include"))
        for r in rows
    ]
    return {"resourceType": "Bundle", "type": "searchset", "link": links, "entry": entries}
