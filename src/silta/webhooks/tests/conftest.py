from __future__ import annotations

from collections.abc import Iterator

import pytest

from silta.webhooks.tests.receiver import Receiver


@pytest.fixture(autouse=True)
def _webhook_settings(settings) -> None:
    """The receiver runs on loopback; retries are due at once (the tests step the worker)."""
    settings.SILTA_WEBHOOK_ALLOW_LOOPBACK = True
    settings.SILTA_WEBHOOK_RETRY_BASE_SECONDS = 0
    settings.SILTA_WEBHOOK_TIMEOUT_SECONDS = 5
    settings.SILTA_DEMO_SKIP_TOTP = True


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver().start()
    yield running
    running.stop()
