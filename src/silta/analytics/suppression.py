"""Small counts in views that cross organisations: the one place they are hidden.

A count under :data:`SMALL` is shown as "<5" so that no client can be recognised from a
figure another organisation (or a cooperation forum) reads. Shares and averages computed
from such a count are hidden too: 1 of 2 is as telling as the count itself.
"""

from __future__ import annotations

SMALL = 5
HIDDEN = f"<{SMALL}"

Cell = int | float | str | None


def count(value: int, *, suppressed: bool) -> int | str:
    """A count as shown: "<5" for 1-4 when ``suppressed`` (0 tells nothing about anyone)."""
    if suppressed and 0 < value < SMALL:
        return HIDDEN
    return value


def derived(value: float | None, base: int, *, suppressed: bool) -> float | str | None:
    """A share or an average computed from ``base`` items: hidden with its base."""
    if suppressed and 0 < base < SMALL:
        return HIDDEN
    return value
