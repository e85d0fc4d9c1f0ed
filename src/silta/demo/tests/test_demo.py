"""The demo shows everything: data spread over the past weeks (overdue, due soon, a
returned referral, unanswered and unread threads), logins with roles and API keys, a
directory without repeated labels, Kela's customer-service units reachable, and cases that
rest on a consent given before them (one on statutory bases)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client as HttpClient
from django.utils import timezone

from silta.accounts.models import User
from silta.api_keys.services import api_key_authenticate
from silta.consents.models import Consent, Disclosure
from silta.directory.models import Channel
from silta.exchange.models import Case, InboxEntry, Message, Receipt
from silta.organisations.models import Unit, UnitKind
from silta.referrals.models import OPEN_STATE_VALUES, Referral
from silta.workdays import calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings) -> None:
    settings.SILTA_DEMO_SKIP_TOTP = True
    call_command("demo_seed", stdout=io.StringIO())


def test_data_is_spread_over_the_past_weeks(demo) -> None:
    now = timezone.now()
    today = calendar.today(now)
    sent = list(Message.objects.values_list("sent_at", flat=True))
    assert all(moment <= now for moment in sent)
    assert len({moment.replace(second=0, microsecond=0) for moment in sent}) >= len(sent) - 1
    assert (now - min(sent)).days >= 14
    open_referrals = Referral.objects.filter(status__in=OPEN_STATE_VALUES)
    assert open_referrals.filter(due_date__lt=today).count() >= 2  # overdue
    assert open_referrals.filter(
        due_date__gte=today, due_date__lte=calendar.add_working_days(today, 3)
    ).exists()  # due soon
    assert Referral.objects.filter(handoff_count__gte=1).exists()  # returned and re-sent
    assert Referral.objects.filter(status="requested", received_at__isnull=True).exists()
    assert InboxEntry.objects.filter(unread_count__gt=0).exists()
    assert InboxEntry.objects.filter(awaiting_reply_since__isnull=False).exists()
    assert Receipt.objects.filter(kind="read").exists()


def test_logins_name_the_address_roles_and_working_api_keys(demo) -> None:
    out = io.StringIO()
    call_command("demo_logins", "--address", "127.0.0.1:8123", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8123/" in text
    assert "Kela benefit processor" in text and "Social worker" in text
    keys = [w.strip('"') for w in text.split() if w.startswith("silta_")]
    assert len(set(keys)) == 2
    found = [api_key_authenticate(k) for k in set(keys)]
    units = {key.unit for key in found if key is not None}
    assert {u.is_kela for u in units} == {True, False}
    assert text.count("curl -H") == 2
    # A second run gives new keys and revokes the old ones.
    call_command("demo_logins", stdout=io.StringIO())
    assert all(api_key_authenticate(k) is None for k in keys)


def test_directory_labels_and_kela_service_units(demo) -> None:
    service_units = Unit.objects.filter(kind=UnitKind.KELA_SERVICE_UNIT)
    assert service_units.exists()
    for unit in service_units:
        assert Channel.objects.filter(unit=unit).exists(), unit.name_fi


def test_callback_form_starts_from_the_units_topic_and_says_whose_number(demo) -> None:
    http = HttpClient()
    http.cookies["django_language"] = "en"
    http.force_login(User.objects.get(username="kela.kasittelija"))
    unit = Unit.objects.get(name_fi="Aikuissosiaalityö, Kuopio")
    page = http.get(f"/directory/units/{unit.public_id}/callback/").content.decode()
    assert '<option value="adult_social_work" selected>' in page
    assert f"{unit.name_fi} calls you back at this number" in page


def test_channel_label_is_not_repeated(demo) -> None:
    http = HttpClient()
    http.force_login(User.objects.get(username="kela.kasittelija"))
    unit = Unit.objects.get(name_fi="Aikuissosiaalityö, Kuopio")
    page = http.get(f"/directory/units/{unit.public_id}/").content.decode()
    # The unit's own channels (its teams' contact persons below repeat them, once each).
    own = page.split('data-testid="unit-teams"')[0]
    assert "Soittopyyntölinja" in own
    assert own.count("Soittopyyntölinja</span>") == 1


def test_cases_rest_on_a_consent_given_before_them_but_one_on_statutory_bases(demo) -> None:
    """Every case's client consented before the case was opened ("the checkbox on the
    application"), except one client who gave no consent: social services opened that case
    on Totul 15 § and wrote on Totul 18 b §, and Kela's reply page asks for a basis."""
    statutory = []
    for case in Case.objects.select_related("client"):
        given = Consent.objects.filter(client=case.client).order_by("recorded_at").first()
        if given is None:
            statutory.append(case)
        else:
            assert given.recorded_at < case.opened_at, case.client.last_name
    assert len(statutory) == 1
    case = statutory[0]
    assert case.legal_basis == "statutory_duty"
    bases = set(
        Disclosure.objects.filter(client=case.client).values_list("kind", "statutory_basis")
    )
    assert bases == {
        ("case_open", "totul_15"),
        ("message", "totul_18b"),
        ("attachment", "totul_18b"),
    }
    http = HttpClient()
    http.force_login(User.objects.get(username="kela.kasittelija"))
    thread = case.threads.get()
    page = http.get(f"/threads/{thread.public_id}/").content.decode()
    assert 'data-testid="basis-missing"' in page and 'value="totul_18h"' in page


def test_every_consent_state_is_shown(demo) -> None:
    now = timezone.now()
    states = {consent.state(now) for consent in Consent.objects.select_related("revocation")}
    assert states == {"in_force", "revoked", "expired", "not_yet_valid"}
    assert Consent.objects.filter(given_by="attorney").exists()
    assert Consent.objects.exclude(replaces=None).exists()
