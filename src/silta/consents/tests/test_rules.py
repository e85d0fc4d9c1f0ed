"""The disclosure decision, case by case: every refusal code and every statutory basis.

Expected values are written out from DOMAIN.md §2 and issue 9, not read from the tables.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest

from silta.consents.bases import BASES, StatutoryBasis, basis_get
from silta.consents.disclosures import REFUSALS
from silta.consents.rules import (
    BASIS_CODES,
    CONSENT_CHECKS,
    CONSENT_NOT_FOUND,
    NO_CONSENT,
    NOT_BETWEEN_ORGANISATIONS,
    Allowed,
    ConsentTerms,
    Party,
    Question,
    Refused,
    basis_failure,
    consent_state,
    decide,
    helsinki_date,
)

HKI = ZoneInfo("Europe/Helsinki")
KELA = Party(unit_id=1, organisation_id=100, is_kela=True)
KELA_OTHER = Party(unit_id=2, organisation_id=100, is_kela=True)
KUOPIO = Party(unit_id=11, organisation_id=200, is_kela=False)
KUOPIO_OTHER = Party(unit_id=12, organisation_id=200, is_kela=False)
VANTAA = Party(unit_id=21, organisation_id=300, is_kela=False)
NOON = dt.datetime(2027, 3, 10, 12, 0, tzinfo=HKI)


def consent(**changes) -> ConsentTerms:
    terms = {
        "id": 1,
        "organiser_id": 200,
        "purposes": frozenset({"joint_assistance", "social_services_contact"}),
        "categories": frozenset({"benefit_decisions", "applications", "contact_details"}),
        "valid_from": dt.date(2027, 1, 1),
        "valid_until": dt.date(2027, 12, 31),
    }
    return ConsentTerms(**{**terms, **changes})


def question(**changes) -> Question:
    fields = {
        "kind": "message",
        "category": "benefit_decisions",
        "purpose": "joint_assistance",
        "discloser": KELA,
        "recipient": KUOPIO,
        "at": NOON,
    }
    return Question(**{**fields, **changes})


def code_of(decision: Allowed | Refused) -> str:
    assert isinstance(decision, Refused), decision
    return decision.code


def test_a_covering_consent_is_used():
    decision = decide(question(), [consent()])
    assert decision == Allowed(1, None)
    # The client gave the consent: nothing to tell them afterwards.
    assert isinstance(decision, Allowed) and decision.inform_client is False


def test_without_anything_it_is_refused_and_the_lawful_bases_are_offered():
    decision = decide(question(kind="forwarded_application", category="applications"), [])
    assert decision == Refused("no_consent", ("totul_14c",))


def test_the_reverse_direction_is_covered_by_the_same_consent():
    assert decide(question(discloser=KUOPIO, recipient=KELA), [consent()]) == Allowed(1, None)


@pytest.mark.parametrize(
    ("terms", "asked", "code"),
    [
        (consent(), question(recipient=VANTAA), "consent_party_out_of_scope"),
        (consent(), question(discloser=VANTAA, recipient=KELA), "consent_party_out_of_scope"),
        (
            consent(social_unit_ids=frozenset({12})),
            question(recipient=KUOPIO),
            "consent_party_out_of_scope",
        ),
        (
            consent(kela_unit_ids=frozenset({2})),
            question(discloser=KELA),
            "consent_party_out_of_scope",
        ),
        (consent(), question(purpose="outcome_report"), "consent_purpose_out_of_scope"),
        (consent(), question(category="plans"), "consent_category_out_of_scope"),
        (consent(revoked_at=NOON - dt.timedelta(seconds=1)), question(), "consent_revoked"),
        (consent(revoked_at=NOON), question(), "consent_revoked"),
        (consent(valid_from=dt.date(2027, 3, 11)), question(), "consent_not_yet_valid"),
        (consent(valid_until=dt.date(2027, 3, 9)), question(), "consent_expired"),
    ],
)
def test_each_way_a_consent_falls_short_has_its_own_code(terms, asked, code):
    decision = decide(asked, [terms])
    assert isinstance(decision, Refused)
    assert decision.code == code


def test_named_units_on_one_side_leave_the_other_side_whole():
    terms = consent(social_unit_ids=frozenset({11}))
    assert decide(question(discloser=KELA_OTHER), [terms]) == Allowed(1, None)
    assert (
        code_of(decide(question(recipient=KUOPIO_OTHER), [terms])) == "consent_party_out_of_scope"
    )


def test_a_revocation_later_than_the_moment_does_not_count_yet():
    terms = consent(revoked_at=NOON + dt.timedelta(seconds=1))
    assert decide(question(), [terms]) == Allowed(1, None)


def test_expiry_is_at_midnight_helsinki_time():
    terms = consent(valid_until=dt.date(2027, 3, 10))
    last = dt.datetime(2027, 3, 10, 23, 59, 59, tzinfo=HKI)
    first = dt.datetime(2027, 3, 11, 0, 0, tzinfo=HKI)
    assert consent_state(terms, last) == "in_force"
    assert consent_state(terms, first) == "expired"
    # 22:30 UTC on 10.3. is already 00:30 on 11.3. in Helsinki (winter time, UTC+2).
    assert consent_state(terms, dt.datetime(2027, 3, 10, 22, 30, tzinfo=dt.UTC)) == "expired"
    assert consent_state(terms, dt.datetime(2027, 3, 10, 21, 59, tzinfo=dt.UTC)) == "in_force"


def test_summer_time_midnight():
    terms = consent(valid_until=dt.date(2027, 7, 1))
    assert consent_state(terms, dt.datetime(2027, 7, 1, 20, 59, tzinfo=dt.UTC)) == "in_force"
    assert consent_state(terms, dt.datetime(2027, 7, 1, 21, 0, tzinfo=dt.UTC)) == "expired"
    assert helsinki_date(dt.datetime(2027, 7, 1, 21, 0, tzinfo=dt.UTC)) == dt.date(2027, 7, 2)


def test_validity_starts_at_midnight_helsinki_time():
    terms = consent(valid_from=dt.date(2027, 3, 11))
    assert consent_state(terms, dt.datetime(2027, 3, 10, 21, 59, tzinfo=dt.UTC)) == "not_yet_valid"
    assert consent_state(terms, dt.datetime(2027, 3, 10, 22, 0, tzinfo=dt.UTC)) == "in_force"


def test_of_several_consents_the_covering_one_is_chosen():
    old = consent(id=1, valid_until=dt.date(2027, 3, 1))
    narrow = consent(id=2, categories=frozenset({"plans"}))
    good = consent(id=3)
    assert decide(question(), [old, narrow, good]) == Allowed(3, None)


def test_of_several_covering_consents_the_longest_lasting_is_chosen():
    short = consent(id=5, valid_until=dt.date(2027, 6, 30))
    long = consent(id=4, valid_until=dt.date(2028, 6, 30))
    assert decide(question(), [short, long]) == Allowed(4, None)


def test_of_consents_lasting_as_long_the_newest_is_chosen_in_any_order():
    older, newer = consent(id=4), consent(id=5)
    shorter = consent(id=9, valid_until=dt.date(2027, 6, 30))
    for order in itertools.permutations([older, newer, shorter]):
        assert decide(question(), list(order)) == Allowed(5, None), [t.id for t in order]


def test_the_refusal_names_the_consent_that_came_closest():
    revoked = consent(id=1, revoked_at=NOON - dt.timedelta(days=1))
    wrong_data = consent(id=2, categories=frozenset({"plans"}))
    assert code_of(decide(question(), [revoked, wrong_data])) == "consent_category_out_of_scope"
    assert code_of(decide(question(), [revoked])) == "consent_revoked"


def test_a_named_consent_is_the_only_one_considered():
    revoked = consent(id=1, revoked_at=NOON - dt.timedelta(days=1))
    good = consent(id=2)
    assert code_of(decide(question(), [revoked, good], consent_id=1)) == "consent_revoked"
    assert decide(question(), [revoked, good], consent_id=2) == Allowed(2, None)
    assert code_of(decide(question(), [revoked, good], consent_id=9)) == "consent_not_found"


def test_disclosure_inside_one_organisation_is_not_decided_here():
    assert (
        code_of(decide(question(recipient=KELA_OTHER), [consent()])) == "not_between_organisations"
    )
    # Two counties are two organisations (issue 9): decided, and without a consent refused.
    assert code_of(decide(question(discloser=KUOPIO, recipient=VANTAA), [])) == "no_consent"


# --- statutory bases ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("basis", "asked", "expected"),
    [
        # Totul 14 c §: Kela forwards the application and its decision.
        (
            "totul_14c",
            question(kind="forwarded_application", category="applications"),
            Allowed(None, "totul_14c", False),
        ),
        # A Kela message about a decision: Totul 18 h § would allow it, 14 c § does not.
        ("totul_14c", question(kind="message"), Refused("basis_kind_not_allowed", ("totul_18h",))),
        (
            "totul_14c",
            question(
                kind="document_delivery", category="applications", discloser=KUOPIO, recipient=KELA
            ),
            # Social services have no basis to send Kela an application.
            Refused("basis_direction_not_allowed", ()),
        ),
        (
            "totul_14c",
            question(kind="forwarded_application", category="plans"),
            Refused("basis_category_not_allowed", ()),
        ),
        # Totul 15 §: social services' statement to Kela (client informed).
        (
            "totul_15",
            question(kind="document_delivery", category="plans", discloser=KUOPIO, recipient=KELA),
            Allowed(None, "totul_15", True),
        ),
        # Totul 18 b §: reduction facts to Kela; 18 h §: reduction decisions to the organiser.
        (
            "totul_18b",
            question(kind="message", category="plans", discloser=KUOPIO, recipient=KELA),
            Allowed(None, "totul_18b", True),
        ),
        (
            "totul_18h",
            question(kind="assessment_referral", category="benefit_decisions"),
            Allowed(None, "totul_18h", True),
        ),
        (
            "totul_18h",
            question(kind="message", discloser=KUOPIO, recipient=KELA),
            Refused("basis_direction_not_allowed", ("totul_18b",)),
        ),
        # SHL 35 § 2 mom.: only the contact itself, only in the circumstances of the law.
        (
            "shl_35_2_no_consent",
            question(kind="contact", category="contact_details", circumstance="cannot_be_asked"),
            Allowed(None, "shl_35_2_no_consent", True),
        ),
        (
            "shl_35_2_no_consent",
            question(kind="contact", category="contact_details", circumstance="child_interest"),
            Allowed(None, "shl_35_2_no_consent", True),
        ),
        (
            "shl_35_2_no_consent",
            question(kind="contact", category="contact_details"),
            Refused("basis_condition_not_met", ("shl_35_2_no_consent",)),
        ),
        (
            "shl_35_2_no_consent",
            question(kind="message", circumstance="cannot_be_asked"),
            Refused("basis_kind_not_allowed", ("totul_18h",)),
        ),
        # A document is not the contact: it goes on Totul 14 c or 18 h §, never on 35 § 2.
        (
            "shl_35_2_no_consent",
            question(kind="attachment", category="contact_details", circumstance="child_interest"),
            Refused("basis_kind_not_allowed", ("totul_14c", "totul_18h")),
        ),
        # The shared case the contact is made on opens on it too (with the circumstance).
        (
            "shl_35_2_no_consent",
            question(kind="case_open", category="contact_details", circumstance="child_interest"),
            Allowed(None, "shl_35_2_no_consent", True),
        ),
        # SHL 35 § 1 mom. and SHL 40 § rest on consent: alone they refuse.
        (
            "shl_35_1_consent",
            question(kind="contact", category="contact_details"),
            Refused("basis_requires_consent", ("shl_35_2_no_consent",)),
        ),
        (
            "shl_40_consent",
            question(kind="outcome", category="contact_outcome"),
            Refused("basis_requires_consent", ()),
        ),
        ("no_such_basis", question(), Refused("unknown_basis", ("totul_18h",))),
    ],
)
def test_statutory_bases(basis, asked, expected):
    assert decide(asked, [], basis_id=basis) == expected


def test_the_outcome_of_kelas_contact_reported_back_rests_on_consent_only():
    outcome = question(
        kind="outcome",
        category="contact_outcome",
        purpose="outcome_report",
        discloser=KUOPIO,
        recipient=KELA,
    )
    for basis in BASES:
        decision = decide(outcome, [], basis_id=basis)
        assert isinstance(decision, Refused), basis
        assert decision.lawful_bases == ()
    terms = consent(
        purposes=frozenset({"outcome_report"}), categories=frozenset({"contact_outcome"})
    )
    assert decide(outcome, [terms]) == Allowed(1, None)


def test_a_covering_consent_comes_before_the_chosen_basis():
    contact = question(kind="contact", category="contact_details")
    assert decide(contact, [consent()], basis_id="shl_35_1_consent") == Allowed(
        1, "shl_35_1_consent", False
    )
    # A basis that does not apply is not written beside the consent.
    assert decide(contact, [consent()], basis_id="totul_15") == Allowed(1, None)


def test_a_basis_needing_consent_refuses_when_the_consent_is_revoked():
    contact = question(kind="contact", category="contact_details")
    revoked = consent(revoked_at=NOON - dt.timedelta(hours=1))
    decision = decide(contact, [revoked], basis_id="shl_35_1_consent")
    assert decision == Refused("basis_requires_consent", ("shl_35_2_no_consent",))
    assert code_of(decide(contact, [revoked])) == "consent_revoked"


def test_the_table_holds_the_bases_of_the_issue():
    assert set(BASES) >= {
        "shl_35_1_consent",
        "shl_35_2_no_consent",
        "totul_14c",
        "totul_15",
        "totul_18b",
        "totul_18h",
        "shl_40_consent",
    }
    for basis in BASES.values():
        assert basis.kinds and basis.categories and basis.law
        # The side that discloses is where the direction starts.
        assert basis.direction.startswith("kela") == (basis.by_side == "kela"), basis.id
    assert BASES["shl_35_2_no_consent"].kinds == {"contact", "case_open"}
    assert BASES["shl_35_1_consent"].consent_required
    assert BASES["shl_40_consent"].consent_required
    assert not BASES["shl_35_2_no_consent"].consent_required


def test_the_refusal_codes_are_stable_and_each_has_a_message():
    # The order of the consent checks is the order "closest to covering" is measured in.
    assert CONSENT_CHECKS == (
        "consent_revoked",
        "consent_not_yet_valid",
        "consent_expired",
        "consent_party_out_of_scope",
        "consent_purpose_out_of_scope",
        "consent_category_out_of_scope",
    )
    assert set(BASIS_CODES) == {
        "unknown_basis",
        "basis_kind_not_allowed",
        "basis_direction_not_allowed",
        "basis_category_not_allowed",
        "basis_condition_not_met",
        "basis_requires_consent",
    }
    codes = {*CONSENT_CHECKS, *BASIS_CODES, NO_CONSENT, CONSENT_NOT_FOUND}
    assert set(REFUSALS) == {*codes, NOT_BETWEEN_ORGANISATIONS}
    assert all(str(REFUSALS[code]) for code in REFUSALS)


def test_an_unknown_basis_allows_nothing():
    assert basis_get("totul_99") is None
    assert basis_get("totul_18h") is BASES["totul_18h"]
    assert basis_failure(None, question()) == "unknown_basis"
    assert basis_failure(BASES["totul_18h"], question()) is None


def test_a_consent_for_an_organiser_numbered_below_the_recipients_does_not_cover():
    # Vantaa's organiser (300) gave no consent for Kuopio's (200): a party is out of
    # scope whichever way the organisation ids compare.
    terms = consent(organiser_id=300)
    assert code_of(decide(question(), [terms])) == "consent_party_out_of_scope"
    assert decide(question(recipient=VANTAA), [terms]) == Allowed(1, None)


@pytest.mark.parametrize(
    "value",
    [KELA, consent(), question(), Allowed(1, None), Refused("no_consent", ())],
    ids=lambda value: type(value).__name__,
)
def test_terms_questions_and_decisions_are_values(value):
    """Nothing changes a decision (or what it was made on) after it is made."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(value, dataclasses.fields(value)[0].name, None)
    assert hash(value) == hash(dataclasses.replace(value))


def test_a_question_names_its_parties_by_keyword():
    # By position, the discloser and the recipient could be swapped unnoticed.
    with pytest.raises(TypeError):
        Question("message", "benefit_decisions", "joint_assistance", KELA, KUOPIO, NOON)  # type: ignore[call-arg]


def test_a_statutory_basis_is_a_value_written_by_keyword():
    """The law is data: nothing changes a row at run time, and a row written by position
    (a kind for a category) is refused."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        BASES["totul_14c"].kinds = frozenset({"message"})  # type: ignore[misc]
    basis = BASES["totul_15"]
    fields = [getattr(basis, field.name) for field in dataclasses.fields(basis)]
    with pytest.raises(TypeError):
        StatutoryBasis(*fields)  # type: ignore[call-arg]
