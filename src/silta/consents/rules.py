"""The one decision: on which basis may this data go to another organisation now?

A disclosure is client data crossing from one organisation to another: decided on the
organisations' identity, not their sector. Kela <-> an organiser, and one organiser (a
wellbeing services county, or the City of Helsinki) to another, are disclosures; two units
of one organisation never are.

Pure: no database, no clock. The caller gives the disclosure, every consent of the client
(so a refusal can say "revoked" or "expired" rather than "none") and, optionally, the
consent or the statutory basis the sender chose. A covering consent is used first; then
the statutory basis; otherwise a refusal with a stable code and the statutory bases that
would make the disclosure lawful. 703/2023 10 § (luovutusloki): the chosen basis is what
the disclosure log records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from silta.consents.bases import BASES, StatutoryBasis
from silta.consents.codes import Direction

HELSINKI = ZoneInfo("Europe/Helsinki")

# Refusal codes, stable for the API and the tests. A consent's checks run in this order and
# the first failure is its code; of several consents the one that got furthest is reported.
CONSENT_CHECKS = (
    "consent_revoked",
    "consent_not_yet_valid",
    "consent_expired",
    "consent_party_out_of_scope",
    "consent_purpose_out_of_scope",
    "consent_category_out_of_scope",
)
NO_CONSENT = "no_consent"
CONSENT_NOT_FOUND = "consent_not_found"
NOT_BETWEEN_ORGANISATIONS = "not_between_organisations"
BASIS_CODES = (
    "unknown_basis",
    "basis_kind_not_allowed",
    "basis_direction_not_allowed",
    "basis_category_not_allowed",
    "basis_condition_not_met",
    "basis_requires_consent",
)


@dataclass(frozen=True)
class Party:
    unit_id: int
    organisation_id: int
    is_kela: bool


@dataclass(frozen=True, kw_only=True)
class ConsentTerms:
    """What a consent allows, as plain data (``Consent.terms()`` builds it)."""

    id: int
    organiser_id: int
    # Named units per side; none named on a side: that side's whole organisation.
    kela_unit_ids: frozenset[int] = frozenset()
    social_unit_ids: frozenset[int] = frozenset()
    # Named units of other organisers: the organiser may share with these units (both
    # ways), Kela may not (a consent about the organiser is not one about them).
    other_unit_ids: frozenset[int] = frozenset()
    purposes: frozenset[str]
    categories: frozenset[str]
    valid_from: dt.date
    valid_until: dt.date  # the last valid day: expires at the next midnight in Helsinki
    revoked_at: dt.datetime | None = None


def terms_of(
    *,
    id: int,
    organiser_id: int,
    units: Iterable[tuple[int, int, bool]],
    purposes: Iterable[str],
    categories: Iterable[str],
    valid_from: dt.date,
    valid_until: dt.date,
    revoked_at: dt.datetime | None,
) -> ConsentTerms:
    """A consent's terms from its fields; ``units``: the named units as (unit id, its
    organisation id, is it Kela's), sorted into Kela's, the organiser's and others'."""
    kela: set[int] = set()
    own: set[int] = set()
    other: set[int] = set()
    for unit_id, organisation_id, is_kela in units:
        side = kela if is_kela else own if organisation_id == organiser_id else other
        side.add(unit_id)
    return ConsentTerms(
        id=id,
        organiser_id=organiser_id,
        kela_unit_ids=frozenset(kela),
        social_unit_ids=frozenset(own),
        other_unit_ids=frozenset(other),
        purposes=frozenset(purposes),
        categories=frozenset(categories),
        valid_from=valid_from,
        valid_until=valid_until,
        revoked_at=revoked_at,
    )


@dataclass(frozen=True, kw_only=True)
class Question:
    kind: str
    category: str
    purpose: str
    discloser: Party
    recipient: Party
    at: dt.datetime
    circumstance: str = ""

    @property
    def direction(self) -> Direction:
        if self.discloser.is_kela:
            return Direction.KELA_TO_SOCIAL
        if self.recipient.is_kela:
            return Direction.SOCIAL_TO_KELA
        return Direction.BETWEEN_ORGANISERS


@dataclass(frozen=True)
class Allowed:
    consent_id: int | None
    basis_id: str | None
    inform_client: bool = False


@dataclass(frozen=True)
class Refused:
    code: str
    lawful_bases: tuple[str, ...]


Decision = Allowed | Refused


def helsinki_date(at: dt.datetime) -> dt.date:
    """The calendar day in Helsinki: a consent valid until 31.5. ends at 00:00 on 1.6."""
    return at.astimezone(HELSINKI).date()


def consent_state(terms: ConsentTerms, at: dt.datetime) -> str:
    """in_force, revoked, not_yet_valid or expired at ``at``."""
    if terms.revoked_at is not None and terms.revoked_at <= at:
        return "revoked"
    day = helsinki_date(at)
    if day < terms.valid_from:
        return "not_yet_valid"
    if day > terms.valid_until:
        return "expired"
    return "in_force"


def _covers_party(terms: ConsentTerms, party: Party) -> bool:
    """Kela's or the organiser's unit: covered unless the consent names other units of its
    side. Another organiser's unit: only when named."""
    if party.is_kela:
        named = terms.kela_unit_ids
    elif party.organisation_id == terms.organiser_id:
        named = terms.social_unit_ids
    else:
        return party.unit_id in terms.other_unit_ids
    return not named or party.unit_id in named


