"""On PostgreSQL the database refuses to change or delete audit events."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from silta.audit.models import AuditAction
from silta.audit.services import record

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigger")
def test_database_refuses_update_and_delete() -> None:
    event = record(actor=None, action=AuditAction.LOGIN)
    for sql in (
        "UPDATE audit_auditevent SET actor_label = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])


def test_base_manager_is_append_only() -> None:
    from silta.audit.models import AuditEvent

    event = record(actor=None, action=AuditAction.LOGIN)
    with pytest.raises(PermissionError):
        AuditEvent._base_manager.filter(pk=event.pk).update(actor_label="x")
