"""The full results file (``var/bench/results-s<scale>.md``): what was measured, on what,
and what it showed."""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

from bench.measurement.consent_send import send_lines
from bench.measurement.indexes import Redundant
from bench.measurement.measure import Measurement, Result
from bench.measurement.report import GOAL, _markdown, query_lines, table
from bench.options import Options

ROW_ORDER = (
    "clients_client", "exchange_case", "exchange_thread", "exchange_inboxentry",
    "exchange_message", "exchange_attachment", "exchange_receipt", "exchange_caseevent",
    "organisations_organisation", "organisations_unit", "accounts_user", "accounts_membership",
)  # fmt: skip
CAVEATS = [
    "- Warm cache: every figure is a median after warm-up, so the pages read are in "
    "PostgreSQL's or the kernel's cache. A cold first view costs more.",
    "- The rows are loaded case by case, so one client's events and messages sit together "
    "on disk; in production they interleave in time order. This flatters cold timeline "
    "reads, not the warm medians above.",
    "- Template rendering and the HTTP stack are not timed; the *real* column is the "
    "service and selector calls plus the attribute reads the templates make.",
    "- Both sides run without server-side prepared statements (Django's default), so "
    "PostgreSQL plans every statement each time, as it does in production.",
]

UNAUDITED = ("directory", "disclosure check")  # no audit row: raw+audit = raw
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
    if "load_average_15min" in info:
        lines.append(
            f"The 15-minute load average at its end was {info['load_average_15min']} on "
            "2 cores: other work on the machine slows the generation down."
        )
    return lines


def _steps(info: dict[str, Any]) -> list[str]:
    steps = info.get("steps", {})
    directory, referrals = steps.get("directory", {}), steps.get("referrals", {})
    if not directory or not referrals:
        return []
    return [
        "",
        "Added by incremental steps (bench/generation/steps.py, run once per data set): "
        "the directory "
        f"({directory['units']:,} units, {directory['units_added']:,} of them local units "
        f"per municipality; {directory['service_areas']:,} service areas, "
        f"{directory['channels']:,} channels, {directory['weekly_hours']:,} weekly hours, "
        f"{directory['exceptions']:,} hours exceptions, {directory['staff_added']:,} more "
        f"staff; {directory['seconds']:.0f} s) and referrals ({referrals['referrals']:,} "
        f"referrals over two years on {referrals['cases_sampled']:,} sampled cases, "
        f"{referrals['referral_events']:,} referral events, a {referrals['calendar_days']:,}"
        f"-day working-day calendar `bench_workday`; {referrals['seconds']:.0f} s).",
    ]


def _consent_step(info: dict[str, Any]) -> list[str]:
    c = info.get("steps", {}).get("consents", {})
    if not c:
        return []
    statutes = ", ".join(f"{n:,} on {b}" for b, n in sorted(c["disclosures_on_statute"].items()))
    return [
        "",
        f"Consents (step `consents`, {c['seconds']:.0f} s): {c['consents']:,} consents for "
        f"{c['clients']:,} clients ({c['renewed']:,} given again after one expired, "
        f"{c['replaced']:,} replacing a revoked one, {c['revoked_by_client']:,} revoked by the "
        f"client; {c['revocations']:,} revocations, {c['unit_rows']:,} named-unit rows) and "
        f"{c['disclosures']:,} disclosure-log rows for the messages of the last "
        f"{c['disclosure_days']} days ({c['disclosures_on_consent']:,} on a consent, "
        f"{statutes}).",
    ]


def _consent_subjects(measurement: Measurement) -> list[str]:
    c = measurement.consent_subjects
    if c is None:
        return []
    return [
        "",
        f"The consent panel is that of the client with the most consents "
        f"({c.panel_consents}, {c.panel_units} named-unit rows), read by "
        f"{c.panel_actor.label}, a worker of the social unit of the client's first case; "
        "its raw SQL computes the states and the working days left (expiry warning) in the "
        "statement. The disclosure check in the table is that of a message on one case; "
        "below, the same on random cases and the whole send with and without it.",
    ]


