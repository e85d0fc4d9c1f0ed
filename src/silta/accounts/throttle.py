"""Sign-in throttling: a progressive delay per account name and per address.

Failed sign-ins are counted per typed account name (whether or not such an account
exists, so the answer never tells which names exist) and per client address. After
``SILTA_LOGIN_MAX_FAILURES`` failures for a name (``SILTA_LOGIN_ADDRESS_MAX_FAILURES``
for an address) each further failure makes the next attempt wait: 1 s, 2 s, 4 s... up to
``SILTA_LOGIN_MAX_DELAY_SECONDS``. There is no hard lock that someone else's guesses could
hold for long: the owner can always try again after a short wait. A successful sign-in
clears the name's count; an address's count is forgotten a day after its last failure.

The counts live in Django's shared cache (database table or Redis), so every web process
sees the same numbers. Keys hold a hash, never the name or the address itself.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

FORGET_AFTER = 24 * 60 * 60  # seconds after the last failure


def clock() -> float:
    """Now, in seconds (tests move it forward instead of sleeping)."""
    return time.time()


@dataclass(frozen=True)
class Failure:
    """What a failed attempt did: the counts, and the wait it started (0: none)."""

    account_failures: int
    address_failures: int
    delay_seconds: int


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _subjects(username: str, address: str | None) -> dict[str, tuple[str, int]]:
    """Cache key stem and free failures for the account name and the address."""
    return {
        "account": (
            f"login:account:{_digest(username.strip().casefold())}",
            settings.SILTA_LOGIN_MAX_FAILURES,
        ),
        "address": (
            f"login:address:{_digest(address or '-')}",
            settings.SILTA_LOGIN_ADDRESS_MAX_FAILURES,
        ),
    }


def delay_for(failures: int, free: int) -> int:
    """Seconds to wait after ``failures`` failures when ``free`` of them cost nothing."""
    if failures < free:
        return 0
    return int(min(settings.SILTA_LOGIN_MAX_DELAY_SECONDS, 2 ** min(failures - free, 30)))


def wait_seconds(username: str, address: str | None, now: float | None = None) -> int:
    """How long the account name or the address must still wait (0: may try now)."""
    now = clock() if now is None else now
    keys = [f"{stem}:until" for stem, _free in _subjects(username, address).values()]
    untils = cache.get_many(keys).values()
    return max([math.ceil(until - now) for until in untils if until > now], default=0)


def _count(key: str) -> int:
    cache.add(key, 0, timeout=FORGET_AFTER)
    try:
        failures = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=FORGET_AFTER)
        failures = 1
    cache.touch(key, timeout=FORGET_AFTER)
    return int(failures)


def record_failure(username: str, address: str | None, now: float | None = None) -> Failure:
    """Count a failed attempt; start the wait it earns (the longer of name and address)."""
    now = clock() if now is None else now
    counts: dict[str, int] = {}
    longest = 0
    for subject, (stem, free) in _subjects(username, address).items():
        counts[subject] = _count(f"{stem}:failures")
        delay = delay_for(counts[subject], free)
        if delay:
            # The stored time decides; the entry itself outlives it by a margin.
            cache.set(f"{stem}:until", now + delay, timeout=delay + 60)
            longest = max(longest, delay)
    return Failure(counts["account"], counts["address"], longest)


def clear_account(username: str) -> None:
    """Forget an account name's failures (after a successful sign-in, or by an admin)."""
    stem, _free = _subjects(username, None)["account"]
    cache.delete_many([f"{stem}:failures", f"{stem}:until"])
