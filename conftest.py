"""Shared pytest fixtures.

Slow scenes are built once per module: ``module_db`` opens a transaction around the whole
module (rolled back at its end) and each test's ``db`` runs in a savepoint inside it that
is rolled back after the test, so a test sees the module's scene exactly as it was built.
A test gets its own deep copy of the scene's Python objects (``shared_world``,
``matrix_scene``), so changing an instance in one test leaks into no other.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import override_settings

from silta.accounts.roles import ROLE_PERMISSIONS, Perm, Role
from tests.factories import World, build_world
from tests.permissions import Scene, build_scene

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _empties_the_database(item: pytest.Item) -> bool:
    """A transactional test (the browser tests, the worker's) ends by flushing every table,
    the migrations' reference data included."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(
        (marker is not None and marker.kwargs.get("transaction"))
        or "transactional_db" in fixtures
        or "live_server" in fixtures
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Transactional tests run last, as Django's own runner orders them: pytest's grouping
    by higher-scoped fixtures (the browser's session, the modules' scenes) would otherwise
    put them first, and every test after them would meet empty reference tables."""
    items.sort(key=_empties_the_database)


def _storage_settings(settings: Any, location: Path) -> dict[str, Any]:
    storages = dict(settings.STORAGES)
    storages["default"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(location)},
    }
    return {"STORAGES": storages, "SILTA_STORAGE_ROOT": str(location)}


@pytest.fixture(autouse=True)
def _storage(request, tmp_path, settings):
    """Attachments go to a temporary folder in every test (the module's, under module_db)."""
    if "module_db" in request.fixturenames:
        yield  # module_db has set the module's folder, where its scene's files are
        return
    with override_settings(**_storage_settings(settings, tmp_path / "attachments")):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is the production hasher (tested in test_settings); tests hash fast."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[None]:
    """A transaction around the module: what a module-scoped fixture writes under it is
    seen by every test of the module and rolled back after the last one."""
    location = tmp_path_factory.mktemp("attachments")
    with override_settings(
        PASSWORD_HASHERS=FAST_HASHERS, **_storage_settings(django_settings, location)
    ):
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
        try:
            yield
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_world(module_db, django_db_blocker) -> World:
    with django_db_blocker.unblock():
        return build_world()


@pytest.fixture(scope="module")
def module_scene(module_world, django_db_blocker) -> Scene:
    with django_db_blocker.unblock():
        return build_scene(module_world)


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def shared_world(module_world, db) -> World:
    """The module's world (built once), as it was built: a test's changes are rolled back."""
    return copy.deepcopy(module_world)


@pytest.fixture
def matrix_scene(module_scene, db, settings) -> Scene:
    """The permission matrices' scene (built once per module), as it was built."""
    # The TOTP sign-in itself is tested elsewhere; here a forced login counts as verified.
    settings.SILTA_DEMO_SKIP_TOTP = True
    return copy.deepcopy(module_scene)


@pytest.fixture
def read_only_integration(monkeypatch) -> None:
    """The integration role reduced to reading (CASE_VIEW, CLIENT_LOOKUP, ATTACHMENT_DOWNLOAD)."""
    read_only = frozenset({Perm.CASE_VIEW, Perm.CLIENT_LOOKUP, Perm.ATTACHMENT_DOWNLOAD})
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.INTEGRATION, read_only)
