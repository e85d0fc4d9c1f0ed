"""The statutory bases against the law text (the re-check of issue 9, bases.py docstring):
SHL 35 § 2 mom. lets Kela notify without consent when consent cannot be obtained (asked
and refused, or not possible to ask) and the person obviously cannot look after their own
care, health or safety, or when a child's interest necessarily requires it."""

from __future__ import annotations

from django.utils import translation

from silta.consents.bases import BASES
from silta.consents.codes import Circumstance, Direction, Side


def _label(code: str, language: str) -> str:
    with translation.override(language):
        return str(dict(Circumstance.choices)[code])


def test_shl_35_2_is_kelas_notification_on_either_fact_the_law_names():
    basis = BASES["shl_35_2_no_consent"]
    assert (basis.direction, basis.by_side) == (Direction.KELA_TO_SOCIAL, Side.KELA)
    assert basis.conditions == {Circumstance.CANNOT_BE_ASKED, Circumstance.CHILD_INTEREST}
    assert not basis.consent_required and basis.inform_client


def test_the_first_fact_is_that_consent_cannot_be_obtained_not_only_that_no_one_can_ask():
    # "jos suostumusta ei voida saada": a client who refuses is covered too, when they
    # obviously cannot look after themselves (the label said "cannot be asked").
    assert _label(Circumstance.CANNOT_BE_ASKED, "fi").startswith("Suostumusta ei voida saada")
    assert "ilmeisen kykenemätön" in _label(Circumstance.CANNOT_BE_ASKED, "fi")
    assert _label(Circumstance.CANNOT_BE_ASKED, "sv").startswith("Samtycke kan inte fås")
    assert "cannot be asked" not in _label(Circumstance.CANNOT_BE_ASKED, "en")
    with translation.override("fi"):
        assert "suostumusta ei voida saada" in str(BASES["shl_35_2_no_consent"].description)


def test_the_second_fact_is_a_childs_interest_that_necessarily_requires_it():
    # "tai lapsen etu sitä välttämättä vaatii"
    assert _label(Circumstance.CHILD_INTEREST, "fi") == "Lapsen etu sitä välttämättä vaatii"
    assert "oundgängligen" in _label(Circumstance.CHILD_INTEREST, "sv")
    assert "necessarily" in _label(Circumstance.CHILD_INTEREST, "en")


def test_only_shl_35_and_40_need_the_clients_consent_as_well():
    needs_consent = {b.id for b in BASES.values() if b.consent_required}
    assert needs_consent == {"shl_35_1_consent", "shl_40_consent"}


def test_the_totul_bases_run_between_kela_and_the_organiser_in_the_laws_direction():
    kela_to_social = {"totul_14c", "totul_18h", "shl_35_1_consent", "shl_35_2_no_consent"}
    for basis in BASES.values():
        assert basis.direction != Direction.BETWEEN_ORGANISERS
        expected = (
            (Direction.KELA_TO_SOCIAL, Side.KELA)
            if basis.id in kela_to_social or basis.id == "shl_40_consent"
            else (Direction.SOCIAL_TO_KELA, Side.SOCIAL_SERVICES)
        )
        assert (basis.direction, basis.by_side) == expected, basis.id
