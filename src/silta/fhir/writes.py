"""Task updates from the receiving (or sending) system: PUT of the whole Task or a JSON
Patch of it. Only ``status``, ``businessStatus``, ``statusReason`` and ``output`` are
read; they choose one step of the referral state machine, which the same transition
service as the pages and the JSON API carries out (side, role, required fields, lawful
basis of a reported outcome, audit). A move the table does not allow is 409; a body that
is not a valid R4 Task, or lacks what the step needs, is 422; nothing is changed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pydantic
from django.utils.translation import gettext as _
from fhir.resources.R4B.task import Task as FhirTask

from silta.accounts.actor import Actor
from silta.fhir.codes import BUSINESS_STATUS, REFERRAL_OUTCOME, RETURN_REASON
from silta.fhir.mappings.referrals import task_resource
from silta.fhir.outcome import FhirError
from silta.fhir.patch import apply_patch
from silta.fhir.selectors.referrals import referral_events
from silta.referrals.models import Referral
from silta.referrals.selectors import referral_get
from silta.referrals.services import referral_act
from silta.referrals.state import FHIR, TRANSITIONS, Action, Status, Transition
from silta.referrals.transitions import ActInput

# R4 TaskStatus (http://hl7.org/fhir/task-status).
TASK_STATUSES = frozenset(
    {
        "draft",
        "requested",
        "received",
        "accepted",
        "rejected",
        "ready",
        "cancelled",
        "in-progress",
        "on-hold",
        "failed",
        "completed",
        "entered-in-error",
    }
)


def _invalid(message: str) -> FhirError:
    return FhirError(422, "invalid_resource", message)


def _validated(body: Any, task_id: str) -> dict[str, Any]:
    if not isinstance(body, dict) or body.get("resourceType") != "Task":
        raise _invalid(_("The body must be a FHIR Task resource."))
    if str(body.get("id", "")) != task_id:
        raise FhirError(400, "id_mismatch", _("The Task's id must be the id in the URL."))
    try:
        FhirTask.model_validate(body)
    except pydantic.ValidationError as exc:
        fields = sorted({".".join(str(p) for p in e["loc"]) for e in exc.errors()})
        raise _invalid(
            _("The Task is not valid FHIR R4: %(fields)s.") % {"fields": ", ".join(fields[:10])}
        ) from None
    if body.get("status") not in TASK_STATUSES:
        raise _invalid(_("Task.status must be an R4 task status."))
    return body


def _code(concept: Any, system: str) -> str:
    for item in (concept or {}).get("coding", []) if isinstance(concept, dict) else []:
        if item.get("system") == system:
            return str(item.get("code", ""))
    return ""


def _candidates(task: dict[str, Any], business: str) -> list[Transition]:
    """Steps whose target maps to the Task's status (and ``business``, if given)."""
    steps = [t for t in TRANSITIONS.values() if FHIR[t.target][0] == task["status"]]
    if business:
        steps = [t for t in steps if FHIR[t.target][1] == business]
    elif _code(task.get("statusReason"), RETURN_REASON):
        steps = [t for t in steps if t.action == Action.RETURN] or steps
    return steps


def _step(referral: Referral, task: dict[str, Any]) -> Transition | None:
    """The step the Task asks for (None: it shows the referral as it already is)."""
    status, business, _display = FHIR[referral.status]
    asked = _code(task.get("businessStatus"), BUSINESS_STATUS)
    if task["status"] == status and asked in ("", business):
        return None
    # A businessStatus left as it was (a PUT of the Task as read, status changed) asks nothing.
    asked = "" if asked == business else asked
    possible = [t for t in _candidates(task, asked) if referral.status in t.sources]
    if not possible:
        raise FhirError(
            409,
            "transition_not_allowed",
            _("Task.status “%(status)s” is not possible when the referral is “%(current)s”.")
            % {"status": task["status"], "current": Status(referral.status).label},
        )
    return possible[0]


def _outcome(task: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for output in task.get("output") or []:
        value = output.get("valueCodeableConcept")
        if value and _code(value, REFERRAL_OUTCOME):
            fields.update(
                outcome=_code(value, REFERRAL_OUTCOME), outcome_text=value.get("text", "")
            )
        elif (output.get("type") or {}).get("text") == "outcome-date":
            fields.update(_outcome_moment(str(output.get("valueString", ""))))
    return fields


def _outcome_moment(text: str) -> dict[str, Any]:
    try:
        if "T" in text:
            moment = dt.datetime.fromisoformat(text)
            return {"outcome_date": moment.date(), "outcome_time": moment.time()}
        return {"outcome_date": dt.date.fromisoformat(text)}
    except ValueError:
        raise _invalid(_("Write the outcome date as YYYY-MM-DD or YYYY-MM-DDThh:mm.")) from None


def _act_input(step: Transition, task: dict[str, Any], version: int | None) -> ActInput:
    reason = task.get("statusReason") or {}
    fields: dict[str, Any] = {
        "action": step.action,
        "reason": _code(reason, RETURN_REASON),
        "reason_text": reason.get("text", "") if isinstance(reason, dict) else "",
        "version": version,
    }
    if step.action == Action.COMPLETE:
        fields.update(_outcome(task))
    return ActInput.model_validate(fields)


def task_update(
    *, actor: Actor, task_id: str, body: Any, version: int | None = None
) -> dict[str, Any]:
    """PUT: the referral moved to the Task's status (``version``: the If-Match version)."""
    referral = referral_get(actor=actor, referral_id=task_id)
    task = _validated(body, task_id)
    step = _step(referral, task)
    if step is not None:
        referral_act(actor=actor, referral=referral, data=_act_input(step, task, version))
        referral = referral_get(actor=actor, referral_id=task_id)
    return task_resource(referral, referral_events(referral))


def task_patch(
    *, actor: Actor, task_id: str, patch: Any, version: int | None = None
) -> dict[str, Any]:
    """PATCH (JSON Patch) of the Task as it stands, then as PUT."""
    referral = referral_get(actor=actor, referral_id=task_id)
    current = task_resource(referral, referral_events(referral))
    return task_update(
        actor=actor, task_id=task_id, body=apply_patch(current, patch), version=version
    )
