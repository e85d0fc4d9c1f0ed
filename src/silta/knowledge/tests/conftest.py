from __future__ import annotations

import pytest

from silta.knowledge.tests import scene
from silta.knowledge.tests.scene import Knowledge


@pytest.fixture(autouse=True)
def _signed_in_without_totp(settings) -> None:
    """A forced login counts as verified (the TOTP sign-in is tested in accounts)."""
    settings.SILTA_DEMO_SKIP_TOTP = True


@pytest.fixture
def knowledge(world) -> Knowledge:
    return scene.build(world)


@pytest.fixture(scope="module")
def knowledge_scene(module_scene, django_db_blocker) -> Knowledge:
    """Built once per module on the permission matrices' world."""
    with django_db_blocker.unblock():
        return scene.build(module_scene.world)
