from __future__ import annotations

from typing import Any

import pytest

from silta.analytics.tests import scene


@pytest.fixture(autouse=True)
def _signed_in_without_totp(settings) -> None:
    """A forced login counts as verified (the TOTP sign-in is tested in accounts)."""
    settings.SILTA_DEMO_SKIP_TOTP = True


@pytest.fixture
def data(world) -> dict[str, Any]:
    return scene.build(world)


@pytest.fixture(scope="module")
def analytics_scene(module_scene, django_db_blocker) -> dict[str, Any]:
    """The hand-counted data, built once per module on the permission matrices' world."""
    with django_db_blocker.unblock():
        return scene.build(module_scene.world)
