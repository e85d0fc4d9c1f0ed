"""Demo consents.

``seed_before_cases``: the consent each client with a shared case gave before it was
opened (mostly the checkbox on the application), so the cases, messages and referrals go
out on it; one is replaced by a wider one and one has long expired. The client of
``STATUTORY_CLIENT`` gave none: social services open that case on Totul 15 § and write on
Totul 18 b §, and Kela's compose page shows the refusal and the statutory bases to choose.

``seed_after_cases`` (at the real now): a consent revoked by phone at social services, a
verified power of attorney under which an attorney gave a new one, and a renewal not yet
valid, so every state can be seen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from silta.accounts.actor import Actor
from silta.accounts.models import User
from silta.clients.models import Client
from silta.consents.codes import Category, Purpose
from silta.consents.models import Consent, ConsentWording
from silta.consents.poa_services import PoaInput, poa_record, poa_verify
from silta.consents.rules import helsinki_date
from silta.consents.services import ConsentInput, consent_record, consent_revoke
from silta.demo.clock import DemoClock
from silta.organisations.models import Organisation

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
WORDING = "2026-1"
WORDING_FI = (
    "Annan suostumukseni siihen, että Kela ja hyvinvointialueen sosiaalipalvelut voivat "
    "luovuttaa toisilleen valitsemiani tietoja valitsemiini tarkoituksiin, jotta "
    "toimeentulotukiasiani voidaan hoitaa yhdessä. Suostumus on voimassa merkittyyn "
    "päivään asti. Voin peruuttaa sen milloin tahansa Kelassa tai sosiaalipalveluissa."
)
WORDING_SV = (
    "Jag samtycker till att FPA och välfärdsområdets socialtjänst får lämna ut de "
    "uppgifter om mig som jag har valt till varandra för de ändamål jag har valt, så att "
    "mitt ärende om utkomststöd kan skötas tillsammans. Samtycket gäller till det angivna "
    "datumet. Jag kan när som helst återkalla det hos FPA eller socialtjänsten."
)
# The client (index in data.demo_clients()) whose case rests on statutory bases only.
STATUTORY_CLIENT = 9


@dataclass(frozen=True)
class DemoConsent:
    """A consent given before the client's first case (working days ago, Helsinki time)."""

    client: int
    organiser: str  # organiser code
    recorder: str  # username
    at: tuple[int, str] = (30, "08:00")
    given_how: str = "application"


# Every client of data.THREADS but STATUTORY_CLIENT; the organiser is the case's.
BEFORE_CASES = [
    DemoConsent(0, "13", "kela.kasittelija"),
    DemoConsent(1, "13", "sos.tyontekija", (28, "13:40"), "in_person"),
    DemoConsent(2, "13", "kela.kasittelija", (27, "09:15")),
    # Given at Kela's service point the moment before Kela contacted social services.
    DemoConsent(3, "04", "kela.etela", (10, "11:05"), "in_person"),
    DemoConsent(4, "13", "kela.kasittelija", (25, "10:30")),
    DemoConsent(5, "04", "vantaa.tyontekija", (22, "14:10"), "in_person"),
    DemoConsent(7, "13", "sos.tyontekija", (19, "09:50"), "in_person"),
]


def _input(client: Client, organiser: str, given_how: str, **changes: Any) -> ConsentInput:
    fields: dict[str, Any] = {
        "given_by": "client",
        "organiser_id": Organisation.objects.get(organiser_code=organiser).public_id,
        "purposes": list(Purpose.values),
        "categories": list(Category.values),
        "given_how": given_how,
        "application_reference": f"TO-{client.pk:05d}" if given_how == "application" else "",
        "wording_version": WORDING,
    }
    fields.update(changes)
    return ConsentInput(**fields)


def seed_before_cases(users: dict[str, User], clients: list[Client], clock: DemoClock) -> None:
    """The consents in force when the cases are opened, recorded in time order."""
    ConsentWording.objects.create(
        version=WORDING,
        text_fi=WORDING_FI,
        text_sv=WORDING_SV,
        purposes=list(Purpose.values),
        categories=list(Category.values),
    )
    kela = Actor.for_user(users["kela.kasittelija"])
    # Client 4 first allowed sorting out the assistance only, then widened it.
    clock.set(32, "10:00")
    narrow = consent_record(
        actor=kela,
        client=clients[4],
        data=_input(clients[4], "13", "application", purposes=["joint_assistance"]),
    )
    # Long expired: an old consent of client 2 (consents are kept for 12 years).
    clock.set(31, "12:00")
    consent_record(
        actor=kela,
        client=clients[2],
        data=_input(
            clients[2],
            "13",
            "application",
            valid_from=clock.today - dt.timedelta(days=800),
            valid_until=clock.today - dt.timedelta(days=70),
        ),
    )
    for item in sorted(BEFORE_CASES, key=lambda c: (-c.at[0], c.at[1])):
        clock.set(*item.at)
        actor = Actor.for_user(users[item.recorder])
        changes: dict[str, Any] = {}
        if item.client == 4:
            changes["replaces_id"] = narrow.public_id
        client = clients[item.client]
        consent_record(
            actor=actor,
            client=client,
            data=_input(client, item.organiser, item.given_how, **changes),
        )


def seed_after_cases(users: dict[str, User], clients: list[Client]) -> None:
    """Revoked, given by an attorney, not yet valid: at the real now, after the cases."""
    social = Actor.for_user(users["sos.tyontekija"])
    today = helsinki_date(timezone.now())
    given = Consent.objects.filter(client=clients[1], given_how="in_person").get()
    consent_revoke(actor=social, consent=given, how="phone", note="Asiakas soitti")
    poa = poa_record(
        actor=social,
        client=clients[1],
        data=PoaInput(
            attorney_kind="person",
            attorney_name="Pekka Virtanen",
            attorney_identity="020594X903P",
            scopes=["consents", "social_assistance", "kela_benefits"],
        ),
        document=ContentFile(PDF, name="valtakirja.pdf"),
    )
    poa = poa_verify(actor=social, poa=poa)
    consent_record(
        actor=social,
        client=clients[1],
        data=_input(
            clients[1],
            "13",
            "in_person",
            given_by="attorney",
            power_of_attorney_id=poa.public_id,
        ),
    )
    # A renewal given by phone that starts in two weeks.
    consent_record(
        actor=social,
        client=clients[2],
        data=_input(clients[2], "13", "phone", valid_from=today + dt.timedelta(days=14)),
    )
