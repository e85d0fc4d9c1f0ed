"""Print how to use the demo: the address, each user's role and unit, and API keys."""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from silta.accounts.models import Membership
from silta.accounts.roles import Role
from silta.api_keys.models import ApiKey
from silta.api_keys.services import api_key_issue, api_key_revoke
from silta.cooperation import demo as cooperation_demo
from silta.demo import data
from silta.demo.management.commands.demo_seed import demo_totp_key
from silta.oidc import devidp
from silta.organisations.models import Unit

DEMO_KEY_NAME = "Demo (make demo)"
# One Kela unit and one social services unit get an API key each.
API_KEY_UNITS = ("kela_east", "kuopio_adult")


class Command(BaseCommand):
    help = "Print the demo address, users, roles and password, and fresh demo API keys."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--address", default="127.0.0.1:8000", help="what the demo serves")

    def handle(self, *args: Any, **options: Any) -> None:
        base = f"http://{options['address']}"
        out = self.stdout.write
        out("")
        out(f"Silta demo: {base}/")
        out(f"Password for every demo user: {data.DEMO_PASSWORD}")
        if settings.SILTA_DEMO_SKIP_TOTP:
            out("One-time code: not asked (SILTA_DEMO_SKIP_TOTP=true, demo only).")
        out("")
        roles = {
            m.user.username: m
            for m in Membership.objects.select_related("user", "unit").order_by("pk")
        }
        out(f"{'username':<20} {'name':<20} {'role':<28} {'unit':<46} TOTP key (base32)")
        with translation.override("en"):
            for username, first, last, *_rest in data.USERS:
                member = roles.get(username)
                role = str(Role(member.role).label) if member else "-"
                unit = member.unit.name_fi if member else "-"
                key = base64.b32encode(bytes.fromhex(demo_totp_key(username))).decode()
                out(f"{username:<20} {first + ' ' + last:<20} {role:<28} {unit:<46} {key}")
        out("")
        out("Try: kela.kasittelija in one browser, sos.tyontekija in another.")
        out("Admin: paakayttaja (/admin/). E-mail (reminders, escalations) prints in this window.")
        for line in cooperation_demo.SETUP_LOGINS:
            out(line)
        self._provider_logins(base)
        self._api_keys(base)

    def _provider_logins(self, base: str) -> None:
        """The local OpenID provider's test identities (started by demo_run)."""
        out = self.stdout.write
        out("")
        out("Signing in through the local OpenID provider (password for each: silta-demo-2026):")
        out(f"  clients: {base}/oma/kirjaudu/   staff: {base}/oidc/staff/")
        for login, kind, who in devidp.listed_identities():
            out(f"  {login:<10} {kind:<7} {who}")

    def _api_keys(self, base: str) -> None:
        """A fresh key per run (keys are stored hashed; the old demo key is revoked)."""
        out = self.stdout.write
        out("")
        out(f"API (OpenAPI docs at {base}/api/v1/docs), keys valid until the next demo start:")
        names = [data.KELA_UNITS.get(k, (None,))[0] for k in API_KEY_UNITS]
        names += [data.SOCIAL_UNITS[k][2] for k in API_KEY_UNITS if k in data.SOCIAL_UNITS]
        for unit in Unit.objects.filter(name_fi__in=[n for n in names if n]).order_by("pk"):
            with transaction.atomic():
                for old in ApiKey.objects.filter(unit=unit, name=DEMO_KEY_NAME, revoked_at=None):
                    api_key_revoke(api_key=old)
                issued = api_key_issue(unit=unit, name=DEMO_KEY_NAME)
            out(f"  {unit.name_fi}: {issued.plaintext}")
            out(f'    curl -H "Authorization: Bearer {issued.plaintext}" {base}/api/v1/cases')
        out("")
