"""Benchmark options from the command line and the environment.

``BENCH_SCALE`` (default 1.0 = 1,000,000 clients and 10,000,000 messages),
``BENCH_DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/silta_bench``; a
scale other than 1 gets its own database ``silta_bench_s<scale>`` so a quick check never
replaces the full data set), ``BENCH_REPS`` (timed repetitions, default 50),
``BENCH_SEED``, ``BENCH_REGENERATE=1`` (rebuild even if the data set exists).
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

BASE_URL = "postgres://postgres@127.0.0.1:5432/silta_bench"
FULL_CLIENTS = 1_000_000
FULL_MESSAGES = 10_000_000
FULL_STAFF = 5_000


@dataclass(frozen=True)
class Options:
    scale: float
    database_url: str
    reps: int
    warmup: int
    seed: int
    regenerate: bool
    generate_only: bool
    write_results: bool
    only: tuple[str, ...] = ()

    def wants(self, name: str) -> bool:
        """Whether a measurement (an operation's or a part's name) is selected by ``--only``."""
        return not self.only or any(word in name.lower() for word in self.only)

    @property
    def clients(self) -> int:
        return max(100, round(FULL_CLIENTS * self.scale))

    @property
    def messages(self) -> int:
        return max(1_000, round(FULL_MESSAGES * self.scale))

    @property
    def staff(self) -> int:
        return max(1, round(FULL_STAFF * self.scale))

    @property
    def database_name(self) -> str:
        return urlsplit(self.database_url).path.lstrip("/")

    def url_for(self, database: str) -> str:
        """The same server and user, another database (for CREATE/DROP DATABASE)."""
        parts = urlsplit(self.database_url)
        return urlunsplit(parts._replace(path=f"/{database}"))


def _default_url(scale: float) -> str:
    if scale == 1.0:
        return BASE_URL
    suffix = f"{scale:g}".replace(".", "_").replace("-", "_")
    return f"{BASE_URL}_s{suffix}"


def parse(argv: list[str] | None = None) -> Options:
    env = os.environ
    parser = argparse.ArgumentParser(description="Silta national-scale benchmark")
    parser.add_argument("--scale", type=float, default=float(env.get("BENCH_SCALE", "1")))
    parser.add_argument("--database-url", default=env.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--reps", type=int, default=int(env.get("BENCH_REPS", "50")))
    parser.add_argument("--warmup", type=int, default=int(env.get("BENCH_WARMUP", "5")))
    parser.add_argument("--seed", type=int, default=int(env.get("BENCH_SEED", "2026")))
    parser.add_argument(
        "--regenerate", action="store_true", default=env.get("BENCH_REGENERATE") == "1"
    )
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument(
        "--no-results-file", action="store_true", help="do not write var/bench/results-s<scale>.md"
    )
    parser.add_argument(
        "--only",
        default=env.get("BENCH_ONLY", ""),
        help="comma-separated words: measure only the operations and parts whose names contain "
        "one (e.g. 'inbox,timeline' or 'bookings'); no results file is written",
    )
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 1:
        parser.error("--scale must be in (0, 1]")
    return Options(
        scale=args.scale,
        database_url=args.database_url or _default_url(args.scale),
        reps=args.reps,
        warmup=args.warmup,
        seed=args.seed,
        regenerate=args.regenerate,
        generate_only=args.generate_only,
        write_results=not args.no_results_file and not args.only,
        only=tuple(w.strip().lower() for w in args.only.split(",") if w.strip()),
    )
