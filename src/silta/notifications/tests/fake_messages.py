"""A local stand-in for the Suomi.fi Messages REST API (the contract the adapter is tested
against), served by ``http.server`` on loopback.

It implements the three endpoints Silta uses with the documented request and answer
shapes (see ``silta.notifications.suomifi``): ``POST /v1/token``, ``POST
/v1/mailboxes/active`` and ``POST /v2/messages/electronic``, and their errors: 400 with
``validationErrors``, 401 for a missing, unknown or expired token or wrong credentials,
404 for a recipient without a mailbox in use, 409 for a repeated ``externalId`` (with the
first ``messageId``), and any status a test queues with ``fail_next`` (429 with
``Retry-After``, 500, 503). It records every message it accepted.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

ENUMS = {
    "bodyFormat": {"Text", "Markdown"},
    "messageServiceType": {"Normal", "Verifiable"},
    "replyAllowedBy": {"Anyone", "No one"},
    "visibility": {"Normal", "Recipient only"},
}


@dataclass
class FakeState:
    username: str = "silta-api"
    password: str = "s3cret-password"
    service_id: str = "silta-service"
    token_seconds: int = 3600
    active_mailboxes: set[str] = field(default_factory=set)
    tokens: set[str] = field(default_factory=set)
    messages: list[dict[str, Any]] = field(default_factory=list)
    by_external_id: dict[str, int] = field(default_factory=dict)
    # (path, status, headers) answered instead of the real thing, first in first out.
    failures: deque[tuple[str, int, dict[str, str]]] = field(default_factory=deque)
    calls: list[str] = field(default_factory=list)
    counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))
    # ``GET /v2/events``: every state change in order, read a page at a time; the
    # continuation token says where the reader stopped ("e<position>").
    events: list[dict[str, Any]] = field(default_factory=list)
    events_page: int = 2

    def read_by_client(self, message_id: int) -> None:
        self.events.append(_event("Electronic message read", message_id))

    def fail_next(self, path: str, status: int, headers: dict[str, str] | None = None) -> None:
        self.failures.append((path, status, headers or {}))

    def expire_tokens(self) -> None:
        self.tokens.clear()


def _validation(payload: dict[str, Any], service_id: str) -> list[str]:
    errors = []
    if not str(payload.get("externalId") or "").strip():
        errors.append("externalId must not be blank")
    recipient = payload.get("recipient") or {}
    if not str(recipient.get("id") or "").strip():
        errors.append("recipient.id must not be blank")
    if (payload.get("sender") or {}).get("serviceId") != service_id:
        errors.append("sender.serviceId is not a service of this organisation")
    electronic = payload.get("electronic")
    if not isinstance(electronic, dict):
        return [*errors, "electronic must be given"]
    title, body = str(electronic.get("title") or ""), str(electronic.get("body") or "")
    if not title.strip() or len(title) > 200:
        errors.append("electronic.title must be 1-200 characters")
    if not body.strip() or len(body) > 30000:
        errors.append("electronic.body must be 1-30000 characters")
    for name, allowed in ENUMS.items():
        if electronic.get(name) not in allowed:
            errors.append(f"electronic.{name} must be one of {sorted(allowed)}")
    if not isinstance(electronic.get("attachments", []), list):
        errors.append("electronic.attachments must be a list")
    return errors


def _event(kind: str, message_id: int) -> dict[str, Any]:
    at = dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z")
    return {"type": kind, "eventTime": at, "metadata": {"messageId": message_id}}


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: a request line could carry nothing personal, but keep tests quiet."""

    def _answer(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> dict[str, Any] | None:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            value = json.loads(self.rfile.read(length) or b"null")
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    def _authorised(self) -> bool:
        header = self.headers.get("Authorization") or ""
        scheme, _space, token = header.partition(" ")
        return scheme == "Bearer" and token in self.server.state.tokens

    def _failed(self, path: str) -> bool:
        """Answer a failure a test queued for this path, if any."""
        state = self.server.state
        state.calls.append(path)
        with self.server.lock:
            for index, (failing, status, headers) in enumerate(state.failures):
                if failing == path:
                    del state.failures[index]
                    self._answer(status, {"reason": "Simulated failure"}, headers)
                    return True
        return False

    def do_GET(self) -> None:
        path, _q, query = self.path.partition("?")
        if self._failed(path):
            return
        if path != "/v2/events":
            self._answer(404, {"reason": "Not found"})
            return
        if not self._authorised():
            self._answer(401, {"reason": "Unauthorized"})
            return
        state = self.server.state
        token = (parse_qs(query).get("continuationToken") or [""])[0]
        if token and not (token.startswith("e") and token[1:].isdigit()):
            self._answer(400, {"reason": "Invalid continuation token", "validationErrors": []})
            return
        with self.server.lock:
            start = int(token[1:]) if token else 0
            page = state.events[start : start + state.events_page]
        self._answer(200, {"continuationToken": f"e{start + len(page)}", "events": page})

    def do_POST(self) -> None:
        path = self.path.split("?")[0]
        if self._failed(path):
            return
        body = self._body()
        if body is None:
            self._answer(400, {"reason": "Malformed JSON", "validationErrors": []})
            return
        if path == "/v1/token":
            self._token(body)
        elif path == "/v1/mailboxes/active":
            self._mailboxes(body)
        elif path == "/v2/messages/electronic":
            self._electronic(body)
        else:
            self._answer(404, {"reason": "Not found"})

    def _token(self, body: dict[str, Any]) -> None:
        state = self.server.state
        if not body.get("username") or not body.get("password"):
            self._answer(
                400,
                {"reason": "Validation failed", "validationErrors": [{"error": "credentials"}]},
            )
            return
        if (body["username"], body["password"]) != (state.username, state.password):
            self._answer(401, {"reason": "Invalid credentials"})
            return
        token = f"token-{next(state.counter)}"
        state.tokens.add(token)
        self._answer(
            200,
            {"access_token": token, "expires_in": state.token_seconds, "token_type": "Bearer"},
        )

    def _mailboxes(self, body: dict[str, Any]) -> None:
        if not self._authorised():
            self._answer(401, {"reason": "Unauthorized"})
            return
        users = body.get("endUsers")
        if not isinstance(users, list) or len(users) > 10000:
            self._answer(
                400,
                {"reason": "Validation failed", "validationErrors": [{"error": "endUsers"}]},
            )
            return
        active = [
            {"id": user.get("id")}
            for user in users
            if isinstance(user, dict) and user.get("id") in self.server.state.active_mailboxes
        ]
        self._answer(200, {"endUsersWithActiveMailbox": active})

    def _electronic(self, body: dict[str, Any]) -> None:
        state = self.server.state
        if not self._authorised():
            self._answer(401, {"reason": "Unauthorized"})
            return
        errors = _validation(body, state.service_id)
        if errors:
            self._answer(
                400,
                {
                    "reason": "Validation failed",
                    "validationErrors": [{"error": error} for error in errors],
                },
            )
            return
        with self.server.lock:
            external_id = str(body["externalId"])
            if external_id in state.by_external_id:
                self._answer(
                    409,
                    {
                        "reason": "Duplicate externalId",
                        "messageId": state.by_external_id[external_id],
                    },
                )
                return
            if body["recipient"]["id"] not in state.active_mailboxes:
                self._answer(404, {"reason": "The recipient has no active mailbox"})
                return
            message_id = next(state.counter)
            state.by_external_id[external_id] = message_id
            state.messages.append(body)
            state.events.append(_event("Electronic message created", message_id))
        self._answer(200, {"messageId": message_id})


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: FakeState) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state
        self.lock = threading.Lock()


class FakeMessagesServer:
    """Start with ``with FakeMessagesServer() as fake:``; ``fake.url`` is its base URL."""

    def __init__(self, state: FakeState | None = None) -> None:
        self.state = state or FakeState()
        self._server = _Server(self.state)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeMessagesServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
