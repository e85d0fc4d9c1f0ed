"""Build the national-scale data set, or reuse the one already there at this scale.

Steps: recreate the bench database, run Django's migrations on it, load the fixed world
(organisations, units, staff), drop the bulk tables' secondary indexes and foreign keys,
stream every generated row through concurrent COPYs, recreate indexes and constraints,
reset sequences, VACUUM ANALYZE, and write the marker row with counts and timings.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import random
import time
from collections.abc import Callable
from typing import Any

from bench import schema
from bench.generation.copystreams import CopyStreams
from bench.generation.plan import Plan, make_plan
from bench.generation.simulate import DAY, Simulator
from bench.generation.tables import BULK_TABLES, WORLD_TABLES, bulk_columns
from bench.generation.world import World, build_world
from bench.generation.worldload import load_world
from bench.options import Options

PERIOD_DAYS = 4 * 365 + 1
PROGRESS_STEPS = 20


def ensure_dataset(options: Options) -> dict[str, Any]:
    info = None if options.regenerate else schema.dataset(options)
    if info is None:
        info = generate(options)
    else:
        print(
            f"Reusing the data set in {options.database_name} (scale {options.scale:g}, "
            f"generated {info['generated_at']}).",
            flush=True,
        )
    from bench.generation.steps import ensure_steps

    with schema.setup_lock(options):
        schema.migrate_existing(options)
        info["steps"] = ensure_steps(options)
    return info


def _stream(
    options: Options,
    plan: Plan,
    make_simulator: Callable[[dict[str, list[str]]], Simulator],
) -> dict[str, int]:
    """Generate every client's history into the COPY streams; return rows written."""
    counts = plan.messages_per_case
    step = max(1, len(plan.cases_per_client) // PROGRESS_STEPS)
    started = time.perf_counter()
    with CopyStreams(options.database_url, bulk_columns()) as streams:
        simulator = make_simulator(streams.buffers)
        position = 0
        for index, cases in enumerate(plan.cases_per_client):
            simulator.client(index, counts[position : position + cases])
            position += cases
            streams.flush()
            if (index + 1) % step == 0:
                elapsed = time.perf_counter() - started
                print(
                    f"  {index + 1:>9,} clients, {simulator.ids.message:>11,} messages, "
                    f"{elapsed:6.0f} s",
                    flush=True,
                )
        streams.flush(force=True)
        written = dict(streams.written)
    return written


def generate(options: Options) -> dict[str, Any]:
    from silta.clients.models import search_key  # after django.setup()

    url, timings = options.database_url, {}
    print(
        f"Generating the data set in {options.database_name}: {options.clients:,} clients, "
        f"{options.messages:,} messages, {options.staff:,} staff.",
        flush=True,
    )
    started = clock = time.perf_counter()
    schema.recreate_database(options)
    schema.migrate(options)
    timings["migrate"] = time.perf_counter() - clock

    rng = random.Random(options.seed)
    now = int(time.time()) // 60 * 60
    period = (now - PERIOD_DAYS * DAY, now)
    world = build_world(options.staff, rng)
    load_world(world, rng, period[0])
    catalog = schema.drop_secondary(url, BULK_TABLES)
    defaults = schema.set_missing_defaults(url, bulk_columns())
    clock = time.perf_counter()
    plan = make_plan(options.clients, options.messages, rng)
    timings["plan"] = time.perf_counter() - clock

    clock = time.perf_counter()
    written = _stream(
        options, plan, lambda buffers: Simulator(world, rng, period, buffers, search_key)
    )
    timings["copy"] = time.perf_counter() - clock
    print(
        f"  COPY done in {timings['copy']:.0f} s; recreating indexes and constraints.", flush=True
    )
    schema.drop_defaults(url, defaults)
    timings.update(schema.restore_secondary(url, catalog))
    clock = time.perf_counter()
    schema.reset_sequences(url, [*WORLD_TABLES, *BULK_TABLES])
    schema.vacuum_analyze(url)
    timings["vacuum_analyze"] = time.perf_counter() - clock
    timings["total"] = time.perf_counter() - started
    info = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "period_end": dt.datetime.fromtimestamp(now, dt.UTC).isoformat(),
        "scale": options.scale,
        "rows": {**written, **{t: len(r) for t, r in _world_sizes(world).items()}},
        "cases": plan.cases,
        "timings": {k: round(v, 1) for k, v in timings.items()},
        "machine": platform.node(),
        "load_average_15min": round(os.getloadavg()[2], 1),
    }
    schema.mark_complete(options, info)
    print(f"Generated in {timings['total']:.0f} s: {info['timings']}", flush=True)
    return info


def _world_sizes(world: World) -> dict[str, list[Any]]:
    return {
        "organisations_organisation": [None] * (1 + len(world.organisers)),
        "organisations_unit": world.units,
        "accounts_user": world.users,
        "accounts_membership": world.memberships,
    }
