"""The coded values of consents, powers of attorney and disclosures: one declarative place.

A consent names its purposes and data categories by these codes; the statutory bases
(``bases.py``) and the decision (``rules.py``) speak the same codes, and the FHIR export
sends them as local codings (``CODE_SYSTEM``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# The local code system of Silta's purposes and categories in the FHIR export.
CODE_SYSTEM = "https://silta.example.fi/fhir/CodeSystem"


class Purpose(models.TextChoices):
    """Why the data is shared (FHIR ``provision.purpose``)."""

    JOINT_ASSISTANCE = "joint_assistance", _("Sorting out social assistance together")
    # SHL 35 §: Kela's contact to social services
    SOCIAL_SERVICES_CONTACT = "social_services_contact", _("A contact to social services")
    OUTCOME_REPORT = "outcome_report", _("Reporting the outcome back")
    # Totul 10 a §: the service-need assessment before a reduction
    REDUCTION_ASSESSMENT = "reduction_assessment", _("The assessment before a reduction")


class Category(models.TextChoices):
    """Which data may be shared (FHIR ``provision.class``)."""

    BENEFIT_DECISIONS = "benefit_decisions", _("Benefit decisions and their grounds")
    APPLICATIONS = "applications", _("Applications and their attachments")
    # the activation plan (aktivointisuunnitelma), the service-need assessment
    PLANS = "plans", _("Plans such as the activation plan and the service-need assessment")
    CONTACT_OUTCOME = "contact_outcome", _("The outcome of a contact")
    CONTACT_DETAILS = "contact_details", _("Contact details and the own worker")


class GivenBy(models.TextChoices):
    """Who gave the consent (FHIR ``performer``)."""

    CLIENT = "client", _("The client")
    LEGAL_REPRESENTATIVE = "legal_representative", _("A legal representative")
    ATTORNEY = "attorney", _("An attorney under a power of attorney")


class GivenHow(models.TextChoices):
    """How the consent was given (FHIR ``source``)."""

    # "the checkbox on the application"
    APPLICATION = "application", _("On the application")
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    WRITING = "writing", _("In writing")
    # signed in with strong identification (silta.portal)
    OWN_VIEW = "own_view", _("Electronically in the client's own view")


class RevokedHow(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    WRITING = "writing", _("In writing")
    ELECTRONIC = "electronic", _("Electronically")
    # a new consent replaces this one
    REPLACED = "replaced", _("Replaced by a new consent")


class AttorneyKind(models.TextChoices):
    PERSON = "person", _("A person")
    ORGANISATION = "organisation", _("An organisation")


class PoaScope(models.TextChoices):
    """Which matters a power of attorney (valtakirja) covers."""

    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance matters")
    KELA_BENEFITS = "kela_benefits", _("Kela's benefits")
    SOCIAL_SERVICES = "social_services", _("Social services")
    # may give and revoke consents to share data for the principal
    CONSENTS = "consents", _("Consents to share data")


class Side(models.TextChoices):
    KELA = "kela", _("Kela")
    SOCIAL_SERVICES = "social_services", _("Social services")


class Direction(models.TextChoices):
    KELA_TO_SOCIAL = "kela_to_social", _("Kela to social services")
    SOCIAL_TO_KELA = "social_to_kela", _("Social services to Kela")
    # One organiser to another (a wellbeing services county to another, or to Helsinki).
    # No statutory basis of ``bases.py`` runs this way: only a consent naming the
    # recipient allows it.
    BETWEEN_ORGANISERS = "between_organisers", _("Social services organiser to another")


class DisclosureKind(models.TextChoices):
    """What leaves one organisation for the other (every disclosing action of Silta)."""

    MESSAGE = "message", _("Message")
    ATTACHMENT = "attachment", _("Document attached to a message")
    CASE_OPEN = "case_open", _("Opening a shared case")
    CONTACT = "contact", _("Contact to social services")
    FORWARDED_APPLICATION = "forwarded_application", _("Forwarded application")
    ASSESSMENT_REFERRAL = "assessment_referral", _("Referral to an assessment before a reduction")
    STATEMENT_REQUEST = "statement_request", _("Request for a statement")
    DOCUMENT_DELIVERY = "document_delivery", _("Document delivery")
    URGENT_HANDLING = "urgent_handling", _("Request for urgent handling")
    MEETING_REQUEST = "meeting_request", _("Joint meeting request")
    MEETING = "meeting", _("Meeting arranged on a shared case")
    MEETING_MINUTES = "meeting_minutes", _("Minutes of a meeting on a shared case")
    BOOKING = "booking", _("Appointment booked for a client")
    OUTCOME = "outcome", _("Outcome of a referral")
    CALLBACK = "callback", _("Call-back request about a client")
    OWN_WORKER = "own_worker", _("Own worker")


class Circumstance(models.TextChoices):
    """Facts the sender affirms when a statutory basis depends on them (SHL 35 § 2 mom)."""

    # SHL 35 § 2 mom.: consent cannot be obtained (the client cannot be asked, or does not
    # give it) and the client obviously cannot look after their own care, health or
    # safety; or a child's interest necessarily requires it.
    CANNOT_BE_ASKED = (
        "cannot_be_asked",
        _(
            "Consent cannot be obtained, and the client obviously cannot look after their own "
            "care, health or safety"
        ),
    )
    CHILD_INTEREST = "child_interest", _("A child's interest necessarily requires it")
