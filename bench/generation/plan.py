"""How many cases each client has and how many messages each case gets.

Cases per client: one for most, up to three. Messages per case: heavy-tailed (Pareto), so
most cases hold a handful of messages and a few clients have a history of thousands;
scaled so that the total is exactly the requested number of messages.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

CASES_PER_CLIENT = (1, 2, 3)
CASES_PER_CLIENT_WEIGHTS = (0.7, 0.22, 0.08)
PARETO_ALPHA = 1.5
MAX_MESSAGES_PER_CASE = 3_000


@dataclass(frozen=True)
class Plan:
    cases_per_client: list[int]
    messages_per_case: list[int]

    @property
    def cases(self) -> int:
        return len(self.messages_per_case)


def _counts(draws: list[float], factor: float) -> list[int]:
    cap = MAX_MESSAGES_PER_CASE
    return [min(cap, max(1, round(factor * x))) for x in draws]


def _factor(draws: list[float], total: int) -> float:
    """The scale factor whose rounded counts add up closest to ``total`` (bisection)."""
    low, high = 0.0, total / len(draws) * 2
    while sum(_counts(draws, high)) < total:
        high *= 2
    for _ in range(24):
        middle = (low + high) / 2
        if sum(_counts(draws, middle)) < total:
            low = middle
        else:
            high = middle
    return high


def _adjust(counts: list[int], total: int, rng: random.Random) -> None:
    """Add or remove single messages at random cases until the sum is exact."""
    difference = total - sum(counts)
    step = 1 if difference > 0 else -1
    while difference:
        k = rng.randrange(len(counts))
        if 1 <= counts[k] + step <= MAX_MESSAGES_PER_CASE:
            counts[k] += step
            difference -= step


def make_plan(clients: int, messages: int, rng: random.Random) -> Plan:
    per_client = rng.choices(CASES_PER_CLIENT, weights=CASES_PER_CLIENT_WEIGHTS, k=clients)
    cases = sum(per_client)
    if messages < cases:
        raise ValueError("fewer messages than cases: raise the scale")
    draws = [rng.paretovariate(PARETO_ALPHA) for _ in range(cases)]
    counts = _counts(draws, _factor(draws, messages))
    _adjust(counts, messages, rng)
    return Plan(cases_per_client=list(per_client), messages_per_case=counts)
