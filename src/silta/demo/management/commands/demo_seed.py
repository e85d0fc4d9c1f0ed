"""Load the demo world (idempotent): organisations, units, staff, clients, the clients'
consents, then the shared cases and threads opened on them, referrals."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from silta.accounts.actor import Actor
from silta.accounts.models import Membership, User
from silta.bookings import demo as bookings_demo
from silta.clients.models import Client
from silta.consents.gate import BasisChoice
from silta.cooperation import demo as cooperation_demo
from silta.demo import analytics, consents, data, directory, referrals
from silta.demo.clock import DemoClock, demo_clock
from silta.directory.loaders import kela_organisation, load_organisers
from silta.exchange import services, workflow
from silta.knowledge import demo as knowledge
from silta.meetings import demo as meetings_demo
from silta.notifications import demo as notifications_demo
from silta.oidc import demo as oidc_demo
from silta.organisations.models import Organisation, Unit
from silta.portal import demo as portal_demo
from silta.reference.models import Municipality

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def demo_totp_key(username: str) -> str:
    """A fixed TOTP key per demo user (hex), so demos and tests can compute codes."""
    return (username.encode().hex() * 4)[:40]


class Command(BaseCommand):
    help = "Load the demo data (test identity codes only). Safe to run twice."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError("Demo data is never loaded into a production instance.")
        if not Municipality.objects.exists():
            raise CommandError("Load the municipalities first (migrate does it).")
        if Organisation.objects.filter(kind="kela").exists():
            self.stdout.write("Demo data already loaded.")
            return
        with transaction.atomic(), demo_clock() as clock:
            clock.set(20, "08:00")
            units = self._organisations()
            users = self._users(units)
            directory.seed(units, users, clock)
            clients = self._clients(users["kela.kasittelija"])
            # The consents come first: nothing goes to the other organisation without one
            # (or a statutory basis the sender chooses).
            consents.seed_before_cases(users, clients, clock)
            notifications_demo.seed(clients)  # Aino gets e-mail notifications
            self._threads(units, users, clients, clock)
            # The guide first: a return "belongs to the other organisation" names its entry.
            knowledge.seed()  # the guide's starter entries (labelled demo) and a bulletin
            referrals.seed(users, clock)
            analytics.seed()  # a year of closed history behind the figures
            meetings_demo.seed(units, users, clock)  # scheduling, confirmed, held
            bookings_demo.seed(units, users, clock)  # slots at Kela, one booked
            clock.set(0, "23:59")
            consents.seed_after_cases(users, clients)
            portal_demo.seed(units, users, clients)  # own worker, attorney, staff names
            cooperation_demo.seed(units, users)
            oidc_demo.seed(units)  # role rules for the local provider's staff identities
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))

    def _organisations(self) -> dict[str, Unit]:
        load_organisers()
        kela = kela_organisation()
        units = {
            key: Unit.objects.create(
                organisation=kela, kind="kela_benefit_team", name_fi=fi, name_sv=sv
            )
            for key, (fi, sv) in data.KELA_UNITS.items()
        }
        for key, (code, kind, fi, sv) in data.SOCIAL_UNITS.items():
            units[key] = Unit.objects.create(
                organisation=Organisation.objects.get(organiser_code=code),
                kind=kind,
                name_fi=fi,
                name_sv=sv,
            )
        return units

    def _users(self, units: dict[str, Unit]) -> dict[str, User]:
        users = {}
        for username, first, last, title, unit_key, role in data.USERS:
            user = User.objects.create_user(
                username=username,
                password=data.DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                title=title,
                email=f"{username}@demo.invalid",
            )
            if role == "organisation_admin":
                user.is_staff = user.is_superuser = True
                user.save(update_fields=["is_staff", "is_superuser"])
            Membership.objects.create(user=user, unit=units[unit_key], role=role)
            TOTPDevice.objects.create(
                user=user, name="demo", confirmed=True, key=demo_totp_key(username)
            )
            users[username] = user
        return users

    def _clients(self, creator: User) -> list[Client]:
        return [
            Client.objects.create(
                identity_code=code,
                first_names=first,
                last_name=last,
                municipality_id=municipality,
                created_by=creator,
            )
            for code, first, last, municipality in data.demo_clients()
        ]

    def _threads(
        self,
        units: dict[str, Unit],
        users: dict[str, User],
        clients: list[Client],
        clock: DemoClock,
    ) -> None:
        """Conversations over the past weeks: answered and not, read and unread."""
        kela_user = {"kela_east": users["kela.kasittelija"], "kela_south": users["kela.etela"]}
        social_user = {
            "kuopio_adult": users["sos.tyontekija"],
            "psavo_assistance": users["sos.etuus"],
            "vantaa_adult": users["vantaa.tyontekija"],
        }
        for t in data.THREADS:
            kela_actor = Actor.for_user(kela_user[t.kela_unit])
            social_actor = Actor.for_user(social_user[t.social_unit])
            opener, responder = (
                (kela_actor, social_actor) if t.starter == "kela" else (social_actor, kela_actor)
            )
            own, other = (
                (t.kela_unit, t.social_unit)
                if t.starter == "kela"
                else (t.social_unit, t.kela_unit)
            )
            clock.set(*t.sent)
            # Empty: on the client's consent in force; else the statutory basis named.
            case, _created = services.case_open(
                actor=opener,
                client=clients[t.client],
                acting_unit_id=units[own].pk,
                counterpart_unit_id=units[other].pk,
                basis=BasisChoice(statutory_basis=t.case_basis),
            )
            files = [ContentFile(MINIMAL_PDF, name=f"{t.subject}.pdf")] if t.file else []
            clock.later(3)
            message = services.thread_start(
                actor=opener,
                case=case,
                subject=t.subject,
                body=t.first,
                files=files,
                basis=BasisChoice(statutory_basis=t.basis),
                expense_kind=t.expense_kind,
            )
            if t.read or t.reply:
                clock.later(47)
                workflow.thread_mark_read(actor=responder, thread=message.thread)
            if t.reply and t.replied:
                clock.set(*t.replied)
                services.message_send(actor=responder, thread=message.thread, body=t.reply)
                if t.reply_read:
                    clock.later(38)
                    workflow.thread_mark_read(actor=opener, thread=message.thread)
