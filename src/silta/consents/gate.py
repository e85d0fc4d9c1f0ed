"""The gate every disclosing action passes: what it discloses, on which basis, logged.

A disclosing service (opening a case, a message, a document, a referral, an outcome, a
call-back about a client) names its ``DisclosureKind`` and passes the sender's
``BasisChoice``. ``WHAT`` says, as data, which purpose and which data category each kind
discloses in each direction: the consent must cover them, the statutory basis must allow
them. ``gate_decide`` runs before the caller's transaction (a refusal is audited and
raises ``NoLawfulBasis``, nothing written); ``gate_log`` runs inside it, after the
disclosed object exists. ``basis_preview`` answers the compose pages' question "on which
basis will this go out?" without writing anything.

A disclosure is decided on the organisations' identity, not their sector: Kela to an
organiser and back, and one organiser (a wellbeing services county, the City of Helsinki)
to another, each leave one organisation for another. Between two organisers no statutory
basis applies (``bases.py``): only a consent naming the recipient allows it. Within one
organisation nothing is disclosed: the gate lets it through and logs nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.utils import timezone

from silta.accounts.actor import Actor
from silta.audit.models import LegalBasis
from silta.clients.models import Client
from silta.consents.bases import BASES, StatutoryBasis
from silta.consents.codes import Category, Circumstance, DisclosureKind, Purpose
from silta.consents.disclosures import (
    REFUSALS,
    Authorised,
    DisclosureInput,
    Pending,
    consent_terms,
    disclosure_decide,
    disclosure_log,
    disclosure_pending,
)
from silta.consents.logged import available, decide_and_log
from silta.consents.models import Consent, Disclosure
from silta.consents.rules import Allowed, ConsentTerms, Party, Question, Refused, decide
from silta.organisations.models import Unit

K = DisclosureKind


@dataclass(frozen=True, kw_only=True)
class BasisChoice:
    """The sender's choice. Empty: Silta finds a consent in force that covers the
    disclosure. ``consent_id``: that consent only. ``statutory_basis``: used when no consent
    covers it; ``circumstance`` is the fact the sender affirms where the basis needs one."""

    consent_id: uuid.UUID | None = None
    statutory_basis: str = ""
    circumstance: str = ""


NO_CHOICE = BasisChoice()


@dataclass(frozen=True)
class Disclosed:
    """What an action discloses: the purpose and the data category."""

    purpose: str
    category: str


# kind -> (from Kela, from social services). DOMAIN.md §2; each row is what the recipient
# learns: a case tells who the client is and how to reach them; a message is about
# decisions; a document from Kela is the application, from social services a plan or a
# statement.
WHAT: dict[str, tuple[Disclosed, Disclosed]] = {
    K.CASE_OPEN: (
        Disclosed(Purpose.JOINT_ASSISTANCE, Category.CONTACT_DETAILS),
        Disclosed(Purpose.JOINT_ASSISTANCE, Category.CONTACT_DETAILS),
    ),
    K.MESSAGE: (
        Disclosed(Purpose.JOINT_ASSISTANCE, Category.BENEFIT_DECISIONS),
        Disclosed(Purpose.JOINT_ASSISTANCE, Category.BENEFIT_DECISIONS),
    ),
    K.ATTACHMENT: (
        Disclosed(Purpose.JOINT_ASSISTANCE, Category.APPLICATIONS),
        Disclosed(Purpose.JOINT_ASSISTANCE, Category.PLANS),
    ),
    K.CONTACT: (
        Disclosed(Purpose.SOCIAL_SERVICES_CONTACT, Category.CONTACT_DETAILS),
        Disclosed(Purpose.SOCIAL_SERVICES_CONTACT, Category.CONTACT_DETAILS),
    ),
    K.FORWARDED_APPLICATION: (
        Disclosed(Purpose.JOINT_ASSISTANCE, Category.APPLICATIONS),
        Disclosed(Purpose.JOINT_ASSISTANCE, Category.APPLICATIONS),
    ),
    K.ASSESSMENT_REFERRAL: (
        Disclosed(Purpose.REDUCTION_ASSESSMENT, Category.BENEFIT_DECISIONS),
        Disclosed(Purpose.REDUCTION_ASSESSMENT, Category.BENEFIT_DECISIONS),
    ),
    K.STATEMENT_REQUEST: (
        Disclosed(Purpose.JOINT_ASSISTANCE, Category.BENEFIT_DECISIONS),
        Disclosed(Purpose.JOINT_ASSISTANCE, Category.BENEFIT_DECISIONS),
    ),
    K.DOCUMENT_DELIVERY: (
        Disclosed(Purpose.JOINT_ASSISTANCE, Category.BENEFIT_DECISIONS),
        Disclosed(Purpose.JOINT_ASSISTANCE, Category.PLANS),
    ),
    K.URGENT_HANDLING: (
        Disclosed(Purpose.JOINT_ASSISTANCE, Category.APPLICATIONS),
        Disclosed(Purpose.JOINT_ASSISTANCE, Category.APPLICATIONS),
    ),
    K.MEETING_REQUEST: (
        Disclosed(Purpose.JOINT_ASSISTANCE, Category.CONTACT_DETAILS),
        Disclosed(Purpose.JOINT_ASSISTANCE, Category.CONTACT_DETAILS),
    ),
    # A meeting arranged on a case: its title, agenda and times reach the other unit.
    K.MEETING: (
        Disclosed(Purpose.JOINT_ASSISTANCE, Category.CONTACT_DETAILS),
        Disclosed(Purpose.JOINT_ASSISTANCE, Category.CONTACT_DETAILS),
    ),
    # The minutes of a meeting on a case: who attended (the client too), what was agreed
    # and the agreed actions with their owners and due dates, a plan of the joint work.
    K.MEETING_MINUTES: (
        Disclosed(Purpose.JOINT_ASSISTANCE, Category.PLANS),
        Disclosed(Purpose.JOINT_ASSISTANCE, Category.PLANS),
    ),
    # An appointment booked for a client: who the client is and when they come.
    K.BOOKING: (
        Disclosed(Purpose.JOINT_ASSISTANCE, Category.CONTACT_DETAILS),
        Disclosed(Purpose.JOINT_ASSISTANCE, Category.CONTACT_DETAILS),
    ),
    K.OUTCOME: (
        Disclosed(Purpose.OUTCOME_REPORT, Category.CONTACT_OUTCOME),
        Disclosed(Purpose.OUTCOME_REPORT, Category.CONTACT_OUTCOME),
    ),
    K.CALLBACK: (
        Disclosed(Purpose.JOINT_ASSISTANCE, Category.CONTACT_DETAILS),
        Disclosed(Purpose.JOINT_ASSISTANCE, Category.CONTACT_DETAILS),
    ),
    K.OWN_WORKER: (
        Disclosed(Purpose.JOINT_ASSISTANCE, Category.CONTACT_DETAILS),
        Disclosed(Purpose.JOINT_ASSISTANCE, Category.CONTACT_DETAILS),
    ),
}


def disclosed(kind: str, from_kela: bool) -> Disclosed:
    from_kela_row, from_social_row = WHAT[kind]
    return from_kela_row if from_kela else from_social_row


def _unit(unit: Unit | int) -> Unit:
    if isinstance(unit, Unit):
        return unit
    return Unit.objects.select_related("organisation").get(pk=unit)


def between_organisations(discloser: Unit, recipient: Unit) -> bool:
    """Does client data cross from one organisation to another (whatever their sector)?"""
    return discloser.organisation_id != recipient.organisation_id


def _input(kind: str, discloser: Unit, object_type: str, choice: BasisChoice) -> DisclosureInput:
    what = disclosed(kind, discloser.is_kela)
    return DisclosureInput(
        kind=kind,
        category=what.category,
        purpose=what.purpose,
        object_type=object_type,
        consent_id=choice.consent_id,
        basis=choice.statutory_basis,
        circumstance=choice.circumstance,
    )


def gate_decide(
    *,
    actor: Actor,
    client: Client,
    unit_id: int,
    recipient: Unit | int,
    kind: str,
    object_type: str,
    choice: BasisChoice = NO_CHOICE,
    discloser: Unit | None = None,
) -> Authorised | None:
    """Decide before the disclosing write; None when nothing leaves the organisation.
    ``discloser``: the unit ``unit_id`` when the caller has it loaded (with its
    organisation), as ``recipient`` may be: no query then.

    A refusal writes one audit "denied" row and raises ``NoLawfulBasis``."""
    recipient = _unit(recipient)
    discloser = discloser if discloser is not None and discloser.pk == unit_id else _unit(unit_id)
    if not between_organisations(discloser, recipient):
        return None
    data = _input(kind, discloser, object_type, choice)
    return disclosure_decide(
        actor=actor,
        client=client,
        recipient=recipient,
        data=data,
        unit_id=unit_id,
        discloser=discloser,
    )


def gate_defer(
    *,
    actor: Actor,
    client: Client,
    unit_id: int,
    recipient: Unit | int,
    kind: str,
    object_type: str,
    choice: BasisChoice = NO_CHOICE,
    discloser: Unit | None = None,
) -> Authorised | Pending | None:
    """``gate_decide`` for a write that settles the disclosure with ``gate_settle`` inside
    its transaction before writing the disclosed object: where it can (``logged``), the
    decision is made there, in the statement that logs it (one round trip, not two);
    otherwise it is made now, as ``gate_decide`` makes it."""
    recipient = _unit(recipient)
    discloser = discloser if discloser is not None and discloser.pk == unit_id else _unit(unit_id)
    if not between_organisations(discloser, recipient):
        return None
    data = _input(kind, discloser, object_type, choice)
    pending = disclosure_pending(
        actor=actor, client=client, recipient=recipient, data=data, discloser=discloser
    )
    if available(pending):
        return pending
    return disclosure_decide(
        actor=actor,
        client=client,
        recipient=recipient,
        data=data,
        unit_id=unit_id,
        discloser=discloser,
    )


def gate_settle(decided: Authorised | Pending | None, *, object_id: object) -> Authorised | None:
    """Inside the disclosing write's transaction, before the object ``object_id`` is
    written: decide a ``Pending`` and log it, or log what was decided before. A refusal
    raises ``NoLawfulBasis`` (``audit_late_refusals`` audits it outside the transaction)."""
    if isinstance(decided, Pending):
        return decide_and_log(decided, object_id=object_id)
    gate_log(decided, object_id=object_id)
    return decided


def gate_log(authorised: Authorised | None, *, object_id: object) -> Disclosure | None:
    """Log the decided disclosure of the object now written (inside its transaction)."""
    if authorised is None:
        return None
    return disclosure_log(authorised=authorised, object_id=str(object_id))


def legal_basis_of(authorised: Authorised | None) -> str:
    """The audit trail's coarse legal basis (``LegalBasis``) of a decided disclosure."""
    if authorised is None:
        return ""
    allowed = authorised.allowed
    if allowed.consent_id is not None:
        return LegalBasis.CONSENT
    if allowed.basis_id == "shl_35_2_no_consent":
        return LegalBasis.WELFARE_CONCERN
    if allowed.basis_id == "totul_14c":
        return LegalBasis.CLIENT_REQUEST
    return LegalBasis.STATUTORY_DUTY


