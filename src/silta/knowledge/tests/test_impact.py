"""Impact: the open items of each receiving unit a bulletin touches, checked against
hand-picked items; counts only across organisations, each unit its own items."""

from __future__ import annotations

import pytest
from django.urls import reverse

from silta.api_keys.services import api_key_issue
from silta.audit.models import AuditEvent
from silta.core.errors import NotFound
from silta.exchange import services as exchange
from silta.exchange.models import Case, Thread
from silta.knowledge import bulletins, impact, selectors
from silta.knowledge.tests.scene import bulletin_input
from silta.referrals import services as referrals
from tests.factories import browser_client

pytestmark = pytest.mark.django_db


def _thread(world, case, subject):
    return exchange.thread_start(
        actor=world.actor("kela_processor"), case=case, subject=subject, body="Hei", files=[]
    )


def _referral(world, case):
    return referrals.referral_send(
        actor=world.actor("kela_processor"),
        case=case,
        data=referrals.ReferralInput(
            type="contact",
            description="Huoli",
            fields={"concerns": ["housing_risk"], "basis": "consented"},
        ),
    )


@pytest.fixture
def items(world, knowledge):
    """Case A (Kuopio): an open thread "Vuokravakuus" and an open referral -- touched.
    Case B (the county's other unit): a thread "Lääkkeet", a referral -- not touched.
    Case C (Kuopio): a closed thread about a rent deposit -- not counted."""
    case_a = world.open_case(world.clients[0])
    case_b = world.open_case(world.clients[1], social_unit=world.social_unit2)
    case_c = world.open_case(world.clients[2])
    thread_a = _thread(world, case_a, "Vuokravakuus, uusi asunto").thread
    referral_a = _referral(world, case_a)
    _thread(world, case_b, "Lääkkeet")
    _referral(world, case_b)
    closed = _thread(world, case_c, "Hyresgaranti").thread
    Thread.objects.filter(pk=closed.pk).update(status="closed")
    closed.inbox_entries.update(is_open=False)
    return {"case_a": case_a, "thread_a": thread_a, "referral_a": referral_a, "case_b": case_b}


def _counts(bulletin):
    return {
        row.unit: (row.cases, row.referrals, row.threads) for row in impact.impact_counts(bulletin)
    }


def test_counts_per_receiving_unit_match_the_hand_picked_items(world, knowledge, items):
    assert _counts(knowledge.bulletin) == {
        world.social_unit: (1, 1, 1),
        world.social_unit2: (0, 0, 0),
    }


def test_a_topic_touches_the_cases_routed_by_it(world, knowledge, items):
    Case.objects.filter(pk=items["case_b"].pk).update(topic="child_and_family")
    bulletin = bulletins.bulletin_publish(
        actor=world.actor("kela_manager"),
        unit=world.kela_unit,
        data=bulletin_input(world, expense_kinds=(), topics=("child_and_family",)),
    )
    assert _counts(bulletin) == {world.social_unit: (0, 0, 0), world.social_unit2: (1, 1, 1)}


def test_a_county_bulletin_counts_kelas_units(world, knowledge, items):
    bulletin = bulletins.bulletin_publish(
        actor=world.actor("social_manager"),
        unit=world.social_unit,
        data=bulletin_input(world, organisations=(world.kela.public_id,)),
    )
    assert _counts(bulletin) == {world.kela_unit: (1, 1, 1), world.kela_unit2: (0, 0, 0)}


def test_each_unit_sees_its_own_items_and_the_listing_is_audited(world, knowledge, items):
    bulletin = knowledge.bulletin
    own = selectors.impact_own(
        actor=world.actor("social_worker"), bulletin=bulletin, unit=world.social_unit
    )
    assert [e.thread for e in own.entries] == [items["thread_a"]]
    assert own.referrals == [items["referral_a"]] and own.case_count == 1
    event = AuditEvent.objects.filter(action="view", user=world.users["social_worker"]).last()
    assert event is not None and event.detail["clients"] == [str(world.clients[0].public_id)]
    for key in ("kela_manager", "social_same_org_other_unit"):
        with pytest.raises(NotFound):
            selectors.impact_own(actor=world.actor(key), bulletin=bulletin, unit=world.social_unit)


def test_the_publisher_sees_counts_not_clients_and_the_unit_sees_its_clients(
    world, knowledge, items
):
    name = world.clients[0].last_name
    bulletin_url = reverse("knowledge:bulletin", args=[knowledge.bulletin.public_id])
    publisher = browser_client("fi")
    publisher.force_login(world.users["kela_manager"])
    page = publisher.get(bulletin_url).content.decode()
    assert 'data-testid="impact"' in page and name not in page
    own_url = reverse(
        "knowledge:bulletin_impact",
        args=[knowledge.bulletin.public_id, world.social_unit.public_id],
    )
    assert publisher.get(own_url).status_code == 404
    worker = browser_client("fi")
    worker.force_login(world.users["social_worker"])
    assert own_url in worker.get(bulletin_url).content.decode()
    listing = worker.get(own_url)
    assert listing.status_code == 200 and name in listing.content.decode()


def test_the_api_gives_the_publisher_counts_and_the_unit_its_own_ids(
    client, world, knowledge, items
):
    path = f"/api/v1/knowledge/bulletins/{knowledge.bulletin.public_id}/impact"
    kela = api_key_issue(unit=world.kela_unit, name="Kela").plaintext
    county = api_key_issue(unit=world.social_unit, name="County").plaintext
    kela_view = client.get(path, headers={"Authorization": f"Bearer {kela}"}).json()
    assert kela_view["own_referral_ids"] == [] and kela_view["own_thread_ids"] == []
    assert {
        (r["unit_id"], r["cases"], r["referrals"], r["threads"]) for r in kela_view["per_unit"]
    } == {
        (str(world.social_unit.public_id), 1, 1, 1),
        (str(world.social_unit2.public_id), 0, 0, 0),
    }
    assert str(world.clients[0].public_id) not in str(kela_view)
    own = client.get(path, headers={"Authorization": f"Bearer {county}"}).json()
    assert own["own_referral_ids"] == [str(items["referral_a"].public_id)]
    assert own["own_thread_ids"] == [str(items["thread_a"].public_id)]
    assert own["own_case_count"] == 1
