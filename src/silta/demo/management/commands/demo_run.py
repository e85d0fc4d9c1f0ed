"""Run the demo: the web server and the background worker side by side, plus the demo's
clock for the periodic jobs (silence escalation, digests, stale-entry reminders, consent
expiry warnings), so they visibly happen. One Ctrl-C stops everything.

The worker is Silta's ``manage.py worker`` (django-tasks-db's loop that survives database
outages); production runs it as its own service and the periodic commands from systemd
timers (README, "Running in production"; ``deploy/``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from silta.oidc import devidp

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
# What cron does in production, queued for the worker here.
PERIODIC = (
    ("referrals_daily", "--digest"),
    ("directory_stale_reminders",),
    ("consent_expiry_warnings",),
    ("client_notifications",),
    ("webhooks_sweep",),
    ("analytics_daily", "--queue"),
)


def _interrupt(signum: int, frame: Any) -> None:
    """A SIGTERM (e.g. from a process manager) stops the demo like Ctrl-C does."""
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Run the demo web server and background worker together (Ctrl-C stops both)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--address", default="127.0.0.1:8000")
        parser.add_argument(
            "--every",
            type=int,
            default=300,
            help="seconds between queuing the periodic jobs (first run at start)",
        )
        parser.add_argument("--worker", default="worker", help="the worker command")
        parser.add_argument(
            "--idp-port",
            type=int,
            default=8010,
            help="port of the local OpenID provider for client and staff sign-in (0: none)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError("The demo runner is not for production.")
        worker = [options["worker"]]
        if options["worker"] in ("worker", "db_worker"):
            worker += ["--no-reload", "--interval", "2"]
        # Our own manage.py commands with the operator's arguments: nothing untrusted.
        web = [sys.executable, MANAGE, "runserver", options["address"], "--noreload"]
        env = self._identity_provider(options["address"], options["idp_port"])
        children = [
            subprocess.Popen(web, env=env),  # noqa: S603
            subprocess.Popen([sys.executable, MANAGE, *worker], env=env),  # noqa: S603
        ]
        if self._idp is not None:
            children.append(self._idp.process)
        self.stdout.write(
            f"Web server on http://{options['address']}/ and the worker "
            f"({options['worker']}) are running; e-mail is printed here. Ctrl-C stops both."
        )
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            self._tick(children, options["every"])
        except KeyboardInterrupt:
            self.stdout.write("\nStopping the web server and the worker...")
        finally:
            self._stop(children)

    _idp: devidp.DevIdp | None = None

    def _identity_provider(self, address: str, port: int) -> dict[str, str] | None:
        """Start the local OpenID provider and point the web server at it (unless the
        operator configured a provider of their own)."""
        if not port or os.environ.get("SILTA_OIDC_CLIENT_ISSUER"):
            return None
        host_port = address.rsplit(":", 1)[-1]
        bases = (f"http://{address}", f"http://localhost:{host_port}")
        self._idp = devidp.start(port=port, redirect_bases=bases, quiet=False)
        self.stdout.write(f"Local OpenID provider on {self._idp.issuer}/ (test identities only).")
        return {**os.environ, **devidp.silta_environment(self._idp.issuer)}

    def _tick(self, children: list[subprocess.Popen[bytes]], every: int) -> None:
        next_run = 0.0
        while all(child.poll() is None for child in children):
            if time.monotonic() >= next_run:
                for command in PERIODIC:
                    call_command(*command, stdout=self.stdout)
                next_run = time.monotonic() + every
            time.sleep(1)
        raise CommandError("The web server or the worker stopped; stopping the demo.")

    @staticmethod
    def _stop(children: list[subprocess.Popen[bytes]]) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGINT)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
