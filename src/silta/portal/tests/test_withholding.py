"""A worker keeps one referral from the client's own view, with the reason recorded."""

from __future__ import annotations

import pytest
from django.urls import reverse

from silta.audit.models import AuditEvent
from silta.core.errors import Conflict, Forbidden
from silta.notifications.models import Notification, NotificationKind
from silta.portal.models import Withholding
from silta.portal.services import WithholdInput, release, withhold
from silta.referrals import services as referrals
from silta.referrals.models import Referral
from tests.permissions import REFERRAL_INPUTS


def test_the_staff_page_withholds_and_releases(portal, client, settings):
    settings.SILTA_DEMO_SKIP_TOTP = True
    referral = portal.referrals["done_a"]
    client.force_login(portal.world.users["social_worker"])
    url = reverse("portal:withholding", args=[referral.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"withhold": "1", "reason": "others_safety", "note": "x"})
    assert response.status_code == 302
    row = Withholding.objects.get(referral=referral, lifted_at__isnull=True)
    assert row.reason == "others_safety" and row.unit == portal.world.social_unit
    assert 'data-testid="withheld"' in client.get(url).content.decode()
    assert client.post(url, {"release": "1"}).status_code == 302
    assert not Withholding.objects.filter(referral=referral, lifted_at__isnull=True).exists()
    assert Withholding.objects.filter(referral=referral).count() == 1  # kept, lifted


def test_no_reason_is_a_clear_message_and_nothing_changes(portal, client, settings):
    settings.SILTA_DEMO_SKIP_TOTP = True
    referral = portal.referrals["done_a"]
    client.force_login(portal.world.users["social_worker"])
    url = reverse("portal:withholding", args=[referral.public_id])
    response = client.post(url, {"withhold": "1", "reason": ""})
    assert response.status_code == 400
    assert not Withholding.objects.filter(referral=referral).exists()


def test_twice_is_refused_and_an_outsider_may_not(portal):
    referral = portal.referrals["withheld_a"]
    with pytest.raises(Conflict):
        withhold(
            actor=portal.world.actor("kela_processor"),
            referral=referral,
            data=WithholdInput(reason="child_safety"),
        )
    with pytest.raises(Conflict):
        release(actor=portal.world.actor("kela_processor"), referral=portal.referrals["done_a"])
    before = AuditEvent.objects.filter(action="denied").count()
    with pytest.raises(Forbidden):
        withhold(
            actor=portal.world.actor("kela_admin"),
            referral=portal.referrals["done_a"],
            data=WithholdInput(reason="child_safety"),
        )
    assert AuditEvent.objects.filter(action="denied").count() == before + 1


def _outcome_notices(portal) -> int:
    return Notification.objects.filter(
        client=portal.a, kind=NotificationKind.REFERRAL_OUTCOME
    ).count()


def _contact(portal, *, withheld: bool) -> Referral:
    """A contact (Kela to social services) taken to its outcome, withheld on the way."""
    world = portal.world
    referral = referrals.referral_send(
        actor=world.actor("kela_processor"), case=portal.case_a, data=REFERRAL_INPUTS["contact"]
    )
    if withheld:
        withhold(
            actor=world.actor("social_worker"),
            referral=referral,
            data=WithholdInput(reason="child_safety"),
        )
    steps = (("receive", ""), ("accept", ""), ("start", ""), ("complete", "urgent_acted"))
    for step, outcome in steps:
        referral = referrals.referral_act(
            actor=world.actor("social_worker"),
            referral=referral,
            data=referrals.ActInput(action=step, outcome=outcome),
        )
    return referral


@pytest.mark.parametrize("withheld", [True, False])
def test_a_withheld_outcome_notifies_the_client_of_nothing(portal, withheld):
    before = _outcome_notices(portal)
    referral = _contact(portal, withheld=withheld)
    assert referral.status == "completed"
    assert _outcome_notices(portal) == before + (0 if withheld else 1)


def test_releasing_a_completed_referral_tells_the_client_then(portal):
    referral = _contact(portal, withheld=True)
    before = _outcome_notices(portal)
    release(actor=portal.world.actor("social_worker"), referral=referral)
    assert _outcome_notices(portal) == before + 1
    # An open one: its outcome is news only when it comes.
    open_one = portal.referrals["withheld_a"]
    release(actor=portal.world.actor("social_worker"), referral=open_one)
    assert _outcome_notices(portal) == before + 1
