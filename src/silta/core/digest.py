"""The daily digest's sections, from any app.

The digest e-mail is composed and sent by the referrals app (``referrals.digest``), but
its sections come from apps above it too (meetings' agreed actions, the cooperation
forums' follow-up actions, the guide's bulletins): each registers a section source here
at start-up, so the digest never imports upwards.

A source is called with the day (Europe/Helsinki) inside the digest's language and
returns ``DigestLine``s for a unit (all its workers get them) or for one person. Lines
are what an e-mail may carry: counts, dates, forum titles; never client names or
identity codes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class DigestLine:
    section: str  # the heading the line goes under, translated
    text: str  # one line, translated, without client data
    unit_id: int | None = None  # the unit whose workers get it...
    user_id: int | None = None  # ...or the one person who does
    order: int = 100  # sections with a lower order come first


SectionSource = Callable[[dt.date], Iterable[DigestLine]]

_sources: dict[str, SectionSource] = {}


def register_section(name: str, source: SectionSource) -> None:
    """Register (or replace, by ``name``) a section source; called from ``AppConfig.ready``."""
    _sources[name] = source


def digest_lines(day: dt.date) -> list[DigestLine]:
    """Every registered source's lines for ``day``, in the order of registration."""
    return [line for source in list(_sources.values()) for line in source(day)]
