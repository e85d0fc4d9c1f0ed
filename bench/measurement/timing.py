"""Timing helpers shared by the measurements: the real call's SQL captured, and round-robin
timing of several variants (so that background load hits them alike)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def capture(fn: Callable[[], Any]) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return [q["sql"] for q in captured.captured_queries]


def time_samples(
    runners: dict[str, Callable[[], Any]], reps: int, warmup: int
) -> dict[str, list[float]]:
    """Round-robin timing (the starting variant rotates); ms of every run per variant."""
    names = list(runners)
    for _ in range(warmup):
        for name in names:
            runners[name]()
    samples: dict[str, list[float]] = {name: [] for name in names}
    for rep in range(reps):
        for offset in range(len(names)):
            name = names[(rep + offset) % len(names)]
            started = time.perf_counter()
            runners[name]()
            samples[name].append((time.perf_counter() - started) * 1000)
    return samples


def time_variants(
    runners: dict[str, Callable[[], Any]], reps: int, warmup: int
) -> dict[str, float]:
    """Median ms per variant (see ``time_samples``)."""
    samples = time_samples(runners, reps, warmup)
    return {name: statistics.median(values) for name, values in samples.items()}
