"""``bench/RESULTS.md``: what was measured, on what, and what it showed."""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

from bench.measure import Measurement, Result
from bench.options import Options
from bench.report import GOAL, _markdown, query_lines, table

ROW_ORDER = (
    "clients_client", "exchange_case", "exchange_thread", "exchange_inboxentry",
    "exchange_message", "exchange_attachment", "exchange_receipt", "exchange_caseevent",
    "organisations_organisation", "organisations_unit", "accounts_user", "accounts_membership",
)  # fmt: skip
TIMINGS = ("migrate", "plan", "copy", "indexes", "foreign_keys", "vacuum_analyze", "total")


def _dataset(info: dict[str, Any]) -> list[str]:
    rows = info.get("rows", {})
    timings = info.get("timings", {})
    lines = [
        f"Generated {info.get('generated_at', '?')} (activity up to "
        f"{info.get('period_end', '?')}, four years back), {info.get('cases', 0):,} cases.",
        "",
        "| table | rows |",
        "|---|---:|",
        *(f"| {t} | {rows[t]:,} |" for t in ROW_ORDER if t in rows),
        "",
        "Generation time (seconds): "
        + ", ".join(f"{k.replace('_', ' ')} {timings[k]:,.0f}" for k in TIMINGS if k in timings)
        + ".",
    ]
    return lines


def _queries(results: list[Result]) -> list[str]:
    lines = []
    for r in results:
        lines += ["", f"**{r.name}**: {len(r.queries)} queries", ""]
        lines += query_lines(r)
    return lines


def _plans(results: list[Result]) -> list[str]:
    lines = ["<details><summary>EXPLAIN (ANALYZE, BUFFERS) of every ORM read</summary>", ""]
    for r in results:
        for plan in r.plans:
            lines += [
                f"{r.name}:",
                "",
                "```sql",
                plan.statement,
                "```",
                "",
                "```",
                plan.text,
                "```",
                "",
            ]
    return [*lines, "</details>"]


def _experiments(measurement: Measurement) -> list[str]:
    if not measurement.experiments:
        return []
    lines = [
        "| change | operation | now ms | changed ms | saved | queries | same rows |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for e in measurement.experiments:
        lines.append(
            f"| {e.experiment.name} | {e.operation} | {e.current_ms:.2f} | {e.changed_ms:.2f} "
            f"| {e.gain:+.0%} | {e.queries_current} → {e.queries_changed} "
            f"| {'yes' if e.same_rows else 'NO'} |"
        )
    lines.append("")
    seen = set()
    for e in measurement.experiments:
        if e.experiment.name not in seen:
            seen.add(e.experiment.name)
            lines.append(f"- **{e.experiment.name}**: {e.experiment.change}")
    return lines


def _observations(measurement: Measurement) -> list[str]:
    results = measurement.results
    audit = statistics.median(r.medians["raw_audit"] - r.medians["raw"] for r in results)
    python = statistics.median(r.medians["real"] - r.medians["orm_sql"] for r in results)
    over = [r.name for r in results if r.ratio > GOAL]
    seq = [
        f"{r.name} ({', '.join(p.seq_scans_of_big_tables)})"
        for r in results
        for p in r.plans
        if p.seq_scans_of_big_tables
    ]
    return [
        f"- Writing the audit row (an INSERT that commits, so one WAL flush) costs about "
        f"{audit:.1f} ms per page view by itself (median of raw+audit minus raw).",
        f"- Django's own work (building the SQL, the model instances, the audit row) adds "
        f"about {python:.1f} ms over the database time of the same statements "
        "(real minus ORM SQL replayed).",
        f"- Over the {GOAL}x goal: {', '.join(over) if over else 'none'}.",
        f"- Sequential scans of large tables in the ORM's plans: "
        f"{', '.join(seq) if seq else 'none'}.",
    ]


def render(
    measurement: Measurement,
    info: dict[str, Any],
    options: Options,
    machine: list[str],
    date: dt.datetime,
) -> str:
    s = measurement.subjects
    before, after = measurement.load_average
    lines = [
        "# Benchmark results",
        "",
        f"`make bench` run of {date:%Y-%m-%d %H:%M} UTC, scale {options.scale:g} "
        f"({options.clients:,} clients, {options.messages:,} messages), "
        f"{options.reps} timed repetitions after {options.warmup} warm-up runs, medians.",
        "This file is rewritten by every run; the numbers are those of the last one.",
        "",
        "## Machine",
        "",
        *(f"- {line}" for line in machine),
        f"- 1-minute load average {before:.1f} before and {after:.1f} after the timing. "
        "Other developers' test runs share this machine, so single timings are noisy; "
        "the variants are timed round-robin so that the noise hits them alike.",
        "",
        "## Data set",
        "",
        *_dataset(info),
        "",
        "## Results",
        "",
        f"Measured on the busiest inbox, {s.unit.name_fi} ({s.inbox_size:,} entries), as "
        f"{s.actor.label}, one of its workers; the timeline is that of the longest client "
        f"history this worker can see ({s.case_messages:,} messages, {s.case_events:,} "
        "events).",
        "",
        _markdown(table(measurement.results)),
        "",
        "- *real*: the service and selector code through Django (audit row included), and "
        "reading every attribute the page's template reads (so lazy loads would count);",
        "- *ORM SQL*: the statements the real code sent, replayed as they are with psycopg;",
        "- *raw*: hand-written SQL for the same rows, order and limit, with only the "
        "columns the page shows (reads only); *raw+audit*: the same plus the audit row "
        "written by hand;",
        f"- *ratio*: real / raw+audit (the goal: at most {GOAL}x); *ratio (reads)*: real / "
        "raw; *same rows*: the real and the raw code return the same ids and counts.",
        "",
        *_observations(measurement),
        "",
        "## Queries per operation",
        *_queries(measurement.results),
        "",
        *_plans(measurement.results),
        "",
        "## Measured changes to src/ (not applied)",
        "",
        *_experiments(measurement),
        "",
    ]
    return "\n".join(lines)
