"""Several COPY ... FROM STDIN streams open at once, one connection per table.

The generator appends text lines to ``buffers[table]``; ``flush`` hands full buffers to
psycopg's queued writer, whose thread feeds the server while Python keeps generating. Each
table is truncated in its own transaction first, so ``COPY ... WITH (FREEZE)`` loads rows
already frozen and all-visible (no hint-bit rewrite or vacuum needed afterwards).
"""

from __future__ import annotations

from contextlib import ExitStack
from types import TracebackType

import psycopg
from psycopg import sql
from psycopg.copy import Copy, QueuedLibpqWriter

FLUSH_LINES = 20_000


class CopyStreams:
    def __init__(self, url: str, columns: dict[str, tuple[str, ...]]) -> None:
        self.url = url
        self.columns = columns
        self.buffers: dict[str, list[str]] = {table: [] for table in columns}
        self.written: dict[str, int] = dict.fromkeys(columns, 0)
        self._copies: dict[str, Copy] = {}
        self._stack = ExitStack()

    def __enter__(self) -> CopyStreams:
        try:
            for table, columns in self.columns.items():
                self._open(table, columns)
        except BaseException:
            self._stack.close()
            raise
        return self

    def _open(self, table: str, columns: tuple[str, ...]) -> None:
        conn = self._stack.enter_context(psycopg.connect(self.url))
        conn.execute("SET synchronous_commit = off")
        cursor = conn.cursor()
        cursor.execute(sql.SQL("TRUNCATE {}").format(sql.Identifier(table)))
        statement = sql.SQL("COPY {} ({}) FROM STDIN WITH (FREEZE)").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
        )
        copy = self._stack.enter_context(cursor.copy(statement, writer=QueuedLibpqWriter(cursor)))
        self._copies[table] = copy

    def flush(self, force: bool = False) -> None:
        for table, buffer in self.buffers.items():
            if buffer and (force or len(buffer) >= FLUSH_LINES):
                self._copies[table].write("".join(buffer))
                self.written[table] += len(buffer)
                buffer.clear()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                self.flush(force=True)
        finally:
            # Each COPY ends, then its connection commits (or rolls back on an error).
            self._stack.__exit__(exc_type, exc, traceback)
