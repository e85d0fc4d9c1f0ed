"""A revoked consent flags the open referrals sent on it, to both sides (issue 9): exactly
those whose disclosure log rows rest on it, only once the revocation is committed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from silta.consents.codes import DisclosureKind
from silta.consents.disclosures import DisclosureInput, disclosure_decide, disclosure_log
from silta.consents.gate import disclosed
from silta.consents.models import Consent, Disclosure
from silta.consents.services import consent_record, consent_revoke
from silta.consents.tests.helpers import consent_input
from silta.exchange.models import CaseEvent, CaseEventKind
from silta.referrals.consent_flags import REFERRAL_OBJECT, flag_referrals, revocations_of
from silta.referrals.models import CONSENT_REVOKED, Referral, ReferralEvent
from silta.referrals.state import Status
from silta.referrals.tests.helpers import act, send
from silta.referrals.types import SPECS
from tests.factories import World, give_consent

pytestmark = pytest.mark.django_db


def _rows(referral: Referral) -> list[Disclosure]:
    return list(
        Disclosure.objects.filter(object_type=REFERRAL_OBJECT, object_id=str(referral.public_id))
    )


def sent_on_covering_consent(world: World, case, **kwargs) -> Referral:
    """A contact referral from Kela, sent with ``referral_send``. Once the lawful-basis
    gate is wired into referrals it writes the referral's disclosure row itself, on the
    covering consent; until then the row is written here the same way (no choice given:
    the covering consent that lasts longest)."""
    referral = send(world, "contact", case=case, **kwargs)
    if not _rows(referral):
        kind = DisclosureKind.CONTACT
        what = disclosed(kind, True)
        authorised = disclosure_decide(
            actor=world.actor("kela_processor"),
            client=case.client,
            recipient=case.social_unit,
            data=DisclosureInput(
                kind=kind, category=what.category, purpose=what.purpose, object_type="referral"
            ),
            unit_id=case.kela_unit_id,
        )
        disclosure_log(authorised=authorised, object_id=str(referral.public_id))
    return referral


def direct_referral(world: World, case, *, consent: Consent | None = None, basis: str = ""):
    """An open referral whose disclosure row rests on ``consent`` or on a statutory
    ``basis``, written directly (the send service picks the covering consent itself)."""
    message = world.thread(case)
    today = timezone.localdate()
    referral = Referral.objects.create(
        case=case,
        thread=message.thread,
        type="contact",
        sender_unit=case.kela_unit,
        receiver_unit=case.social_unit,
        status=Status.REQUESTED,
        deadline_rule=SPECS["contact"].rule,
        arrived_on=today,
        due_date=today + dt.timedelta(days=10),
        sent_at=timezone.now(),
    )
    Disclosure.objects.create(
        occurred_at=timezone.now(),
        client=case.client,
        kind=DisclosureKind.CONTACT,
        category="contact_details",
        object_type=REFERRAL_OBJECT,
        object_id=str(referral.public_id),
        purpose="social_services_contact",
        discloser_label="Testi",
        discloser_unit=case.kela_unit,
        discloser_organisation_id=case.kela_unit.organisation_id,
        recipient_unit=case.social_unit,
        recipient_organisation_id=case.social_unit.organisation_id,
        consent=consent,
        statutory_basis=basis,
    )
    return referral


def flagged() -> set[int]:
    return set(
        ReferralEvent.objects.filter(action=CONSENT_REVOKED).values_list("referral_id", flat=True)
    )


@pytest.fixture
def scene(world):
    """Client 0's consent A (the checkbox of ``open_case``) and referrals on every basis."""
    case = world.open_case()
    consent_a = Consent.objects.get(client=case.client)
    on_a = sent_on_covering_consent(world, case)
    closed_on_a = sent_on_covering_consent(world, case)
    act(world, "kela_processor", closed_on_a, "cancel", reason_text="Asia hoidettu.")
    # A second consent of the same client, lasting longer: what is sent now rests on it.
    consent_a2 = give_consent(case.client, world.county, world.kela_unit, days=400)
    on_a2 = sent_on_covering_consent(world, case)
    on_law = direct_referral(world, case, basis="shl_35_2_no_consent")
    other_case = world.open_case(world.clients[1])
    on_b = sent_on_covering_consent(world, other_case)
    rows = {r.pk: [row.consent_id for row in _rows(r)] for r in (on_a, closed_on_a, on_a2, on_b)}
    assert rows[on_a.pk] == rows[closed_on_a.pk] == [consent_a.pk]
    assert rows[on_a2.pk] == [consent_a2.pk]
    assert rows[on_b.pk] != [consent_a.pk]
    assert Referral.objects.get(pk=closed_on_a.pk).status == Status.CANCELLED
    return {
        "case": case,
        "consent": consent_a,
        "on_a": on_a,
        "others": (closed_on_a, on_a2, on_law, on_b),
    }