def covers_parties(terms: ConsentTerms, discloser: Party, recipient: Party) -> bool:
    """The consent is the organiser's with Kela, or with the named units of another
    organiser: one of the two parties is always the organiser."""
    if terms.organiser_id not in (discloser.organisation_id, recipient.organisation_id):
        return False
    return _covers_party(terms, discloser) and _covers_party(terms, recipient)


def consent_failure(terms: ConsentTerms, question: Question) -> str | None:
    """The first check ``terms`` fails for ``question`` (a ``CONSENT_CHECKS`` code), or
    None when the consent covers the disclosure."""
    state = consent_state(terms, question.at)
    if state != "in_force":
        return f"consent_{state}"
    if not covers_parties(terms, question.discloser, question.recipient):
        return "consent_party_out_of_scope"
    if question.purpose not in terms.purposes:
        return "consent_purpose_out_of_scope"
    if question.category not in terms.categories:
        return "consent_category_out_of_scope"
    return None


def basis_failure(basis: StatutoryBasis | None, question: Question) -> str | None:
    """Why a statutory basis does not allow ``question`` on its own (None: it does)."""
    if basis is None:
        return "unknown_basis"
    if question.kind not in basis.kinds:
        return "basis_kind_not_allowed"
    if question.direction != basis.direction:
        return "basis_direction_not_allowed"
    if question.category not in basis.categories:
        return "basis_category_not_allowed"
    if basis.conditions and question.circumstance not in basis.conditions:
        return "basis_condition_not_met"
    if basis.consent_required:
        return "basis_requires_consent"
    return None


def lawful_bases(question: Question) -> tuple[str, ...]:
    """The statutory bases that would allow ``question`` without a consent (a basis with
    conditions is offered: the sender then affirms the fact)."""
    return tuple(
        basis.id
        for basis in BASES.values()
        if basis_failure(basis, question) in (None, "basis_condition_not_met")
    )


def covering_consent(
    question: Question, consents: Iterable[ConsentTerms]
) -> tuple[ConsentTerms | None, str]:
    """The covering consent that lasts longest (then the newest), or None and the code of
    the consent that came closest to covering (``no_consent`` when there is none)."""
    best: ConsentTerms | None = None
    closest = -1
    for terms in consents:
        failure = consent_failure(terms, question)
        if failure is None:
            if best is None or (terms.valid_until, terms.id) > (best.valid_until, best.id):
                best = terms
        else:
            closest = max(closest, CONSENT_CHECKS.index(failure))
    return best, (CONSENT_CHECKS[closest] if closest >= 0 else NO_CONSENT)


def decide(
    question: Question,
    consents: Iterable[ConsentTerms],
    *,
    consent_id: int | None = None,
    basis_id: str | None = None,
) -> Decision:
    """The basis to disclose on, or the refusal.

    ``consent_id``: the sender names one consent; only it is considered. ``basis_id``: the
    sender names a statutory basis; it is used when no consent covers the disclosure.
    """
    if question.discloser.organisation_id == question.recipient.organisation_id:
        return Refused(NOT_BETWEEN_ORGANISATIONS, ())
    candidates = list(consents)
    if consent_id is not None:
        candidates = [terms for terms in candidates if terms.id == consent_id]
        if not candidates:
            return Refused(CONSENT_NOT_FOUND, lawful_bases(question))
    consent, consent_code = covering_consent(question, candidates)
    if consent is not None:
        return on_consent(question, consent.id, basis_id)
    if basis_id:
        return on_basis(question, basis_id)
    return Refused(consent_code, lawful_bases(question))


def on_consent(question: Question, consent_id: int, basis_id: str | None) -> Allowed:
    """The decision when consent ``consent_id`` covers the disclosure: a chosen basis is
    recorded beside the consent only where it applies."""
    basis = BASES.get(basis_id) if basis_id else None
    applies = basis is not None and basis_failure(basis, question) in (
        None,
        "basis_requires_consent",
    )
    if basis is not None and applies:
        return Allowed(consent_id, basis.id, basis.inform_client)
    return Allowed(consent_id, None)


def on_basis(question: Question, basis_id: str) -> Decision:
    """The decision when no consent covers the disclosure and the sender chose the
    statutory basis ``basis_id``: allowed on it, or the refusal saying why."""
    basis = BASES.get(basis_id)
    failure = basis_failure(basis, question)
    if failure is None and basis is not None:
        return Allowed(None, basis.id, basis.inform_client)
    return Refused(failure or "unknown_basis", lawful_bases(question))
