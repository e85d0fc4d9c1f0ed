"""The one disclosure service every disclosing action calls (703/2023 10 §, luovutusloki).

``disclosure_authorise`` decides through ``rules.decide`` and writes one ``Disclosure``
row; a refusal writes no disclosure row but one audit "denied" row and raises
``NoLawfulBasis`` (422 ``no_lawful_basis``) naming why and the bases that would make it
lawful. A caller that writes more in its own transaction calls ``disclosure_decide``
before opening it (so the denial row is not rolled back with it) and ``disclosure_log``
inside it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connections, router, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from silta.accounts.actor import Actor
from silta.audit.denial import deny, deny_row
from silta.clients.models import Client
from silta.consents.bases import BASES
from silta.consents.models import Consent, ConsentRevocation, Disclosure
from silta.consents.rules import (
    Allowed,
    ConsentTerms,
    Party,
    Question,
    Refused,
    decide,
    terms_of,
)
from silta.core import request_context
from silta.core.errors import ServiceError
from silta.core.prepared import Prepared
from silta.organisations.models import OrganisationKind, Unit

REFUSALS: dict[str, str | Promise] = {
    "no_consent": gettext_lazy("the client has no consent recorded for this"),
    "consent_not_found": gettext_lazy("the chosen consent is not this client's"),
    "consent_revoked": gettext_lazy("the consent has been revoked"),
    "consent_not_yet_valid": gettext_lazy("the consent is not valid yet"),
    "consent_expired": gettext_lazy("the consent has expired"),
    "consent_party_out_of_scope": gettext_lazy("the consent does not cover these parties"),
    "consent_purpose_out_of_scope": gettext_lazy("the consent does not cover this purpose"),
    "consent_category_out_of_scope": gettext_lazy("the consent does not cover this data"),
    "not_between_organisations": gettext_lazy("this does not go to the other organisation"),
    "unknown_basis": gettext_lazy("the statutory basis is unknown"),
    "basis_kind_not_allowed": gettext_lazy("the statutory basis does not allow this action"),
    "basis_direction_not_allowed": gettext_lazy(
        "the statutory basis does not allow this direction"
    ),
    "basis_category_not_allowed": gettext_lazy("the statutory basis does not cover this data"),
    "basis_condition_not_met": gettext_lazy(
        "the statutory basis applies only in the circumstances the law names"
    ),
    "basis_requires_consent": gettext_lazy("the statutory basis needs the client's consent"),
}


# The client's consents as the decision reads them, with their named units and those units'
# organisations, in one statement compiled once per process (``core.prepared``): no model
# instances (issue 9 bench: the prefetch's second statement and Django's compile and build
# were most of the check's cost). One row per named unit; a consent without any: one row
# with NULL unit columns.
_SAMPLE_CLIENT = 987_654_321_987  # a distinct object the queryset passes on unchanged


def _of_unit(name: str) -> Subquery:
    """Field ``name`` of the named unit on the row (a scalar subquery: fewer joins to plan)."""
    return Subquery(Unit.objects.filter(pk=OuterRef("units__id")).order_by().values(name))


# The revocation and the named units' organisations are scalar subqueries, not joins:
# PostgreSQL plans the statement in 0.15 ms instead of 0.3 ms (national data set).
_CONSENT_ROWS = Prepared(
    lambda client_id: (
        Consent.objects.filter(client_id=client_id)
        .annotate(
            revoked=Subquery(
                ConsentRevocation.objects.filter(consent_id=OuterRef("pk"))
                .order_by()
                .values("revoked_at")
            ),
            unit_organisation=_of_unit("organisation_id"),
            unit_kind=_of_unit("organisation__kind"),
        )
        .order_by("id")
        .values_list(
            "id",
            "public_id",
            "organiser_id",
            "purposes",
            "categories",
            "valid_from",
            "valid_until",
            "revoked",
            "units__id",
            "unit_organisation",
            "unit_kind",
        )
    ),
    client_id=_SAMPLE_CLIENT,
)


def consent_terms(client_id: int) -> tuple[dict[uuid.UUID, int], list[ConsentTerms]]:
    """The client's consents as ``rules.decide`` reads them, and their ids by public id."""
    rows = _CONSENT_ROWS.rows(client_id=client_id)
    by_public_id = {row[1]: row[0] for row in rows}
    return by_public_id, terms_from_rows((row[0], *row[2:]) for row in rows)


