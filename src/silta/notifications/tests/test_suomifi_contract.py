"""The Suomi.fi Messages adapter against the local fake of the REST API (loopback): the
token, the mailbox check, the electronic message, and each documented error answer."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator

import pytest

from silta.notifications.suomifi import (
    MessagesClient,
    MessagesConfig,
    MessagesError,
    NoMailbox,
)
from silta.notifications.tests.fake_messages import FakeMessagesServer

ACTIVE = "010594Y9032"  # test identity codes (individual number 900-999)
INACTIVE = "020594X903P"


@pytest.fixture
def fake() -> Iterator[FakeMessagesServer]:
    with FakeMessagesServer() as server:
        server.state.active_mailboxes.add(ACTIVE)
        yield server


def client_for(fake: FakeMessagesServer, **overrides: str) -> MessagesClient:
    values = {
        "base_url": fake.url,
        "username": fake.state.username,
        "password": fake.state.password,
        "service_id": fake.state.service_id,
        **overrides,
    }
    return MessagesClient(MessagesConfig(timeout=5, **values))


def send(client: MessagesClient, code: str = ACTIVE, external_id: str | None = None) -> str:
    return client.send_electronic(
        identity_code=code,
        title="Silta: sinulle on uutta tietoa",
        body="Hei,\n\nsinulle on uutta tietoa Siltassa.",
        external_id=external_id or str(uuid.uuid4()),
    )


def test_a_token_then_a_mailbox_check_then_an_electronic_message(fake):
    client = client_for(fake)
    assert client.has_mailbox(ACTIVE) is True
    assert client.has_mailbox(INACTIVE) is False
    message_id = send(client)
    assert message_id.isdigit()
    # One token served all three calls.
    assert fake.state.calls == [
        "/v1/token",
        "/v1/mailboxes/active",
        "/v1/mailboxes/active",
        "/v2/messages/electronic",
    ]
    (sent,) = fake.state.messages
    assert sent["recipient"] == {"id": ACTIVE}
    assert sent["sender"] == {"serviceId": "silta-service"}
    # Electronic only: no paper-mail part, no replies, plain text.
    assert "paperMail" not in sent
    assert sent["electronic"]["replyAllowedBy"] == "No one"
    assert sent["electronic"]["bodyFormat"] == "Text"


def test_wrong_credentials_are_a_401_that_is_retried_later(fake):
    client = client_for(fake, password="wrong")
    with pytest.raises(MessagesError) as caught:
        send(client)
    assert (caught.value.code, caught.value.status, caught.value.retryable) == (
        "unauthorized",
        401,
        True,
    )
    assert fake.state.messages == []


def test_an_expired_token_is_renewed_once_and_the_call_repeated(fake):
    client = client_for(fake)
    client.token()
    fake.state.expire_tokens()
    assert send(client)
    assert fake.state.calls.count("/v1/token") == 2
    assert len(fake.state.messages) == 1


def test_a_validation_error_is_400_and_not_retried(fake):
    client = client_for(fake, service_id="someone-elses-service")
    with pytest.raises(MessagesError) as caught:
        send(client)
    assert (caught.value.code, caught.value.status, caught.value.retryable) == (
        "invalid",
        400,
        False,
    )


def test_no_mailbox_in_use_is_404_and_not_retried(fake):
    with pytest.raises(NoMailbox) as caught:
        send(client_for(fake), code=INACTIVE)
    assert (caught.value.status, caught.value.retryable) == (404, False)
    assert caught.value.log_text == "suomifi:no_mailbox HTTP 404"


@pytest.mark.parametrize(
    ("status", "headers", "code", "retry_after"),
    [
        (429, {"Retry-After": "120"}, "rate_limited", 120.0),
        (500, {}, "server_error", None),
        (503, {"Retry-After": "soon"}, "server_error", None),
    ],
)
def test_throttling_and_server_errors_are_retryable(fake, status, headers, code, retry_after):
    client = client_for(fake)
    fake.state.fail_next("/v2/messages/electronic", status, headers)
    with pytest.raises(MessagesError) as caught:
        send(client)
    error = caught.value
    assert (error.code, error.status, error.retryable, error.retry_after) == (
        code,
        status,
        True,
        retry_after,
    )
    assert send(client)  # the next try goes through


def test_a_repeated_external_id_counts_as_sent_with_the_first_message_id(fake):
    client = client_for(fake)
    external_id = str(uuid.uuid4())
    first = send(client, external_id=external_id)
    assert send(client, external_id=external_id) == first
    assert len(fake.state.messages) == 1


def test_an_unreachable_service_is_retryable(fake):
    client = client_for(fake, base_url="http://127.0.0.1:9")
    with pytest.raises(MessagesError) as caught:
        client.has_mailbox(ACTIVE)
    assert (caught.value.code, caught.value.retryable) == ("unreachable", True)


def test_the_fake_refuses_a_call_without_a_token(fake):
    """The contract itself: the endpoints need the bearer token."""
    request = urllib.request.Request(  # noqa: S310  (the loopback fake)
        fake.url + "/v1/mailboxes/active",
        data=json.dumps({"endUsers": [{"id": ACTIVE}]}).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=5)  # noqa: S310
    assert caught.value.code == 401
    assert json.loads(caught.value.read())["reason"]
