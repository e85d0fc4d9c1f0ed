"""A scripted session produces exactly the expected audit rows; the rows cannot be changed.

A social worker of the Kuopio unit views client, case and thread pages and downloads
attachments through the web; each page view and each download is one audit row with the
actor, unit, organisation, client, legal basis, request id and source address. Nothing
else (the front page redirect, read receipts) adds a row. A refused request adds exactly
one "denied" row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError
from django.urls import reverse
from django.utils import timezone

from silta.api_keys.services import api_key_issue
from silta.audit.models import AuditEvent
from silta.consents.gate import BasisChoice
from silta.exchange import services
from silta.exchange.models import Attachment, Case, Thread
from tests.factories import World, pdf, png

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.7"


@dataclass
class Setting:
    world: World
    case_a: Case  # client 0, legal basis "consent"
    case_b: Case  # client 1, legal basis "statutory_duty"
    thread_a: Thread
    thread_b: Thread
    attachments: list[Attachment]  # two in thread A, one in thread B
    foreign_case: Case  # Kela Etelä <-> Vantaa: the worker's unit is not a party


@pytest.fixture
def setting(world, settings) -> Setting:  # type: ignore[no-untyped-def]
    settings.SILTA_DEMO_SKIP_TOTP = True
    case_a = world.open_case(world.clients[0])
    case_b, _ = services.case_open(
        actor=world.actor("kela_processor"),
        client=world.clients[1],
        acting_unit_id=world.kela_unit.pk,
        counterpart_unit_id=world.social_unit.pk,
        # No consent: Kela tells the organiser under Totul 18 h § (a statutory duty).
        basis=BasisChoice(statutory_basis="totul_18h"),
    )
    first = world.thread(case_a, files=[pdf(), png()])
    second = services.thread_start(
        actor=world.actor("kela_processor"),
        case=case_b,
        subject="Alentamispäätös",
        body="Päätös liitteenä.",
        files=[pdf("lausunto.pdf")],
        basis=BasisChoice(statutory_basis="totul_18h"),
    )
    foreign = world.open_case(
        world.clients[2], kela_unit=world.kela_unit2, social_unit=world.other_social_unit
    )
    return Setting(
        world,
        case_a,
        case_b,
        first.thread,
        second.thread,
        list(first.attachments.order_by("pk")) + list(second.attachments.all()),
        foreign,
    )


def _pages(s: Setting) -> list[tuple[str, Any, Any, str, str]]:
    """(path, audited object, client, object type, legal basis) of each client page."""
    c0, c1 = s.world.clients[0], s.world.clients[1]
    return [
        (reverse("clients:detail", args=[c0.public_id]), c0, c0, "client", ""),
        (reverse("exchange:case", args=[s.case_a.public_id]), s.case_a, c0, "case", "consent"),
        (
            reverse("exchange:case", args=[s.case_b.public_id]),
            s.case_b,
            c1,
            "case",
            "statutory_duty",
        ),
        (
            reverse("exchange:thread", args=[s.thread_a.public_id]),
            s.thread_a,
            c0,
            "thread",
            "consent",
        ),
        (
            reverse("exchange:thread", args=[s.thread_b.public_id]),
            s.thread_b,
            c1,
            "thread",
            "statutory_duty",
        ),
        (reverse("clients:detail", args=[c1.public_id]), c1, c1, "client", ""),
    ]


@pytest.mark.parametrize(("views", "downloads"), [(1, 0), (0, 1), (6, 3), (13, 7)])
def test_a_scripted_session_produces_exactly_the_expected_rows(client, setting, views, downloads):
    s, user = setting, setting.world.users["social_worker"]
    client.force_login(user)
    before = AuditEvent.objects.count()
    assert client.get(reverse("exchange:home"), REMOTE_ADDR=ADDRESS).status_code == 302
    assert AuditEvent.objects.count() == before, "a redirect reads no client data"

    pages, expected, request_ids = _pages(s), [], []
    for i in range(views):
        path, obj, person, kind, basis = pages[i % len(pages)]
        response = client.get(path, REMOTE_ADDR=ADDRESS)
        assert response.status_code == 200, path
        request_ids.append(response["X-Request-ID"])
        expected.append(("view", kind, str(obj.public_id), person.pk, basis))
    for i in range(downloads):
        attachment = s.attachments[i % len(s.attachments)]
        response = client.get(
            reverse("exchange:download", args=[attachment.public_id]), REMOTE_ADDR=ADDRESS
        )
        assert response.status_code == 200
        b"".join(response.streaming_content)
        request_ids.append(response["X-Request-ID"])
        case = attachment.message.case
        expected.append(
            ("download", "attachment", str(attachment.public_id), case.client_id, case.legal_basis)
        )

    rows = list(AuditEvent.objects.order_by("pk")[before:])
    assert [
        (r.action, r.object_type, r.object_id, r.client_id, r.legal_basis) for r in rows
    ] == expected
    assert [r.request_id for r in rows] == request_ids
    assert len(set(request_ids)) == len(request_ids) and all(request_ids)
    for row in rows:
        assert (row.user, row.unit, row.organisation) == (user, s.world.social_unit, s.world.county)
        assert (row.actor_label, row.api_key, str(row.source_address)) == (
            user.display_name,
            None,
            ADDRESS,
        )
        assert row.occurred_at is not None
    assert all(
        r.detail["sha256"] == s.attachments[0].sha256
        for r in rows[views:]
        if r.object_id == str(s.attachments[0].public_id)
    )


def test_the_inbox_is_one_row_naming_the_listed_clients(client, setting):
    s, user = setting, setting.world.users["social_worker"]
    client.force_login(user)
    before = AuditEvent.objects.count()
    response = client.get(reverse("exchange:inbox", args=[s.world.social_unit.public_id]))
    assert response.status_code == 200
    row = AuditEvent.objects.get(pk__gt=AuditEvent.objects.order_by("pk")[before - 1].pk)
    assert (row.action, row.user, row.unit, row.client) == ("view", user, s.world.social_unit, None)
    assert row.detail["clients"] == sorted(str(c.public_id) for c in s.world.clients[:2])
    assert row.request_id == response["X-Request-ID"]


@pytest.mark.parametrize("target", ["case", "thread", "download"])
def test_a_refused_access_writes_one_denied_row(client, setting, target):
    s, user = setting, setting.world.users["social_worker"]
    foreign_thread = s.world.thread(
        s.foreign_case, from_key="kela_other_unit", files=[pdf()]
    ).thread
    foreign = {
        "case": s.foreign_case,
        "thread": foreign_thread,
        "download": foreign_thread.messages.get().attachments.get(),
    }[target]
    name = {"case": "exchange:case", "thread": "exchange:thread", "download": "exchange:download"}[
        target
    ]
    client.force_login(user)
    before = AuditEvent.objects.count()
    response = client.get(reverse(name, args=[foreign.public_id]), REMOTE_ADDR=ADDRESS)
    assert response.status_code == 404
    rows = list(AuditEvent.objects.order_by("pk")[before:])
    assert len(rows) == 1
    row = rows[0]
    assert (row.action, row.user, row.unit) == ("denied", user, s.world.social_unit)
    assert row.detail == {
        "object_type": {"download": "attachment"}.get(target, target),
        "object_id": str(foreign.public_id),
    }
    assert (row.request_id, str(row.source_address)) == (response["X-Request-ID"], ADDRESS)
    assert row.legal_basis == ""


def test_an_api_session_is_audited_for_the_key_and_its_unit(client, setting):
    s = setting
    issued = api_key_issue(unit=s.world.social_unit, name="Sosiaalitoimen järjestelmä")
    headers = {"Authorization": f"Bearer {issued.plaintext}", "X-Request-ID": "req-12345678"}
    before = AuditEvent.objects.count()
    timeline = client.get(f"/api/v1/cases/{s.case_a.public_id}/timeline", headers=headers)
    download = client.get(f"/api/v1/attachments/{s.attachments[2].public_id}", headers=headers)
    assert (timeline.status_code, download.status_code) == (200, 200)
    rows = list(AuditEvent.objects.order_by("pk")[before:])
    assert [(r.action, r.client_id, r.legal_basis) for r in rows] == [
        ("view", s.world.clients[0].pk, "consent"),
        ("download", s.world.clients[1].pk, "statutory_duty"),
    ]
    for row in rows:
        assert (row.user, row.api_key, row.unit) == (None, issued.api_key, s.world.social_unit)
        assert row.request_id == "req-12345678"
        assert row.actor_label == "API: Sosiaalitoimen järjestelmä"


# --- append-only ------------------------------------------------------------------------


def _snapshot() -> list[tuple[Any, ...]]:
    return list(
        AuditEvent.objects.order_by("pk").values_list(
            "pk", "action", "actor_label", "client_id", "legal_basis", "detail", "occurred_at"
        )
    )


def _refused(attempt: Any, *errors: type[Exception]) -> None:
    """The attempt raises (in its own savepoint, so the test's transaction stays usable)."""
    with pytest.raises(errors or (PermissionError,)), transaction.atomic():
        attempt()


def test_audit_rows_cannot_be_updated_or_deleted_through_the_orm(setting):
    events = AuditEvent.objects.order_by("pk")
    assert events.count() >= 4
    before = _snapshot()
    row = events.first()
    row.action = "view"
    one = AuditEvent.objects.filter(pk=row.pk)
    _refused(row.save)
    _refused(lambda: row.save(update_fields=["action"]))
    _refused(row.delete)
    _refused(lambda: one.update(action="view"))
    _refused(lambda: AuditEvent.objects.all().update(detail={}))
    _refused(one.delete)
    _refused(AuditEvent.objects.all().delete)
    _refused(lambda: AuditEvent.objects.bulk_update([row], ["action"]))
    _refused(lambda: AuditEvent.objects.update_or_create(pk=row.pk, defaults={"action": "x"}))
    assert _snapshot() == before


def test_an_audit_row_cannot_be_overwritten_by_a_new_instance_with_its_id(setting):
    before = _snapshot()
    target = AuditEvent.objects.order_by("pk").first()
    forged = AuditEvent(
        pk=target.pk,
        occurred_at=timezone.now() - dt.timedelta(days=1),
        action="view",
        actor_label="forged",
    )
    _refused(forged.save, PermissionError, IntegrityError)
    upsert = AuditEvent(
        pk=target.pk, occurred_at=timezone.now(), action="view", actor_label="forged"
    )
    _refused(
        lambda: AuditEvent.objects.bulk_create(
            [upsert],
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=["actor_label", "action"],
        ),
        PermissionError,
        IntegrityError,
    )
    assert _snapshot() == before


def test_deleting_what_the_audit_trail_refers_to_is_refused(setting):
    s = setting
    before = _snapshot()
    row = AuditEvent.objects.exclude(client=None).exclude(user=None).first()
    for obj in (row.client, row.user, row.unit, row.organisation):
        _refused(obj.delete, ProtectedError)
    assert _snapshot() == before
    assert s.world.clients[0].pk in {c for (_p, _a, _l, c, *_r) in before}
