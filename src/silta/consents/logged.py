"""A disclosure decided and logged in one statement (issue 9 bench: at most 1 ms added to
sending a message; the read of the consents and the write of the log row were two round
trips, each about as costly as the decision itself).

``decide_and_log`` runs inside the disclosing write's transaction, before the disclosed
object is written, on PostgreSQL: one statement finds the covering consent (in force, the
parties, the purpose, the data category; the one lasting longest, then the newest),
inserts the log row on it (or on the sender's statutory basis when none covers and the
basis allows the disclosure) and returns, with the row, every consent of the client.
``rules.decide`` then decides on those rows, as it does everywhere: the rule stays in
``rules.py``, the statement only writes ahead of it. The statement's choice and the rule's
must agree: where they differ the write fails (``Disagreement``, nothing stored, nothing
disclosed; the tests pin that they never differ); where the rule allows what the statement
did not log (it cannot, see the tests), the row is written by ``disclosure_log``. A
refusal raises ``NoLawfulBasis`` carrying the ``Pending``: the transaction rolls back
(nothing stored) and ``audit_late_refusals`` writes the audit "denied" row outside it.
The statement reads one snapshot, so a consent revoked before it is refused exactly as
``disclosure_log``'s re-check refuses it.

Planning the statement cost more than running it (0.7 ms against 0.2 ms at scale 0.01),
so it is prepared once per database session (``PREPARE``, kept across transactions, also
rolled-back ones) and run by ``EXECUTE`` through Django's cursor (logged and counted like
any statement). A connection pooler in transaction mode, or one that discards a session's
prepared statements, would break this: Silta connects to PostgreSQL directly.
"""

from __future__ import annotations

import functools
import json
import re
import weakref
from typing import Any

from django.db import connections, router
from django.utils import timezone

from silta.consents.disclosures import (
    Authorised,
    NoLawfulBasis,
    Pending,
    disclosure_log,
    disclosure_row,
    question_of,
    terms_from_rows,
)
from silta.consents.models import Disclosure
from silta.consents.rules import (
    Allowed,
    Party,
    Refused,
    decide,
    helsinki_date,
    on_basis,
    on_consent,
)
from silta.organisations.models import OrganisationKind


def _covers(party: str) -> str:
    """``rules.covers_parties`` for one party: named; or Kela's unit and no Kela unit named;
    or the organiser's own unit and none of the organiser's units named."""
    return (
        f"(coalesce(n.{party}_named, FALSE) "
        f"OR (%({party}_kela)s AND NOT coalesce(n.kela_named, FALSE)) "
        f"OR (NOT %({party}_kela)s AND c.organiser_id = %({party}_org)s "
        "AND NOT coalesce(n.own_named, FALSE)))"
    )


# The client's consents and their named units, each read once (one index probe per
# table: at national scale each is a page that may not be in memory).
_CONSENTS = """
consents AS MATERIALIZED (
    SELECT c.id, c.organiser_id, c.purposes, c.categories, c.valid_from, c.valid_until,
           (SELECT r.revoked_at FROM consents_consentrevocation r
            WHERE r.consent_id = c.id) AS revoked_at
    FROM consents_consent c WHERE c.client_id = %(client)s
),
named AS MATERIALIZED (
    SELECT cu.consent_id, cu.unit_id, u.organisation_id, o.kind
    FROM consents c JOIN consents_consent_units cu ON cu.consent_id = c.id
    JOIN organisations_unit u ON u.id = cu.unit_id
    JOIN organisations_organisation o ON o.id = u.organisation_id
)"""

# ``rules.covering_consent`` (consent_failure: state, parties, purpose, category); the
# named units sorted as ``rules.terms_of`` sorts them.
_COVERING = f"""
SELECT c.id FROM consents c
LEFT JOIN LATERAL (
    SELECT bool_or(n.kind = %(kela)s) AS kela_named,
           bool_or(n.kind <> %(kela)s AND n.organisation_id = c.organiser_id) AS own_named,
           bool_or(n.unit_id = %(discloser_unit)s) AS discloser_named,
           bool_or(n.unit_id = %(recipient_unit)s) AS recipient_named
    FROM named n WHERE n.consent_id = c.id
) AS n ON TRUE
WHERE c.organiser_id IN (%(discloser_org)s, %(recipient_org)s)
  AND (c.revoked_at IS NULL OR c.revoked_at > %(at)s)
  AND c.valid_from <= %(today)s AND c.valid_until >= %(today)s
  AND c.purposes @> %(purpose)s::jsonb AND c.categories @> %(category)s::jsonb
  AND {_covers("discloser")} AND {_covers("recipient")}
ORDER BY c.valid_until DESC, c.id DESC
LIMIT 1
"""  # noqa: S608 (fixed names, values as parameters)

# The row's own columns; the basis columns come from the choice.
_BASIS_COLUMNS = ("consent_id", "statutory_basis", "inform_client")
_FIELDS = [
    f
    for f in Disclosure._meta.concrete_fields
    if not f.primary_key and f.column not in _BASIS_COLUMNS
]


