"""The referral lists show each row's type and status in the reader's language (read from
the type table and the status enum, not the model's get_*_display)."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from silta.referrals.state import Status
from silta.referrals.templatetags.referral_labels import status_label
from silta.referrals.tests.helpers import send
from silta.referrals.types import SPECS
from tests.factories import browser_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_received_list_rows_show_type_and_status_translated(world, settings, language) -> None:
    settings.SILTA_DEMO_SKIP_TOTP = True
    referral = send(world, "contact", share_back="Tieto arvioinnin alkamisesta")
    http = browser_client(language)
    http.force_login(world.users["social_worker"])
    page = http.get(f"/units/{world.social_unit.public_id}/referrals/received/").content.decode()
    with translation.override(language):
        type_text, status_text = str(SPECS["contact"].label), str(Status.REQUESTED.label)
    link = re.search(rf'href="/referrals/{referral.public_id}/?">([^<]*)</a>', page)
    assert link is not None and link.group(1) == type_text
    status = re.search(r'data-testid="referral-row-status">([^<]*)', page)
    assert status is not None and status.group(1) == status_text


def test_status_label_translates_every_status_and_keeps_unknown_codes() -> None:
    with translation.override("fi"):
        assert [status_label(code) for code in Status.values] == [
            str(label) for label in Status.labels
        ]
    assert status_label("no_such_status") == "no_such_status"
