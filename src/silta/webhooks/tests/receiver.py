"""A receiving system on loopback: an ``http.server`` in a thread that verifies every
request the way an integrator would (``signing.verify`` with the secrets it was given),
keeps what it accepted, and answers with the status the test sets. ``stop()`` and
``start()`` take it down and bring it back on the same port (connection refused between).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from silta.webhooks import signing


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    verified: bool
    refusal: str = ""

    @property
    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body)
        return data


@dataclass
class Receiver:
    secrets: list[str] = field(default_factory=list)
    status: int = 200
    extra_headers: dict[str, str] = field(default_factory=dict)
    requests: list[Received] = field(default_factory=list)
    port: int = 0
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/silta"

    @property
    def accepted(self) -> list[Received]:
        """The verified requests the receiver answered with a 2xx."""
        with self._lock:
            return [r for r in self.requests if r.verified and not r.refusal]

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                status = receiver.handle(dict(self.headers.items()), body)
                self.send_response(status)
                for name, value in receiver.extra_headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def handle(self, headers: dict[str, str], body: bytes) -> int:
        """Verify like a receiving system: 401 for an unsigned, stale or forged request."""
        refusal = ""
        for secret in self.secrets:
            try:
                signing.verify(secret, body, headers)
                refusal = ""
                break
            except signing.VerificationError as error:
                refusal = error.code
        verified = bool(self.secrets) and not refusal
        status = self.status if verified else 401
        with self._lock:
            self.requests.append(Received(headers, body, verified, refusal if not verified else ""))
            if verified and not 200 <= status < 300:
                self.requests[-1].refusal = f"answered {status}"
        return status
