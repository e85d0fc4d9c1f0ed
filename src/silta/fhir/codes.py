"""The code systems and identifier systems the FHIR facade writes (one place each)."""

from __future__ import annotations

from silta.consents.codes import CODE_SYSTEM

FHIR_JSON = "application/fhir+json"
FHIR_VERSION = "4.0.1"
# The Finnish personal identity code (henkilötunnus): the national OID, never in a URL.
IDENTITY_CODE_SYSTEM = "urn:oid:1.2.246.21"
# BSeR / IHE 360X referral business status (../shared/STANDARDS.md).
BUSINESS_STATUS = f"{CODE_SYSTEM}/referral-business-status"
REFERRAL_TYPE = f"{CODE_SYSTEM}/referral-type"
REFERRAL_OUTCOME = f"{CODE_SYSTEM}/referral-outcome"
RETURN_REASON = f"{CODE_SYSTEM}/return-reason"
REFERRAL_ACTION = f"{CODE_SYSTEM}/referral-action"
UNIT_ROLE = f"{CODE_SYSTEM}/unit-role"
TOPIC = f"{CODE_SYSTEM}/topic"
CHANNEL_KIND = f"{CODE_SYSTEM}/channel-kind"
MEETING_KIND = f"{CODE_SYSTEM}/meeting-kind"
BOOKING_CHANNEL = f"{CODE_SYSTEM}/booking-channel"
TASK_CODE = "http://hl7.org/fhir/CodeSystem/task-code"
TASK_OUTPUT = "http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes"
ORG_TYPE = "http://terminology.hl7.org/CodeSystem/organization-type"
PROVENANCE_AGENT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
SDOH_TASK_PROFILE = (
    "http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-TaskForReferralManagement"
)


def coding(system: str, code: str, display: str = "") -> dict[str, str]:
    result = {"system": system, "code": code}
    if display:
        result["display"] = display
    return result


def concept(system: str, code: str, display: str = "", text: str = "") -> dict[str, object]:
    result: dict[str, object] = {"coding": [coding(system, code, display)]}
    if text:
        result["text"] = text
    return result


def ref(resource_type: str, public_id: object, display: str = "") -> dict[str, str]:
    result = {"reference": f"{resource_type}/{public_id}"}
    if display:
        result["display"] = display
    return result
