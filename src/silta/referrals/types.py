"""The referral types: who sends them, what the form asks, which deadline rule applies,
and which outcome closes the loop. One ``TypeSpec`` per type (``typespec``): the web
form, the API schema, validation, the referral page, the report and the demo read it.
Adding a type is one entry in ``SPECS`` (or ``register`` at run time)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from silta.consents.codes import Circumstance, DisclosureKind
from silta.exchange import subjects
from silta.referrals.typespec import (
    ClientSees,
    Direction,
    FieldSpec,
    Kind,
    Option,
    Text,
    TypeSpec,
)


class ReferralType(models.TextChoices):
    CONTACT = "contact", _("Contact to social services")  # SHL 35 §, Totul 14 e §
    FORWARDED_APPLICATION = "forwarded_application", _("Forwarded application")  # 14 c §
    ASSESSMENT_BEFORE_REDUCTION = (
        "assessment_before_reduction",
        _("Service-need assessment before a reduction"),
    )  # Totul 10 a §
    STATEMENT_REQUEST = "statement_request", _("Request for a statement")
    DOCUMENT_DELIVERY = "document_delivery", _("Document delivery")  # Totul 15 §, 18 b §
    URGENT_HANDLING = "urgent_handling", _("Request for urgent handling")  # Totul 14 b §
    MEETING_REQUEST = "meeting_request", _("Joint meeting request")  # Totul 14 d §


class Choice(models.TextChoices):
    """Every coded value a referral form or outcome uses (one translated list)."""

    # concern-recognition checklist (huolen tunnistaminen)
    HOUSING_RISK = "housing_risk", _("Housing at risk or eviction")
    NO_MONEY = "no_money", _("No money for food or medicine")
    SUBSTANCE_ABUSE = "substance_abuse", _("Signs of substance abuse")
    MENTAL_HEALTH = "mental_health", _("Signs of a mental-health crisis")
    CANNOT_MANAGE = "cannot_manage", _("Cannot manage their own affairs")
    VIOLENCE = "violence", _("Violence or threat of violence")
    CHILDREN = "children", _("Children in the family")
    # basis of a contact (SHL 35 §)
    CONSENTED = "consented", _("The client consented")
    CLIENT_ASKED = "client_asked", _("The client asked for it")
    CANNOT_COPE = (
        "cannot_cope",
        _("The client could not be asked and cannot look after themselves (contact at once)"),
    )
    # outcomes of a contact
    URGENT_ACTED = "urgent_acted", _("Urgent need assessed and acted on")
    ASSESSMENT_STARTED = "assessment_started", _("Service-need assessment started")
    ALREADY_CLIENT = "already_client", _("Already a client (own worker named)")
    NO_ACTION = "no_action", _("No action needed")
    TRANSFERRED = "transferred", _("Transferred to another unit")
    # decisions on a forwarded application
    GRANTED = "granted", _("Granted")
    PARTLY_GRANTED = "partly_granted", _("Partly granted")
    REFUSED = "refused", _("Refused")
    # service-need assessment before a reduction
    ATTENDED = "attended", _("The client attended the assessment")
    BOOKED = "booked", _("The client booked the assessment")
    DID_NOT_ATTEND = "did_not_attend", _("The client did not attend or book")
    # documents delivered to Kela
    SOCIAL_CARE_STATEMENT = "social_care_statement", _("Social-care statement")
    ACTIVATION_PLAN = "activation_plan", _("Activation plan")
    SUPPLEMENTARY_DECISION = (
        "supplementary_decision",
        _("Decision on supplementary or preventive assistance"),
    )
    PAYMENT_COMMITMENT = "payment_commitment", _("Payment commitment (e.g. rent deposit)")
    REDUCTION_FACTS = "reduction_facts", _("Facts relevant to a reduction")
    OTHER = "other", _("Other")
    CHANGES_HANDLING = "changes_handling", _("Received: changes Kela's handling")
    NO_CHANGE = "no_change", _("Received: does not change Kela's handling")
    # urgent handling, statements, meetings
    DECIDED = "decided", _("Decided")
    STATEMENT_GIVEN = "statement_given", _("Statement given")
    MEETING_CONFIRMED = "meeting_confirmed", _("Meeting confirmed")


class ReturnReason(models.TextChoices):
    """Why a receiver returns a referral to the other organisation (a counted handoff)."""

    BASIC_ASSISTANCE_EXPENSE = (
        "basic_assistance_expense",
        _("The expense belongs to basic assistance (Kela)"),
    )
    SUPPLEMENTARY_EXPENSE = (
        "supplementary_expense",
        _("The expense belongs to supplementary assistance (organiser)"),
    )
    WRONG_ORGANISER = "wrong_organiser", _("Wrong organiser for the client's municipality")
    WRONG_UNIT = "wrong_unit", _("Wrong unit within the organisation")
    NO_BASIC_DECISION = "no_basic_decision", _("Kela's basic decision is missing")
    OTHER = "other", _("Other reason")


# "The expense belongs to the other organisation": a return for one of these reasons
# names the guide entry it relies on (issue 12), by the entry's expense kind.
GUIDE_REASONS = frozenset(
    {ReturnReason.BASIC_ASSISTANCE_EXPENSE, ReturnReason.SUPPLEMENTARY_EXPENSE}
)


def options(*codes: Choice) -> tuple[Option, ...]:
    """(code, label) pairs of coded values, for a field's choices or a type's outcomes."""
    return tuple((code.value, code.label) for code in codes)


CONCERNS = FieldSpec(
    name="concerns",
    kind=Kind.MULTIPLE_CHOICE,
    label=_("What worries you (concern checklist)"),
    choices=options(
        Choice.HOUSING_RISK,
        Choice.NO_MONEY,
        Choice.SUBSTANCE_ABUSE,
        Choice.MENTAL_HEALTH,
        Choice.CANNOT_MANAGE,
        Choice.VIOLENCE,
        Choice.CHILDREN,
    ),
    required=True,
    missing=_("Tick at least one item of the concern checklist."),
)
CONTACT_BASIS = FieldSpec(
    name="basis",
    kind=Kind.CHOICE,
    label=_("Basis of the contact"),
    choices=options(Choice.CONSENTED, Choice.CLIENT_ASKED, Choice.CANNOT_COPE),
    required=True,
    missing=_("Choose the basis of the contact."),
    urgent_choices=(Choice.CANNOT_COPE,),  # SHL 35 §: contact at once
    # SHL 35 § 2 mom.: without consent when the client cannot be asked (the sender
    # affirms it by this choice unless they name another basis).
    implies_basis={Choice.CANNOT_COPE: ("shl_35_2_no_consent", Circumstance.CANNOT_BE_ASKED)},
)
SHARE_BACK = FieldSpec(
    name="share_back",
    kind=Kind.TEXT,
    label=_("What the client consented to share back to Kela"),
)
DOCUMENT_KIND = FieldSpec(
    name="document_kind",
    kind=Kind.CHOICE,
    label=_("Kind of document"),
    choices=options(
        Choice.SOCIAL_CARE_STATEMENT,
        Choice.ACTIVATION_PLAN,
        Choice.SUPPLEMENTARY_DECISION,
        Choice.PAYMENT_COMMITMENT,
        Choice.REDUCTION_FACTS,
        Choice.OTHER,
    ),
    required=True,
    missing=_("Choose the kind of document."),
)
REQUESTED_DATE = FieldSpec(
    name="requested_date",
    kind=Kind.DATE,
    label=_("Statement needed by"),
    required=True,
    missing=_("Give the date by which the statement is needed."),
    not_past=True,
)
PROPOSED_TIMES = FieldSpec(
    name="proposed_times",
    kind=Kind.LONG_TEXT,
    label=_("Proposed times, participants and the client's wish"),
    required=True,
    missing=_("Propose at least one time for the meeting."),
    max_length=1000,
)
JOINT_MEETING = FieldSpec(
    name="joint",
    kind=Kind.FLAG,
    label=_("Joint meeting of Kela and social services with the client"),
)
PLANNED_REDUCTION = FieldSpec(
    name="planned_reduction",
    kind=Kind.CHOICE,
    label=_("Reduction considered"),
    choices=(("20", "20 %"), ("40", "40 %")),
)

SPECS: dict[str, TypeSpec] = {
    spec.type: spec
    for spec in [
        TypeSpec(
            type=ReferralType.CONTACT,
            label=ReferralType.CONTACT.label,
            disclosure=DisclosureKind.CONTACT,
            direction=Direction.KELA_TO_SOCIAL,
            rule="shl_36_assessment",
            law="SHL 35 §, Totul 14 e §",
            # Once social services have opened it: the worker meets the client first.
            client_sees=ClientSees.RECEIVED,
            fields=(CONCERNS, CONTACT_BASIS, SHARE_BACK),
            outcomes=options(
                Choice.URGENT_ACTED,
                Choice.ASSESSMENT_STARTED,
                Choice.ALREADY_CLIENT,
                Choice.NO_ACTION,
                Choice.TRANSFERRED,
            ),
            outcome_needs_date=(Choice.ASSESSMENT_STARTED,),
            outcome_needs_text=(Choice.ALREADY_CLIENT, Choice.NO_ACTION, Choice.TRANSFERRED),
            help=_(
                "The contact can replace a child-welfare notification. The law does not "
                "oblige feedback; Silta asks for it within what the client consented to "
                "share back."
            ),
        ),
        TypeSpec(
            type=ReferralType.FORWARDED_APPLICATION,
            label=ReferralType.FORWARDED_APPLICATION.label,
            disclosure=DisclosureKind.FORWARDED_APPLICATION,
            direction=Direction.KELA_TO_SOCIAL,
            rule="totul_14a_decision",
            law="Totul 14 c §, 14 a §",
            outcomes=options(Choice.GRANTED, Choice.PARTLY_GRANTED, Choice.REFUSED),
            needs_attachment=True,
            # Totul 14 a §: decide by the 7th working day after the completed application.
            rule_after_resume="totul_14a_after_completion",
            help=_(
                "At the client's request, without delay after Kela's basic decision. "
                "Attach the application and Kela's decision."
            ),
        ),
        TypeSpec(
            type=ReferralType.ASSESSMENT_BEFORE_REDUCTION,
            label=ReferralType.ASSESSMENT_BEFORE_REDUCTION.label,
            disclosure=DisclosureKind.ASSESSMENT_REFERRAL,
            direction=Direction.KELA_TO_SOCIAL,
            rule="totul_10a_assessment",
            law="Totul 10 a §",
            fields=(PLANNED_REDUCTION,),
            outcomes=options(Choice.ATTENDED, Choice.BOOKED, Choice.DID_NOT_ATTEND),
            outcome_needs_date=(Choice.ATTENDED, Choice.BOOKED),
            help=_("Always before a 40 % reduction: the feedback decides 20 % or 40 %."),
        ),
        TypeSpec(
            type=ReferralType.STATEMENT_REQUEST,
            label=ReferralType.STATEMENT_REQUEST.label,
            disclosure=DisclosureKind.STATEMENT_REQUEST,
            direction=Direction.EITHER,
            rule="requested_date",
            law="Totul 15 §",
            fields=(REQUESTED_DATE,),
            due_field=REQUESTED_DATE.name,
            outcomes=options(Choice.STATEMENT_GIVEN),
            outcome_needs_text=(Choice.STATEMENT_GIVEN,),
        ),
        TypeSpec(
            type=ReferralType.DOCUMENT_DELIVERY,
            label=ReferralType.DOCUMENT_DELIVERY.label,
            disclosure=DisclosureKind.DOCUMENT_DELIVERY,
            direction=Direction.SOCIAL_TO_KELA,
            rule="totul_15_consider",
            law="Totul 15 §, 18 b §",
            fields=(DOCUMENT_KIND,),
            outcomes=options(Choice.CHANGES_HANDLING, Choice.NO_CHANGE),
            needs_attachment=True,
            help=_("A social-care statement is sent after the client has been heard."),
        ),
        TypeSpec(
            type=ReferralType.URGENT_HANDLING,
            label=ReferralType.URGENT_HANDLING.label,
            disclosure=DisclosureKind.URGENT_HANDLING,
            direction=Direction.SOCIAL_TO_KELA,
            rule="totul_14b_urgent",
            law="Totul 14 b §",
            always_urgent=True,
            outcomes=options(Choice.DECIDED),
            outcome_needs_date=(Choice.DECIDED,),
            help=_("Kela decides the same or at the latest the next working day."),
        ),
        TypeSpec(
            type=ReferralType.MEETING_REQUEST,
            label=ReferralType.MEETING_REQUEST.label,
            disclosure=DisclosureKind.MEETING_REQUEST,
            direction=Direction.EITHER,
            rule="totul_14d_meeting",
            law="Totul 14 d §",
            fields=(PROPOSED_TIMES, JOINT_MEETING),
            outcomes=options(Choice.MEETING_CONFIRMED),
            outcome_needs_date=(Choice.MEETING_CONFIRMED,),
            outcome_needs_text=(Choice.MEETING_CONFIRMED,),
            outcome_needs_time=(Choice.MEETING_CONFIRMED,),
            help=_(
                "A personal meeting by the 7th working day after the client asks; a "
                "joint Kela + organiser meeting on request."
            ),
        ),
    ]
}


def _subject_of(code: str) -> Text | None:
    spec = SPECS.get(code)
    return spec.label if spec else None


# A referral's thread is titled by its type, in each reader's language.
subjects.register_family("referral", _subject_of)


def thread_subject(code: str) -> str:
    """What a referral's thread stores as its subject (a key, shown translated)."""
    return subjects.key("referral", code)


def type_choices() -> list[tuple[str, str]]:
    """Every registered type as (code, label): the model field's choices, read at use."""
    return [(code, str(spec.label)) for code, spec in SPECS.items()]