def terms_from_rows(rows: Iterable[Sequence[Any]]) -> list[ConsentTerms]:
    """Consent terms from rows of (id, organiser id, purposes, categories, valid from,
    valid until, revoked at, named unit id, its organisation id, its organisation's kind),
    one row per named unit (a consent without any: one row with NULL unit columns)."""
    first: dict[int, Sequence[Any]] = {}
    units: dict[int, list[tuple[int, int, bool]]] = {}
    for row in rows:
        first.setdefault(row[0], row)
        named = units.setdefault(row[0], [])
        if row[7] is not None:
            named.append((row[7], row[8], row[9] == OrganisationKind.KELA))
    return [
        terms_of(
            id=pk,
            organiser_id=row[1],
            units=units[pk],
            purposes=_json(row[2]),
            categories=_json(row[3]),
            valid_from=row[4],
            valid_until=row[5],
            revoked_at=row[6],
        )
        for pk, row in first.items()
    ]


def _json(value: Any) -> Any:
    """A JSON column as read by a raw statement (text) or through its field (decoded)."""
    return json.loads(value) if isinstance(value, str) else value


class NoLawfulBasis(ServiceError):
    """Nothing was sent: no consent or statutory basis allows this disclosure."""

    status = 422
    default_code = "no_lawful_basis"

    def __init__(
        self,
        reason: str,
        lawful_bases: tuple[str, ...],
        authorised: Authorised | Pending | None = None,
    ) -> None:
        laws = ", ".join(str(BASES[basis].law) for basis in lawful_bases)
        message = _("Not sent: %(reason)s.") % {"reason": REFUSALS[reason]}
        if laws:
            message += " " + _("A consent or one of these would make it lawful: %(laws)s.") % {
                "laws": laws
            }
        else:
            message += " " + _("Only the client's consent can make it lawful.")
        super().__init__(message, field="statutory_basis")
        self.reason = reason
        self.lawful_bases = lawful_bases
        # Set when the refusal came inside the disclosing write (``audit_late_refusals``):
        # the consent revoked since the decision, or the decision made there (``Pending``).
        self.authorised = authorised

    def details(self) -> dict[str, object]:
        return {"lawful_bases": list(self.lawful_bases)}


@dataclass(frozen=True, kw_only=True)
class DisclosureInput:
    """What is disclosed and why; ``consent_id`` or ``basis`` when the sender chose one."""

    kind: str
    category: str
    purpose: str
    object_type: str
    object_id: str = ""
    consent_id: uuid.UUID | None = None
    basis: str = ""
    circumstance: str = ""


@dataclass(frozen=True)
class Authorised:
    """A decided disclosure, ready to be logged."""

    actor: Actor
    client: Client
    discloser: Unit
    recipient: Unit
    data: DisclosureInput
    allowed: Allowed


@dataclass(frozen=True)
class Pending:
    """A disclosure to be decided inside the disclosing write's transaction, in the
    statement that logs it (``consents.logged``): what ``disclosure_decide`` takes, checked
    as far as it can be without the database."""

    actor: Actor
    client: Client
    discloser: Unit
    recipient: Unit
    data: DisclosureInput


def disclosure_pending(
    *, actor: Actor, client: Client, recipient: Unit, data: DisclosureInput, discloser: Unit
) -> Pending:
    """``disclosure_decide`` without the decision: the actor's unit checked (a refusal is
    audited and raised at once), the rest decided where it is logged."""
    _require_unit(actor, client, discloser.pk)
    return Pending(actor, client, discloser, recipient, data)


def _require_unit(actor: Actor, client: Client, unit_id: int) -> None:
    if unit_id not in actor.unit_ids:
        raise deny(actor, client=client, detail={"disclose": "unit"})


def question_of(data: DisclosureInput, discloser: Unit, recipient: Unit, at: Any) -> Question:
    """The question ``rules.decide`` answers for ``data`` between the two units at ``at``."""
    return Question(
        kind=data.kind,
        category=data.category,
        purpose=data.purpose,
        discloser=_party(discloser),
        recipient=_party(recipient),
        at=at,
        circumstance=data.circumstance,
    )


def _party(unit: Unit) -> Party:
    return Party(unit.pk, unit.organisation_id, unit.organisation.kind == OrganisationKind.KELA)


def disclosure_decide(
    *,
    actor: Actor,
    client: Client,
    recipient: Unit,
    data: DisclosureInput,
    unit_id: int,
    discloser: Unit | None = None,
) -> Authorised:
    """Decide on which basis ``data`` may go from the actor's unit to ``recipient`` now
    (``discloser``: that unit, when the caller has it loaded with its organisation).

    A refusal writes one audit "denied" row and raises ``NoLawfulBasis``."""
    _require_unit(actor, client, unit_id)
    if discloser is None or discloser.pk != unit_id:
        discloser = Unit.objects.select_related("organisation").get(pk=unit_id)
    by_public_id, terms = consent_terms(client.pk)
    question = question_of(data, discloser, recipient, timezone.now())
    consent_pk = by_public_id.get(data.consent_id, -1) if data.consent_id else None
    decision = decide(
        question,
        terms,
        consent_id=consent_pk,
        basis_id=data.basis or None,
    )
    if isinstance(decision, Refused):
        deny_row(
            actor,
            client=client,
            unit_id=unit_id,
            detail={
                "disclose": data.kind,
                "object": data.object_type,
                "reason": decision.code,
                "lawful_bases": list(decision.lawful_bases),
            },
        )
        raise NoLawfulBasis(decision.code, decision.lawful_bases)
    return Authorised(actor, client, discloser, recipient, data, decision)


