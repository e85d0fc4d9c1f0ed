"""The results table on the terminal and in the full results file (``var/bench/``).

The full file (about 1,100 lines of tables, queries and plans) is generated on every
run and kept out of git; ``bench/RESULTS.md`` is the short summary written by hand.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
from pathlib import Path
from typing import Any

from bench.measurement.consent_send import send_lines
from bench.measurement.measure import Measurement, Result
from bench.options import Options

RESULTS_DIR = Path(__file__).resolve().parents[2] / "var" / "bench"
GOAL = 1.5
HEADER = ("operation", "queries", "real ms", "ORM SQL ms", "raw ms", "raw+audit ms",
          "ratio", "ratio (reads)", "ratio (best runs)", "same rows")  # fmt: skip


def _row(r: Result) -> list[str]:
    m = r.medians
    flag = "" if r.ratio <= GOAL else " !"
    return [r.name, str(len(r.queries)), f"{m['real']:.2f}", f"{m['orm_sql']:.2f}",
            f"{m['raw']:.2f}", f"{m['raw_audit']:.2f}", f"{r.ratio:.2f}x{flag}",
            f"{r.ratio_reads:.2f}x", f"{r.ratio_best:.2f}x",
            "yes" if r.same_rows else "NO"]  # fmt: skip


def table(results: list[Result]) -> list[list[str]]:
    return [list(HEADER), *(_row(r) for r in results)]


def _aligned(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for number, row in enumerate(rows):
        cells = [
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells))
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _markdown(rows: list[list[str]]) -> str:
    lines = [
        "| " + " | ".join(rows[0]) + " |",
        "|" + "|".join("---" if i == 0 else "---:" for i in range(len(rows[0]))) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def _short(statement: str, limit: int = 170) -> str:
    """The statement without its select list and quotes, cut to ``limit`` characters."""
    text = " ".join(statement.replace('"', "").split())
    if text.upper().startswith("SELECT ") and " FROM " in text:
        text = "SELECT … " + text[text.index(" FROM ") + 1 :]
    return text if len(text) <= limit else text[: limit - 1] + "…"


def query_lines(r: Result) -> list[str]:
    """One line per query: its verb and tables, and for reads the plan's indexes."""
    plans = iter(r.plans)
    lines = []
    for number, statement in enumerate(r.queries, start=1):
        line = f"{number}. `{_short(statement)}`"
        if statement.lstrip().upper().startswith("SELECT"):
            plan = next(plans)
            seq = plan.seq_scans_of_big_tables
            line += (
                f" — {plan.execution_ms:.2f} ms, indexes: "
                f"{', '.join(plan.indexes) or 'none'}"
                + (f"; **sequential scan: {', '.join(seq)}**" if seq else "")
            )
        lines.append(line)
    return lines


def print_report(measurement: Measurement, info: dict[str, Any]) -> None:
    print()
    print(_aligned(table(measurement.results)))
    print(f"\nratio = real / (raw SQL + hand-written audit row); goal <= {GOAL}x.")
    if measurement.sends is not None:
        print("\n" + "\n".join(send_lines(measurement.sends)))
    for r in measurement.results:
        print(f"\n{r.name}: {len(r.queries)} queries")
        for line in query_lines(r):
            print("  " + line.replace("`", "").replace("**", ""))


def _machine() -> list[str]:
    model = "unknown"
    memory = "unknown"
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        model = next(
            line.split(":", 1)[1].strip()
            for line in cpuinfo.splitlines()
            if line.startswith("model name")
        )
        meminfo = Path("/proc/meminfo").read_text().split()
        memory = f"{int(meminfo[meminfo.index('MemTotal:') + 1]) / 1024**2:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    return [
        f"{os.cpu_count()} cores ({model}), {memory} RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    ]


def write_results(
    measurement: Measurement, info: dict[str, Any], options: Options, server: list[str]
) -> None:
    from bench.measurement.indexes import redundant_indexes
    from bench.measurement.results_doc import render

    text = render(
        measurement,
        info,
        options,
        machine=_machine() + server,
        date=dt.datetime.now(dt.UTC),
        redundant=redundant_indexes(options.database_url),
    )
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"results-s{options.scale:g}.md"
    path.write_text(text, encoding="utf-8")
    print(f"\nWrote {path}")
