"""Print the demo logins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from silta.demo import data
from silta.demo.management.commands.demo_seed import demo_totp_key


class Command(BaseCommand):
    help = "Print the demo users and their password."

    def handle(self, *args: Any, **options: Any) -> None:
        import base64

        self.stdout.write("")
        self.stdout.write("Silta demo: http://127.0.0.1:8000/")
        self.stdout.write(f"Password for every demo user: {data.DEMO_PASSWORD}")
        if settings.SILTA_DEMO_SKIP_TOTP:
            self.stdout.write("One-time code: not asked (SILTA_DEMO_SKIP_TOTP=true, demo only).")
        self.stdout.write("")
        self.stdout.write(f"{'username':<20} {'name':<22} {'role':<30} TOTP key (base32)")
        for username, first, last, _title, _unit, role in data.USERS:
            key = base64.b32encode(bytes.fromhex(demo_totp_key(username))).decode()
            self.stdout.write(f"{username:<20} {first + ' ' + last:<22} {role:<30} {key}")
        self.stdout.write("")
        self.stdout.write("Try: kela.kasittelija in one browser, sos.tyontekija in another.")
        self.stdout.write("")
