"""One organiser to another (issue 9): a disclosure is decided on the organisations'
identity, not their sector.

A wellbeing services county sending to another county (or to the City of Helsinki) is a
disclosure: no statutory basis runs between two organisers (``bases.py``), so only a
consent naming the recipient allows it. Kela <-> an organiser is unchanged, and two units
of one organisation never disclose to each other.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from silta.consents.bases import BASES
from silta.consents.codes import Category, Direction, DisclosureKind
from silta.consents.gate import disclosed
from silta.consents.rules import Allowed, ConsentTerms, Party, Question, Refused, decide

HKI = ZoneInfo("Europe/Helsinki")
NOON = dt.datetime(2027, 3, 10, 12, 0, tzinfo=HKI)
KELA = Party(unit_id=1, organisation_id=100, is_kela=True)
KUOPIO = Party(unit_id=11, organisation_id=200, is_kela=False)
KUOPIO_2 = Party(unit_id=12, organisation_id=200, is_kela=False)
VANTAA = Party(unit_id=21, organisation_id=300, is_kela=False)
VANTAA_2 = Party(unit_id=22, organisation_id=300, is_kela=False)
HELSINKI = Party(unit_id=31, organisation_id=400, is_kela=False)
KINDS = DisclosureKind.values


def consent(**changes: Any) -> ConsentTerms:
    """Kuopio's consent: everything, every purpose, 2027 (Kela and Kuopio's whole sides)."""
    terms: dict[str, Any] = {
        "id": 7,
        "organiser_id": 200,
        "purposes": frozenset(
            {
                "joint_assistance",
                "social_services_contact",
                "outcome_report",
                "reduction_assessment",
            }
        ),
        "categories": frozenset(Category.values),
        "valid_from": dt.date(2027, 1, 1),
        "valid_until": dt.date(2027, 12, 31),
    }
    return ConsentTerms(**{**terms, **changes})


NAMING_VANTAA = consent(other_unit_ids=frozenset({21}))


def question(kind: str, discloser: Party, recipient: Party) -> Question:
    what = disclosed(kind, discloser.is_kela)
    return Question(
        kind=kind,
        category=what.category,
        purpose=what.purpose,
        discloser=discloser,
        recipient=recipient,
        at=NOON,
    )


def test_between_two_organisers_is_its_own_direction():
    assert question("message", KUOPIO, VANTAA).direction == Direction.BETWEEN_ORGANISERS
    assert question("message", KELA, KUOPIO).direction == Direction.KELA_TO_SOCIAL
    assert question("message", KUOPIO, KELA).direction == Direction.SOCIAL_TO_KELA
    # No statutory basis runs that way.
    assert {basis.direction for basis in BASES.values()} == {
        Direction.KELA_TO_SOCIAL,
        Direction.SOCIAL_TO_KELA,
    }


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("discloser", "recipient"),
    [(KUOPIO, VANTAA), (VANTAA, KUOPIO), (KUOPIO, HELSINKI)],
    ids=["kuopio-vantaa", "vantaa-kuopio", "kuopio-helsinki"],
)
def test_county_to_county_without_a_consent_is_refused_and_only_a_consent_helps(
    kind, discloser, recipient
):
    refused = decide(question(kind, discloser, recipient), [])
    assert refused == Refused("no_consent", ())
    for basis in BASES:
        chosen = decide(question(kind, discloser, recipient), [], basis_id=basis)
        assert isinstance(chosen, Refused), basis
        assert chosen.code in ("basis_kind_not_allowed", "basis_direction_not_allowed"), basis
        assert chosen.lawful_bases == ()


@pytest.mark.parametrize("kind", KINDS)
def test_a_consent_naming_the_other_countys_unit_allows_it_both_ways(kind):
    assert decide(question(kind, KUOPIO, VANTAA), [NAMING_VANTAA]) == Allowed(7, None)
    assert decide(question(kind, VANTAA, KUOPIO), [NAMING_VANTAA]) == Allowed(7, None)
    # A statutory basis chosen beside it is not recorded: none applies between organisers.
    chosen = decide(question(kind, KUOPIO, VANTAA), [NAMING_VANTAA], basis_id="totul_18b")
    assert chosen == Allowed(7, None)


@pytest.mark.parametrize(
    ("terms", "discloser", "recipient"),
    [
        # Kuopio's consent with Kela names no other county: not Vantaa.
        (consent(), KUOPIO, VANTAA),
        # It names Vantaa's unit 21, not its unit 22.
        (NAMING_VANTAA, KUOPIO, VANTAA_2),
        # It names Vantaa, not Helsinki.
        (NAMING_VANTAA, KUOPIO, HELSINKI),
        # Kuopio's consent is not one between Kela and Vantaa, even naming Vantaa.
        (NAMING_VANTAA, KELA, VANTAA),
        (NAMING_VANTAA, VANTAA, KELA),
        # Kuopio's named units narrow Kuopio's side towards Vantaa as towards Kela.
        (consent(social_unit_ids=frozenset({12}), other_unit_ids=frozenset({21})), KUOPIO, VANTAA),
        # Vantaa's own consent (organiser Vantaa, naming nobody) is Kela's and Vantaa's only.
        (consent(organiser_id=300), KUOPIO, VANTAA),
    ],
    ids=[
        "not-named",
        "other-unit",
        "other-county",
        "kela-to-named",
        "named-to-kela",
        "own-side-narrowed",
        "recipients-own-consent",
    ],
)
def test_a_consent_not_naming_the_pair_does_not_cover_it(terms, discloser, recipient):
    decision = decide(question("message", discloser, recipient), [terms])
    assert isinstance(decision, Refused) and decision.code == "consent_party_out_of_scope"


@pytest.mark.parametrize("kind", KINDS)
def test_kela_and_the_organiser_are_unchanged_by_a_named_county(kind):
    """A consent naming another county still covers Kela and the organiser (whole sides)."""
    for terms in (consent(), NAMING_VANTAA):
        assert decide(question(kind, KELA, KUOPIO), [terms]) == Allowed(7, None)
        assert decide(question(kind, KUOPIO, KELA), [terms]) == Allowed(7, None)


@pytest.mark.parametrize(
    ("discloser", "recipient"),
    [(KUOPIO, KUOPIO_2), (VANTAA, VANTAA_2), (KELA, Party(2, 100, True)), (KUOPIO, KUOPIO)],
)
def test_within_one_organisation_nothing_is_disclosed(discloser, recipient):
    for kind in KINDS:
        for terms in ([], [consent()], [NAMING_VANTAA]):
            decision = decide(question(kind, discloser, recipient), terms)
            assert decision == Refused("not_between_organisations", ())


def test_an_expired_or_revoked_consent_naming_the_county_refuses_with_its_reason():
    expired = consent(other_unit_ids=frozenset({21}), valid_until=dt.date(2027, 3, 9))
    revoked = consent(other_unit_ids=frozenset({21}), revoked_at=NOON - dt.timedelta(hours=1))
    assert decide(question("message", KUOPIO, VANTAA), [expired]).code == "consent_expired"  # type: ignore[union-attr]
    assert decide(question("message", KUOPIO, VANTAA), [revoked]).code == "consent_revoked"  # type: ignore[union-attr]
