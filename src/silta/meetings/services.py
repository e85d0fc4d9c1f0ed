"""Meetings: create, propose times, answer, confirm, change the place, cancel, agenda.

Every write takes the acting worker and one typed input, checks the role and the
meeting's state, works in one transaction with its audit event, and sends the
invitations (iCalendar) after the transaction. Totul 14 d §: the joint meeting the
client asked for; the request referral's deadline shows until a time is confirmed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.accounts.models import Membership
from silta.accounts.roles import Perm
from silta.audit import denial
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.consents.codes import DisclosureKind
from silta.consents.disclosures import audit_late_refusals
from silta.consents.gate import gate_decide, gate_log
from silta.core.errors import Conflict, Invalid, ServiceError
from silta.core.events import EventType, publish
from silta.exchange.models import Case
from silta.exchange.permissions import acting_unit_for_case
from silta.meetings import validation
from silta.meetings.ical import CANCEL, REQUEST
from silta.meetings.inputs import (
    AgendaInput,
    AnswerInput,
    ConfirmInput,
    MeetingCancelInput,
    MeetingInput,
    PlaceInput,
    TimesInput,
)
from silta.meetings.mail import send_invitations
from silta.meetings.models import (
    AgendaItem,
    Answer,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Participant,
    ProposedTime,
    TimeAnswer,
)
from silta.meetings.permissions import acting_unit, can_add_agenda, can_answer_for, can_organise
from silta.notifications.models import NotificationKind
from silta.notifications.services import notify_client
from silta.referrals.models import Referral
from silta.referrals.types import ReferralType


def deny(actor: Actor, meeting: Meeting | None, what: str) -> ServiceError:
    """The refusal of a party whose role lacks the action (``audit.denial``): audited, 403."""
    return denial.deny(actor, obj=meeting, detail={"meeting_action": what})


def audit(actor: Actor, meeting: Meeting, action: AuditAction, detail: dict[str, Any]) -> None:
    publish(EventType.MEETING_CHANGED, meeting.case.party_unit_ids, "meeting", meeting.public_id)
    record(
        actor=actor,
        action=action,
        obj=meeting,
        client=meeting.case.client,
        unit_id=acting_unit(actor, meeting, Perm.CASE_VIEW),
        legal_basis=meeting.case.legal_basis,
        detail=detail,
    )


def locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("case__client").get(pk=meeting.pk)


def notify_participant_client(meeting: Meeting, kind: NotificationKind) -> None:
    """Tell the client of a meeting they are invited to that there is something new
    (``silta.notifications``: no detail of the meeting goes out)."""
    if meeting.with_client:
        notify_client(meeting.case.client, kind)


def require_organiser(actor: Actor, meeting: Meeting, what: str) -> None:
    if not can_organise(actor, meeting):
        raise deny(actor, meeting, what)


def require_open(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise Conflict(_("This meeting is cancelled."), code="meeting_cancelled")
    if not meeting.is_open:
        raise Conflict(_("This meeting has already been held."), code="meeting_held")


def _referral(case: Case, referral_id: Any) -> Referral | None:
    if referral_id is None:
        return None
    referral = Referral.objects.filter(
        case=case, public_id=referral_id, type=ReferralType.MEETING_REQUEST
    ).first()
    if referral is None:
        raise Invalid(
            _("Link only a meeting request of this case."),
            code="referral_invalid",
            field="referral_id",
        )
    return referral


def _staff(case: Case, user_ids: list[Any], actor: Actor) -> list[Membership]:
    """The workers of the case's party units asked (the organiser first)."""
    rows = Membership.objects.filter(unit_id__in=case.party_unit_ids).select_related("user", "unit")
    wanted = {str(u) for u in user_ids}
    found = [m for m in rows if str(m.user.public_id) in wanted]
    if len({str(m.user.public_id) for m in found}) != len(wanted):
        raise Invalid(
            _("Invite only workers of the case's units."),
            code="participant_invalid",
            field="participant_ids",
        )
    own = [m for m in rows if actor.user is not None and m.user_id == actor.user.pk]
    unique: dict[int, Membership] = {}
    for membership in own + found:
        unique.setdefault(membership.user_id, membership)
    return list(unique.values())


def _validate(case: Case, data: MeetingInput, actor: Actor) -> dict[str, Any]:
    if data.kind not in MeetingKind.values:
        raise Invalid(_("Choose the kind of meeting."), code="kind_required", field="kind")
    title = (data.title or "").strip()
    if not title:
        raise Invalid(_("Give the meeting a title."), code="title_required", field="title")
    if not 15 <= data.duration_minutes <= 480:
        raise Invalid(
            _("A meeting lasts from 15 minutes to 8 hours."),
            code="duration_invalid",
            field="duration_minutes",
        )
    if data.externals and data.kind != MeetingKind.NETWORK:
        raise Invalid(
            _("People from outside Silta are invited to network meetings only."),
            code="externals_network_only",
            field="externals",
        )
    return {
        "kind": data.kind,
        "title": title[:200],
        "duration_minutes": data.duration_minutes,
        "referral": _referral(case, data.referral_id),
        "staff": _staff(case, data.participant_ids, actor),
        "externals": [validation.external(e) for e in data.externals],
        "agenda": [t.strip()[:500] for t in data.agenda if t.strip()],
        "times": validation.proposed_times(data.times) if data.times else [],
        **validation.place(data),
    }