@functools.cache
def _statement(alias: str) -> str:
    """The statement for the database ``alias`` (each value cast to its column's type)."""
    connection = connections[alias]
    columns = ", ".join(str(f.column) for f in _FIELDS)
    values = ", ".join(f"%(f_{f.column})s::{f.cast_db_type(connection)}" for f in _FIELDS)
    return f"""
WITH {_CONSENTS},
pick AS ({_COVERING}),
logged AS (
    INSERT INTO consents_disclosure ({columns}, consent_id, statutory_basis, inform_client)
    SELECT {values}, pick.id,
           CASE WHEN pick.id IS NULL THEN %(fallback)s::varchar ELSE %(beside)s::varchar END,
           CASE WHEN pick.id IS NULL THEN %(fallback_inform)s::boolean
                ELSE %(beside_inform)s::boolean END
    FROM (SELECT 1) AS one LEFT JOIN pick ON TRUE
    WHERE pick.id IS NOT NULL OR %(fallback)s::varchar <> ''
    RETURNING id, consent_id, statutory_basis, inform_client
)
SELECT logged.id, logged.consent_id, logged.statutory_basis, logged.inform_client,
       c.id, c.organiser_id, c.purposes, c.categories, c.valid_from, c.valid_until,
       c.revoked_at, n.unit_id, n.organisation_id, n.kind
FROM (SELECT 1) AS one LEFT JOIN logged ON TRUE
LEFT JOIN (consents c LEFT JOIN named n ON n.consent_id = c.id) ON TRUE
"""  # noqa: S608 (names from the models, values as parameters)


class Disagreement(RuntimeError):
    """The statement logged another basis than ``rules.decide`` gives: nothing is stored."""


def available(pending: Pending) -> bool:
    """Can ``pending`` be decided in one statement (PostgreSQL; not a consent the sender
    named, which ``disclosure_decide`` looks up by its public id)?"""
    connection = connections[router.db_for_write(Disclosure)]
    return connection.vendor == "postgresql" and pending.data.consent_id is None


def decide_and_log(pending: Pending, *, object_id: object) -> Authorised:
    """Decide ``pending`` and log it (the row's ``object_id``: the disclosed object's id,
    which is written after this). A refusal raises ``NoLawfulBasis`` (see the module)."""
    at = timezone.now()
    data = pending.data
    question = question_of(data, pending.discloser, pending.recipient, at)
    basis = data.basis or None
    beside = on_consent(question, 0, basis)
    # Where no consent covers: the sender's statutory basis, if it allows the disclosure.
    chosen = on_basis(question, basis) if basis else None
    fallback = chosen if isinstance(chosen, Allowed) else Allowed(None, None)
    row = disclosure_row(pending, object_id, at)
    alias = router.db_for_write(Disclosure)
    connection = connections[alias]
    params: dict[str, Any] = {
        f"f_{f.column}": f.get_db_prep_save(getattr(row, f.attname), connection) for f in _FIELDS
    }
    params.update(
        client=pending.client.pk,
        at=at,
        today=helsinki_date(at),
        purpose=json.dumps([data.purpose]),
        category=json.dumps([data.category]),
        kela=OrganisationKind.KELA.value,
        fallback=fallback.basis_id or "",
        fallback_inform=fallback.inform_client,
        beside=beside.basis_id or "",
        beside_inform=beside.inform_client,
        **_party("discloser", question.discloser),
        **_party("recipient", question.recipient),
    )
    rows = _run(connection, _statement(alias), params)
    logged = rows[0][:4]
    terms = terms_from_rows(row[4:] for row in rows if row[4] is not None)
    decision = decide(question, terms, basis_id=basis)
    if isinstance(decision, Refused):
        if logged[0] is not None:
            raise Disagreement(f"logged {logged[1:]}, rules.decide refused {decision.code}")
        raise NoLawfulBasis(decision.code, decision.lawful_bases, pending)
    authorised = Authorised(
        pending.actor, pending.client, pending.discloser, pending.recipient, data, decision
    )
    if logged[0] is None:
        disclosure_log(authorised=authorised, object_id=str(object_id))
    elif tuple(logged[1:]) != (
        decision.consent_id,
        decision.basis_id or "",
        decision.inform_client,
    ):
        raise Disagreement(f"logged {logged[1:]}, rules.decide allowed {decision}")
    return authorised


def _party(name: str, party: Party) -> dict[str, Any]:
    return {
        f"{name}_unit": party.unit_id,
        f"{name}_org": party.organisation_id,
        f"{name}_kela": party.is_kela,
    }


PREPARED = "silta_disclosure_decide_and_log"
_prepared_on: weakref.WeakSet[Any] = weakref.WeakSet()


@functools.cache
def _positional(sql: str) -> tuple[str, tuple[str, ...]]:
    """``sql`` with its named parameters as $1, $2, ... and the names in that order."""
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        if match.group(1) not in names:
            names.append(match.group(1))
        return f"${names.index(match.group(1)) + 1}"

    return re.sub(r"%\((\w+)\)s", number, sql), tuple(names)


def _run(connection: Any, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Run the statement prepared once per database session (its plan kept: planning the
    statement cost more than running it)."""
    text, names = _positional(sql)
    with connection.cursor() as cursor:
        if connection.connection not in _prepared_on:
            cursor.execute(f"PREPARE {PREPARED} AS {text}")
            _prepared_on.add(connection.connection)
        marks = ", ".join(["%s"] * len(names))
        cursor.execute(f"EXECUTE {PREPARED} ({marks})", [params[name] for name in names])
        return cursor.fetchall()
