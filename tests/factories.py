"""Test data builders shared by every test module.

``build_world()`` makes Kela with two units and two organisers with two units each, one
user per role in the first units, and a few clients with test identity codes.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from silta.accounts.actor import Actor
from silta.accounts.models import Membership, User
from silta.accounts.roles import Role
from silta.clients.models import Client
from silta.consents.codes import Category, Purpose
from silta.consents.models import Consent, ConsentWording
from silta.exchange import services
from silta.exchange.models import Case, Message
from silta.organisations.models import Organisation, Unit
from silta.reference.loaders import DEFAULT_FILE, load_municipalities, read_rows
from silta.reference.models import Municipality

PASSWORD = "correct-horse-battery-9"
CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
# Fictitious test codes from DOMAIN.md §4.
TEST_CODES = [
    "010594Y9032",
    "020594X903P",
    "030594W903B",
    "040594V9030",
    "050594U903M",
    "010516B903X",
    "020516C903K",
    "030516D9037",
    "010501E9032",
    "020503F9037",
]
_counter = itertools.count(1)

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n"
    b"%%EOF\n"
)
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def pdf(name: str = "paatos.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def png(name: str = "kuva.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def exe_as_pdf(name: str = "lasku.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, EXE_BYTES, content_type="application/pdf")


def test_code(n: int) -> str:
    """A valid test identity code (individual number 900-999) for any n < 100 * 28."""
    day, individual = 1 + (n // 100) % 28, 900 + n % 100
    digits = f"{day:02d}0690"
    return f"{digits}-{individual:03d}{CHECK[int(f'{digits}{individual:03d}') % 31]}"


def browser_client(language: str = "fi") -> HttpClient:
    """A test browser whose user chose ``language`` with the switcher (pages ignore the
    browser's Accept-Language; the API follows it)."""
    http = HttpClient()
    http.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return http


def make_user(unit: Unit, role: str, username: str | None = None, *, totp: bool = False) -> User:
    username = username or f"user{next(_counter)}"
    user = User.objects.create_user(
        username=username, password=PASSWORD, first_name=username.title(), last_name="Testinen"
    )
    Membership.objects.create(user=user, unit=unit, role=role)
    if totp:
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


def make_client(n: int | None = None, municipality: str = "297") -> Client:
    n = next(_counter) if n is None else n
    return Client.objects.create(
        identity_code=test_code(n),
        first_names="Aino",
        last_name=f"Asiakas{n}",
        municipality_id=municipality,
    )


def give_consent(
    client: Client,
    organiser: Organisation,
    recorded_in: Unit,
    *,
    purposes: list[str] | None = None,
    categories: list[str] | None = None,
    days: int = 365,
    since_days: int = 1,
) -> Consent:
    """The client's consent on the application ("the checkbox"): Kela and ``organiser``
    may share everything for every purpose for ``days`` days (narrow it by the keywords)."""
    wording = ConsentWording.objects.get_or_create(
        version="test-all",
        defaults={
            "text_fi": "Annan suostumukseni.",
            "text_sv": "Jag samtycker.",
            "purposes": list(Purpose.values),
            "categories": list(Category.values),
        },
    )[0]
    today = timezone.localdate()
    return Consent.objects.create(
        client=client,
        given_by="client",
        organiser=organiser,
        purposes=purposes if purposes is not None else list(Purpose.values),
        categories=categories if categories is not None else list(Category.values),
        given_how="application",
        wording=wording,
        wording_language="fi",
        valid_from=today - dt.timedelta(days=since_days),
        valid_until=today + dt.timedelta(days=days),
        recorded_at=timezone.now(),
        recorded_by_unit=recorded_in,
        recorded_by_label="Testi",
    )


@dataclass
class World:
    kela: Organisation
    county: Organisation
    other_county: Organisation
    kela_unit: Unit
    kela_unit2: Unit
    social_unit: Unit
    social_unit2: Unit
    other_social_unit: Unit
    users: dict[str, User] = field(default_factory=dict)
    clients: list[Client] = field(default_factory=list)

    def actor(self, key: str) -> Actor:
        return Actor.for_user(self.users[key])

    def open_case(
        self,
        client: Client | None = None,
        *,
        kela_unit: Unit | None = None,
        social_unit: Unit | None = None,
    ) -> Case:
        client = client or self.clients[0]
        kela_unit = kela_unit or self.kela_unit
        social_unit = social_unit or self.social_unit
        # The client ticked the consent box on the application: Kela and this organiser
        # may share (tests of the lawful basis itself build their own consents).
        if not Consent.objects.filter(
            client=client, organiser_id=social_unit.organisation_id
        ).exists():
            give_consent(client, social_unit.organisation, kela_unit)
        opener = make_user(kela_unit, Role.KELA_BENEFIT_PROCESSOR)
        case, _ = services.case_open(
            actor=Actor.for_user(opener),
            client=client,
            acting_unit_id=kela_unit.pk,
            counterpart_unit_id=social_unit.pk,
        )
        return case

    def thread(
        self,
        case: Case | None = None,
        *,
        from_key: str = "kela_processor",
        files: list | None = None,
    ) -> Message:
        case = case or self.open_case()
        return services.thread_start(
            actor=self.actor(from_key),
            case=case,
            subject="Vuokravakuus",
            body="Hakemus liitteineen.",
            files=files or [],
        )


# Every person role, the unit key it lives in, and the key used in World.users.
ROLE_USERS = {
    "kela_processor": ("kela_unit", Role.KELA_BENEFIT_PROCESSOR),
    "kela_advisor": ("kela_unit", Role.KELA_SERVICE_ADVISOR),
    "kela_manager": ("kela_unit", Role.UNIT_MANAGER),
    "kela_admin": ("kela_unit", Role.ORGANISATION_ADMIN),
    "social_worker": ("social_unit", Role.SOCIAL_WORKER),
    "social_counsellor": ("social_unit", Role.SOCIAL_COUNSELLOR),
    "social_processor": ("social_unit", Role.SOCIAL_ASSISTANCE_PROCESSOR),
    "social_manager": ("social_unit", Role.UNIT_MANAGER),
    "social_admin": ("social_unit", Role.ORGANISATION_ADMIN),
    # Same role, but in units that are not a party to the world's cases.
    "kela_other_unit": ("kela_unit2", Role.KELA_BENEFIT_PROCESSOR),
    "social_same_org_other_unit": ("social_unit2", Role.SOCIAL_WORKER),
    "social_other_org": ("other_social_unit", Role.SOCIAL_WORKER),
    "social_other_org_manager": ("other_social_unit", Role.UNIT_MANAGER),
}


def ensure_municipalities() -> None:
    """The data migration's municipalities; a transactional test (the browser tests) flushes
    them, and a test ordered after it would otherwise meet an empty reference table."""
    if not Municipality.objects.filter(code="297").exists():
        load_municipalities(read_rows(DEFAULT_FILE), year=2025, model=Municipality)


def build_world() -> World:
    ensure_municipalities()
    kela = Organisation.objects.create(kind="kela", name_fi="Kela", name_sv="FPA")
    county = Organisation.objects.create(
        kind="social_services",
        organiser_code="13",
        name_fi="Pohjois-Savon hyvinvointialue",
        name_sv="Norra Savolax välfärdsområde",
    )
    other = Organisation.objects.create(
        kind="social_services",
        organiser_code="04",
        name_fi="Vantaan ja Keravan hyvinvointialue",
        name_sv="Vanda och Kervo välfärdsområde",
    )
    world = World(
        kela=kela,
        county=county,
        other_county=other,
        kela_unit=Unit.objects.create(
            organisation=kela, kind="kela_benefit_team", name_fi="Kela Itä", name_sv="FPA Öst"
        ),
        kela_unit2=Unit.objects.create(
            organisation=kela, kind="kela_benefit_team", name_fi="Kela Etelä", name_sv="FPA Syd"
        ),
        social_unit=Unit.objects.create(
            organisation=county,
            kind="adult_social_work",
            name_fi="Aikuissosiaalityö Kuopio",
            name_sv="Vuxensocialarbete Kuopio",
        ),
        social_unit2=Unit.objects.create(
            organisation=county,
            kind="social_assistance",
            name_fi="Toimeentulotuki Kuopio",
            name_sv="Utkomststöd Kuopio",
        ),
        other_social_unit=Unit.objects.create(
            organisation=other,
            kind="adult_social_work",
            name_fi="Aikuissosiaalityö Vantaa",
            name_sv="Vuxensocialarbete Vanda",
        ),
    )
    for key, (unit_attr, role) in ROLE_USERS.items():
        world.users[key] = make_user(getattr(world, unit_attr), role, key)
    world.clients = [make_client(n) for n in range(3)]
    return world


test_code.__test__ = False  # type: ignore[attr-defined]