def meeting_create(*, actor: Actor, case: Case, data: MeetingInput) -> Meeting:
    """A meeting on ``case``, organised by the actor's party unit."""
    unit_id = acting_unit_for_case(actor, case, Perm.MEETING_ORGANISE)
    if unit_id is None:
        raise deny(actor, None, "create")
    values = _validate(case, data, actor)
    staff, externals = values.pop("staff"), values.pop("externals")
    agenda, times = values.pop("agenda"), values.pop("times")
    # The meeting's title, agenda and times reach the case's other unit: a disclosure,
    # on a consent in force (no statutory basis covers it); refused before anything is
    # written, and logged with the meeting.
    disclosed = gate_decide(
        actor=actor,
        client=case.client,
        unit_id=unit_id,
        recipient=case.counterpart_of(unit_id),
        kind=DisclosureKind.MEETING,
        object_type="meeting",
    )
    now = timezone.now()
    with audit_late_refusals(), transaction.atomic():
        meeting = Meeting.objects.create(
            case=case,
            organiser_unit_id=unit_id,
            organiser=actor.user,
            organiser_label=actor.label,
            created_at=now,
            **values,
        )
        Participant.objects.bulk_create(
            [
                Participant(meeting=meeting, user=m.user, unit=m.unit, name=m.user.display_name)
                for m in staff
            ]
            + [Participant(meeting=meeting, **e) for e in externals]
        )
        AgendaItem.objects.bulk_create(
            [
                AgendaItem(meeting=meeting, text=t, added_by_label=actor.label, added_at=now)
                for t in agenda
            ]
        )
        ProposedTime.objects.bulk_create(
            [ProposedTime(meeting=meeting, starts_at=t) for t in times]
        )
        gate_log(disclosed, object_id=meeting.public_id)
        audit(
            actor,
            meeting,
            AuditAction.CREATE,
            {"meeting": str(meeting.public_id), "kind": meeting.kind},
        )
    return meeting


def meeting_propose_times(*, actor: Actor, meeting: Meeting, data: TimesInput) -> Meeting:
    """2-5 future times replace the earlier proposal and its answers; a confirmed meeting
    goes back to finding a time (the next confirmation updates the invitation)."""
    require_organiser(actor, meeting, "propose_times")
    times = validation.proposed_times(data.times)
    with transaction.atomic():
        meeting = locked(meeting)
        require_open(meeting)
        meeting.times.all().delete()
        ProposedTime.objects.bulk_create(
            [ProposedTime(meeting=meeting, starts_at=t) for t in times]
        )
        meeting.status, meeting.starts_at = MeetingStatus.SCHEDULING, None
        meeting.save(update_fields=["status", "starts_at"])
        audit(actor, meeting, AuditAction.UPDATE, {"times": len(times)})
    return meeting


def _participant(actor: Actor, meeting: Meeting, participant_id: Any) -> Participant:
    rows = meeting.participants.all()
    if participant_id is not None:
        found = rows.filter(public_id=participant_id).first()
    else:
        found = rows.filter(user=actor.user).first() if actor.user is not None else None
    if found is None:
        raise Invalid(_("You are not a participant of this meeting."), code="not_participant")
    if not can_answer_for(actor, meeting, found):
        raise deny(actor, meeting, "answer")
    return found


def meeting_answer(*, actor: Actor, meeting: Meeting, data: AnswerInput) -> Meeting:
    """Yes / no / maybe for proposed times, by the participant (or for an external
    participant, by the organiser)."""
    participant = _participant(actor, meeting, data.participant_id)
    times = {t.starts_at: t for t in meeting.times.all()}
    rows: list[tuple[ProposedTime, str]] = []
    for item in data.answers:
        time = times.get(validation.aware(item.starts_at).astimezone(dt.UTC))
        if time is None:
            raise Invalid(
                _("Answer only the proposed times."), code="time_not_proposed", field="answers"
            )
        if item.answer not in Answer.values:
            raise Invalid(_("Answer yes, no or maybe."), code="answer_invalid", field="answers")
        rows.append((time, item.answer))
    if not rows:
        raise Invalid(
            _("Answer at least one proposed time."), code="answers_required", field="answers"
        )
    now = timezone.now()
    with transaction.atomic():
        meeting = locked(meeting)
        if meeting.status != MeetingStatus.SCHEDULING:
            raise Conflict(_("The time is no longer being agreed."), code="not_scheduling")
        for time, answer in rows:
            TimeAnswer.objects.update_or_create(
                time=time,
                participant=participant,
                defaults={"answer": answer, "answered_by_label": actor.label, "answered_at": now},
            )
        audit(actor, meeting, AuditAction.UPDATE, {"answers": len(rows)})
    return meeting