def revoke(world, consent: Consent, key: str = "social_worker"):
    return consent_revoke(actor=world.actor(key), consent=consent, how="phone")


def test_revoking_flags_exactly_the_open_referrals_sent_on_it(
    world, scene, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        revocation = revoke(world, scene["consent"])
    on_a = scene["on_a"]
    assert flagged() == {on_a.pk}
    event = ReferralEvent.objects.get(action=CONSENT_REVOKED)
    assert event.from_status == event.to_status == Status.REQUESTED  # not a transition
    assert event.unit_id == world.social_unit.pk and event.at == revocation.revoked_at
    assert event.detail == {"consent": str(scene["consent"].public_id), "how": "phone"}
    assert Referral.objects.get(pk=on_a.pk).status == Status.REQUESTED
    # One line on the shared case timeline, under the referral.
    line = CaseEvent.objects.get(kind=CaseEventKind.REFERRAL_CONSENT_REVOKED)
    assert line.case_id == scene["case"].pk and line.detail["referral"] == str(on_a.public_id)


def test_revoking_the_other_consent_flags_only_its_referral(
    world, scene, django_capture_on_commit_callbacks
) -> None:
    on_b = scene["others"][-1]
    other = Consent.objects.get(client=world.clients[1])
    with django_capture_on_commit_callbacks(execute=True):
        revoke(world, other)
    assert flagged() == {on_b.pk}


def test_the_flag_waits_for_the_commit(world, scene, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        revoke(world, scene["consent"])
        assert flagged() == set()  # not while the revocation is uncommitted
    # The flagging waits for it (the revocation's webhook event is written inside the
    # transaction, the webhooks' outbox, and no subscription here wakes the worker).
    assert flagged() == set() and len(callbacks) == 1
    for callback in callbacks:
        callback()
    assert flagged() == {scene["on_a"].pk}


def test_a_rolled_back_revocation_flags_nothing(
    world, scene, django_capture_on_commit_callbacks
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        revoke(world, scene["consent"])
        raise RuntimeError("the request failed after the revocation")
    assert callbacks == [] and flagged() == set()
    assert revocations_of(scene["on_a"]) == []


def test_flagging_again_writes_nothing_more(world, scene, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        revocation = revoke(world, scene["consent"])
    again = flag_referrals(
        consent=scene["consent"], revocation=revocation, actor=world.actor("social_worker")
    )
    assert again == [] and ReferralEvent.objects.filter(action=CONSENT_REVOKED).count() == 1


def _page(world, key: str, path: str) -> str:
    http = HttpClient()
    http.cookies["django_language"] = "en"
    http.force_login(world.users[key])
    response = http.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_both_sides_see_the_warning_and_the_step(
    world, scene, settings, django_capture_on_commit_callbacks
) -> None:
    settings.SILTA_DEMO_SKIP_TOTP = True
    on_a = scene["on_a"]
    path = reverse("referrals:detail", args=[on_a.public_id])
    before = _page(world, "kela_processor", path)
    assert 'data-testid="consent-revoked"' not in before
    with django_capture_on_commit_callbacks(execute=True):
        revoke(world, scene["consent"], key="kela_processor")
    for key in ("kela_processor", "social_worker"):  # the sender and the receiver
        page = _page(world, key, path)
        assert 'data-testid="consent-revoked"' in page
        assert "The client revoked the consent this referral was sent on" in page
        assert "the client revoked the consent this referral was sent on" in page  # history
        timeline = _page(world, key, reverse("exchange:case", args=[scene["case"].public_id]))
        assert "Consent revoked" in timeline
    # A referral on a statutory basis has nothing to warn about.
    on_law = scene["others"][2]
    page = _page(world, "social_worker", reverse("referrals:detail", args=[on_law.public_id]))
    assert 'data-testid="consent-revoked"' not in page


def test_a_replaced_consent_is_flagged_as_replaced(
    world, scene, settings, django_capture_on_commit_callbacks
) -> None:
    settings.SILTA_DEMO_SKIP_TOTP = True
    with django_capture_on_commit_callbacks(execute=True):
        consent_record(
            actor=world.actor("kela_processor"),
            client=scene["case"].client,
            data=consent_input(world, replaces_id=scene["consent"].public_id),
        )
    assert flagged() == {scene["on_a"].pk}
    assert ReferralEvent.objects.get(action=CONSENT_REVOKED).detail["how"] == "replaced"
    page = _page(
        world, "social_worker", reverse("referrals:detail", args=[scene["on_a"].public_id])
    )
    assert "was replaced by a new consent" in page
    assert "the consent this referral was sent on was replaced by a new one" in page
