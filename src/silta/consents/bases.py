"""Statutory bases of disclosure as data: one table, so a change in the law is one row.

Each basis: its id, the section of law, which kinds of disclosure and which data it
allows, in which direction and by which side, whether the client must be informed, and
whether it needs the client's consent as well (then it only names the section a consent
is given under). ``conditions`` are facts the sender must affirm. DOMAIN.md §2 gives the
law. The outcome of Kela's SHL 35 § contact reported back to Kela has no statutory duty
behind it: no row allows an outcome from social services to Kela, so it rests on the
client's consent only.

Between two organisers (one wellbeing services county to another, or to the City of
Helsinki: ``Direction.BETWEEN_ORGANISERS``) no row applies, and none is added. SHL 35 §
binds the authorities it lists (Kela among them) contacting social services; SHL 40 §
binds an authority contacted by social services reporting back, with consent; SHL 41 §
(applied to Kela by Totul 14 e §) is social services' multi-professional cooperation with
other sectors' authorities, carried out with the client and their consent; Totul 14 c,
15, 18 b and 18 h § run between Kela and the organiser only. None lets one organiser
disclose to another without the client: such a disclosure rests on a consent that names
the recipient (``rules.covers_parties``), and a refusal says only a consent can make it
lawful. *(re-check against the consolidated texts, as DOMAIN.md §2 advises.)*
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from silta.consents.codes import Category, Circumstance, Direction, DisclosureKind, Side

K = DisclosureKind
C = Category


@dataclass(frozen=True, kw_only=True)
class StatutoryBasis:
    id: str
    law: str
    description: str | Promise
    kinds: frozenset[str]
    categories: frozenset[str]
    direction: Direction
    by_side: Side
    inform_client: bool
    consent_required: bool = False
    # Any one of these facts must be affirmed by the sender (empty: none needed).
    conditions: frozenset[str] = frozenset()


BASES: dict[str, StatutoryBasis] = {
    basis.id: basis
    for basis in [
        StatutoryBasis(
            id="shl_35_1_consent",
            law="SHL 35 § 1 mom.",
            description=_("Kela contacts social services with the client's consent"),
            kinds=frozenset({K.CONTACT, K.CASE_OPEN, K.MESSAGE, K.ATTACHMENT, K.CALLBACK}),
            categories=frozenset({C.BENEFIT_DECISIONS, C.APPLICATIONS, C.CONTACT_DETAILS}),
            direction=Direction.KELA_TO_SOCIAL,
            by_side=Side.KELA,
            inform_client=False,
            consent_required=True,
        ),
        StatutoryBasis(
            id="shl_35_2_no_consent",
            law="SHL 35 § 2 mom.",
            description=_(
                "Kela notifies social services at once without consent: the client cannot "
                "be asked and cannot look after themselves, or a child's interest requires it"
            ),
            # The contact itself (and the shared case it is made on): nothing else goes
            # out on this basis.
            kinds=frozenset({K.CONTACT, K.CASE_OPEN}),
            categories=frozenset({C.CONTACT_DETAILS, C.BENEFIT_DECISIONS}),
            direction=Direction.KELA_TO_SOCIAL,
            by_side=Side.KELA,
            inform_client=True,
            conditions=frozenset({Circumstance.CANNOT_BE_ASKED, Circumstance.CHILD_INTEREST}),
        ),
        StatutoryBasis(
            id="totul_14c",
            law="Totul 14 c §",
            description=_(
                "Kela forwards the application and its decision on basic assistance to the "
                "organiser at the applicant's request"
            ),
            kinds=frozenset(
                {K.FORWARDED_APPLICATION, K.DOCUMENT_DELIVERY, K.ATTACHMENT, K.CASE_OPEN}
            ),
            categories=frozenset({C.APPLICATIONS, C.BENEFIT_DECISIONS, C.CONTACT_DETAILS}),
            direction=Direction.KELA_TO_SOCIAL,
            by_side=Side.KELA,
            inform_client=False,
        ),
        StatutoryBasis(
            id="totul_15",
            law="Totul 15 §",
            description=_(
                "Social services send Kela a social-care statement (the client heard first)"
            ),
            kinds=frozenset({K.DOCUMENT_DELIVERY, K.ATTACHMENT, K.CASE_OPEN}),
            categories=frozenset({C.PLANS, C.BENEFIT_DECISIONS, C.CONTACT_DETAILS}),
            direction=Direction.SOCIAL_TO_KELA,
            by_side=Side.SOCIAL_SERVICES,
            inform_client=True,
        ),
        StatutoryBasis(
            id="totul_18b",
            law="Totul 18 b §",
            description=_("Social services tell Kela facts relevant to a reduction"),
            kinds=frozenset({K.DOCUMENT_DELIVERY, K.ATTACHMENT, K.MESSAGE, K.CASE_OPEN}),
            categories=frozenset({C.PLANS, C.BENEFIT_DECISIONS, C.CONTACT_DETAILS}),
            direction=Direction.SOCIAL_TO_KELA,
            by_side=Side.SOCIAL_SERVICES,
            inform_client=True,
        ),
        StatutoryBasis(
            id="totul_18h",
            law="Totul 18 h §",
            description=_(
                "Kela tells the organiser its reduction decisions and the Totul 14, 14 c and "
                "14 e § situations"
            ),
            kinds=frozenset(
                {
                    K.DOCUMENT_DELIVERY,
                    K.ATTACHMENT,
                    K.MESSAGE,
                    K.ASSESSMENT_REFERRAL,
                    K.CASE_OPEN,
                }
            ),
            categories=frozenset({C.BENEFIT_DECISIONS, C.APPLICATIONS, C.CONTACT_DETAILS}),
            direction=Direction.KELA_TO_SOCIAL,
            by_side=Side.KELA,
            inform_client=True,
        ),
        StatutoryBasis(
            id="shl_40_consent",
            law="SHL 40 §",
            description=_(
                "An authority contacted by social services reports back, with the client's consent"
            ),
            kinds=frozenset({K.OUTCOME, K.MESSAGE, K.ATTACHMENT}),
            categories=frozenset({C.CONTACT_OUTCOME, C.BENEFIT_DECISIONS}),
            direction=Direction.KELA_TO_SOCIAL,
            by_side=Side.KELA,
            inform_client=False,
            consent_required=True,
        ),
    ]
}


def basis_get(basis_id: str) -> StatutoryBasis | None:
    return BASES.get(basis_id)
