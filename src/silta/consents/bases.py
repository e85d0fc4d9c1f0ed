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
lawful.

Re-checked (issue 9, 2 Dec 2026) row by row: direction, side, kinds and categories,
conditions, the inform-the-client flag.

- ``shl_35_1_consent`` and ``shl_35_2_no_consent`` against the words of SHL 35 § as
  quoted by a wellbeing services county (hyvis.fi, Päijät-Häme) and a municipality
  (kalliopp.fi), with the Finlex consolidated text (finlex.fi/fi/laki/ajantasa/2014/
  20141301, "seurattu SDK 940/2023 saakka") as the source they cite: Kela is among the
  listed authorities, it contacts the organiser with the person's consent (1 mom.), and
  notifies at once notwithstanding confidentiality "jos suostumusta ei voida saada ja
  henkilö on ilmeisen kykenemätön vastaamaan omasta huolenpidostaan, terveydestään tai
  turvallisuudestaan, tai lapsen etu sitä välttämättä vaatii". Fixed: the first fact
  said "the client cannot be asked"; the law says consent cannot be obtained, which
  covers a client who is asked and refuses (``Circumstance`` labels and this row's
  description; ``tests/test_bases_law.py``). Direction, side and conditions were right.
- ``totul_14c`` against DOMAIN.md §2 and the Chancellor of Justice's decision
  OKV/2338/10/2022 (2 Aug 2023: Kela must forward the application at the applicant's
  request when it includes costs outside basic assistance): Kela to the organiser, by
  Kela, no informing (the applicant asked for it). Consistent.
- ``totul_15``, ``totul_18b``, ``totul_18h`` against DOMAIN.md §2 only: consistent.
- Not checked against the law's own words (the texts were not found among the stored
  pages): Totul 14 c, 15, 18 b and 18 h §, SHL 40 § (its direction, Kela reporting back
  to social services that contacted it, follows DOMAIN.md §2) and 703/2023 9-11 §
  (DOMAIN.md §2 summary: the log's fields, 10 §, match ``models.Disclosure``). The
  categories each row allows and every ``inform_client`` flag are Silta's reading (data
  minimisation; informing the client when no consent was asked), not the statute's
  words. A lawyer should confirm those, and the 14 c, 15, 18 b, 18 h and 40 § rows,
  against the consolidated texts.
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
                "Kela notifies social services at once without consent: consent cannot be "
                "obtained and the client obviously cannot look after themselves, or a child's "
                "interest necessarily requires it"
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
