"""Shared pytest fixtures."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.factories import World, build_world


@pytest.fixture(autouse=True)
def _storage(tmp_path, settings):
    """Attachments go to a temporary folder in every test."""
    location = tmp_path / "attachments"
    storages = dict(settings.STORAGES)
    storages["default"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(location)},
    }
    with override_settings(STORAGES=storages, SILTA_STORAGE_ROOT=str(location)):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is the production hasher (tested in test_settings); tests hash fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    return build_world()
