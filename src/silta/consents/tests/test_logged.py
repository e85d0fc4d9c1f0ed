"""The disclosure decided and logged in one statement (consents/logged.py, PostgreSQL): the
statement's choice is ``rules.decide``'s on every consent set, direction and basis choice
tried here (the rule stays in rules.py); a message's send reads nothing of the consents
beside it; a disagreement stores nothing."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from silta.consents import logged
from silta.consents.codes import Category, DisclosureKind, Purpose
from silta.consents.disclosures import NoLawfulBasis, Pending
from silta.consents.gate import BasisChoice, gate_decide, gate_defer, gate_settle
from silta.consents.models import Consent, Disclosure
from silta.consents.rules import Allowed
from silta.consents.services import consent_revoke
from silta.exchange import services
from silta.exchange.models import Message
from tests.factories import World, give_consent

K = DisclosureKind
postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the one statement is PostgreSQL's"
)

# (actor key, discloser unit, recipient unit)
DIRECTIONS = (
    ("kela_processor", "kela_unit", "social_unit"),
    ("social_worker", "social_unit", "kela_unit"),
    ("social_same_org_other_unit", "social_unit2", "kela_unit2"),
    ("social_other_org", "other_social_unit", "social_unit"),
    ("social_worker", "social_unit", "other_social_unit"),
)
CHOICES = (
    BasisChoice(),
    BasisChoice(statutory_basis="totul_18h"),
    BasisChoice(statutory_basis="shl_35_2_no_consent", circumstance="cannot_be_asked"),
    BasisChoice(statutory_basis="no_such_basis"),
)
KINDS = (K.MESSAGE, K.OUTCOME)


def _outcome(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, ...]:
    """("allowed", the ``Allowed``) or ("refused", the reason, the lawful bases)."""
    try:
        authorised = fn(*args, **kwargs)
    except NoLawfulBasis as refusal:
        return ("refused", refusal.reason, refusal.lawful_bases)
    return ("allowed", authorised.allowed)


def _compare(world: World, client: Any, label: str) -> int:
    """Every direction, kind and choice: the one statement logs what gate_decide allows."""
    compared = 0
    for key, discloser, recipient in DIRECTIONS:
        for kind in KINDS:
            for choice in CHOICES:
                args: dict[str, Any] = {
                    "actor": world.actor(key),
                    "client": client,
                    "unit_id": getattr(world, discloser).pk,
                    "recipient": getattr(world, recipient),
                    "kind": kind,
                    "object_type": "message",
                    "choice": choice,
                }
                expected = _outcome(gate_decide, **args)
                object_id = uuid.uuid4()
                with transaction.atomic():
                    pending = gate_defer(**args)
                    assert isinstance(pending, Pending)
                    got = _outcome(gate_settle, pending, object_id=object_id)
                    rows = list(
                        Disclosure.objects.filter(object_id=str(object_id)).values_list(
                            "consent_id", "statutory_basis", "inform_client"
                        )
                    )
                    transaction.set_rollback(True)
                where = (label, key, kind, choice)
                assert got == expected, where
                if got[0] == "allowed":
                    allowed: Allowed = got[1]
                    row = (allowed.consent_id, allowed.basis_id or "", allowed.inform_client)
                    assert rows == [row], where
                else:
                    assert rows == [], where
                compared += 1
    return compared


@postgresql
@pytest.mark.django_db
def test_the_statement_decides_as_the_rules_on_every_consent_set(world):
    client, county, other = world.clients[0], world.county, world.other_county
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("none", lambda: None),
        ("purpose elsewhere", lambda: give_consent(client, county, world.kela_unit,
                                                   purposes=[Purpose.OUTCOME_REPORT])),
        ("category elsewhere", lambda: give_consent(client, county, world.kela_unit,
                                                    categories=[Category.PLANS])),
        ("expired", lambda: give_consent(client, county, world.kela_unit, days=-2,
                                         since_days=30)),
        ("not yet valid", lambda: give_consent(client, county, world.kela_unit,
                                               since_days=-3)),
        ("revoked", lambda: consent_revoke(actor=world.actor("social_worker"),
                                           consent=give_consent(client, county,
                                                                world.kela_unit),
                                           how="phone")),
        ("Kela's other unit named", lambda: give_consent(
            client, county, world.kela_unit).units.add(world.kela_unit2)),
        ("the organiser's other unit named", lambda: give_consent(
            client, county, world.kela_unit).units.add(world.social_unit2)),
        ("another organiser's unit named", lambda: give_consent(
            client, county, world.kela_unit, days=500).units.add(world.other_social_unit)),
        ("the other organiser's own", lambda: give_consent(client, other, world.kela_unit)),
        ("all, shorter", lambda: give_consent(client, county, world.kela_unit, days=30)),
        ("all, longest", lambda: give_consent(client, county, world.kela_unit, days=900)),
    ]  # fmt: skip
    compared = 0
    for label, step in steps:
        step()
        compared += _compare(world, client, label)
    assert Consent.objects.filter(client=client).count() == len(steps) - 1
    assert compared == len(steps) * len(DIRECTIONS) * len(KINDS) * len(CHOICES)


@postgresql
@pytest.mark.django_db
def test_a_send_reads_no_consents_beside_the_statement_that_logs_it(world):
    thread = world.thread().thread
    with CaptureQueriesContext(connection) as captured:
        message = services.message_send(
            actor=world.actor("kela_processor"), thread=thread, body="Lisätietoja"
        )
    statements = [q["sql"] for q in captured.captured_queries]
    assert not [sql for sql in statements if "consents_" in sql and "PREPARE" not in sql]
    assert [sql for sql in statements if sql.startswith("EXECUTE")] == [
        sql for sql in statements if logged.PREPARED in sql and "PREPARE" not in sql
    ]
    assert len([sql for sql in statements if sql.startswith("EXECUTE")]) == 1
    row = Disclosure.objects.get(object_type="message", object_id=str(message.public_id))
    assert row.consent_id is not None and row.kind == K.MESSAGE


@postgresql
@pytest.mark.django_db
def test_a_disagreement_with_the_rules_stores_nothing(world, monkeypatch):
    thread = world.thread().thread
    before = (Message.objects.count(), Disclosure.objects.count())
    monkeypatch.setattr(logged, "decide", lambda *args, **kwargs: Allowed(None, "totul_18h"))
    with pytest.raises(logged.Disagreement):
        services.message_send(actor=world.actor("kela_processor"), thread=thread, body="Hei")
    assert (Message.objects.count(), Disclosure.objects.count()) == before
