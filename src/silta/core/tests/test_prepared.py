"""A query compiled once and run with new parameters gives what the queryset gives."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from silta.api_keys.models import ApiKey
from silta.api_keys.services import api_key_issue, api_key_revoke
from silta.core.prepared import Joined, Prepared, attnames
from silta.organisations.models import Organisation, Unit

pytestmark = pytest.mark.django_db


def key_rows(prefix: str):
    return ApiKey.objects.filter(prefix=prefix, revoked_at__isnull=True).values_list(
        "name", "scopes", "unit_id"
    )


KEYS = Prepared(key_rows, prefix="\x1fsample-prefix")


def test_rows_are_what_values_list_gives_for_each_new_parameter(world) -> None:
    first = api_key_issue(unit=world.kela_unit, name="A", scopes=["exchange"]).api_key
    second = api_key_issue(unit=world.social_unit, name="B", scopes=[]).api_key
    for key in (first, second, first):
        assert KEYS.rows(prefix=key.prefix) == list(key_rows(key.prefix))
    # The JSON field comes back converted, as from the ORM.
    assert KEYS.rows(prefix=first.prefix) == [("A", ["exchange"], world.kela_unit.pk)]
    assert KEYS.rows(prefix="nothing") == []


def test_the_compiled_query_sees_changes_at_once(world) -> None:
    key = api_key_issue(unit=world.kela_unit, name="A").api_key
    assert len(KEYS.rows(prefix=key.prefix)) == 1
    api_key_revoke(api_key=key)
    assert KEYS.rows(prefix=key.prefix) == []


def test_a_run_is_one_query_and_is_seen_by_query_capture(world) -> None:
    key = api_key_issue(unit=world.kela_unit, name="A").api_key
    with CaptureQueriesContext(connection) as captured:
        KEYS.rows(prefix=key.prefix)
    assert len(captured.captured_queries) == 1
    assert key.prefix in captured.captured_queries[0]["sql"]


def test_a_parameter_the_queryset_changes_or_drops_is_refused() -> None:
    dropped = Prepared(lambda prefix: ApiKey.objects.values_list("pk"), prefix="\x1fx")
    with pytest.raises(ValueError, match="prefix"):
        dropped.rows(prefix="a")


def test_the_parameters_must_be_the_declared_ones(world) -> None:
    with pytest.raises(TypeError):
        KEYS.rows(other="a")


def test_uuid_parameters_are_passed_through(world) -> None:
    by_unit = Prepared(
        lambda unit: ApiKey.objects.filter(unit__public_id=unit).values_list("name"),
        unit=uuid.uuid4(),
    )
    api_key_issue(unit=world.kela_unit, name="A")
    assert by_unit.rows(unit=world.kela_unit.public_id) == [("A",)]
    assert by_unit.rows(unit=uuid.uuid4()) == []


def test_each_thread_compiles_for_its_own_connection(world) -> None:
    KEYS.rows(prefix="x")
    mine = dict(KEYS._local.by_connection)
    seen: list[object] = []

    def other() -> None:
        seen.append(getattr(KEYS._local, "by_connection", None))

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert mine and seen == [None]


KEY_JOIN = Joined((ApiKey, ""), (Unit, "unit__"), (Organisation, "unit__organisation__"))


def test_joined_builds_the_instances_select_related_would(world) -> None:
    key = api_key_issue(unit=world.kela_unit, name="A", scopes=["exchange"]).api_key
    (row,) = ApiKey.objects.filter(pk=key.pk).values_list(*KEY_JOIN.fields())
    expected = ApiKey.objects.select_related("unit__organisation").get(pk=key.pk)
    with CaptureQueriesContext(connection) as queries:
        built, unit, organisation = KEY_JOIN.build(row)
        assert isinstance(built, ApiKey) and isinstance(unit, Unit)
        assert built.unit is unit and unit.organisation is organisation
    assert len(queries) == 0  # the relations are cached, as select_related leaves them
    assert not built._state.adding
    for model, instance, reference in (
        (ApiKey, built, expected),
        (Unit, unit, expected.unit),
        (Organisation, organisation, expected.unit.organisation),
    ):
        assert isinstance(instance, model)
        for name in attnames(model):
            assert getattr(instance, name) == getattr(reference, name), name


def test_joined_refuses_a_path_before_the_model_it_joins() -> None:
    with pytest.raises(ValueError):
        Joined((ApiKey, ""), (Organisation, "unit__organisation__"), (Unit, "unit__"))
    with pytest.raises(ValueError):
        Joined((ApiKey, ""), (Unit, "unit"))
