"""A persistent connection the server has dropped is replaced, not answered with a 500."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import OperationalError, close_old_connections, connection

pytestmark = pytest.mark.django_db(transaction=True)


def _request_after_a_database_restart(health_checks: bool) -> None:
    """What a gunicorn worker does: reuse its connection for the next request."""
    import psycopg

    saved = dict(connection.settings_dict)
    connection.settings_dict.update(CONN_MAX_AGE=600, CONN_HEALTH_CHECKS=health_checks)
    try:
        connection.close()
        close_old_connections()  # request_started
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        close_old_connections()  # request_finished: the connection is kept
        pid = connection.connection.info.backend_pid
        with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        close_old_connections()  # the next request_started
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def test_health_checks_replace_a_dropped_connection() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...), as CI runs it")
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    _request_after_a_database_restart(health_checks=True)  # no error
    with pytest.raises(OperationalError):  # what every worker did once before
        _request_after_a_database_restart(health_checks=False)
