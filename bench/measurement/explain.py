"""EXPLAIN (ANALYZE, BUFFERS) of the captured ORM queries, summarised: which scans, which
indexes, and any sequential scan of a large table (a missing or unusable index)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import psycopg

BIG_TABLES = {
    "clients_client", "exchange_case", "exchange_thread", "exchange_inboxentry",
    "exchange_message", "exchange_receipt", "exchange_caseevent", "exchange_attachment",
    "audit_auditevent", "referrals_referral", "referrals_referralevent", "consents_consent",
    "consents_consent_units", "consents_consentrevocation", "consents_disclosure",
}  # fmt: skip
_NODE = re.compile(r"^\s*(?:->\s*)?(.*?)\s+\(cost=")
_TIME = re.compile(r"(Planning|Execution) Time: ([\d.]+) ms")
_SEQ = re.compile(r"Seq Scan on (\w+)")
_INDEX = re.compile(r"(?: using |Bitmap Index Scan on )(\w+)")


@dataclass(frozen=True)
class Plan:
    statement: str
    text: str
    planning_ms: float
    execution_ms: float
    nodes: list[str]

    @property
    def seq_scans_of_big_tables(self) -> list[str]:
        return [n for n in self.nodes if (m := _SEQ.search(n)) and m.group(1) in BIG_TABLES]

    @property
    def indexes(self) -> list[str]:
        return sorted({m.group(1) for n in self.nodes if (m := _INDEX.search(n))})


def explain(conn: psycopg.Connection[Any], statement: str) -> Plan:
    rows = conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement).fetchall()
    text = "\n".join(row[0] for row in rows)
    times = dict(_TIME.findall(text))
    nodes = [m.group(1) for line in text.splitlines() if (m := _NODE.match(line))]
    return Plan(
        statement=statement,
        text=text,
        planning_ms=float(times.get("Planning", 0)),
        execution_ms=float(times.get("Execution", 0)),
        nodes=nodes,
    )


def explain_all(conn: psycopg.Connection[Any], statements: list[str]) -> list[Plan]:
    """Plans of the reads (an INSERT is not explained: ANALYZE would execute it)."""
    return [explain(conn, s) for s in statements if s.lstrip().upper().startswith("SELECT")]
