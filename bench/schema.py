"""The bench database: create, migrate, mark as complete, and indexes around the load.

The schema is always Django's own (``manage.py migrate`` against the bench database).
Before the bulk load the secondary indexes, unique constraints and foreign keys of the
bulk tables are dropped (their definitions are read from the catalog first); afterwards
they are recreated exactly, the foreign keys validated, sequences moved past the loaded
ids, and the database vacuumed and analysed. ``bench_dataset`` marks a finished data set.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from bench.options import Options

ROOT = Path(__file__).resolve().parent.parent
MARKER = "bench_dataset"
RESTORE_WORKERS = 2  # the machine has two cores


def connect(url: str, **kwargs: Any) -> psycopg.Connection[Any]:
    return psycopg.connect(url, **kwargs)


def dataset(options: Options) -> dict[str, Any] | None:
    """The marker row of a finished data set at this scale and seed, if there is one."""
    with connect(options.url_for("postgres"), autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [options.database_name]
        ).fetchone()
    if not found:
        return None
    with connect(options.database_url) as conn:
        if conn.execute("SELECT to_regclass(%s)", [MARKER]).fetchone() == (None,):
            return None
        row = conn.execute(
            sql.SQL("SELECT info FROM {} WHERE scale = %s AND seed = %s").format(
                sql.Identifier(MARKER)
            ),
            [options.scale, options.seed],
        ).fetchone()
    return row[0] if row else None


SETUP_LOCK = 7_021_907  # pg_advisory_lock key: one run at a time migrates or adds steps


@contextmanager
def setup_lock(options: Options) -> Iterator[None]:
    """Held while a reused data set is migrated and gains its steps, so that two bench runs
    started together on one data set never apply a migration or load a step twice (the
    second waits, then finds both done)."""
    with connect(options.url_for("postgres"), autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", [SETUP_LOCK])
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", [SETUP_LOCK])


def recreate_database(options: Options) -> None:
    name = sql.Identifier(options.database_name)
    with connect(options.url_for("postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def migrate(options: Options) -> None:
    env = {**os.environ, "DATABASE_URL": options.database_url}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def migrate_existing(options: Options) -> bool:
    """Apply migrations added since the data set was generated; True if there were any."""
    env = {**os.environ, "DATABASE_URL": options.database_url}
    check = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check", "--plan"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if check.returncode == 0:
        return False
    print("Applying migrations newer than the data set:\n" + check.stdout.strip(), flush=True)
    migrate(options)
    vacuum_analyze(options.database_url)
    return True


def _catalog(conn: psycopg.Connection[Any], tables: Iterable[str]) -> list[tuple[str, ...]]:
    """(kind, table, name, definition) of every droppable index and constraint."""
    names = list(tables)
    constraints = conn.execute(
        """
        SELECT c.contype, t.relname, c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
        WHERE (c.contype = 'u' AND t.relname = ANY(%(t)s))
           OR (c.contype = 'f' AND (t.relname = ANY(%(t)s)
               OR c.confrelid IN (SELECT oid FROM pg_class WHERE relname = ANY(%(t)s))))
        """,
        {"t": names},
    ).fetchall()
    indexes = conn.execute(
        """
        SELECT 'i', t.relname, ic.relname, pg_get_indexdef(i.indexrelid)
        FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
        JOIN pg_class ic ON ic.oid = i.indexrelid
        WHERE t.relname = ANY(%(t)s) AND NOT i.indisprimary AND NOT EXISTS (
            SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid
              AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x'))
        """,
        {"t": names},
    ).fetchall()
    return [tuple(row) for row in [*constraints, *indexes]]


def drop_secondary(url: str, tables: Iterable[str]) -> list[tuple[str, ...]]:
    """Drop the bulk tables' foreign keys, unique constraints and secondary indexes."""
    with connect(url) as conn:
        catalog = _catalog(conn, tables)
        for kind, table, name, _definition in sorted(catalog, key=lambda r: "fui".index(r[0])):
            if kind == "i":
                conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
            else:
                conn.execute(
                    sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                        sql.Identifier(table), sql.Identifier(name)
                    )
                )
    return catalog


