"""The own worker (omatyöntekijä) shown to Kela is a disclosure (703/2023 10 §).

Saving one discloses it to each Kela unit with which the unit shares a case of the
client, on the client's consent only (no statutory basis covers it): one disclosure-log
row per Kela unit. Kela sees an own worker only where such a row exists for the version
saved; without a covering consent it is saved for the unit's own use and not shown, and
the refusal is audited.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from silta.audit.models import AuditEvent
from silta.clients.models import OwnWorker
from silta.consents.codes import Category, DisclosureKind
from silta.consents.gate import BasisChoice
from silta.consents.models import Disclosure
from silta.core.errors import Forbidden
from silta.exchange import services
from silta.exchange.own_workers import own_worker_set, own_workers_for
from tests.factories import World, browser_client, give_consent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _signed_in(settings) -> None:
    settings.SILTA_DEMO_SKIP_TOTP = True


def _save(world: World, name: str = "Sari Sosiaalityöntekijä", key: str = "social_worker"):
    return own_worker_set(
        actor=world.actor(key),
        client=world.clients[0],
        unit_id=world.social_unit.pk,
        name=name,
        phone="040 7654321",
    )


def _kela_sees(world: World, key: str = "kela_processor") -> list[str]:
    rows = own_workers_for(
        actor=world.actor(key), client=world.clients[0], unit_ids={world.social_unit.pk}
    )
    return [row.name for row in rows]


def test_saving_discloses_to_each_kela_unit_of_the_units_cases_on_the_consent(world) -> None:
    consent = give_consent(world.clients[0], world.county, world.kela_unit)
    world.open_case(kela_unit=world.kela_unit)
    world.open_case(kela_unit=world.kela_unit2)
    saved = _save(world)
    assert saved.shown_to == [world.kela_unit2, world.kela_unit] and not saved.not_shown
    rows = Disclosure.objects.filter(kind=DisclosureKind.OWN_WORKER)
    assert sorted(r.recipient_unit_id for r in rows) == sorted(
        [world.kela_unit.pk, world.kela_unit2.pk]
    )
    assert {(r.consent_id, r.discloser_unit_id, r.object_id) for r in rows} == {
        (consent.pk, world.social_unit.pk, str(saved.own.pk))
    }
    assert _kela_sees(world) == ["Sari Sosiaalityöntekijä"]
    assert _kela_sees(world, "kela_other_unit") == ["Sari Sosiaalityöntekijä"]
    row = AuditEvent.objects.filter(action="disclose", object_type="ownworker").get()
    assert len(row.detail["disclosures"]) == 2


def test_without_a_case_nothing_is_disclosed_and_kela_sees_nothing(world) -> None:
    saved = _save(world)
    assert (saved.shown_to, saved.not_shown) == ([], [])
    assert not Disclosure.objects.exists()
    assert _kela_sees(world) == []
    # Its own side sees it (within one organisation nothing is disclosed).
    assert _kela_sees(world, "social_same_org_other_unit") == ["Sari Sosiaalityöntekijä"]
    # A case opened later shows it only once it is saved again (then disclosed).
    world.open_case()
    assert _kela_sees(world) == []
    _save(world)
    assert _kela_sees(world) == ["Sari Sosiaalityöntekijä"]


def test_a_consent_without_contact_details_saves_it_but_kela_is_not_shown(world) -> None:
    client = world.clients[0]
    categories = [c for c in Category.values if c != Category.CONTACT_DETAILS]
    give_consent(client, world.county, world.kela_unit, categories=categories)
    services.case_open(
        actor=world.actor("kela_processor"),
        client=client,
        acting_unit_id=world.kela_unit.pk,
        counterpart_unit_id=world.social_unit.pk,
        basis=BasisChoice(statutory_basis="totul_18h"),
    )
    denied = AuditEvent.objects.filter(action="denied").count()
    saved = _save(world)
    assert OwnWorker.objects.get(client=client).name == "Sari Sosiaalityöntekijä"
    assert saved.shown_to == [] and [u for u, _why in saved.not_shown] == [world.kela_unit]
    assert not Disclosure.objects.filter(kind=DisclosureKind.OWN_WORKER).exists()
    assert AuditEvent.objects.filter(action="denied").count() == denied + 1
    assert _kela_sees(world) == []


def test_a_replaced_own_worker_is_shown_in_its_new_version_only_once_disclosed(world) -> None:
    world.open_case()
    _save(world, "Sari Sosiaalityöntekijä")
    _save(world, "Timo Laitinen", key="social_counsellor")
    assert _kela_sees(world) == ["Timo Laitinen"]
    assert Disclosure.objects.filter(kind=DisclosureKind.OWN_WORKER).count() == 2


def test_kela_cannot_name_an_own_worker(world) -> None:
    world.open_case()
    with pytest.raises(Forbidden):
        own_worker_set(
            actor=world.actor("kela_processor"),
            client=world.clients[0],
            unit_id=world.kela_unit.pk,
            name="X",
        )
    assert not OwnWorker.objects.exists()
    assert AuditEvent.objects.filter(action="denied", detail__own_worker="role").count() == 1


def test_the_page_tells_the_worker_which_kela_units_are_not_shown_it(world) -> None:
    categories = [c for c in Category.values if c != Category.CONTACT_DETAILS]
    give_consent(world.clients[0], world.county, world.kela_unit, categories=categories)
    services.case_open(
        actor=world.actor("kela_processor"),
        client=world.clients[0],
        acting_unit_id=world.kela_unit.pk,
        counterpart_unit_id=world.social_unit.pk,
        basis=BasisChoice(statutory_basis="totul_18h"),
    )
    http = browser_client("en")
    http.force_login(world.users["social_worker"])
    args = [world.clients[0].public_id, world.social_unit.public_id]
    page = http.post(
        reverse("exchange:own_worker", args=args), {"name": "Sari S"}, follow=True
    ).content.decode()
    assert "Own worker saved." in page
    assert f"Not shown to {world.kela_unit.name_fi}: the consent does not cover this data." in page
