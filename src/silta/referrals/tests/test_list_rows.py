"""The sent and received lists read rows (ReferralLine: exactly the columns the list
shows) in one statement plus the audit row; these tests pin every column against the
referral, the other side's unit name in the reader's language, and the page's HTML."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from silta.audit.models import AuditEvent
from silta.referrals.models import Referral
from silta.referrals.selectors import ReferralLine, referrals_received, referrals_sent
from silta.referrals.tests.helpers import send
from tests.factories import browser_client

pytestmark = pytest.mark.django_db


def _expected(referral: Referral, other_unit_name: str) -> dict[str, object]:
    return {
        "pk": referral.pk,
        "public_id": referral.public_id,
        "type": referral.type,
        "status": referral.status,
        "urgent": referral.urgent,
        "outcome": referral.outcome,
        "due_date": referral.due_date,
        "escalated_at": referral.escalated_at,
        "handoff_count": referral.handoff_count,
        "client_public_id": referral.case.client.public_id,
        "client_name": referral.case.client.full_name,
        "unit_name": other_unit_name,
    }


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_a_line_carries_the_referrals_columns_and_the_other_sides_name(world, language) -> None:
    sent = send(world, "contact", urgent=True)
    Referral.objects.filter(pk=sent.pk).update(handoff_count=2, due_date=dt.date(2026, 1, 5))
    referral = Referral.objects.select_related("case__client").get(pk=sent.pk)
    kela, social = world.actor("kela_processor"), world.actor("social_worker")
    with translation.override(language):
        received = referrals_received(actor=social, unit_id=world.social_unit.pk)
        outgoing = referrals_sent(actor=kela, unit_id=world.kela_unit.pk)
        sender, receiver = world.kela_unit.name, world.social_unit.name
        (line,) = received.items
        assert (line.type_label, line.outcome_label, line.is_open) == (
            referral.type_label,
            referral.outcome_label,
            referral.is_open,
        )
    assert sender != receiver and (language == "fi") == (sender == world.kela_unit.name_fi)
    assert dataclasses.asdict(line) == _expected(referral, sender)
    assert [dataclasses.asdict(r) for r in outgoing.items] == [_expected(referral, receiver)]
    assert isinstance(line, ReferralLine) and line.urgent and line.handoff_count == 2


def test_a_page_is_one_statement_and_its_audit_row(world) -> None:
    for _ in range(3):
        send(world, "contact")
    social = world.actor("social_worker")
    with CaptureQueriesContext(connection) as statements:
        page = referrals_received(actor=social, unit_id=world.social_unit.pk)
    selects = [q["sql"] for q in statements.captured_queries if q["sql"].startswith("SELECT")]
    assert len(page.items) == 3 and len(selects) == 1
    audit = AuditEvent.objects.filter(action="view").latest("pk")
    clients = sorted({str(r.client_public_id) for r in page.items})
    assert audit.detail == {"list": "referrals_received", "page": 1, "clients": clients}


def test_the_list_pages_show_the_client_and_the_other_unit(world, settings) -> None:
    settings.SILTA_DEMO_SKIP_TOTP = True
    referral = send(world, "contact")
    client = referral.case.client
    http = browser_client("sv")
    http.force_login(world.users["social_worker"])
    html = http.get(f"/units/{world.social_unit.public_id}/referrals/received/").content.decode()
    row = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    assert row is not None
    cells = re.findall(r"<td>([^<]*)</td>", row.group(1))
    assert cells[:2] == [client.full_name, world.kela_unit.name_sv]
    http.force_login(world.users["kela_processor"])
    html = http.get(f"/units/{world.kela_unit.public_id}/referrals/sent/").content.decode()
    row = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    assert row is not None
    assert re.findall(r"<td>([^<]*)</td>", row.group(1))[:2] == [
        client.full_name,
        world.social_unit.name_sv,
    ]
