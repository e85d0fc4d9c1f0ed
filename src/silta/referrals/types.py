"""The referral types: who sends them, what the form asks, which deadline rule applies,
and which outcome closes the loop. Kept as data so forms, services, the API and the
report read the same definitions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


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


class Direction(models.TextChoices):
    KELA_TO_SOCIAL = "kela_to_social", _("Kela to social services")
    SOCIAL_TO_KELA = "social_to_kela", _("Social services to Kela")
    EITHER = "either", _("Either way")


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


@dataclass(frozen=True)
class TypeSpec:
    type: str
    direction: str
    rule: str
    law: str
    outcomes: tuple[str, ...]
    # Outcomes that need an extra value: a date, a text, or a meeting time.
    outcome_needs_date: tuple[str, ...] = ()
    outcome_needs_text: tuple[str, ...] = ()
    needs_attachment: bool = False
    help: str | Promise = ""


SPECS: dict[str, TypeSpec] = {
    spec.type: spec
    for spec in [
        TypeSpec(
            ReferralType.CONTACT,
            Direction.KELA_TO_SOCIAL,
            "shl_36_assessment",
            "SHL 35 §, Totul 14 e §",
            (
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
            ReferralType.FORWARDED_APPLICATION,
            Direction.KELA_TO_SOCIAL,
            "totul_14a_decision",
            "Totul 14 c §, 14 a §",
            (Choice.GRANTED, Choice.PARTLY_GRANTED, Choice.REFUSED),
            needs_attachment=True,
            help=_(
                "At the client's request, without delay after Kela's basic decision. "
                "Attach the application and Kela's decision."
            ),
        ),
        TypeSpec(
            ReferralType.ASSESSMENT_BEFORE_REDUCTION,
            Direction.KELA_TO_SOCIAL,
            "totul_10a_assessment",
            "Totul 10 a §",
            (Choice.ATTENDED, Choice.BOOKED, Choice.DID_NOT_ATTEND),
            outcome_needs_date=(Choice.ATTENDED, Choice.BOOKED),
            help=_("Always before a 40 % reduction: the feedback decides 20 % or 40 %."),
        ),
        TypeSpec(
            ReferralType.STATEMENT_REQUEST,
            Direction.EITHER,
            "requested_date",
            "Totul 15 §",
            (Choice.STATEMENT_GIVEN,),
            outcome_needs_text=(Choice.STATEMENT_GIVEN,),
        ),
        TypeSpec(
            ReferralType.DOCUMENT_DELIVERY,
            Direction.SOCIAL_TO_KELA,
            "totul_15_consider",
            "Totul 15 §, 18 b §",
            (Choice.CHANGES_HANDLING, Choice.NO_CHANGE),
            needs_attachment=True,
            help=_("A social-care statement is sent after the client has been heard."),
        ),
        TypeSpec(
            ReferralType.URGENT_HANDLING,
            Direction.SOCIAL_TO_KELA,
            "totul_14b_urgent",
            "Totul 14 b §",
            (Choice.DECIDED,),
            outcome_needs_date=(Choice.DECIDED,),
            help=_("Kela decides the same or at the latest the next working day."),
        ),
        TypeSpec(
            ReferralType.MEETING_REQUEST,
            Direction.EITHER,
            "totul_14d_meeting",
            "Totul 14 d §",
            (Choice.MEETING_CONFIRMED,),
            outcome_needs_date=(Choice.MEETING_CONFIRMED,),
            outcome_needs_text=(Choice.MEETING_CONFIRMED,),
            help=_(
                "A personal meeting by the 7th working day after the client asks; a "
                "joint Kela + organiser meeting on request."
            ),
        ),
    ]
}

CONCERNS = (
    Choice.HOUSING_RISK,
    Choice.NO_MONEY,
    Choice.SUBSTANCE_ABUSE,
    Choice.MENTAL_HEALTH,
    Choice.CANNOT_MANAGE,
    Choice.VIOLENCE,
    Choice.CHILDREN,
)
CONTACT_BASES = (Choice.CONSENTED, Choice.CLIENT_ASKED, Choice.CANNOT_COPE)
DOCUMENT_KINDS = (
    Choice.SOCIAL_CARE_STATEMENT,
    Choice.ACTIVATION_PLAN,
    Choice.SUPPLEMENTARY_DECISION,
    Choice.PAYMENT_COMMITMENT,
    Choice.REDUCTION_FACTS,
    Choice.OTHER,
)


def allowed_from(spec: TypeSpec, sender_is_kela: bool) -> bool:
    if spec.direction == Direction.EITHER:
        return True
    return (spec.direction == Direction.KELA_TO_SOCIAL) == sender_is_kela