def _next_sequence(meeting: Meeting) -> int:
    return 0 if meeting.sequence is None else meeting.sequence + 1


def meeting_confirm(*, actor: Actor, meeting: Meeting, data: ConfirmInput) -> Meeting:
    """One of the proposed times (a time nobody was offered is refused); the invitation
    (METHOD:REQUEST) goes to every participant with an e-mail address."""
    require_organiser(actor, meeting, "confirm")
    if data.starts_at is None:
        raise Invalid(
            _("Choose one of the proposed times."), code="time_required", field="starts_at"
        )
    wanted = validation.aware(data.starts_at).astimezone(dt.UTC)
    with transaction.atomic():
        meeting = locked(meeting)
        require_open(meeting)
        if meeting.status != MeetingStatus.SCHEDULING:
            raise Conflict(_("The time is already confirmed."), code="already_confirmed")
        if not meeting.times.filter(starts_at=wanted).exists():
            raise Invalid(
                _("Confirm one of the proposed times: nobody was offered this one."),
                code="time_not_proposed",
                field="starts_at",
            )
        if wanted <= timezone.now():
            raise Invalid(_("This time has already passed."), code="time_past", field="starts_at")
        update = meeting.sequence is not None
        meeting.status, meeting.starts_at = MeetingStatus.CONFIRMED, wanted
        meeting.sequence = _next_sequence(meeting)
        meeting.save(update_fields=["status", "starts_at", "sequence"])
        audit(actor, meeting, AuditAction.UPDATE, {"confirmed": wanted.isoformat()})
        notify_participant_client(
            meeting,
            NotificationKind.MEETING_CHANGED if update else NotificationKind.MEETING_CONFIRMED,
        )
    send_invitations(meeting, REQUEST, update=update)
    return meeting


def meeting_change_place(*, actor: Actor, meeting: Meeting, data: PlaceInput) -> Meeting:
    """A new place; a confirmed meeting's invitation is updated (same UID, SEQUENCE + 1)."""
    require_organiser(actor, meeting, "place")
    values = validation.place(data)
    with transaction.atomic():
        meeting = locked(meeting)
        require_open(meeting)
        for name, value in values.items():
            setattr(meeting, name, value)
        confirmed = meeting.status == MeetingStatus.CONFIRMED
        if confirmed:
            meeting.sequence = _next_sequence(meeting)
        meeting.save()
        audit(actor, meeting, AuditAction.UPDATE, {"place": meeting.place_kind})
        if confirmed:
            notify_participant_client(meeting, NotificationKind.MEETING_CHANGED)
    if confirmed:
        send_invitations(meeting, REQUEST, update=True)
    return meeting


def meeting_cancel(*, actor: Actor, meeting: Meeting, data: MeetingCancelInput) -> Meeting:
    """Cancelled with a reason; invitations already sent are withdrawn (METHOD:CANCEL)."""
    require_organiser(actor, meeting, "cancel")
    reason = (data.reason or "").strip()
    if not reason:
        raise Invalid(_("Give a reason for cancelling."), code="reason_required", field="reason")
    with transaction.atomic():
        meeting = locked(meeting)
        require_open(meeting)
        invited = meeting.sequence is not None and meeting.starts_at is not None
        meeting.status, meeting.cancelled_reason = MeetingStatus.CANCELLED, reason[:500]
        if invited:
            meeting.sequence = _next_sequence(meeting)
        meeting.save(update_fields=["status", "cancelled_reason", "sequence"])
        audit(actor, meeting, AuditAction.UPDATE, {"status": "cancelled"})
        if invited:
            notify_participant_client(meeting, NotificationKind.MEETING_CANCELLED)
    if invited:
        send_invitations(meeting, CANCEL)
    return meeting


def agenda_add(*, actor: Actor, meeting: Meeting, data: AgendaInput) -> AgendaItem:
    """Either party adds an item before the meeting."""
    if not can_add_agenda(actor, meeting):
        raise deny(actor, meeting, "agenda")
    text = (data.text or "").strip()
    if not text:
        raise Invalid(_("Write the agenda item."), code="agenda_empty", field="text")
    with transaction.atomic():
        meeting = locked(meeting)
        require_open(meeting)
        item = AgendaItem.objects.create(
            meeting=meeting, text=text[:500], added_by_label=actor.label, added_at=timezone.now()
        )
        audit(actor, meeting, AuditAction.UPDATE, {"agenda": item.pk})
    return item
