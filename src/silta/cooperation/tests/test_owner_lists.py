"""Open follow-up actions of forum decisions are on their owners' list of open actions
(the meetings' "My open actions" page), overdue in working days as referrals are."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from silta.cooperation.models import FollowUpAction
from silta.cooperation.tests import scene
from tests.factories import browser_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _signed_in_without_totp(settings) -> None:
    settings.SILTA_DEMO_SKIP_TOTP = True


def _page(world, key):
    browser = browser_client("en")
    browser.force_login(world.users[key])
    return browser.get(reverse("meetings:actions")).content.decode()


def test_the_owner_units_workers_see_the_follow_up_overdue(world):
    coop = scene.build(world)
    FollowUpAction.objects.filter(pk=coop.action.pk).update(
        due_date=timezone.localdate() - dt.timedelta(days=14)
    )
    page = _page(world, "kela_processor")
    assert page.count('data-testid="followup-row"') == 1 and "Tiedote tiimeille" in page
    assert "overdue by" in page
    assert reverse("cooperation:item", args=[coop.action.item.public_id]) in page
    assert 'data-testid="followup-row"' not in _page(world, "social_worker")


def test_a_done_follow_up_leaves_the_list(world):
    coop = scene.build(world)
    FollowUpAction.objects.filter(pk=coop.action.pk).update(status="done")
    assert 'data-testid="followup-row"' not in _page(world, "kela_processor")
