"""Outbound e-mail for real: ``EMAIL_URL`` configures Django's SMTP backend, and mail goes
through an SMTP server on loopback (``aiosmtpd``), plain and with STARTTLS
(``smtp+tls://``), where we read what arrived: the webhook-disabled notice and a meeting
invitation with its iCalendar part."""

from __future__ import annotations

import email
import os
import socket
import ssl
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

import environ
import pytest
from aiosmtpd.controller import Controller
from django.core.mail import EmailMessage, get_connection

from silta.meetings.tests.scene import confirmed_meeting, with_emails
from silta.webhooks.mail import send_disabled_mail
from silta.webhooks.tests.scene import subscribe

ROOT = Path(__file__).resolve().parents[4]


@dataclass
class Inbox:
    """aiosmtpd's handler: keeps each message with its envelope and whether TLS was on."""

    received: list[tuple[str, list[str], Message, bool]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content)
        tls = session.ssl is not None
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), message, tls))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, trusted by this test's clients."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def _serve(inbox: Inbox, tls: ssl.SSLContext | None = None) -> Controller:
    extra: dict[str, Any] = {"tls_context": tls, "require_starttls": True} if tls else {}
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(), **extra)
    controller.start()
    return controller


@pytest.fixture
def smtp(settings) -> Iterator[Inbox]:
    """A plain SMTP server on loopback, and Silta configured by ``EMAIL_URL`` to use it."""
    inbox = Inbox()
    controller = _serve(inbox)
    _configure(settings, f"smtp://127.0.0.1:{controller.port}")
    yield inbox
    controller.stop()


def _configure(settings: Any, url: str) -> None:
    """What settings.py does with ``EMAIL_URL`` (``env.email_url``), applied to the test."""
    for name, value in environ.Env.email_url_config(url).items():
        setattr(settings, name, value)


def test_email_url_configures_the_smtp_backend_with_tls():
    """settings.py itself, started with EMAIL_URL=smtp+tls://… (as production is)."""
    env = {**os.environ, "EMAIL_URL": "smtp+tls://silta:pw@mail.example.fi:587"}
    probe = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, "
        "settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER)"
    )
    env["DJANGO_SETTINGS_MODULE"] = "silta.config.settings"
    env["PYTHONPATH"] = str(ROOT / "src")
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == [
        "django.core.mail.backends.smtp.EmailBackend",
        "mail.example.fi",
        "587",
        "True",
        "silta",
    ]


@pytest.mark.django_db
def test_the_webhook_disabled_notice_arrives_by_smtp(smtp, shared_world):
    admin = shared_world.users["social_admin"]
    admin.email, admin.language = "kuopio.admin@example.fi", "sv"
    admin.save(update_fields=["email", "language"])
    sub, _ = subscribe(shared_world, "https://hooks.example.fi/silta")
    sub.is_active, sub.disabled_reason, sub.consecutive_failures = False, "failures", 15
    assert send_disabled_mail(sub) == 1
    [(sender, to, message, tls)] = smtp.received
    assert (sender, to, tls) == ("silta@localhost", ["kuopio.admin@example.fi"], False)
    body = message.get_payload(decode=True).decode()
    # In the administrator's own language (Swedish), with the address and the count.
    assert "https://hooks.example.fi/silta" in body and "15" in body
    assert "webhook-prenumeration" in message["Subject"]


@pytest.mark.django_db
def test_a_meeting_invitation_arrives_by_smtp_with_its_calendar(smtp, shared_world):
    with_emails(shared_world)
    confirmed_meeting(shared_world)
    addressed = {address for _sender, to, _message, _tls in smtp.received for address in to}
    assert "kela_processor@example.fi" in addressed
    message = next(m for _s, to, m, _t in smtp.received if to == ["kela_processor@example.fi"])
    calendar = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert calendar and b"BEGIN:VCALENDAR" in calendar[0].get_payload(decode=True)
    client = shared_world.clients[0]
    assert client.last_name not in message.as_string()


def test_starttls_is_used_with_smtp_tls_and_the_certificate_is_checked(
    settings, certificate, monkeypatch
):
    cert, key = certificate
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    inbox = Inbox()
    controller = _serve(inbox, server_tls)
    try:
        _configure(settings, f"smtp+tls://127.0.0.1:{controller.port}")
        # Trust the test's own certificate (as a deployment trusts its mail server's CA).
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        sent = EmailMessage("Silta", "Hei", "silta@localhost", ["a@example.fi"])
        assert get_connection().send_messages([sent]) == 1
        assert [tls for *_rest, tls in inbox.received] == [True]
        # An untrusted certificate: nothing is sent in the clear instead.
        monkeypatch.delenv("SSL_CERT_FILE")
        monkeypatch.setenv("SSL_CERT_DIR", str(cert.parent / "none"))
        with pytest.raises(ssl.SSLError):
            get_connection().send_messages([sent])
        assert len(inbox.received) == 1
    finally:
        controller.stop()
