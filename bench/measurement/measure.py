"""Timing: each operation through the real code, its own SQL replayed, and hand-written SQL.

For every operation the real call is run once under ``CaptureQueriesContext`` to record
its SQL (the query count, the plans), then four variants are timed round-robin, so that
background load from other work on the machine hits them alike:

- ``real``: the service/selector call through Django (audit row included);
- ``orm_sql``: the exact statements the real call sent, replayed with psycopg (database
  time of the ORM's queries without the Python around them);
- ``raw``: hand-written SQL returning the same rows (reads only);
- ``raw_audit``: the same plus the audit row written by hand.

Medians in milliseconds after a warm-up.
"""

from __future__ import annotations

import os
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import psycopg

from bench.measurement import explain
from bench.measurement.analytics import analytics_operations, pick_analytics_subjects
from bench.measurement.cases import REQUEST_ID, SOURCE_ADDRESS, Operation, operations
from bench.measurement.consent_send import SendResult, measure_sends
from bench.measurement.consents import consent_operations, pick_consent_subjects
from bench.measurement.directory_referrals import new_operations, pick_new_subjects
from bench.measurement.portal import pick_portal_subjects, portal_operations
from bench.measurement.subjects import Subjects, pick_subjects
from bench.measurement.timing import capture, time_samples
from bench.options import Options

VARIANTS = ("real", "orm_sql", "raw", "raw_audit")


@dataclass
class Result:
    name: str
    medians: dict[str, float]
    minimums: dict[str, float]
    queries: list[str]
    same_rows: bool
    rows: int
    plans: list[explain.Plan] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        """Real code against hand-written SQL doing the same work (audit row included)."""
        return self.medians["real"] / self.medians["raw_audit"]

    @property
    def ratio_reads(self) -> float:
        return self.medians["real"] / self.medians["raw"]

    @property
    def ratio_best(self) -> float:
        """The same ratio from each variant's fastest run (least disturbed by other load)."""
        return self.minimums["real"] / self.minimums["raw_audit"]


@dataclass
class Measurement:
    subjects: Subjects
    results: list[Result]
    new_subjects: Any = None  # bench.measurement.directory_referrals.NewSubjects
    consent_subjects: Any = None  # bench.measurement.consents.ConsentSubjects
    sends: SendResult | None = None
    load_average: tuple[float, float] = (0.0, 0.0)  # 1-minute load before and after


def _plain(statement: str) -> str:
    """A server-side cursor's ``DECLARE … CURSOR … FOR SELECT`` (``QuerySet.iterator()``)
    as its plain SELECT, so that it can be replayed and explained like the others."""
    if statement.startswith("DECLARE ") and " CURSOR " in statement:
        return statement.split(" FOR ", 1)[1]
    return statement


def _replay(conn: psycopg.Connection[Any], statements: list[str]) -> None:
    for statement in statements:
        cursor = conn.execute(statement)
        if cursor.description is not None:
            cursor.fetchall()


def measure_operation(op: Operation, raw: psycopg.Connection[Any], options: Options) -> Result:
    """Capture the real call's SQL, check both sides agree, time the four variants."""
    queries = [_plain(q) for q in capture(op.real)]
    real_rows, raw_rows = op.real(), op.raw(raw, False)
    runners: dict[str, Callable[[], Any]] = {
        "real": op.real,
        "orm_sql": lambda: _replay(raw, queries),
        "raw": lambda: op.raw(raw, False),
        "raw_audit": lambda: op.raw(raw, True),
    }
    samples = time_samples(runners, options.reps, options.warmup)
    return Result(
        name=op.name,
        medians={name: statistics.median(values) for name, values in samples.items()},
        minimums={name: min(values) for name, values in samples.items()},
        queries=queries,
        same_rows=real_rows == raw_rows,
        rows=len(real_rows),
        plans=explain.explain_all(raw, queries),
    )


def raw_connection(options: Options) -> psycopg.Connection[Any]:
    """Autocommit, no server-side prepared statements: the same terms as Django's."""
    return psycopg.connect(options.database_url, autocommit=True, prepare_threshold=None)


def measure_all(options: Options) -> Measurement:
    from silta.core import request_context

    token = request_context.activate(
        request_context.RequestContext(request_id=REQUEST_ID, source_address=SOURCE_ADDRESS)
    )
    try:
        subjects = pick_subjects()
        print(
            f"Measuring: unit {subjects.unit.name_fi!r} ({subjects.inbox_size:,} inbox "
            f"entries), user {subjects.actor.label!r}, case with {subjects.case_messages:,} "
            f"messages / {subjects.case_events:,} events; {options.reps} reps.",
            flush=True,
        )
        load_before = os.getloadavg()[0]
        results = []
        new_subjects = pick_new_subjects()
        # One random case per timed run and warm-up run of the send comparison.
        consent_subjects = pick_consent_subjects(options.reps + options.warmup, options.seed)
        ops = [
            *operations(subjects),
            *new_operations(new_subjects),
            *consent_operations(consent_subjects),
            *portal_operations(pick_portal_subjects()),
            *analytics_operations(pick_analytics_subjects()),
        ]
        ops = [op for op in ops if options.wants(op.name)]
        sends = None
        with raw_connection(options) as raw:
            for op in ops:
                results.append(measure_operation(op, raw, options))
                print(f"  {op.name}: {results[-1].medians['real']:.2f} ms", flush=True)
            if options.wants("message_send"):
                sends = measure_sends(consent_subjects, raw, options)
                print(f"  message_send: {sends.medians['send']:.2f} ms", flush=True)
        return Measurement(
            subjects=subjects,
            results=results,
            new_subjects=new_subjects,
            consent_subjects=consent_subjects,
            sends=sends,
            load_average=(load_before, os.getloadavg()[0]),
        )
    finally:
        request_context.deactivate(token)
