"""One HTTP POST of a webhook: no redirects followed (a 3xx is a failure, as the
specification recommends), a timeout, and a connection to the address that was checked
(``addresses.resolve``), reused per thread while the receiver keeps it open."""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from silta.webhooks.addresses import resolve

USER_AGENT = "Silta-Webhooks/1"
_local = threading.local()


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    latency_ms: int
    error: str
    retry_after: float | None = None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to a given address, verifying the certificate for the host name."""

    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def _connection(scheme: str, host: str, port: int, timeout: float) -> http.client.HTTPConnection:
    pool: dict[tuple[str, str, int], http.client.HTTPConnection] = _local.__dict__.setdefault(
        "pool", {}
    )
    key = (scheme, host, port)
    conn = pool.get(key)
    if conn is None:
        address = str(resolve(host, port))
        if scheme == "https":
            conn = _PinnedHTTPS(host, address, port, timeout)
        else:
            conn = http.client.HTTPConnection(address, port, timeout=timeout)
        pool[key] = conn
    conn.timeout = timeout
    return conn


def _drop(scheme: str, host: str, port: int) -> None:
    conn = _local.__dict__.get("pool", {}).pop((scheme, host, port), None)
    if conn is not None:
        conn.close()


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


STALE_CONNECTION = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


def _send(
    scheme: str,
    host: str,
    port: int,
    timeout: float,
    path: str,
    body: bytes,
    headers: dict[str, str],
) -> http.client.HTTPResponse:
    conn = _connection(scheme, host, port, timeout)
    conn.request("POST", path, body=body, headers=headers)
    return conn.getresponse()


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> Outcome:
    parts = urlsplit(url)
    scheme, host = parts.scheme, parts.hostname or ""
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        return Outcome(None, 0, "invalid address")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    sent = {
        **headers,
        "Host": parts.netloc.rsplit("@", 1)[-1],
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
    }
    started = time.monotonic()
    try:
        try:
            response = _send(scheme, host, port, timeout, path, body, sent)
        except STALE_CONNECTION:
            # A kept-alive connection the receiver had closed meanwhile: once more, anew.
            _drop(scheme, host, port)
            response = _send(scheme, host, port, timeout, path, body, sent)
        response.read(64 * 1024)  # the answer is not used; read it to reuse the connection
        if response.will_close:
            _drop(scheme, host, port)
        status, retry_after = response.status, _retry_after(response.getheader("Retry-After"))
        error = "" if 200 <= status < 300 else f"HTTP {status}"
    except (OSError, ValueError, http.client.HTTPException) as exc:
        _drop(scheme, host, port)
        status, retry_after = None, None
        error = f"{type(exc).__name__}: {exc}"[:300]
    latency = int((time.monotonic() - started) * 1000)
    return Outcome(status, latency, error, retry_after)
