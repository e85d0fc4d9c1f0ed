"""Service hours as text, for quick keyboard editing.

A weekday's hours: ``9-11, 12-15`` or ``9.00-11.30``; empty = closed. Exceptions, one per
line: ``2026-12-31 9-12`` or ``2026-12-24 closed`` (also ``suljettu`` / ``stängt``).
Errors name the line, and nothing is saved unless every line is right.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from silta.core.errors import Invalid
from silta.directory.hours import DAY_MINUTES, TimeRange, validate_ranges

_TIME = r"(\d{1,2})(?:[.:](\d{2}))?"
_RANGE_RE = re.compile(rf"^\s*{_TIME}\s*[-–]\s*{_TIME}\s*$")
CLOSED_WORDS = {"closed", "suljettu", "stängt", "-"}


def _minutes(hours: str, minutes: str | None) -> int:
    value = int(hours) * 60 + int(minutes or 0)
    if int(hours) > 24 or int(minutes or 0) > 59 or value > DAY_MINUTES:
        raise ValueError
    return value


def parse_ranges(text: str) -> tuple[TimeRange, ...]:
    """``"9-11, 12-15"`` -> ranges; raises ``Invalid`` (inverted, overlapping, malformed)."""
    text = (text or "").strip()
    if not text or text.casefold() in CLOSED_WORDS:
        return ()
    ranges = []
    for part in text.split(","):
        match = _RANGE_RE.match(part)
        try:
            if match is None:
                raise ValueError
            opens = _minutes(match.group(1), match.group(2))
            closes = _minutes(match.group(3), match.group(4))
        except ValueError as exc:
            raise Invalid(
                _("“%(part)s” is not a time range. Write e.g. 9-11, 12-15 or 8.30-16.00.")
                % {"part": part.strip()},
                code="hours_malformed",
            ) from exc
        ranges.append(TimeRange(opens, closes))
    return validate_ranges(ranges)


def format_ranges(ranges: tuple[TimeRange, ...]) -> str:
    return ", ".join(r.label().replace("–", "-") for r in ranges)


def parse_exceptions(text: str) -> dict[dt.date, tuple[TimeRange, ...]]:
    """One date per line; raises ``Invalid`` naming the first bad line."""
    result: dict[dt.date, tuple[TimeRange, ...]] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        head, _sep, rest = line.partition(" ")
        try:
            day = dt.date.fromisoformat(head)
        except ValueError as exc:
            raise Invalid(
                _("Line %(n)d: start with a date like 2026-12-31.") % {"n": number},
                code="exception_malformed",
            ) from exc
        if day in result:
            raise Invalid(
                _("Line %(n)d: the date %(date)s is given twice.") % {"n": number, "date": head},
                code="exception_duplicate",
            )
        try:
            result[day] = parse_ranges(rest)
        except Invalid as exc:
            raise Invalid(
                _("Line %(n)d: %(error)s") % {"n": number, "error": exc.message}, code=exc.code
            ) from exc
    return result


def format_exceptions(exceptions: dict[dt.date, tuple[TimeRange, ...]]) -> str:
    lines = []
    for day in sorted(exceptions):
        ranges = exceptions[day]
        closed = pgettext("opening hours", "closed")
        lines.append(f"{day.isoformat()} {format_ranges(ranges) if ranges else closed}")
    return "\n".join(lines)
