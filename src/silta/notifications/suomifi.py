"""Suomi.fi Messages (Suomi.fi-viestit) through its REST interface, as an authority sender.

The old interfaces (WS, SFTP, SMTP) close on 1 January 2027
(https://kehittajille.suomi.fi/services/messages/technical-description/old-apis/ws-api);
this adapter uses the REST API only. What it relies on, from the service's documentation
and from two public clients that run against it (the City of Helsinki's
``django-helsinki-suomifi-messages``, whose schemas follow
https://api.messages.suomi.fi/docs/messages-api.yaml, and Espoo's eVaka
``SfiMessagesRestClient``, https://api.messages-qa.suomi.fi/api-docs):

- ``POST /v1/token`` with ``{"username", "password"}`` (the system's API user) answers
  ``{"access_token", "expires_in", "token_type"}``; later calls carry
  ``Authorization: Bearer <access_token>`` (as eVaka does in production; Helsinki's client
  sends the bare token: check against the QA environment when connecting). A 401 on a
  call means the token is no longer valid: a new one is fetched once and the call
  repeated.
- ``POST /v1/mailboxes/active`` with ``{"endUsers": [{"id": <identity code>}]}`` answers
  ``{"endUsersWithActiveMailbox": [{"id": ...}]}``: only the ids whose mailbox is in use.
  The documentation allows the check only where sending needs it
  (https://kehittajille.suomi.fi/services/messages/functionalities/checking-the-status-of-the-end-user-s-mailbox),
  so Silta checks just before sending and stores nothing of the answer but the outcome.
- ``POST /v2/messages/electronic`` sends an electronic message only: the paper-mail
  fallback is off (a multichannel ``/v2/messages`` would need the client's postal address,
  a printed attachment and a Posti contract; a notification of something new in Silta is
  not worth a letter). Body: ``externalId`` (ours, for idempotency), ``recipient.id``,
  ``sender.serviceId``, and ``electronic`` with ``title``, ``body``, ``bodyFormat``
  ("Text"), ``messageServiceType`` ("Normal"), ``replyAllowedBy`` ("No one"),
  ``visibility``, ``notifications`` and ``attachments``. Answer: ``{"messageId": n}``.
- Errors answer ``{"reason": ..., "validationErrors": [{"error": ...}]}``: 400 validation
  (not retried: the same message would fail again), 401 authentication, 404 when the
  recipient has no mailbox in use (as Silta's contract tests assume; the documentation
  describes the case, not its status, so verify it in the QA environment), 409 a
  duplicate ``externalId`` (an earlier try went through: taken as sent, with its
  ``messageId``), 429 and 5xx (retried later, ``Retry-After`` respected).

- ``GET /v2/events`` (then ``?continuationToken=<the last answer's>``) answers
  ``{"continuationToken", "events": [{"type", "eventTime", "metadata": {"messageId"}}]}``:
  the state changes of the messages sent, in order ("Electronic message created": in the
  mailbox; "Electronic message read": the client opened it), kept for 60 days
  (https://kehittajille.suomi.fi/services/messages/functionalities/monitoring-the-state-information-of-messages;
  the shape as the Finnish National Agency for Education's client reads it). An empty
  page: nothing new. Electronic messages have no error states (a failed send fails at once).

The identity code goes only into the request body over TLS; it is never logged, and no
error text from the service is kept (it could echo it).
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone

from silta.notifications.errors import DeliveryError

TOKEN_PATH = "/v1/token"  # noqa: S105  (a path, not a secret)
MAILBOXES_PATH = "/v1/mailboxes/active"
EVENTS_PATH = "/v2/events"
# The event types of electronic messages Silta records, as the delivery's state.
EVENT_STATES = {"Electronic message created": "created", "Electronic message read": "read"}
ELECTRONIC_PATH = "/v2/messages/electronic"
# Renew the token this long before the service says it expires.
TOKEN_MARGIN = dt.timedelta(seconds=60)


class MessagesError(DeliveryError):
    """A Suomi.fi Messages call that did not succeed."""

    @property
    def log_text(self) -> str:
        return "suomifi:" + super().log_text


class NoMailbox(MessagesError):
    """The recipient has not taken Suomi.fi Messages into use."""

    def __init__(self, status: int | None = None) -> None:
        super().__init__("no_mailbox", status, retryable=False)


@dataclass(frozen=True)
class MessagesConfig:
    base_url: str
    username: str
    password: str
    service_id: str
    timeout: float = 10.0

    @classmethod
    def from_settings(cls) -> MessagesConfig | None:
        """The configuration, or None when Suomi.fi Messages is off (no URL set)."""
        url = settings.SILTA_SUOMIFI_MESSAGES_URL
        if not url:
            return None
        return cls(
            base_url=url.rstrip("/"),
            username=settings.SILTA_SUOMIFI_MESSAGES_USERNAME,
            password=settings.SILTA_SUOMIFI_MESSAGES_PASSWORD,
            service_id=settings.SILTA_SUOMIFI_MESSAGES_SERVICE_ID,
            timeout=settings.SILTA_SUOMIFI_MESSAGES_TIMEOUT_SECONDS,
        )


def _retry_after(headers: Any) -> float | None:
    value = headers.get("Retry-After") if headers is not None else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def _error_for(status: int, headers: Any) -> MessagesError:
    if status == 400:
        return MessagesError("invalid", status, retryable=False)
    if status == 401:
        return MessagesError("unauthorized", status, retryable=True)
    if status == 403:
        return MessagesError("forbidden", status, retryable=False)
    if status == 404:
        return NoMailbox(status)
    if status == 429:
        return MessagesError(
            "rate_limited", status, retryable=True, retry_after=_retry_after(headers)
        )
    if status >= 500:
        return MessagesError(
            "server_error", status, retryable=True, retry_after=_retry_after(headers)
        )
    return MessagesError("unexpected", status, retryable=True)


class MessagesClient:
    """One sender system's session with Suomi.fi Messages (the token is cached on it)."""

    def __init__(self, config: MessagesConfig) -> None:
        self.config = config
        self._token: str | None = None
        self._token_expires: dt.datetime | None = None

    # --- transport ----------------------------------------------------------------------

    def _post(
        self, path: str, body: dict[str, Any] | None, *, token: str | None
    ) -> tuple[int, dict[str, Any]]:
        """POST ``body`` as JSON; ``None``: a GET of ``path``."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310  (https in production: checks.py)
            self.config.base_url + path,
            data=data,
            method="GET" if body is None else "POST",
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        if token is not None:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=self.config.timeout) as response:  # noqa: S310
                return response.status, _json(response.read())
        except urllib.error.HTTPError as error:
            answer = _json(error.read())
            if error.code == 409:
                return 409, answer
            raise _error_for(error.code, error.headers) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError):
            raise MessagesError("unreachable", retryable=True) from None

    def _authorised(self, path: str, body: dict[str, Any] | None) -> tuple[int, dict[str, Any]]:
        """A call with a valid token; a 401 fetches a new token once and tries again."""
        try:
            return self._post(path, body, token=self.token())
        except MessagesError as error:
            if error.status != 401:
                raise
        self._token = None
        return self._post(path, body, token=self.token())

    # --- operations ---------------------------------------------------------------------

    def token(self) -> str:
        """A valid access token (``POST /v1/token``), fetched again shortly before expiry."""
        now = timezone.now()
        if self._token and self._token_expires and now < self._token_expires - TOKEN_MARGIN:
            return self._token
        _status, answer = self._post(
            TOKEN_PATH,
            {"username": self.config.username, "password": self.config.password},
            token=None,
        )
        token = answer.get("access_token")
        if not isinstance(token, str) or not token:
            raise MessagesError("bad_token_answer", retryable=True)
        expires_in = answer.get("expires_in")
        seconds = expires_in if isinstance(expires_in, int | float) else 300
        self._token, self._token_expires = token, now + dt.timedelta(seconds=seconds)
        return token

    def has_mailbox(self, identity_code: str) -> bool:
        """Whether the person has Suomi.fi Messages in use (``POST /v1/mailboxes/active``)."""
        _status, answer = self._authorised(MAILBOXES_PATH, {"endUsers": [{"id": identity_code}]})
        active = answer.get("endUsersWithActiveMailbox") or []
        return any(isinstance(row, dict) and row.get("id") == identity_code for row in active)

    def send_electronic(
        self, *, identity_code: str, title: str, body: str, external_id: str
    ) -> str:
        """Send one electronic message (no paper mail); returns Suomi.fi's ``messageId``.
        A 409 (this ``externalId`` was sent already) counts as sent."""
        payload = {
            "externalId": external_id,
            "recipient": {"id": identity_code},
            "sender": {"serviceId": self.config.service_id},
            "electronic": {
                "title": title,
                "body": body,
                "bodyFormat": "Text",
                "messageServiceType": "Normal",
                "replyAllowedBy": "No one",
                "visibility": "Normal",
                "attachments": [],
                "notifications": {
                    "senderDetailsInNotifications": "Organisation and service name",
                    "unreadMessageNotification": {"reminder": "Default reminder"},
                },
            },
        }
        _status, answer = self._authorised(ELECTRONIC_PATH, payload)
        message_id = answer.get("messageId")
        return "" if message_id is None else str(message_id)

    def events(self, continuation_token: str = "") -> EventsPage:
        """One page of state changes after ``continuation_token`` (from the start if "")."""
        query = f"?{urlencode({'continuationToken': continuation_token})}"
        _status, answer = self._authorised(
            EVENTS_PATH + (query if continuation_token else ""), None
        )
        token = answer.get("continuationToken")
        if not isinstance(token, str) or not isinstance(answer.get("events"), list):
            raise MessagesError("bad_events_answer", retryable=True)
        found = []
        for row in answer["events"]:
            state = EVENT_STATES.get(str(row.get("type"))) if isinstance(row, dict) else None
            message_id = (row.get("metadata") or {}).get("messageId") if state else None
            if state and message_id is not None:
                found.append(Event(state, str(message_id), _time(row.get("eventTime"))))
        return EventsPage(token=token, events=found, empty=not answer["events"])


@dataclass(frozen=True)
class Event:
    state: str  # EVENT_STATES' values
    message_id: str
    at: dt.datetime | None


@dataclass(frozen=True)
class EventsPage:
    token: str
    events: list[Event]  # the ones Silta records
    empty: bool  # nothing new at all


def _time(value: object) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def _json(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
