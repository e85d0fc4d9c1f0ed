"""Consent reads (step ``consents``), each through Silta's real code and as hand-written SQL:
a client's consent panel, and the disclosure check a message passes (``gate_decide``).

The panel is that of the client with the most consents (then the most named units), as a
worker of the social unit of the client's first case; the real side reads what
``consents/panel.html`` and ``_consent.html`` read. Its raw SQL computes each consent's
state, and the working days left for the expiry warning with the ``bench_workday``
calendar of the referrals step, in the statement. The disclosure check has no audit row
when it allows (raw+audit = raw); its raw SQL finds the covering consent (in force, the
parties, the purpose and the data category) in one statement, loading both parties'
sides as the real check does.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection
from django.utils import timezone

from bench.measurement.cases import AUDIT_SQL, REQUEST_ID, SOURCE_ADDRESS, Operation

CLIENT_SQL = """
SELECT c.id, c.public_id, c.first_names, c.last_name, m.name_fi
FROM clients_client c JOIN reference_municipality m ON m.code = c.municipality_id
WHERE c.public_id = %(client)s
"""

PANEL_SQL = """
SELECT c.id, c.public_id, c.given_by, c.representative_name, c.given_how,
       c.application_reference, c.wording_language, c.purposes, c.categories, c.valid_from,
       c.valid_until, c.recorded_at, c.recorded_by_label, o.name_fi, w.version, ru.name_fi,
       r.revoked_at, r.revoked_by_label, r.how, r.note,
       CASE WHEN r.revoked_at <= %(now)s THEN 'revoked'
            WHEN c.valid_from > %(today)s THEN 'not_yet_valid'
            WHEN c.valid_until < %(today)s THEN 'expired'
            ELSE 'in_force' END,
       wv.n - (SELECT n FROM bench_workday WHERE day = %(today)s),
       (SELECT coalesce(json_agg(u.name_fi ORDER BY cu.id), '[]')
        FROM consents_consent_units cu JOIN organisations_unit u ON u.id = cu.unit_id
        WHERE cu.consent_id = c.id)
FROM consents_consent c
JOIN organisations_organisation o ON o.id = c.organiser_id
JOIN consents_consentwording w ON w.id = c.wording_id
JOIN organisations_unit ru ON ru.id = c.recorded_by_unit_id
LEFT JOIN consents_consentrevocation r ON r.consent_id = c.id
LEFT JOIN bench_workday wv ON wv.day = c.valid_until
WHERE c.client_id = %(client)s
ORDER BY c.valid_until DESC, c.id DESC
"""

POWERS_SQL = """
SELECT id, public_id, attorney_name, attorney_kind, scopes, valid_from, valid_until,
       document_name, external_mandate_ref, verified_at, verified_by_label, revoked_at,
       revoked_by_label, revoked_how
FROM consents_powerofattorney WHERE client_id = %(client)s
ORDER BY recorded_at DESC, id DESC
"""

# The consent that covers a disclosure from one party to the other now: in force, Kela
# and the organiser (narrowed to the named units of each side where any are named), the
# purpose and the category; the one lasting longest, then the newest (rules.decide).
CHECK_SQL = """
WITH party AS (
    SELECT u.id, u.organisation_id, o.kind = 'kela' AS is_kela
    FROM organisations_unit u JOIN organisations_organisation o ON o.id = u.organisation_id
    WHERE u.id IN (%(discloser)s, %(recipient)s)
)
SELECT c.id FROM consents_consent c
JOIN party k ON k.is_kela
JOIN party s ON NOT s.is_kela AND s.organisation_id = c.organiser_id
WHERE c.client_id = %(client)s
  AND c.valid_from <= %(today)s AND c.valid_until >= %(today)s
  AND NOT EXISTS (SELECT 1 FROM consents_consentrevocation r
                  WHERE r.consent_id = c.id AND r.revoked_at <= %(now)s)
  AND c.purposes ? %(purpose)s AND c.categories ? %(category)s
  AND (NOT EXISTS (SELECT 1 FROM consents_consent_units cu
                   JOIN organisations_unit u ON u.id = cu.unit_id
                   WHERE cu.consent_id = c.id AND u.organisation_id <> c.organiser_id)
       OR EXISTS (SELECT 1 FROM consents_consent_units cu
                  WHERE cu.consent_id = c.id AND cu.unit_id = k.id))
  AND (NOT EXISTS (SELECT 1 FROM consents_consent_units cu
                   JOIN organisations_unit u ON u.id = cu.unit_id
                   WHERE cu.consent_id = c.id AND u.organisation_id = c.organiser_id)
       OR EXISTS (SELECT 1 FROM consents_consent_units cu
                  WHERE cu.consent_id = c.id AND cu.unit_id = s.id))
