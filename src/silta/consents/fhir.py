"""A consent as an HL7 FHIR R4 Consent resource (see ../shared/STANDARDS.md).

Revoked and expired consents are ``inactive``; the parties are the information recipients
(``IRCP``); purposes and data categories are Silta's local codes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from silta.consents.codes import CODE_SYSTEM, Category, GivenBy, GivenHow, Purpose
from silta.consents.models import Consent

SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
ACTION = "http://terminology.hl7.org/CodeSystem/consentaction"


def _coding(system: str, code: str, display: str = "") -> dict[str, str]:
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return coding


def _performer(consent: Consent) -> dict[str, Any]:
    if consent.given_by == GivenBy.CLIENT:
        return {"reference": f"Patient/{consent.client.public_id}"}
    return {"type": "RelatedPerson", "display": consent.representative_name}


def _source(consent: Consent) -> dict[str, Any]:
    if consent.given_how == GivenHow.APPLICATION:
        reference: dict[str, Any] = {"display": str(GivenHow.APPLICATION.label)}
        if consent.application_reference:  # FHIR refuses an empty identifier value
            reference["identifier"] = {"value": consent.application_reference}
        return {"sourceReference": reference}
    if consent.document_storage_name:
        return {
            "sourceAttachment": {
                "contentType": consent.document_content_type,
                "title": consent.document_name,
            }
        }
    return {}


def _recipients(consent: Consent) -> list[dict[str, Any]]:
    ircp = {"coding": [_coding(PARTICIPATION, "IRCP")]}
    organisations = [{"display": "Kela"}, {"display": consent.organiser.name}]
    units = [{"display": unit.name} for unit in consent.units.all()]
    return [{"role": ircp, "reference": ref} for ref in organisations + units]


def consent_resource(consent: Consent, at: dt.datetime) -> dict[str, Any]:
    """The FHIR R4 Consent JSON of ``consent`` as it stands at ``at``."""
    state = consent.state(at)
    custodian = consent.recorded_by_unit.organisation
    return {
        "resourceType": "Consent",
        "id": str(consent.public_id),
        "status": "inactive" if state in ("revoked", "expired") else "active",
        "scope": {"coding": [_coding(SCOPE, "patient-privacy")]},
        "category": [{"coding": [_coding("http://loinc.org", "59284-0", "Consent Document")]}],
        "patient": {"reference": f"Patient/{consent.client.public_id}"},
        "dateTime": consent.recorded_at.isoformat(),
        "performer": [_performer(consent)],
        "organization": [{"reference": f"Organization/{custodian.public_id}"}],
        **_source(consent),
        "policy": [{"uri": f"{CODE_SYSTEM}/consent-wording/{consent.wording.version}"}],
        "policyRule": {"coding": [_coding(ACT_CODE, "OPTIN")]},
        "provision": {
            "type": "permit",
            "period": {
                "start": consent.valid_from.isoformat(),
                "end": consent.valid_until.isoformat(),
            },
            "actor": _recipients(consent),
            "action": [{"coding": [_coding(ACTION, "disclose")]}],
            "purpose": [
                _coding(f"{CODE_SYSTEM}/purpose", code, str(Purpose(code).label))
                for code in consent.purposes
            ],
            "class": [
                _coding(f"{CODE_SYSTEM}/data-category", code, str(Category(code).label))
                for code in consent.categories
            ],
        },
    }
