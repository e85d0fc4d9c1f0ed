"""The demo shows the guide (fifteen starter entries, labelled until reviewed), a local
variant and a bulletin about rent deposits that the county's units have to acknowledge."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from silta.accounts.models import User
from silta.knowledge.models import Bulletin, GuideEntry, VersionState
from tests.factories import browser_client

pytestmark = pytest.mark.django_db


def test_the_demo_guide_is_labelled_and_a_bulletin_waits_for_acknowledgement(settings):
    settings.SILTA_DEMO_SKIP_TOTP = True
    call_command("demo_seed", stdout=io.StringIO())
    national = GuideEntry.objects.filter(national__isnull=True)
    assert national.count() == 15
    assert not national.exclude(versions__state=VersionState.DEMO).exists()
    variant = GuideEntry.objects.get(national__slug="rent-deposit")
    assert variant.owner.organiser_code == "13"
    bulletin = Bulletin.objects.get()
    assert list(bulletin.expense_kinds.values_list("slug", flat=True)) == ["rent-deposit"]
    http = browser_client("sv")
    http.force_login(User.objects.get(username="sos.tyontekija"))
    page = http.get(reverse("knowledge:entry", args=["rent-deposit"])).content.decode()
    assert 'data-testid="demo-label"' in page and 'data-testid="changing-on"' in page
    assert "Hyresgaranti" in page and "Norra Savolax" in page
    detail = http.get(reverse("knowledge:bulletin", args=[bulletin.public_id])).content.decode()
    assert 'data-testid="acknowledgement"' in detail