ORDER BY c.valid_until DESC, c.id DESC
LIMIT 1
"""

# Cases whose client has a consent in force for messages (no named units), sampled.
SEND_CASES_SQL = """
SELECT ca.id FROM exchange_case ca TABLESAMPLE BERNOULLI (%(percent)s) REPEATABLE (%(seed)s)
WHERE EXISTS (
    SELECT 1 FROM consents_consent c
    WHERE c.client_id = ca.client_id AND c.valid_from <= %(today)s AND c.valid_until >= %(today)s
      AND c.purposes ? 'joint_assistance' AND c.categories ? 'benefit_decisions'
      AND NOT EXISTS (SELECT 1 FROM consents_consentrevocation r WHERE r.consent_id = c.id)
      AND NOT EXISTS (SELECT 1 FROM consents_consent_units cu WHERE cu.consent_id = c.id))
ORDER BY ca.id
"""


@dataclass(frozen=True)
class Send:
    """One message to send: the thread (case and client loaded, as ``thread_get`` does),
    the sender and their unit, the recipient unit."""

    thread: Any  # silta.exchange.models.Thread
    actor: Any  # silta.accounts.actor.Actor
    unit_id: int
    recipient_id: int


@dataclass(frozen=True)
class ConsentSubjects:
    panel_client: Any  # public id
    panel_client_id: int
    panel_consents: int
    panel_units: int
    panel_actor: Any  # silta.accounts.actor.Actor
    panel_unit: int
    sends: list[Send]


def _rows(query: str, params: dict[str, Any] | list[Any] | None = None) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(query, params or [])
        return [tuple(row) for row in cursor.fetchall()]


def _actor_of(unit_id: int, perm: Any, actors: dict[int, Any]) -> Any:
    """The first member of ``unit_id`` whose role there allows ``perm``."""
    from silta.accounts.actor import Actor
    from silta.accounts.models import User

    for (user_id,) in _rows(
        "SELECT user_id FROM accounts_membership WHERE unit_id = %s ORDER BY id", [unit_id]
    ):
        if user_id not in actors:
            actors[user_id] = Actor.for_user(User.objects.get(pk=user_id))
        if unit_id in actors[user_id].units_with(perm):
            return actors[user_id]
    raise RuntimeError(f"no member of unit {unit_id} may do {perm}")


def _today() -> dict[str, Any]:
    from silta.consents.rules import helsinki_date

    now = timezone.now()
    return {"now": now, "today": helsinki_date(now)}


def _sends(count: int, seed: int) -> list[Send]:
    """``count`` random cases whose client has a consent covering messages, each with its
    first thread and a sender on one side (Kela and social services in turn)."""
    from silta.accounts.roles import Perm
    from silta.consents.gate import basis_preview
    from silta.exchange.models import Thread

    (estimate,) = _rows("SELECT reltuples FROM pg_class WHERE relname = 'exchange_case'")[0]
    percent = min(100.0, 100.0 * 20 * count / max(float(estimate), 1.0))
    params = {"percent": percent, "seed": seed, **_today()}
    case_ids = [row[0] for row in _rows(SEND_CASES_SQL, params)]
    random.Random(seed).shuffle(case_ids)
    actors: dict[int, Any] = {}
    sends: list[Send] = []
    for case_id in case_ids:
        # As exchange.selectors.thread_get loads it for the reply page and the API.
        related = (
            "case__client__municipality",
            "case__kela_unit__organisation",
            "case__social_unit__organisation",
        )
        threads = Thread.objects.select_related(*related).filter(case_id=case_id)
        thread = threads.order_by("id").first()
        if thread is None:
            continue
        case = thread.case
        unit_id = case.kela_unit_id if len(sends) % 2 == 0 else case.social_unit_id
        recipient = case.counterpart_of(unit_id)
        preview = basis_preview(client=case.client, unit_id=unit_id, recipient=recipient,
                                kind="message")  # fmt: skip
        if preview.consent is None:
            continue
        actor = _actor_of(unit_id, Perm.MESSAGE_SEND, actors)
        sends.append(Send(thread, actor, unit_id, recipient))
        if len(sends) == count:
            break
    if not sends:
        raise RuntimeError("no case whose client has a consent covering messages")
    return sends


def pick_consent_subjects(count: int, seed: int) -> ConsentSubjects:
    from silta.accounts.roles import Perm

    client_id, consents, units = _rows(
        """
        SELECT c.client_id, count(DISTINCT c.id), count(cu.id) FROM consents_consent c
        LEFT JOIN consents_consent_units cu ON cu.consent_id = c.id
        GROUP BY c.client_id ORDER BY count(DISTINCT c.id) DESC, count(cu.id) DESC, c.client_id
        LIMIT 1
        """
    )[0]
    public_id, social_unit = _rows(
        "SELECT cl.public_id, ca.social_unit_id FROM clients_client cl "
        "JOIN exchange_case ca ON ca.client_id = cl.id WHERE cl.id = %s ORDER BY ca.id LIMIT 1",
        [client_id],
    )[0]
    return ConsentSubjects(
        panel_client=public_id,
        panel_client_id=client_id,
        panel_consents=consents,
        panel_units=units,
        panel_actor=_actor_of(social_unit, Perm.CASE_VIEW, {}),
        panel_unit=social_unit,
        sends=_sends(count, seed),
    )


# -- the consent panel ----------------------------------------------------------------


def real_panel(s: ConsentSubjects) -> list[Any]:
    from silta.consents.selectors import consent_panel

    panel = consent_panel(actor=s.panel_actor, client_id=s.panel_client)
    _ = (panel.client.full_name, panel.client.public_id)
    shown = []
    for consent in [*panel.in_force, *panel.history]:  # what _consent.html reads
        units = [unit.name for unit in consent.units.all()]
        _ = (consent.public_id, consent.valid_from, consent.valid_until, units,
             consent.organiser.name, consent.category_labels, consent.purpose_labels,
             consent.get_given_by_display(), consent.representative_name,
             consent.get_given_how_display(), consent.application_reference,
             consent.wording.version, consent.get_wording_language_display())  # fmt: skip
        _ = (consent.recorded_at, consent.recorded_by_label, consent.recorded_by_unit.name)
        if consent.revoked_at:
            revocation = consent.revocation
            _ = (revocation.revoked_at, revocation.revoked_by_label, revocation.get_how_display(),
                 revocation.note)  # fmt: skip
        expires_in = getattr(consent, "expires_in", None)
        shown.append((consent.pk, getattr(consent, "current_state", None), expires_in))
    for poa in panel.powers:
        _ = (poa.public_id, getattr(poa, "current_state", None), poa.attorney_name)
        _ = poa.scope_labels
    return shown


def _audit(conn: psycopg.Connection[Any], s: ConsentSubjects, client: int, detail: Any) -> None:
    params = {
        "action": "view",
        "user": s.panel_actor.user.pk,
        "label": s.panel_actor.label,
        "unit": s.panel_unit if len(s.panel_actor.memberships) == 1 else None,
        "organisation": None,
        "client": client,
        "object_type": "",
        "object_id": "",
        "legal_basis": "",
        "request_id": REQUEST_ID,
        "address": SOURCE_ADDRESS,
        "detail": json.dumps(detail),
    }
    if params["unit"] is not None:
        params["organisation"] = s.panel_actor.membership(s.panel_unit).organisation_id
    conn.execute(AUDIT_SQL, params).fetchone()


def raw_panel(conn: psycopg.Connection[Any], s: ConsentSubjects, audit: bool) -> list[Any]:
    from silta.consents.codes import Category, GivenBy, GivenHow, Purpose

    client = conn.execute(CLIENT_SQL, {"client": s.panel_client}).fetchone()
    if client is None:
        raise RuntimeError("the raw client query found nothing")
    rows = conn.execute(PANEL_SQL, {"client": client[0], **_today()}).fetchall()
    warn = settings.SILTA_CONSENT_EXPIRY_WARNING_DAYS
    in_force: list[Any] = []
    history: list[Any] = []
    for row in rows:
        state, left = row[20], row[21]
        labels = ([str(Purpose(p).label) for p in row[7] if p in Purpose.values],
                  [str(Category(c).label) for c in row[8] if c in Category.values],
                  GivenBy(row[2]).label, GivenHow(row[4]).label)  # fmt: skip
        assert labels
        expires_in = left if state == "in_force" and left is not None and left <= warn else None
        (in_force if state == "in_force" else history).append((row[0], state, expires_in))
    powers = conn.execute(POWERS_SQL, {"client": client[0]}).fetchall()
    assert powers is not None
    if audit:
        _audit(conn, s, client[0], {"read": "consents"})
    return [*in_force, *history]


# -- the disclosure check -------------------------------------------------------------


def real_check(send: Send) -> list[Any]:
    from silta.consents.gate import gate_decide

    case = send.thread.case
    # The case's units, as exchange.services passes them (loaded with the thread).
    discloser, recipient = case.sides_from(send.unit_id)
    authorised = gate_decide(
        actor=send.actor,
        client=case.client,
        unit_id=send.unit_id,
        recipient=recipient,
        kind="message",
        object_type="message",
        discloser=discloser,
    )
    return [authorised.allowed.consent_id if authorised is not None else None]


def raw_check(conn: psycopg.Connection[Any], send: Send) -> list[Any]:
    from silta.consents.gate import disclosed

    from_kela = send.unit_id == send.thread.case.kela_unit_id
    what = disclosed("message", from_kela)
    params = {
        "client": send.thread.case.client_id,
        "discloser": send.unit_id,
        "recipient": send.recipient_id,
        "purpose": what.purpose,
        "category": what.category,
        **_today(),
    }
    row = conn.execute(CHECK_SQL, params).fetchone()
    return [row[0] if row else None]


def consent_operations(s: ConsentSubjects) -> list[Operation]:
    send = s.sends[0]
    return [
        Operation(f"consent panel ({s.panel_consents} consents)",
                  lambda: real_panel(s),
                  lambda conn, audit: raw_panel(conn, s, audit)),
        Operation("disclosure check (gate_decide, message)",
                  lambda: real_check(send),
                  lambda conn, audit: raw_check(conn, send)),
    ]  # fmt: skip