def disclosure_log(*, authorised: Authorised, object_id: str = "") -> Disclosure:
    """Write the disclosure row; call inside the transaction of the disclosing write
    (``object_id``: the disclosed object's id, when it exists only now). A consent revoked
    since the decision refuses (the whole write rolls back)."""
    allowed = authorised.allowed
    row = disclosure_row(authorised, object_id, timezone.now())
    row.consent_id = allowed.consent_id
    row.statutory_basis = allowed.basis_id or ""
    row.inform_client = allowed.inform_client
    if allowed.consent_id is None:
        row.save()
    elif not _insert_unless_revoked(row, allowed.consent_id):
        raise NoLawfulBasis("consent_revoked", (), authorised)
    return row


def disclosure_row(disclosure: Authorised | Pending, object_id: object, at: Any) -> Disclosure:
    """The log row of ``disclosure`` at ``at``, its basis not yet set (not saved)."""
    data, actor = disclosure.data, disclosure.actor
    discloser, recipient = disclosure.discloser, disclosure.recipient
    return Disclosure(
        occurred_at=at,
        client=disclosure.client,
        kind=data.kind,
        category=data.category,
        object_type=data.object_type[:40],
        object_id=str(object_id or data.object_id)[:64],
        purpose=data.purpose,
        discloser_user=actor.user,
        discloser_label=actor.label[:300],
        discloser_unit=discloser,
        discloser_organisation_id=discloser.organisation_id,
        api_key=actor.api_key,
        recipient_unit=recipient,
        recipient_organisation_id=recipient.organisation_id,
        request_id=request_context.current().request_id,
    )


def _insert_unless_revoked(row: Disclosure, consent_id: int) -> bool:
    """Insert ``row`` unless the consent has a revocation: the re-check and the write in
    one statement (issue 9 bench: the re-check was a round trip of its own on every
    disclosure on a consent). False: revoked, nothing written."""
    connection = connections[router.db_for_write(Disclosure)]
    quote = connection.ops.quote_name
    fields = [f for f in Disclosure._meta.concrete_fields if not f.primary_key]
    revocation = ConsentRevocation._meta
    # Names from the models' own metadata, values as parameters.
    table, pk = quote(Disclosure._meta.db_table), quote(str(Disclosure._meta.pk.column))
    columns = ", ".join(quote(str(f.column)) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    revocations = quote(revocation.db_table)
    consent_column = quote(str(revocation.get_field("consent").column))
    sql = (
        f"INSERT INTO {table} ({columns}) SELECT {placeholders} WHERE NOT EXISTS "  # noqa: S608
        f"(SELECT 1 FROM {revocations} WHERE {consent_column} = %s) RETURNING {pk}"
    )
    values = [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, consent_id])
        inserted = cursor.fetchone()
    if inserted is None:
        return False
    row.pk = inserted[0]
    row._state.adding, row._state.db = False, connection.alias
    return True


@contextmanager
def audit_late_refusals() -> Iterator[None]:
    """Wrap a disclosing write's outermost transaction: a refusal found inside it (the
    consent revoked since the decision, or a ``Pending`` decided there) rolls the write
    back, and is audited here, outside it, like every other refusal."""
    try:
        yield
    except NoLawfulBasis as error:
        late = error.authorised
        if late is not None:
            deny_row(
                late.actor,
                client=late.client,
                unit_id=late.discloser.pk,
                detail={
                    "disclose": late.data.kind,
                    "object": late.data.object_type,
                    "reason": error.reason,
                    "lawful_bases": list(error.lawful_bases),
                },
            )
        raise


def disclosure_authorise(
    *, actor: Actor, client: Client, recipient: Unit, data: DisclosureInput, unit_id: int
) -> Disclosure:
    """Decide and log one disclosure: its row, or an audit "denied" row and
    ``NoLawfulBasis`` (nothing else written)."""
    authorised = disclosure_decide(
        actor=actor, client=client, recipient=recipient, data=data, unit_id=unit_id
    )
    with audit_late_refusals(), transaction.atomic():
        return disclosure_log(authorised=authorised)
