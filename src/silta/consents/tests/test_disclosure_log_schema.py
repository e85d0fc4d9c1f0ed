"""The disclosure log's storage (issue 9 bench): time-ordered public ids, and only the
indexes its reads use, so a send pays for four index entries instead of twelve."""

from __future__ import annotations

import time
import uuid

import pytest
from django.db import connection

from silta.consents.models import Disclosure, time_ordered_uuid
from silta.consents.tests.test_disclosures import _consent, _send

pytestmark = pytest.mark.django_db


def test_a_time_ordered_uuid_is_version_7_and_grows_with_time():
    first = time_ordered_uuid()
    time.sleep(0.002)
    second = time_ordered_uuid()
    assert (first.version, first.variant) == (7, uuid.RFC_4122)
    assert first < second  # a later id sorts after, next to it in the index
    millis = second.int >> 80
    assert abs(millis - time.time_ns() // 1_000_000) < 5_000
    assert len({time_ordered_uuid() for _ in range(1000)}) == 1000  # random within a ms


def test_a_logged_disclosure_gets_a_time_ordered_public_id(world):
    _consent(world)
    first = _send(world)
    time.sleep(0.002)
    second = _send(world)
    assert first.public_id.version == 7
    assert first.public_id < second.public_id


def _indexed_columns() -> set[tuple[str, ...]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Disclosure._meta.db_table)
    return {
        tuple(info["columns"])
        for info in constraints.values()
        if info["index"] or info["unique"] or info["primary_key"]
    }


def test_the_log_keeps_only_the_indexes_its_reads_use():
    indexed = _indexed_columns()
    # Every read names the client, newest first; the admin lists by time; the ids.
    assert ("client_id", "occurred_at") in indexed
    assert {("occurred_at",), ("public_id",), ("id",)} <= indexed
    for column in (
        "client_id",
        "consent_id",
        "discloser_user_id",
        "discloser_unit_id",
        "discloser_organisation_id",
        "recipient_unit_id",
        "recipient_organisation_id",
        "api_key_id",
    ):
        assert (column,) not in indexed, column
    assert len(indexed) == 4
