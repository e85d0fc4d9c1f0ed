"""Delivery events of Suomi.fi Messages against the local fake of the REST API: the
worker reads ``GET /v2/events`` page by page from its stored continuation token and
records each sent message's state on its delivery (in the mailbox, then read)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.utils import translation

from silta.notifications.events import CURSOR, poll_delivery_events
from silta.notifications.models import Delivery, EventCursor, NotificationKind
from silta.notifications.suomifi import MessagesError
from silta.notifications.tests.fake_messages import FakeMessagesServer
from silta.notifications.tests.test_delivery import choose, notify, run_all
from tests.factories import make_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake(settings) -> Iterator[FakeMessagesServer]:
    with FakeMessagesServer() as server:
        settings.SILTA_SUOMIFI_MESSAGES_URL = server.url
        settings.SILTA_SUOMIFI_MESSAGES_USERNAME = server.state.username
        settings.SILTA_SUOMIFI_MESSAGES_PASSWORD = server.state.password
        settings.SILTA_SUOMIFI_MESSAGES_SERVICE_ID = server.state.service_id
        settings.SILTA_PUBLIC_URL = "https://silta.example.fi"
        yield server


def _sent(fake: FakeMessagesServer, n: int) -> Delivery:
    person = make_client(n)
    fake.state.active_mailboxes.add(person.identity_code)
    choose(person, suomifi=True)
    notification = notify(person, NotificationKind.CONSENT_EXPIRING)
    assert run_all(notification) == {"suomifi": "sent"}
    return notification.deliveries.get()


def _token() -> str:
    return EventCursor.objects.get(name=CURSOR).token


def test_states_are_recorded_from_the_continuation_token_on(fake):
    first, second = _sent(fake, 941), _sent(fake, 942)
    fake.state.events.insert(0, {"type": "Electronic message read",
                                 "metadata": {"messageId": 99}})  # another system's  # fmt: skip
    assert poll_delivery_events() == 2  # three events on two pages, then an empty page
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.provider_state, second.provider_state) == ("created", "created")
    assert first.provider_state_at is not None
    assert _token() == "e3"
    calls = [c for c in fake.state.calls if c == "/v2/events"]
    assert len(calls) == 3

    fake.state.read_by_client(int(second.provider_message_id))
    assert poll_delivery_events() == 1  # read from the stored token: only the new event
    second.refresh_from_db()
    first.refresh_from_db()
    assert (first.provider_state, second.provider_state) == ("created", "read")
    assert _token() == "e4"
    assert poll_delivery_events() == 0


def test_a_state_never_goes_back(fake):
    delivery = _sent(fake, 943)
    fake.state.read_by_client(int(delivery.provider_message_id))
    fake.state.events.append(fake.state.events[0])  # "created" again, after "read"
    poll_delivery_events()
    delivery.refresh_from_db()
    assert delivery.provider_state == "read"


def test_an_expired_token_is_fetched_again_and_a_failure_keeps_the_cursor(fake):
    delivery = _sent(fake, 944)
    fake.state.expire_tokens()
    fake.state.events_page = 1
    fake.state.read_by_client(int(delivery.provider_message_id))
    fake.state.fail_next("/v2/events", 503)
    with pytest.raises(MessagesError):
        poll_delivery_events()
    assert EventCursor.objects.get(name=CURSOR).token == ""  # nothing read: start again
    assert poll_delivery_events(max_pages=1) == 1  # the new token; one page this run
    assert _token() == "e1"
    assert poll_delivery_events() == 1
    delivery.refresh_from_db()
    assert delivery.provider_state == "read"


def test_an_invalid_continuation_token_is_an_error_not_a_restart(fake):
    EventCursor.objects.create(name=CURSOR, token="not-ours")
    _sent(fake, 945)
    with pytest.raises(MessagesError) as refused:
        poll_delivery_events()
    assert refused.value.status == 400 and not refused.value.retryable
    assert _token() == "not-ours"


def test_without_the_service_configured_nothing_is_read(settings):
    assert settings.SILTA_SUOMIFI_MESSAGES_URL == ""
    assert poll_delivery_events() == 0
    assert not EventCursor.objects.exists()


def test_administrators_see_the_state_in_the_delivery_log(fake, admin_user):
    delivery = _sent(fake, 946)
    fake.state.read_by_client(int(delivery.provider_message_id))
    poll_delivery_events()
    model_admin = site._registry[Delivery]
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    assert "provider_state" in model_admin.get_list_display(request)
    assert "provider_state" in model_admin.get_fields(request)
    delivery.refresh_from_db()
    with translation.override("en"):
        assert delivery.get_provider_state_display() == "Read by the client"
