"""Every disclosing action × direction × statutory basis: what ``rules.decide`` answers.

The tables are written out from the law (DOMAIN.md §2), not computed from ``bases.py``:
a wrong row there (a kind, a direction, a category, a condition or the need of a consent)
fails a cell here. A new ``DisclosureKind`` or a new basis fails the coverage test until
its row or column is written.

The law in brief:
- SHL 35 § 1 mom. and SHL 40 § only name the section a consent is given under: alone they
  never allow anything (``basis_requires_consent``).
- SHL 35 § 2 mom.: Kela's contact (and the shared case it is made on) without consent,
  only when the sender affirms one of the circumstances of the law.
- Totul 14 c §: Kela forwards the application and its decision to the organiser.
- Totul 15 § and 18 b §: social services to Kela only; 18 h §: Kela to the organiser only.
- No statutory duty reports an outcome from social services back to Kela: consent only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from silta.consents.bases import BASES
from silta.consents.codes import Category, Circumstance, Direction, DisclosureKind
from silta.consents.gate import Disclosed, disclosed
from silta.consents.rules import Allowed, ConsentTerms, Party, Question, Refused, decide

HKI = ZoneInfo("Europe/Helsinki")
KELA = Party(unit_id=1, organisation_id=100, is_kela=True)
KUOPIO = Party(unit_id=11, organisation_id=200, is_kela=False)
NOON = dt.datetime(2027, 3, 10, 12, 0, tzinfo=HKI)
K2S, S2K = Direction.KELA_TO_SOCIAL, Direction.SOCIAL_TO_KELA

# Purposes and data categories, short.
JOINT, CONTACT, OUTCOME, REDUCTION = (
    "joint_assistance",
    "social_services_contact",
    "outcome_report",
    "reduction_assessment",
)
DECISIONS, APPLICATIONS, PLANS, RESULT, DETAILS = (
    "benefit_decisions",
    "applications",
    "plans",
    "contact_outcome",
    "contact_details",
)

# fmt: off
# What each action tells the recipient (gate.WHAT): the purpose and the data a consent
# must cover. A case tells who the client is and how to reach them; a message is about
# decisions; a document from Kela is the application, from social services a plan or a
# statement.
#                          from Kela                 from social services
DISCLOSES: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "case_open":             ((JOINT, DETAILS),        (JOINT, DETAILS)),
    "message":               ((JOINT, DECISIONS),      (JOINT, DECISIONS)),
    "attachment":            ((JOINT, APPLICATIONS),   (JOINT, PLANS)),
    "contact":               ((CONTACT, DETAILS),      (CONTACT, DETAILS)),
    "forwarded_application": ((JOINT, APPLICATIONS),   (JOINT, APPLICATIONS)),
    "assessment_referral":   ((REDUCTION, DECISIONS),  (REDUCTION, DECISIONS)),
    "statement_request":     ((JOINT, DECISIONS),      (JOINT, DECISIONS)),
    "document_delivery":     ((JOINT, DECISIONS),      (JOINT, PLANS)),
    "urgent_handling":       ((JOINT, APPLICATIONS),   (JOINT, APPLICATIONS)),
    "meeting_request":       ((JOINT, DETAILS),        (JOINT, DETAILS)),
    # A meeting on a shared case: who meets whom, when (meetings app).
    "meeting":               ((JOINT, DETAILS),        (JOINT, DETAILS)),
    # Its minutes: who attended, what was agreed, the actions and their owners (a plan).
    "meeting_minutes":       ((JOINT, PLANS),          (JOINT, PLANS)),
    # An appointment booked at the other organisation's unit (bookings app).
    "booking":               ((JOINT, DETAILS),        (JOINT, DETAILS)),
    "outcome":               ((OUTCOME, RESULT),       (OUTCOME, RESULT)),
    "callback":              ((JOINT, DETAILS),        (JOINT, DETAILS)),
    "own_worker":            ((JOINT, DETAILS),        (JOINT, DETAILS)),
}
# fmt: on

# The cells: what decide() answers when the sender names the basis and no consent covers.
OK = "allowed"
IF = "allowed_with_circumstance"  # SHL 35 § 2 mom.: basis_condition_not_met without one
CONSENT = "basis_requires_consent"
KIND = "basis_kind_not_allowed"
DIR = "basis_direction_not_allowed"
DATA = "basis_category_not_allowed"

COLUMNS = (
    "shl_35_1_consent",
    "shl_35_2_no_consent",
    "totul_14c",
    "totul_15",
    "totul_18b",
    "totul_18h",
    "shl_40_consent",
)

# fmt: off
# Kela discloses to social services.
#                          SHL 35.1 SHL 35.2 14 c   15     18 b   18 h   SHL 40
KELA_TO_SOCIAL: dict[str, tuple[str, ...]] = {
    # The case: on the contact (35 §), the forwarded application (14 c), a reduction
    # situation (18 h); never on the reverse report (40 §) or social services' sections.
    "case_open":             (CONSENT, IF,   OK,    DIR,   DIR,   OK,    KIND),
    "message":               (CONSENT, KIND, KIND,  KIND,  DIR,   OK,    CONSENT),
    # Reporting back (40 §) does not carry Kela's application.
    "attachment":            (CONSENT, KIND, OK,    DIR,   DIR,   OK,    DATA),
    "contact":               (CONSENT, IF,   KIND,  KIND,  KIND,  KIND,  KIND),
    "forwarded_application": (KIND,    KIND, OK,    KIND,  KIND,  KIND,  KIND),
    # Totul 10 a §: the referral to the assessment before a reduction, told under 18 h §.
    "assessment_referral":   (KIND,    KIND, KIND,  KIND,  KIND,  OK,    KIND),
    "statement_request":     (KIND,    KIND, KIND,  KIND,  KIND,  KIND,  KIND),
    "document_delivery":     (KIND,    KIND, OK,    DIR,   DIR,   OK,    KIND),
    "urgent_handling":       (KIND,    KIND, KIND,  KIND,  KIND,  KIND,  KIND),
    "meeting_request":       (KIND,    KIND, KIND,  KIND,  KIND,  KIND,  KIND),
    # No statutory basis arranges a meeting: the client's consent only.
    "meeting":               (KIND,    KIND, KIND,  KIND,  KIND,  KIND,  KIND),
    # Nor reports what a meeting agreed: the client's consent only.
    "meeting_minutes":       (KIND,    KIND, KIND,  KIND,  KIND,  KIND,  KIND),
    # No statutory basis books an appointment: the client's consent only.
    "booking":               (KIND,    KIND, KIND,  KIND,  KIND,  KIND,  KIND),
    # SHL 40 §: Kela, contacted by social services, reports back with consent.
    "outcome":               (KIND,    KIND, KIND,  KIND,  KIND,  KIND,  CONSENT),
    "callback":              (CONSENT, KIND, KIND,  KIND,  KIND,  KIND,  KIND),
    "own_worker":            (KIND,    KIND, KIND,  KIND,  KIND,  KIND,  KIND),
}

# Social services disclose to Kela.
#                          SHL 35.1 SHL 35.2 14 c   15     18 b   18 h   SHL 40
SOCIAL_TO_KELA: dict[str, tuple[str, ...]] = {
    "case_open":             (DIR,     DIR,  DIR,   OK,    OK,    DIR,   KIND),
    # 18 b §: facts relevant to a reduction; a statement (15 §) is a document.
    "message":               (DIR,     KIND, KIND,  KIND,  OK,    DIR,   DIR),
    "attachment":            (DIR,     KIND, DIR,   OK,    OK,    DIR,   DIR),
    "contact":               (DIR,     DIR,  KIND,  KIND,  KIND,  KIND,  KIND),
    "forwarded_application": (KIND,    KIND, DIR,   KIND,  KIND,  KIND,  KIND),
    "assessment_referral":   (KIND,    KIND, KIND,  KIND,  KIND,  DIR,   KIND),
    "statement_request":     (KIND,    KIND, KIND,  KIND,  KIND,  KIND,  KIND),
    "document_delivery":     (KIND,    KIND, DIR,   OK,    OK,    DIR,   KIND),
    "urgent_handling":       (KIND,    KIND, KIND,  KIND,  KIND,  KIND,  KIND),
    "meeting_request":       (KIND,    KIND, KIND,  KIND,  KIND,  KIND,  KIND),
    # No statutory basis arranges a meeting: the client's consent only.
    "meeting":               (KIND,    KIND, KIND,  KIND,  KIND,  KIND,  KIND),
    # Nor reports what a meeting agreed: the client's consent only.
    "meeting_minutes":       (KIND,    KIND, KIND,  KIND,  KIND,  KIND,  KIND),
    # No statutory basis books an appointment: the client's consent only.
    "booking":               (KIND,    KIND, KIND,  KIND,  KIND,  KIND,  KIND),
    # No statutory duty to report the outcome of Kela's contact back: consent only.
    "outcome":               (KIND,    KIND, KIND,  KIND,  KIND,  KIND,  DIR),
    "callback":              (DIR,     KIND, KIND,  KIND,  KIND,  KIND,  KIND),
    "own_worker":            (KIND,    KIND, KIND,  KIND,  KIND,  KIND,  KIND),
}

# Which data each basis carries, asked with an action it allows, in its direction.
#                        decisions applications plans  outcome  details
CARRIES: dict[str, tuple[str, ...]] = {
    "shl_35_1_consent":    (CONSENT, CONSENT,     DATA,  DATA,    CONSENT),
    "shl_35_2_no_consent": (IF,      DATA,        DATA,  DATA,    IF),
    "totul_14c":           (OK,      OK,          DATA,  DATA,    OK),
    "totul_15":            (OK,      DATA,        OK,    DATA,    OK),
    "totul_18b":           (OK,      DATA,        OK,    DATA,    OK),
    "totul_18h":           (OK,      OK,          DATA,  DATA,    OK),
    "shl_40_consent":      (CONSENT, DATA,        DATA,  CONSENT, DATA),
}
# fmt: on
CATEGORY_COLUMNS = (DECISIONS, APPLICATIONS, PLANS, RESULT, DETAILS)
ASKED_WITH = {
    "shl_35_1_consent": ("message", K2S),
    "shl_35_2_no_consent": ("contact", K2S),
    "totul_14c": ("document_delivery", K2S),
    "totul_15": ("document_delivery", S2K),
    "totul_18b": ("document_delivery", S2K),
    "totul_18h": ("document_delivery", K2S),
    "shl_40_consent": ("message", K2S),
}

# Must the client be told when the basis is used? Only Totul 14 c § is on the client's own
# request; the bases that need a consent are known to the client already.
INFORMS_CLIENT = {
    "shl_35_1_consent": False,
    "shl_35_2_no_consent": True,
    "totul_14c": False,
    "totul_15": True,
    "totul_18b": True,
    "totul_18h": True,
    "shl_40_consent": False,
}

MATRIX: dict[str, dict[str, tuple[str, ...]]] = {K2S: KELA_TO_SOCIAL, S2K: SOCIAL_TO_KELA}
CIRCUMSTANCES = ("", *Circumstance.values)


def cell(direction: str, kind: str, basis: str) -> str:
    return MATRIX[direction][kind][COLUMNS.index(basis)]


def lawful(direction: str, kind: str) -> frozenset[str]:
    """The bases the table says would allow the action (with the circumstance affirmed)."""
    return frozenset(b for b in COLUMNS if cell(direction, kind, b) in (OK, IF))


def question(kind: str, direction: str, circumstance: str = "", category: str = "") -> Question:
    from_kela = direction == K2S
    purpose, data = DISCLOSES[kind][0 if from_kela else 1]
    return Question(
        kind=kind,
        category=category or data,
        purpose=purpose,
        discloser=KELA if from_kela else KUOPIO,
        recipient=KUOPIO if from_kela else KELA,
        at=NOON,
        circumstance=circumstance,
    )


def outcome(decision: Allowed | Refused) -> tuple[Any, ...]:
    """The decision, its lawful bases as a set (their order is not the law's)."""
    if isinstance(decision, Allowed):
        return ("allowed", decision.consent_id, decision.basis_id, decision.inform_client)
    assert len(set(decision.lawful_bases)) == len(decision.lawful_bases), decision
    return ("refused", decision.code, frozenset(decision.lawful_bases))


def verdict(value: str, basis: str, circumstance: str) -> str:
    """The table's cell as the chosen basis (allowed) or the refusal code."""
    if value == OK or (value == IF and circumstance):
        return basis
    return "basis_condition_not_met" if value == IF else value


def expected(value: str, basis: str, circumstance: str, bases: frozenset[str]) -> tuple[Any, ...]:
    """The outcome of choosing ``basis`` with no consent, by the table's cell."""
    answer = verdict(value, basis, circumstance)
    if answer == basis:
        return ("allowed", None, basis, INFORMS_CLIENT[basis])
    return ("refused", answer, bases)


def consent(**changes: Any) -> ConsentTerms:
    """Kuopio's organiser and Kela may share everything for every purpose in 2027."""
    terms: dict[str, Any] = {
        "id": 7,
        "organiser_id": 200,
        "purposes": frozenset({JOINT, CONTACT, OUTCOME, REDUCTION}),
        "categories": frozenset(Category.values),
        "valid_from": dt.date(2027, 1, 1),
        "valid_until": dt.date(2027, 12, 31),
    }
    return ConsentTerms(**{**terms, **changes})


ACTIONS = [(d, k) for d in (K2S, S2K) for k in DisclosureKind.values]
ACTION_IDS = [f"{d}-{k}" for d, k in ACTIONS]
CELLS = [(d, k, b) for d, k in ACTIONS for b in COLUMNS]
CELL_IDS = [f"{d}-{k}-{b}" for d, k, b in CELLS]


def test_the_tables_cover_every_action_both_ways_and_every_basis():
    assert set(DISCLOSES) == set(DisclosureKind.values)
    assert set(KELA_TO_SOCIAL) == set(SOCIAL_TO_KELA) == set(DisclosureKind.values)
    assert set(COLUMNS) == set(BASES) == set(CARRIES) == set(INFORMS_CLIENT)
    assert set(CATEGORY_COLUMNS) == set(Category.values)


@pytest.mark.parametrize(("direction", "kind"), ACTIONS, ids=ACTION_IDS)
def test_what_the_gate_discloses_is_the_tables(direction, kind):
    purpose, category = DISCLOSES[kind][0 if direction == K2S else 1]
    assert disclosed(kind, direction == K2S) == Disclosed(purpose, category)


@pytest.mark.parametrize(("direction", "kind", "basis"), CELLS, ids=CELL_IDS)
def test_a_chosen_basis_without_a_consent(direction, kind, basis):
    for circumstance in CIRCUMSTANCES:
        decision = decide(question(kind, direction, circumstance), [], basis_id=basis)
        want = expected(cell(direction, kind, basis), basis, circumstance, lawful(direction, kind))
        assert outcome(decision) == want, circumstance or "no circumstance"


@pytest.mark.parametrize(("direction", "kind"), ACTIONS, ids=ACTION_IDS)
def test_without_a_consent_or_a_basis_the_refusal_offers_the_lawful_bases(direction, kind):
    for circumstance in CIRCUMSTANCES:
        decision = decide(question(kind, direction, circumstance), [])
        assert outcome(decision) == ("refused", "no_consent", lawful(direction, kind))
    unknown = decide(question(kind, direction), [], basis_id="totul_99")
    assert outcome(unknown) == ("refused", "unknown_basis", lawful(direction, kind))


@pytest.mark.parametrize("basis", COLUMNS)
def test_which_data_each_basis_carries(basis):
    kind, direction = ASKED_WITH[basis]
    for category, value in zip(CATEGORY_COLUMNS, CARRIES[basis], strict=True):
        for circumstance in CIRCUMSTANCES:
            decision = decide(question(kind, direction, circumstance, category), [], basis_id=basis)
            got = decision.basis_id if isinstance(decision, Allowed) else decision.code
            assert got == verdict(value, basis, circumstance), (category, circumstance)


# --- the law's statements, each checked over every action (not through the tables) -------


def _allowed_without_consent(basis: str) -> set[tuple[str, str, str]]:
    return {
        (direction, kind, circumstance)
        for direction, kind in ACTIONS
        for circumstance in CIRCUMSTANCES
        if isinstance(decide(question(kind, direction, circumstance), [], basis_id=basis), Allowed)
    }


def test_shl_35_2_allows_only_the_contact_and_its_case_and_only_with_a_circumstance():
    assert _allowed_without_consent("shl_35_2_no_consent") == {
        (K2S, kind, circumstance)
        for kind in ("contact", "case_open")
        for circumstance in ("cannot_be_asked", "child_interest")
    }


@pytest.mark.parametrize("basis", ["shl_35_1_consent", "shl_40_consent"])
def test_shl_35_1_and_40_never_allow_without_a_consent(basis):
    assert _allowed_without_consent(basis) == set()
    action = "contact" if basis == "shl_35_1_consent" else "outcome"
    refused = decide(question(action, K2S), [], basis_id=basis)
    assert isinstance(refused, Refused) and refused.code == "basis_requires_consent"


def test_nothing_allows_an_outcome_from_social_services_to_kela():
    for basis in COLUMNS:
        for circumstance in CIRCUMSTANCES:
            decision = decide(question("outcome", S2K, circumstance), [], basis_id=basis)
            assert isinstance(decision, Refused) and decision.lawful_bases == (), basis


def test_totul_14c_forwards_applications_from_kela_only():
    forwards = {
        (d, c)
        for d, kind, c in _allowed_without_consent("totul_14c")
        if kind == "forwarded_application"
    }
    assert forwards == {(K2S, c) for c in CIRCUMSTANCES}
    for basis in set(COLUMNS) - {"totul_14c"}:
        assert not any(
            kind == "forwarded_application" for _d, kind, _c in _allowed_without_consent(basis)
        ), basis


@pytest.mark.parametrize(
    ("basis", "direction"),
    [("totul_15", S2K), ("totul_18b", S2K), ("totul_18h", K2S), ("totul_14c", K2S)],
)
def test_each_totul_section_discloses_in_its_own_direction_only(basis, direction):
    allowed = _allowed_without_consent(basis)
    assert allowed, basis
    assert {d for d, _kind, _c in allowed} == {direction}


# --- with a consent ------------------------------------------------------------------------


@pytest.mark.parametrize(("direction", "kind"), ACTIONS, ids=ACTION_IDS)
def test_a_broad_consent_in_force_allows_every_action_both_ways(direction, kind):
    broad = consent()
    for circumstance in CIRCUMSTANCES:
        asked = question(kind, direction, circumstance)
        assert decide(asked, [broad]) == Allowed(7, None)
        for basis in COLUMNS:
            value = cell(direction, kind, basis)
            # A chosen basis is written beside the consent where it applies.
            applies = value in (OK, CONSENT) or (value == IF and circumstance)
            want = Allowed(7, basis, INFORMS_CLIENT[basis]) if applies else Allowed(7, None)
            assert decide(asked, [broad], basis_id=basis) == want, (basis, circumstance)


FALLING_SHORT = {
    "other_social_unit": (consent(social_unit_ids=frozenset({12})), "consent_party_out_of_scope"),
    "other_kela_unit": (consent(kela_unit_ids=frozenset({2})), "consent_party_out_of_scope"),
    "other_organiser": (consent(organiser_id=300), "consent_party_out_of_scope"),
    "expired": (consent(valid_until=dt.date(2027, 3, 9)), "consent_expired"),
    "not_yet_valid": (consent(valid_from=dt.date(2027, 3, 11)), "consent_not_yet_valid"),
    "revoked": (consent(revoked_at=NOON - dt.timedelta(minutes=1)), "consent_revoked"),
}


@pytest.mark.parametrize("short", FALLING_SHORT)
@pytest.mark.parametrize(("direction", "kind"), ACTIONS, ids=ACTION_IDS)
def test_a_consent_that_falls_short_refuses_with_its_code_and_the_lawful_bases(
    direction, kind, short
):
    terms, code = FALLING_SHORT[short]
    asked = question(kind, direction)
    assert outcome(decide(asked, [terms])) == ("refused", code, lawful(direction, kind))
    assert outcome(decide(asked, [terms], consent_id=7)) == (
        "refused",
        code,
        lawful(direction, kind),
    )
    # It changes nothing about the statutory bases: each answers as without it.
    for basis in COLUMNS:
        for circumstance in CIRCUMSTANCES:
            decision = decide(question(kind, direction, circumstance), [terms], basis_id=basis)
            want = expected(
                cell(direction, kind, basis), basis, circumstance, lawful(direction, kind)
            )
            assert outcome(decision) == want, (basis, circumstance)
