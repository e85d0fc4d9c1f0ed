"""Indexes on the bulk tables that another index already covers (its leading columns).

Django adds an index to every foreign key; where a composite index starts with the same
column, the single-column one only costs disk and write time.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.generation.consents import TABLES as CONSENT_TABLES
from bench.generation.tables import BULK_TABLES
from bench.schema import connect

REDUNDANT_SQL = """
SELECT DISTINCT ON (i.relname) t.relname, i.relname, pg_relation_size(i.oid), o.relname
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_index y ON y.indrelid = x.indrelid AND y.indexrelid <> x.indexrelid
JOIN pg_class o ON o.oid = y.indexrelid
WHERE t.relname = ANY(%s)
  AND NOT x.indisunique AND NOT x.indisprimary
  AND x.indpred IS NULL AND y.indpred IS NULL
  AND x.indnatts < y.indnatts
  AND (y.indkey::int2[])[0:x.indnatts - 1] = (x.indkey::int2[])[0:x.indnatts - 1]
ORDER BY i.relname, y.indisunique DESC, o.relname
"""


@dataclass(frozen=True)
class Redundant:
    table: str
    index: str
    size: int
    covered_by: str


def redundant_indexes(url: str) -> list[Redundant]:
    with connect(url) as conn:
        rows = conn.execute(REDUNDANT_SQL, [[*BULK_TABLES, *CONSENT_TABLES]]).fetchall()
    return sorted((Redundant(*row) for row in rows), key=lambda r: -r.size)