@dataclass(frozen=True)
class BasisOption:
    """A statutory basis the sender may choose, with the facts it needs."""

    basis: StatutoryBasis
    circumstances: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class BasisPreview:
    """What the compose page shows: the covering consent, or the bases to choose from."""

    between_organisations: bool
    consent: Consent | None
    refusal: str
    options: tuple[BasisOption, ...]
    # The same question for documents attached to it, where they differ (a message's).
    documents: BasisPreview | None = None

    @property
    def needs_choice(self) -> bool:
        return self.between_organisations and self.consent is None

    @property
    def reason(self) -> str:
        return str(REFUSALS.get(self.refusal, ""))


def _option(basis_id: str) -> BasisOption:
    basis = BASES[basis_id]
    circumstances = tuple(
        (code, str(label)) for code, label in Circumstance.choices if code in basis.conditions
    )
    return BasisOption(basis, circumstances)


def basis_preview(
    *,
    client: Client,
    unit_id: int,
    recipient: Unit | int,
    kind: str,
    at: dt.datetime | None = None,
    documents: bool = False,
    discloser: Unit | None = None,
) -> BasisPreview:
    """On which basis would ``kind`` go from ``unit_id`` to ``recipient`` now (no writes);
    ``documents``: also for documents attached to it (``BasisPreview.documents``). The
    units and the client's consents are read once for both questions (``discloser``: the
    unit ``unit_id`` when the caller has it loaded, as in ``gate_decide``)."""
    recipient = _unit(recipient)
    discloser = discloser if discloser is not None and discloser.pk == unit_id else _unit(unit_id)
    if not between_organisations(discloser, recipient):
        return BasisPreview(False, None, "", ())
    _by_public_id, terms = consent_terms(client.pk)
    at = at or timezone.now()
    loaded: dict[int, Consent] = {}  # the covering consents, read once each
    preview = _preview(discloser, recipient, kind, at, terms, loaded)
    if not documents:
        return preview
    attached = _preview(discloser, recipient, K.ATTACHMENT, at, terms, loaded)
    return BasisPreview(True, preview.consent, preview.refusal, preview.options, attached)


def _preview(
    discloser: Unit,
    recipient: Unit,
    kind: str,
    at: dt.datetime,
    terms: list[ConsentTerms],
    loaded: dict[int, Consent],
) -> BasisPreview:
    what = disclosed(kind, discloser.is_kela)
    question = Question(
        kind=kind,
        category=what.category,
        purpose=what.purpose,
        discloser=Party(discloser.pk, discloser.organisation_id, discloser.is_kela),
        recipient=Party(recipient.pk, recipient.organisation_id, recipient.is_kela),
        at=at,
    )
    decision = decide(question, terms)
    if isinstance(decision, Allowed) and decision.consent_id is not None:
        pk = decision.consent_id
        if pk not in loaded:
            loaded[pk] = Consent.objects.select_related("revocation", "organiser").get(pk=pk)
        return BasisPreview(True, loaded[pk], "", ())
    assert isinstance(decision, Refused)
    return BasisPreview(True, None, decision.code, tuple(_option(b) for b in decision.lawful_bases))
