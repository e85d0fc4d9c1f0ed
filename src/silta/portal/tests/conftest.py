from __future__ import annotations

import copy

import pytest
from django.core.cache import caches

from silta.portal import matters
from silta.portal.tests.scene import Portal, build_portal


@pytest.fixture(scope="module")
def module_portal(module_world, django_db_blocker) -> Portal:
    with django_db_blocker.unblock():
        return build_portal(module_world)


@pytest.fixture
def portal(module_portal, db) -> Portal:
    """The module's portal scene as it was built (each test's changes are rolled back)."""
    return copy.deepcopy(module_portal)


@pytest.fixture(autouse=True)
def _fresh_channels() -> None:
    """Each test reads the directory afresh (the home page keeps channels a minute)."""
    caches[matters.CHANNELS_CACHE].clear()
