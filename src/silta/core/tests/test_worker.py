"""The background worker survives database outages and leaves a heartbeat."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import InterfaceError, OperationalError, connection
from django_tasks import task
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from silta.core.worker import HEARTBEAT_KEY, ResilientWorker, heartbeat_age

# The worker closes broken connections, as it must: a test's wrapping transaction would
# not survive that, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)

CALLS: list[str] = []


@task()
def note_call(label: str) -> str:
    CALLS.append(label)
    return label


@pytest.fixture(autouse=True)
def _reset():
    CALLS.clear()
    cache.delete(HEARTBEAT_KEY)


class Sleeps(list[float]):
    """Records the worker's waits; a worker that never recovers fails the test."""

    def append(self, seconds: float) -> None:
        super().append(seconds)
        assert len(self) < 50, "the worker kept backing off"


def worker(sleeps: list[float], **options) -> ResilientWorker:
    defaults = {
        "queue_names": ["default"],
        "interval": 0,
        "batch": False,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": 1,
        "worker_id": "test-worker",
        "excluded_queue_names": [],
    }
    return ResilientWorker(max_backoff=5, sleep=sleeps.append, **{**defaults, **options})


def flaky_get_locked(monkeypatch, failures: list[Exception]) -> None:
    original = DBTaskResultQuerySet.get_locked

    def get_locked(self):
        if failures:
            raise failures.pop(0)
        return original(self)

    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", get_locked)


def test_the_library_worker_exits_on_a_lost_connection(monkeypatch) -> None:
    """Why the wrapper exists: db_worker's loop re-raises and the process ends."""
    note_call.enqueue("queued")
    flaky_get_locked(monkeypatch, [OperationalError("server closed the connection")])
    plain = Worker(
        queue_names=["default"],
        interval=0,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=1,
        worker_id="plain",
        excluded_queue_names=[],
    )
    with pytest.raises(OperationalError):
        plain.run()


def test_worker_backs_off_reconnects_and_runs_the_task(monkeypatch) -> None:
    result = note_call.enqueue("after the outage")
    outage = [OperationalError("server closed the connection unexpectedly")] * 4
    flaky_get_locked(monkeypatch, [*outage, InterfaceError("connection already closed")] * 2)
    sleeps = Sleeps()
    worker(sleeps).run()
    assert CALLS == ["after the outage"]
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"
    # Doubling from one second, capped at --max-backoff (5 s here).
    assert sleeps == [1, 2, 4, 5, 5, 5, 5, 5, 5, 5]
    age = heartbeat_age()
    assert age is not None and age < 5


def test_heartbeat_each_idle_pass_and_none_during_outage(monkeypatch) -> None:
    flaky_get_locked(monkeypatch, [OperationalError("the database system is starting up")])
    sleeps = Sleeps()
    idle = worker(sleeps, batch=True, max_tasks=None)
    idle.run()  # one failed pass (no heartbeat), one idle pass, batch mode stops
    assert sleeps == [1]
    assert cache.get(HEARTBEAT_KEY)["worker_id"] == "test-worker"


def test_a_result_lost_with_the_connection_is_recorded_after_reconnecting(monkeypatch) -> None:
    result = note_call.enqueue("ran during the outage")
    original_save = DBTaskResult.save
    broken = {"saves": 6}  # set_successful and set_failed try three times each: fail all

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields") or []
        if "finished_at" in fields and broken["saves"] > 0:
            broken["saves"] -= 1
            raise OperationalError("terminating connection due to administrator command")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(DBTaskResult, "save", save)
    monkeypatch.setattr("django_tasks_db.utils.time.sleep", lambda seconds: None)
    sleeps = Sleeps()
    worker(sleeps, batch=True, max_tasks=None).run()
    stored = DBTaskResult.objects.get(pk=result.id)
    assert CALLS == ["ran during the outage"]
    assert stored.status == "FAILED"  # not RUNNING for ever
    assert "OperationalError" in stored.exception_class_path
    assert sleeps == [1]


def test_worker_command_runs_queued_tasks() -> None:
    result = note_call.enqueue("from the command")
    call_command("worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"
    assert heartbeat_age() is not None


def test_worker_survives_its_postgresql_connection_being_killed() -> None:
    """A real outage: the server ends the worker's (persistent) connection mid-loop."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...), as CI runs it")
    import psycopg

    saved = dict(connection.settings_dict)
    connection.settings_dict.update(CONN_MAX_AGE=600, CONN_HEALTH_CHECKS=False)
    params = connection.get_connection_params()
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) == 1:
            note_call.enqueue("queued before the restart")
            pid = connection.connection.info.backend_pid
            with psycopg.connect(**params, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", [pid])

    try:
        connection.close()
        ResilientWorker(
            max_backoff=5,
            sleep=sleep,
            queue_names=["default"],
            interval=0.01,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=1,
            worker_id="pg-worker",
            excluded_queue_names=[],
        ).run()
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
    assert CALLS == ["queued before the restart"]
    assert sleeps[:2] == [0.01, 1]  # idle pass, then one back-off after the lost connection
