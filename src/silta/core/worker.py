"""The background worker's loop, made to survive database outages.

django-tasks-db's ``db_worker`` re-raises any database error other than SQLite's "database
is locked", so a PostgreSQL restart ends the process and tasks queued afterwards stay
READY for ever. ``ResilientWorker`` runs the same loop (claim one READY task under a row
lock, run it, record the result) but treats a lost or refused connection as temporary:
it closes the broken connections, waits (doubling from one second up to a cap) and tries
again. A task whose result could not be written because the database went away mid-task
is recorded as failed, with that error, once the database is back, instead of staying
RUNNING.

Each pass of the loop leaves a heartbeat in the shared cache; ``/readyz`` reads it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections
from django.db import connections as db_connections
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

logger = logging.getLogger("silta.worker")

HEARTBEAT_KEY = "silta:worker-heartbeat"
CONNECTION_ERRORS = (OperationalError, InterfaceError)
RESULT_FIELDS = ["status", "return_value", "finished_at", "exception_class_path", "traceback"]


def heartbeat_age(now: float | None = None) -> float | None:
    """Seconds since any worker last passed through its loop (None: never seen)."""
    beat = cache.get(HEARTBEAT_KEY)
    if not isinstance(beat, dict) or "at" not in beat:
        return None
    return max(0.0, (now if now is not None else time.time()) - float(beat["at"]))


class ResilientWorker(Worker):
    """django-tasks-db's worker with reconnection, capped backoff and a heartbeat."""

    def __init__(
        self,
        *,
        max_backoff: float,
        sleep: Callable[[float], Any] = time.sleep,
        **options: Any,
    ) -> None:
        super().__init__(**options)
        self.max_backoff = max_backoff
        self.sleep = sleep
        self.consecutive_failures = 0
        self.unrecorded: list[DBTaskResult] = []

    def run(self) -> None:
        logger.info("Worker %s started on queues %s", self.worker_id, ",".join(self.queue_names))
        while self.running:
            try:
                ran_task, finished = self.poll_once()
            except CONNECTION_ERRORS as exc:
                if not self.running:
                    return
                self.back_off(exc)
                continue
            if self.consecutive_failures:
                logger.warning("Worker %s: database reachable again", self.worker_id)
                self.consecutive_failures = 0
            self.beat()
            if finished:
                return
            if self.running and not ran_task:
                self.sleep(self.interval)

    def poll_once(self) -> tuple[bool, bool]:
        """Claim and run at most one task. Returns (ran a task, the worker should stop)."""
        close_old_connections()
        self.record_unrecorded()
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
            except OperationalError as exc:
                if not is_locked_database_exception(exc):
                    raise
                return False, False  # SQLite is busy: it unlocks eventually
        if task_result is None:
            return False, self.batch
        self.run_task(task_result)
        close_old_connections()
        return True, self.max_tasks is not None and self._run_tasks >= self.max_tasks

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            super().run_task(db_task_result)
        except CONNECTION_ERRORS:
            # The task ran (or failed on the lost connection) but its result could not be
            # saved: keep the in-memory outcome and write it after reconnecting.
            self.unrecorded.append(db_task_result)
            raise

    def record_unrecorded(self) -> None:
        while self.unrecorded:
            result = self.unrecorded[0]
            result.save(update_fields=RESULT_FIELDS)
            logger.warning(
                "Worker %s: recorded task %s as %s after the outage",
                self.worker_id,
                result.id,
                result.status,
            )
            self.unrecorded.pop(0)

    def back_off(self, exc: BaseException) -> None:
        self.consecutive_failures += 1
        delay = min(self.max_backoff, 2.0 ** (self.consecutive_failures - 1))
        logger.warning(
            "Worker %s: database unavailable (%s), retry %d in %.0f s",
            self.worker_id,
            type(exc).__name__,
            self.consecutive_failures,
            delay,
        )
        for connection in db_connections.all(initialized_only=True):
            try:
                connection.close()
            except DatabaseError:
                logger.debug("closing a broken connection failed", exc_info=True)
        self.sleep(delay)

    def beat(self) -> None:
        try:
            cache.set(HEARTBEAT_KEY, {"worker_id": self.worker_id, "at": time.time()}, None)
        except Exception:  # the cache may be down too: the loop must go on
            logger.warning("Worker %s: heartbeat not written", self.worker_id, exc_info=True)
