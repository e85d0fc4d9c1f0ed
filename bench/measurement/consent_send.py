"""What the disclosure check adds to sending a message (issue 9: at most 1 ms, median).

On random cases whose client has a consent covering messages (one case per repetition,
the same sequence for every variant), timed round-robin:

- ``check``: ``consents.gate.gate_decide`` for the message, the real code;
- ``check_raw``: the hand-written SQL that finds the same covering consent;
- ``send``: the whole ``exchange.services.message_send`` (the check, the message, the
  disclosure row, the receipt, the inbox entries, the case event, the audit row); on
  PostgreSQL the check and the disclosure row are one statement (``consents.logged``),
  prepared once per database session: the first send of the run prepares it, before the
  statements are counted and timed;
- ``send_unchecked``: the same send with ``exchange.services._decide`` replaced for the
  call by one that decides nothing, so no check runs and no disclosure row is written
  (``gate_settle`` then has nothing to settle): the real code less exactly what the check
  adds.

Each send runs in a transaction that is rolled back, so the data set does not change
(the commit's WAL flush, the same for both sends, is not in the figures).
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
from django.db import transaction

from bench.measurement.consents import ConsentSubjects, Send, raw_check, real_check
from bench.measurement.timing import capture, time_samples
from bench.options import Options

TARGET_MS = 1.0
BODY = "Hei, hakemuksen käsittely jatkuu. Toimitatteko vielä vuokrasopimuksen?"
DECIDE = "_decide"  # the function of exchange.services that runs the check
VARIANTS = ("check", "check_raw", "send", "send_unchecked")


@dataclass
class SendResult:
    cases: int
    medians: dict[str, float]
    minimums: dict[str, float]
    queries: dict[str, int]
    same_consents: bool

    @property
    def added(self) -> float:
        """Median of the send minus median of the send without the check."""
        return self.medians["send"] - self.medians["send_unchecked"]


def _no_check(*args: Any) -> tuple[None, None]:
    return None, None


def _send(send: Send, checked: bool = True) -> None:
    from silta.exchange import services

    with transaction.atomic():
        if checked:
            services.message_send(actor=send.actor, thread=send.thread, body=BODY)
        else:
            decide = getattr(services, DECIDE)
            setattr(services, DECIDE, _no_check)
            try:
                services.message_send(actor=send.actor, thread=send.thread, body=BODY)
            finally:
                setattr(services, DECIDE, decide)
        transaction.set_rollback(True)


def _rotating(sends: list[Send], fn: Callable[[Send], Any]) -> Callable[[], Any]:
    """A runner that takes the next case on every call."""
    cycle = itertools.cycle(sends)
    return lambda: fn(next(cycle))


def measure_sends(s: ConsentSubjects, raw: psycopg.Connection[Any], options: Options) -> SendResult:
    sends = s.sends
    same = all(real_check(send) == raw_check(raw, send) for send in sends)
    _send(sends[0])  # the session's first send prepares the statement (see the module)
    queries = {
        "check": len(capture(lambda: real_check(sends[0]))),
        "send": len(capture(lambda: _send(sends[0]))),
        "send_unchecked": len(capture(lambda: _send(sends[0], checked=False))),
    }
    runners = {
        "check": _rotating(sends, real_check),
        "check_raw": _rotating(sends, lambda send: raw_check(raw, send)),
        "send": _rotating(sends, _send),
        "send_unchecked": _rotating(sends, lambda send: _send(send, checked=False)),
    }
    samples = time_samples(runners, options.reps, options.warmup)
    return SendResult(
        cases=len(sends),
        medians={name: statistics.median(values) for name, values in samples.items()},
        minimums={name: min(values) for name, values in samples.items()},
        queries=queries,
        same_consents=same,
    )


def send_lines(r: SendResult) -> list[str]:
    """The result against the target, as plain lines (terminal and results file)."""
    m = r.medians
    met = "met" if m["check"] <= TARGET_MS and r.added <= TARGET_MS else "MISSED"
    return [
        f"Disclosure check on {r.cases} random cases (medians; target: at most "
        f"{TARGET_MS:g} ms added to sending a message): {met}.",
        f"- gate_decide (message): {m['check']:.2f} ms ({r.queries['check']} queries); the "
        f"same decision in hand-written SQL {m['check_raw']:.2f} ms (one statement); same "
        "consent found on every case: "
        f"{'yes' if r.same_consents else 'NO'}.",
        f"- message_send: {m['send']:.2f} ms with the check ({r.queries['send']} queries), "
        f"{m['send_unchecked']:.2f} ms without it ({r.queries['send_unchecked']} queries): "
        f"the check adds {r.added:.2f} ms (decision and disclosure row, one statement on "
        "PostgreSQL; rolled back, no commit in either).",
        f"- Fastest runs (least disturbed by other work): gate_decide "
        f"{r.minimums['check']:.2f} ms, hand-written {r.minimums['check_raw']:.2f} ms; "
        f"message_send {r.minimums['send']:.2f} ms with, {r.minimums['send_unchecked']:.2f} "
        f"ms without (adds {r.minimums['send'] - r.minimums['send_unchecked']:.2f} ms).",
    ]
