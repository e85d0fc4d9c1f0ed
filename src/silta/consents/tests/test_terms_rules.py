"""A consent's terms and the parties it covers (issue 15, mutation testing of
``consents/rules.py``), without the database.

The units a consent names are sorted into Kela's, the organiser's and other organisers';
organisation ids are compared for equality only, so each check is made with the other
organisation's id both below and above the organiser's.
"""

from __future__ import annotations

import datetime as dt

import pytest

from silta.consents.codes import Direction
from silta.consents.rules import ConsentTerms, Party, Question, covers_parties, terms_of

ORGANISER = 20
BELOW, ABOVE = 10, 30  # other organisers' ids on either side of the organiser's
KELA_ORG = 1


def _terms(units: list[tuple[int, int, bool]]) -> ConsentTerms:
    return terms_of(
        id=7,
        organiser_id=ORGANISER,
        units=units,
        purposes=["p"],
        categories=["c"],
        valid_from=dt.date(2026, 1, 1),
        valid_until=dt.date(2026, 12, 31),
        revoked_at=None,
    )


def test_the_named_units_are_sorted_into_kelas_the_organisers_and_other_organisers():
    terms = _terms(
        [(1, KELA_ORG, True), (2, ORGANISER, False), (3, BELOW, False), (4, ABOVE, False)]
    )
    assert terms.kela_unit_ids == frozenset({1})
    assert terms.social_unit_ids == frozenset({2})
    assert terms.other_unit_ids == frozenset({3, 4})
    assert (terms.id, terms.organiser_id) == (7, ORGANISER)
    assert terms.purposes == frozenset({"p"}) and terms.categories == frozenset({"c"})
    assert (terms.valid_from, terms.valid_until) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert terms.revoked_at is None


def test_a_kela_unit_is_kelas_whatever_its_organisation_id():
    terms = _terms([(1, ORGANISER, True), (5, ABOVE, True)])
    assert terms.kela_unit_ids == frozenset({1, 5})
    assert terms.social_unit_ids == frozenset() and terms.other_unit_ids == frozenset()


@pytest.mark.parametrize("other_org", [BELOW, ABOVE])
def test_another_organisers_unit_is_covered_only_when_named(other_org):
    organiser = Party(unit_id=2, organisation_id=ORGANISER, is_kela=False)
    named = Party(unit_id=3, organisation_id=other_org, is_kela=False)
    unnamed = Party(unit_id=4, organisation_id=other_org, is_kela=False)
    terms = _terms([(3, other_org, False)])
    assert covers_parties(terms, organiser, named) is True
    assert covers_parties(terms, named, organiser) is True
    assert covers_parties(terms, organiser, unnamed) is False
    assert covers_parties(terms, unnamed, organiser) is False


@pytest.mark.parametrize("other_org", [BELOW, ABOVE])
def test_the_organisers_own_units_are_covered_unless_others_of_its_own_are_named(other_org):
    kela = Party(unit_id=1, organisation_id=KELA_ORG, is_kela=True)
    own = Party(unit_id=2, organisation_id=ORGANISER, is_kela=False)
    assert covers_parties(_terms([]), own, kela) is True
    # Only another organiser's unit named: the organiser's own side is still whole.
    assert covers_parties(_terms([(3, other_org, False)]), own, kela) is True
    assert covers_parties(_terms([(5, ORGANISER, False)]), own, kela) is False


def test_between_two_organisers_the_question_has_its_own_direction():
    at = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
    question = Question(
        kind="message",
        category="c",
        purpose="p",
        discloser=Party(unit_id=2, organisation_id=ORGANISER, is_kela=False),
        recipient=Party(unit_id=3, organisation_id=ABOVE, is_kela=False),
        at=at,
    )
    assert question.direction == Direction.BETWEEN_ORGANISERS
