"""Unique test-range identity codes (henkilötunnus, individual number 900-999 only).

Client ``i`` gets code number ``k = (i * STRIDE + OFFSET) mod N`` where ``N`` is the
number of (birth date, individual number) pairs: a bijection, so the codes are distinct
without remembering them, and they look shuffled rather than sorted.
"""

from __future__ import annotations

import datetime as dt
import math

CHECK_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
FIRST_BIRTH_DATE = dt.date(1940, 1, 1)
LAST_BIRTH_DATE = dt.date(2007, 12, 31)
INDIVIDUALS = 100  # 900-999
_DAYS = (LAST_BIRTH_DATE - FIRST_BIRTH_DATE).days + 1
CAPACITY = _DAYS * INDIVIDUALS
_STRIDE = 1_000_003
_OFFSET = 7_919
assert math.gcd(_STRIDE, CAPACITY) == 1, "the stride must be coprime with the capacity"


def test_identity_code(index: int) -> str:
    """The ``index``-th test identity code (0 <= index < CAPACITY), with check character."""
    if not 0 <= index < CAPACITY:
        raise ValueError("identity code index out of range")
    k = (index * _STRIDE + _OFFSET) % CAPACITY
    day, individual = divmod(k, INDIVIDUALS)
    born = FIRST_BIRTH_DATE + dt.timedelta(days=day)
    digits = f"{born.day:02d}{born.month:02d}{born.year % 100:02d}"
    number = f"{900 + individual:03d}"
    sign = "-" if born.year < 2000 else "A"
    return f"{digits}{sign}{number}{CHECK_CHARS[int(digits + number) % 31]}"
