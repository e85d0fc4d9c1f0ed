"""Views read ``request.actor`` through a typed request (issue 8), not past the type checker.

A staff view annotates its request as ``silta.accounts.request.AuthenticatedRequest``; an
API helper reads through ``silta.api_keys.request.ApiRequest``. A new
``type: ignore[attr-defined]`` on ``request.actor`` or ``request.auth`` fails here. The
files below still had them when the typed request came; the list only shrinks.
"""

from __future__ import annotations

import re
from pathlib import Path

import silta

SRC = Path(silta.__file__).parent
UNTYPED = re.compile(r"request\.(actor|auth)\b.*# type: ignore\[[^\]]*attr-defined")


def _untyped_reads() -> dict[str, int]:
    found: dict[str, int] = {}
    for path in SRC.rglob("*.py"):
        if "tests" in path.parts:
            continue
        count = sum(1 for line in path.read_text().splitlines() if UNTYPED.search(line))
        if count:
            found[path.relative_to(SRC).as_posix()] = count
    return found


def test_the_pattern_finds_an_untyped_read() -> None:
    assert UNTYPED.search("    actor = request.actor  # type: ignore[attr-defined]")
    assert UNTYPED.search("    key = request.auth  # type: ignore[attr-defined]")
    assert not UNTYPED.search("    actor = request.actor")


def test_no_view_reads_the_actor_past_the_type_checker() -> None:
    over = {path: count for path, count in _untyped_reads().items() if count}
    assert over == {}, (
        "Annotate the view's request as silta.accounts.request.AuthenticatedRequest "
        "(an API helper: silta.api_keys.request.ApiRequest) instead of type: ignore."
    )