def _new_subjects(measurement: Measurement) -> list[str]:
    n = measurement.new_subjects
    if n is None:
        return []
    return [
        "",
        f"The directory searches and unit page need no actor (directory data is not client "
        f"data, no audit row: raw+audit = raw); the person search is the full name of "
        f"{n.person_query}; the unit page is that of the unit with the most channels "
        f"({n.page_unit_channels}) and staff. The referral operations are measured on the "
        f"busiest receiving unit, {n.referral_unit.name_fi} "
        f"({n.referrals_received:,} referrals received), as its manager "
        f"{n.manager.label}; the report is for {n.report_month[0]}-{n.report_month[1]:02d}. "
        "Its raw SQL computes every figure in one GROUP BY ROLLUP statement (received, "
        "acknowledged within 1 working day, completed, completed by the due date, median "
        "working days to outcome) with the `bench_workday` calendar table (working days "
        "between two dates = difference of a running count), plus one statement for the "
        "returns by reason; the real code reads the month's rows and computes the working "
        "days in Python (`silta.workdays.calendar`). The directory's *real* also computes "
        "each channel's open/closed status in Python (`reachability`), which the raw side "
        "does not.",
    ]


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


def _redundant(redundant: list[Redundant]) -> list[str]:
    if not redundant:
        return ["None: no single-column index is covered by another on the bulk tables."]
    total = sum(r.size for r in redundant)
    return [
        "Django indexes every foreign key; these indexes are the leading column(s) of "
        "another index on the same table, which serves the same lookups (joins, foreign "
        "key checks). Each costs disk, cache and time on every insert. "
        f"Together {total / 1024**3:.1f} GiB at this scale. The change: "
        "`db_index=False` on the foreign key (keeping the composite index).",
        "",
        "| table | index | size | covered by |",
        "|---|---|---:|---|",
        *(
            f"| {r.table} | {r.index} | {r.size / 1024**2:,.0f} MiB | {r.covered_by} |"
            for r in redundant
        ),
    ]


def _observations(measurement: Measurement) -> list[str]:
    results = measurement.results
    audit = statistics.median(
        r.medians["raw_audit"] - r.medians["raw"]
        for r in results
        if not r.name.startswith(UNAUDITED)
    )
    python = statistics.median(r.medians["real"] - r.medians["orm_sql"] for r in results)
    over = [r.name for r in results if r.ratio > GOAL]
    seq = [
        f"{r.name} ({', '.join(p.seq_scans_of_big_tables)})"
        for r in results
        for p in r.plans
        if p.seq_scans_of_big_tables
    ]
    database = ", ".join(
        f"{r.name} {r.medians['orm_sql'] / r.medians['raw_audit']:.2f}x" for r in results
    )
    return [
        f"- The database side of the real code (ORM SQL / raw+audit): {database}.",
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
    redundant: list[Redundant],
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
        *_steps(info),
        *_consent_step(info),
        "",
        "## Results",
        "",
        f"Measured on the busiest inbox, {s.unit.name_fi} ({s.inbox_size:,} entries), as "
        f"{s.actor.label}, one of its workers; the timeline is that of the longest client "
        f"history this worker can see ({s.case_messages:,} messages, {s.case_events:,} "
        "events).",
        "",
        *_new_subjects(measurement),
        *_consent_subjects(measurement),
        "",
        _markdown(table(measurement.results)),
        "",
        *(send_lines(measurement.sends) if measurement.sends is not None else []),
        "",
        "- *real*: the service and selector code through Django (audit row included), and "
        "reading every attribute the page's template reads (so lazy loads would count);",
        "- *ORM SQL*: the statements the real code sent, replayed as they are with psycopg;",
        "- *raw*: hand-written SQL for the same rows, order and limit, with only the "
        "columns the page shows (reads only); *raw+audit*: the same plus the audit row "
        "written by hand;",
        f"- *ratio*: real / raw+audit (the goal: at most {GOAL}x); *ratio (reads)*: real / "
        "raw; *ratio (best runs)*: real / raw+audit from each variant's fastest run, the "
        "least disturbed by other work on the machine; *same rows*: the real and the raw "
        "code return the same ids and counts.",
        "",
        *_observations(measurement),
        "",
        "## Queries per operation",
        *_queries(measurement.results),
        "",
        *_plans(measurement.results),
        "",
        "## Redundant indexes",
        "",
        *_redundant(redundant),
        "",
        "## Caveats",
        "",
        *CAVEATS,
        "",
    ]
    return "\n".join(lines)
