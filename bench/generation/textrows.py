"""Fast text-format COPY fields: timestamps, UUIDs, NULL and escaping.

Times are whole seconds since the Unix epoch (UTC) while generating; they are written as
``YYYY-MM-DD HH:MM:SS+00`` through two lookup tables instead of ``datetime`` objects.
"""

from __future__ import annotations

import datetime as dt
import random

NULL = "\\N"
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_CLOCK = [f" {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}+00" for s in range(86_400)]
_DAYS = [dt.date.fromordinal(_EPOCH_ORDINAL + day).isoformat() for day in range(50_000)]


def ts(seconds: int) -> str:
    """A COPY timestamptz field for ``seconds`` since the epoch (1970 to 2106)."""
    return _DAYS[seconds // 86_400] + _CLOCK[seconds % 86_400]


def new_uuid(rng: random.Random) -> str:
    """A random version-4 UUID as 32 hex digits (PostgreSQL accepts it without dashes)."""
    h = rng.randbytes(16).hex()
    return f"{h[:12]}4{h[13:16]}8{h[17:]}"


def escape(text: str) -> str:
    """Escape a value for COPY's text format (only needed for free text)."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
