#!/usr/bin/env python
"""``make bench``: build (or reuse) the national-scale data set, then time the inbox and
the timeline through the real code and through hand-written SQL.

Usage: ``.venv/bin/python bench/run.py [--scale 0.01] [--reps 50] [--regenerate]``;
see ``bench/options.py`` for the environment variables.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Import ``bench.*`` as a package (never its modules as top-level names) and Silta from src.
sys.path[0:1] = [str(ROOT), str(ROOT / "src")]


def main(argv: list[str] | None = None) -> int:
    from bench.options import parse

    options = parse(argv)
    os.environ["DATABASE_URL"] = options.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "silta.config.settings"
    os.environ["DEBUG"] = "false"  # no query log while timing; captured explicitly
    import django

    django.setup()
    from bench.generation.dataset import ensure_dataset

    info = ensure_dataset(options)
    if options.generate_only:
        return 0
    from bench import schema
    from bench.measurement import bookings, calendar_speed, fhir_tasks, meetings, webhook_fanout
    from bench.measurement.measure import measure_all
    from bench.measurement.report import print_report, write_results

    measurement = measure_all(options)
    print_report(measurement, info)
    if options.wants("calendar"):
        print("\n".join(["", *calendar_speed.report_lines(calendar_speed.measure())]))
    if options.wants("bookings slot search"):
        print("\n".join(["", *bookings.report_lines(bookings.measure(options))]))
    if options.wants("meetings open actions"):
        print("\n".join(["", *meetings.report_lines(meetings.measure(options))]))
    if options.wants("fhir task search"):
        print("\n".join(["", *fhir_tasks.report_lines(fhir_tasks.measure(options))]))
    if options.wants("webhook fanout"):
        fan_out = webhook_fanout.measure(*webhook_fanout.sizes(options.scale))
        print("\n".join(["", *webhook_fanout.report_lines(fan_out)]))
    if options.write_results:
        write_results(measurement, info, options, schema.server_info(options.database_url))
    return 0


if __name__ == "__main__":
    sys.exit(main())
