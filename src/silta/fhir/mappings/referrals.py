"""A referral as FHIR R4: a ServiceRequest (what is asked) plus a Task (its fulfilment),
as the SDOH Clinical Care guide's TaskForReferralManagement manages it; every step of
its history (returns and handoffs included) as a Provenance the Task lists in
``relevantHistory`` (../shared/STANDARDS.md).

Task.status and businessStatus come from the one table ``referrals.state.FHIR``; Silta's
richer states keep their own businessStatus (2.1 received, 4.1 returned).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from silta.fhir.codes import (
    BUSINESS_STATUS,
    PROVENANCE_AGENT,
    REFERRAL_ACTION,
    REFERRAL_OUTCOME,
    REFERRAL_TYPE,
    RETURN_REASON,
    SDOH_TASK_PROFILE,
    TASK_CODE,
    TASK_OUTPUT,
    coding,
    concept,
    ref,
)
from silta.referrals.models import Referral, ReferralEvent
from silta.referrals.state import FHIR, Action, Status

HANDOFFS = "https://silta.example.fi/fhir/StructureDefinition/handoff-count"
# Task.status values that need statusReason (SDOH Clinical Care).
NEEDS_REASON = {"rejected", "cancelled", "on-hold", "failed"}
# Silta status -> ServiceRequest.status.
REQUEST_STATUS: dict[str, str] = {
    Status.REQUESTED: "active",
    Status.RECEIVED: "active",
    Status.ACCEPTED: "active",
    Status.IN_PROGRESS: "active",
    Status.ON_HOLD: "on-hold",
    # Returned: waits for the sender to send it again or withdraw it.
    Status.RETURNED: "on-hold",
    Status.REJECTED: "revoked",
    Status.CANCELLED: "revoked",
    Status.COMPLETED: "completed",
}


def task_statuses(code: str) -> list[str]:
    """The Silta statuses a Task.status search value stands for (empty: none)."""
    return [status for status, (fhir, _b, _d) in FHIR.items() if fhir == code]


def request_statuses(code: str) -> list[str]:
    return [status for status, fhir in REQUEST_STATUS.items() if fhir == code]


def provenance_id(referral: Referral, seq: int) -> str:
    return f"{referral.public_id}-{seq}"


def _last_updated(referral: Referral, events: Sequence[ReferralEvent]) -> str:
    return (events[-1].at if events else referral.sent_at).isoformat()


def _status_reason(referral: Referral, fhir_status: str) -> dict[str, Any] | None:
    if referral.status == Status.RETURNED and referral.reason:
        return concept(
            RETURN_REASON, referral.reason, referral.reason_label, text=referral.reason_text
        ) | ({} if referral.reason_text else {"text": referral.reason_label})
    if fhir_status in NEEDS_REASON:
        return {"text": referral.reason_text or str(Status(referral.status).label)}
    return None


def _output(referral: Referral) -> list[dict[str, Any]]:
    if not referral.outcome:
        return []
    value = concept(REFERRAL_OUTCOME, referral.outcome, referral.outcome_label)
    if referral.outcome_text:
        value["text"] = referral.outcome_text
    outputs: list[dict[str, Any]] = [
        {
            "type": concept(TASK_OUTPUT, "resulting-activity", "Resulting Activity"),
            "valueCodeableConcept": value,
        }
    ]
    if referral.outcome_date:
        moment = referral.outcome_date.isoformat()
        if referral.outcome_time:
            moment = f"{moment}T{referral.outcome_time.isoformat(timespec='seconds')}"
        outputs.append({"type": {"text": "outcome-date"}, "valueString": moment})
    return outputs


def task_resource(referral: Referral, events: Sequence[ReferralEvent]) -> dict[str, Any]:
    """The Task of ``referral`` (case, client and both units loaded; ``events`` its
    history, oldest first)."""
    fhir_status, business, display = FHIR[referral.status]
    task: dict[str, Any] = {
        "resourceType": "Task",
        "id": str(referral.public_id),
        "meta": {
            "versionId": str(referral.version),
            "lastUpdated": _last_updated(referral, events),
            "profile": [SDOH_TASK_PROFILE],
        },
        "extension": [{"url": HANDOFFS, "valueInteger": referral.handoff_count}],
        "basedOn": [ref("ServiceRequest", referral.public_id)],
        "status": fhir_status,
        "businessStatus": {"coding": [coding(BUSINESS_STATUS, business, display)]},
        "intent": "order",
        "priority": "urgent" if referral.urgent else "routine",
        "code": concept(TASK_CODE, "fulfill", "Fulfill the focal request"),
        "focus": ref("ServiceRequest", referral.public_id),
        "for": ref("Patient", referral.case.client.public_id),
        "authoredOn": referral.sent_at.isoformat(),
        "lastModified": _last_updated(referral, events),
        "requester": ref("Organization", referral.sender_unit.public_id),
        "owner": ref("Organization", referral.receiver_unit.public_id),
        # The statutory deadline (working days from arrival).
        "restriction": {"period": {"end": referral.due_date.isoformat()}},
        "relevantHistory": [
            ref("Provenance", provenance_id(referral, seq)) for seq in range(1, len(events) + 1)
        ],
    }
    reason = _status_reason(referral, fhir_status)
    if reason:
        task["statusReason"] = reason
    if output := _output(referral):
        task["output"] = output
    return task


def service_request_resource(referral: Referral, events: Sequence[ReferralEvent]) -> dict[str, Any]:
    """What was asked: the referral's type, the client, the requesting and receiving units."""
    return {
        "resourceType": "ServiceRequest",
        "id": str(referral.public_id),
        "meta": {
            "versionId": str(referral.version),
            "lastUpdated": _last_updated(referral, events),
        },
        "status": REQUEST_STATUS[referral.status],
        "intent": "order",
        "priority": "urgent" if referral.urgent else "routine",
        "code": concept(REFERRAL_TYPE, referral.type, referral.type_label),
        "subject": ref("Patient", referral.case.client.public_id),
        "authoredOn": referral.sent_at.isoformat(),
        "requester": ref("Organization", referral.sender_unit.public_id),
        "performer": [ref("Organization", referral.receiver_unit.public_id)],
    }


def _activity(event: ReferralEvent) -> dict[str, Any]:
    label = str(Action(event.action).label) if event.action in Action.values else event.action
    return concept(REFERRAL_ACTION, event.action, label)


def provenance_resource(referral: Referral, event: ReferralEvent, seq: int) -> dict[str, Any]:
    """One step of the referral's history: who (the unit; the person as text), when, what
    (the action and the status it led to), why (a return's reason)."""
    who: dict[str, Any] = {"display": event.actor_label}
    if event.unit is not None:
        who = ref("Organization", event.unit.public_id, event.actor_label)
    resource: dict[str, Any] = {
        "resourceType": "Provenance",
        "id": provenance_id(referral, seq),
        "target": [ref("Task", referral.public_id)],
        "occurredDateTime": event.at.isoformat(),
        "recorded": event.at.isoformat(),
        "activity": _activity(event),
        "agent": [{"type": concept(PROVENANCE_AGENT, "performer", "Performer"), "who": who}],
    }
    if event.to_status in FHIR:
        _fhir, business, display = FHIR[event.to_status]
        resource["reason"] = [concept(BUSINESS_STATUS, business, display)]
    if event.action == Action.RETURN and event.detail.get("reason"):
        code = event.detail["reason"]
        resource.setdefault("reason", []).append(concept(RETURN_REASON, code))
    return resource