def _missing_columns(columns: dict[str, tuple[str, ...]]) -> list[tuple[str, Any]]:
    """(table, field) of NOT NULL model fields the COPY lines do not carry."""
    from django.apps import apps
    from django.db.models import NOT_PROVIDED

    models = {model._meta.db_table: model for model in apps.get_models()}
    return [
        (table, field)
        for table, listed in columns.items()
        for field in models[table]._meta.concrete_fields
        if field.column not in listed and not field.null and field.db_default is NOT_PROVIDED
    ]


def set_missing_defaults(url: str, columns: dict[str, tuple[str, ...]]) -> list[tuple[str, str]]:
    """Give columns added to the models since the generator was written their Django
    default as a temporary database default, so COPY keeps working; return them."""
    from django.db import connection

    changed = []
    with connect(url) as conn:
        for table, field in _missing_columns(columns):
            value = field.get_default()
            if value is None:
                raise RuntimeError(
                    f"{table}.{field.column} is NOT NULL without a default: "
                    "fill it in bench/generation (or name it in tables.LEFT_TO_DEFAULT)"
                )
            conn.execute(
                sql.SQL("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {}").format(
                    sql.Identifier(table),
                    sql.Identifier(field.column),
                    sql.Literal(field.get_db_prep_save(value, connection)),
                )
            )
            changed.append((table, field.column))
            print(f"  {table}.{field.column} not generated: filled with its default {value!r}")
    return changed


def drop_defaults(url: str, changed: list[tuple[str, str]]) -> None:
    with connect(url) as conn:
        for table, column in changed:
            conn.execute(
                sql.SQL("ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT").format(
                    sql.Identifier(table), sql.Identifier(column)
                )
            )


def _restore_statement(kind: str, table: str, name: str, definition: str) -> sql.Composed:
    if kind == "i":
        return sql.Composed([sql.SQL(definition)])
    return sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
        sql.Identifier(table),
        sql.Identifier(name),
        sql.SQL(definition),
    )


def _run_all(url: str, statements: list[sql.Composed]) -> None:
    def run(statement: sql.Composed) -> None:
        with connect(url, autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '1GB'")
            conn.execute("SET max_parallel_maintenance_workers = 0")
            conn.execute(statement)

    with ThreadPoolExecutor(RESTORE_WORKERS) as pool:
        list(pool.map(run, statements))


def restore_secondary(url: str, catalog: list[tuple[str, ...]]) -> dict[str, float]:
    """Recreate the indexes and unique constraints, then add and validate the foreign keys."""
    timings = {}
    started = time.perf_counter()
    _run_all(url, [_restore_statement(*row) for row in catalog if row[0] in "iu"])
    timings["indexes"] = time.perf_counter() - started
    started = time.perf_counter()
    _run_all(url, [_restore_statement(*row) for row in catalog if row[0] == "f"])
    timings["foreign_keys"] = time.perf_counter() - started
    return timings


def reset_sequences(url: str, tables: Iterable[str]) -> None:
    with connect(url, autocommit=True) as conn:
        for table in tables:
            conn.execute(
                sql.SQL("SELECT setval(pg_get_serial_sequence(%s, 'id'), max(id)) FROM {}").format(
                    sql.Identifier(table)
                ),
                [table],
            )


def vacuum_analyze(url: str) -> None:
    with connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")


def row_counts(url: str, tables: Iterable[str]) -> dict[str, int]:
    with connect(url) as conn:
        return {
            table: conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]  # type: ignore[index]
            for table in tables
        }


def mark_complete(options: Options, info: dict[str, Any]) -> None:
    with connect(options.database_url) as conn:
        conn.execute(
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} (scale double precision, seed integer, info jsonb)"
            ).format(sql.Identifier(MARKER))
        )
        conn.execute(
            sql.SQL("INSERT INTO {} VALUES (%s, %s, %s)").format(sql.Identifier(MARKER)),
            [options.scale, options.seed, json.dumps(info)],
        )


def server_info(url: str) -> list[str]:
    """PostgreSQL's version and the settings that matter for these reads."""
    names = ("shared_buffers", "work_mem", "effective_cache_size", "random_page_cost", "jit")
    with connect(url) as conn:
        version = conn.execute("SHOW server_version").fetchone()
        settings = [
            f"{n}={conn.execute(sql.SQL('SHOW {}').format(sql.Identifier(n))).fetchone()[0]}"  # type: ignore[index]
            for n in names
        ]
    return [f"PostgreSQL {version[0] if version else '?'} ({', '.join(settings)})"]
