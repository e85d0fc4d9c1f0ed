"""A consent about to expire is flagged to its case workers N working days ahead (issue 9):
once, at exactly the N-th working day boundary (weekends and holidays not counted), not
for a revoked or expired consent, each recipient in their own language; the panel badge."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse

from silta.consents.codes import Category, Purpose
from silta.consents.expiry import in_warning_window, window_end
from silta.consents.models import Consent, ConsentExpiryWarning
from silta.consents.services import consent_revoke
from silta.consents.tests.helpers import wording
from silta.exchange.consent_expiry import warn_expiring_consents
from silta.referrals.tests.helpers import Clock, at, give_emails
from silta.workdays.calendar import working_days_between
from tests.factories import World, give_consent

pytestmark = pytest.mark.django_db
D = dt.date
EASTER_MONDAY = D(2026, 4, 6)
MARCH_1 = D(2026, 3, 1)  # Good Friday 3.4. and Easter Monday 6.4.2026 are holidays
# Members of the case's two units whose role works on cases (not the administrators).
FINNISH = [
    "kela_advisor@example.fi",
    "kela_manager@example.fi",
    "kela_processor@example.fi",
    "social_counsellor@example.fi",
    "social_manager@example.fi",
    "social_processor@example.fi",
]
SWEDISH = ["social_worker@example.fi"]


@pytest.fixture
def clock(world, monkeypatch) -> Clock:
    give_emails(world)
    swede = world.users["social_worker"]
    swede.language = "sv"
    swede.save(update_fields=["language"])
    return Clock(monkeypatch, at(2026, 3, 2, 9))


def consent_until(
    world: World, client, until: dt.date, *, valid_from: dt.date = MARCH_1
) -> Consent:
    """The client's consent (the checkbox: Kela and the county may share everything),
    valid from ``valid_from`` until ``until``."""
    return Consent.objects.create(
        client=client,
        given_by="client",
        organiser=world.county,
        purposes=list(Purpose.values),
        categories=list(Category.values),
        given_how="application",
        wording=wording(),
        wording_language="fi",
        valid_from=valid_from,
        valid_until=until,
        recorded_at=at(2026, 3, 1),
        recorded_by_unit=world.kela_unit,
        recorded_by_label="Testi",
    )


def run(clock: Clock, *day: int) -> int:
    clock.set(*day)
    mail.outbox.clear()
    warned: int = warn_expiring_consents.call()
    return warned


def test_warned_once_at_the_tenth_working_day_before_easter_monday(world, clock) -> None:
    client = world.clients[0]
    consent = consent_until(world, client, EASTER_MONDAY)
    world.open_case(client)
    # 10 working days left from Thursday 19.3. (2.4. is the last working day before it).
    assert working_days_between(D(2026, 3, 19), EASTER_MONDAY) == 10
    assert run(clock, 2026, 3, 18, 8) == 0 and mail.outbox == []
    assert run(clock, 2026, 3, 18, 23, 59) == 0
    assert run(clock, 2026, 3, 19, 0, 1) == 1
    assert sorted(m.to[0] for m in mail.outbox if len(m.to) == 1) == SWEDISH
    assert sorted(address for m in mail.outbox for address in m.to) == sorted(FINNISH + SWEDISH)
    warning = ConsentExpiryWarning.objects.get()
    assert warning.consent_id == consent.pk and warning.working_days_left == 10
    assert warning.recipient_count == len(FINNISH + SWEDISH)
    # Once: not again the same day, after the weekend, or on its last day.
    for day in ((2026, 3, 19, 16), (2026, 3, 23, 8), (2026, 4, 2, 8), (2026, 4, 6, 8)):
        assert run(clock, *day) == 0 and mail.outbox == []
    assert ConsentExpiryWarning.objects.count() == 1


def test_the_holiday_moves_the_boundary(world, clock) -> None:
    # Valid until the Tuesday after Easter: still 11 working days on 19.3., 10 on 20.3.
    on_monday = world.clients[0]
    on_tuesday = world.clients[1]
    consent_until(world, on_monday, EASTER_MONDAY)
    later = consent_until(world, on_tuesday, D(2026, 4, 7))
    world.open_case(on_monday)
    world.open_case(on_tuesday)
    assert run(clock, 2026, 3, 19, 8) == 1
    assert not ConsentExpiryWarning.objects.filter(consent=later).exists()
    assert run(clock, 2026, 3, 20, 8) == 1
    assert ConsentExpiryWarning.objects.get(consent=later).working_days_left == 10


def test_each_recipient_in_their_own_language_and_no_identity(world, clock) -> None:
    client = world.clients[0]
    consent_until(world, client, EASTER_MONDAY)
    world.open_case(client)
    run(clock, 2026, 3, 19, 8)
    by_to = {tuple(m.to): m for m in mail.outbox}
    swedish, finnish = by_to[tuple(SWEDISH)], by_to[tuple(FINNISH)]
    assert swedish.subject == "Silta: en klients samtycke upphör 6.4.2026"
    assert finnish.subject == "Silta: asiakkaan suostumus päättyy 6.4.2026"
    assert "10 vardagar" in swedish.body and "Norra Savolax välfärdsområde" in swedish.body
    assert "10 arkipäivää" in finnish.body and "Pohjois-Savon hyvinvointialue" in finnish.body
    panel = reverse("consents:panel", args=[client.public_id])
    for message in (swedish, finnish):
        assert panel in message.body
        for secret in (client.identity_code, client.last_name, client.first_names):
            assert secret not in message.subject and secret not in message.body


def test_not_for_revoked_expired_or_not_yet_valid_consents(world, clock) -> None:
    expired, revoked, future = world.clients
    consent_until(world, expired, D(2026, 3, 18))
    in_window = consent_until(world, revoked, EASTER_MONDAY)
    consent_until(world, future, EASTER_MONDAY, valid_from=D(2026, 3, 30))
    give_consent(future, world.county, world.kela_unit)  # in force for a year: no warning
    for client in world.clients:
        world.open_case(client)
    consent_revoke(actor=world.actor("social_worker"), consent=in_window, how="phone")
    # On 19.3. the first has expired (last day 18.3.), the second is revoked and the third
    # is not valid yet, though all three end within ten working days.
    assert run(clock, 2026, 3, 19, 8) == 0
    assert ConsentExpiryWarning.objects.count() == 0 and mail.outbox == []
    # Once the third is in force it is warned about; the others never.
    assert run(clock, 2026, 3, 30, 8) == 1
    assert list(ConsentExpiryWarning.objects.values_list("consent__client", flat=True)) == [
        future.pk
    ]


def test_no_case_no_warning_until_there_is_one(world, clock) -> None:
    client = world.clients[0]
    consent_until(world, client, EASTER_MONDAY)
    assert run(clock, 2026, 3, 19, 8) == 0 and ConsentExpiryWarning.objects.count() == 0
    world.open_case(client)
    assert run(clock, 2026, 3, 20, 8) == 1


def test_a_case_with_another_organiser_is_not_warned(world, clock) -> None:
    client = world.clients[0]
    consent_until(world, client, EASTER_MONDAY)  # Kela and the county (Kuopio)
    give_consent(client, world.other_county, world.kela_unit, days=400)
    world.open_case(client, social_unit=world.other_social_unit)
    assert run(clock, 2026, 3, 19, 8) == 0


def test_the_setting_changes_the_window(world, clock, settings) -> None:
    settings.SILTA_CONSENT_EXPIRY_WARNING_DAYS = 5
    client = world.clients[0]
    consent_until(world, client, EASTER_MONDAY)
    world.open_case(client)
    assert run(clock, 2026, 3, 19, 8) == 0
    assert run(clock, 2026, 3, 25, 8) == 0  # 6 working days left
    assert run(clock, 2026, 3, 26, 8) == 1  # 5: 27.3., 30.3., 31.3., 1.4., 2.4.
    assert ConsentExpiryWarning.objects.get().working_days_left == 5


def test_the_date_query_is_the_working_day_rule() -> None:
    """``valid_until < window_end`` (what the database compares) is exactly "at most N
    working days left", over a year with Easter, May Day, Midsummer and Christmas."""
    start = D(2026, 1, 1)
    days = [start + dt.timedelta(days=n) for n in range(380)]
    for n in (0, 1, 10):
        for today in days[::3]:
            end = window_end(today, n)
            for until in days:
                if until >= today:
                    expected = working_days_between(today, until) <= n
                    assert (until < end) == expected == in_warning_window(until, today, n)


def test_the_panel_shows_the_working_days_left(world, clock, settings) -> None:
    settings.SILTA_DEMO_SKIP_TOTP = True
    client = world.clients[0]
    consent_until(world, client, EASTER_MONDAY)
    give_consent(client, world.county, world.kela_unit, days=400)

    def panel(*day: int) -> str:
        clock.set(*day)
        http = HttpClient()
        http.cookies["django_language"] = "en"
        http.force_login(world.users["kela_processor"])  # signed in on that day
        response = http.get(reverse("consents:panel", args=[client.public_id]))
        assert response.status_code == 200
        return response.content.decode()

    assert 'data-testid="consent-expires"' not in panel(2026, 3, 18, 12)
    page = panel(2026, 3, 19, 12)
    assert page.count('data-testid="consent-expires"') == 1
    assert "expires in 10 working days" in page
    assert "expires in 1 working day<" in panel(2026, 4, 1, 12)
    # Thursday 2.4. is its last working day (Good Friday to Easter Monday are not).
    assert "expires before the next working day" in panel(2026, 4, 2, 12)
    assert "expires before the next working day" in panel(2026, 4, 6, 12)
    assert 'data-testid="consent-expires"' not in panel(2026, 4, 7, 12)  # expired
