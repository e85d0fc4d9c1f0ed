"""Meetings on a shared case: tripartite (Totul 14 d §), network meetings
(verkostopalaveri) and case conferences; proposed times and answers, the confirmed time
and place, the agenda, the minutes and the agreed actions tracked to done.

A meeting belongs to a shared case: its contents are client data, seen only by the
case's party units. External participants (named people outside Silta) get only the
time, the place and the organiser, by e-mail.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from silta.exchange.models import Case
from silta.organisations.models import Unit
from silta.referrals.models import Referral


class MeetingKind(models.TextChoices):
    TRIPARTITE = "tripartite", _("Tripartite meeting (client, Kela and social services)")
    NETWORK = "network", _("Network meeting")
    CASE_CONFERENCE = "case_conference", _("Case conference without the client")


# The kinds the client is invited to: their attendance is recorded in the minutes.
KINDS_WITH_CLIENT = (MeetingKind.TRIPARTITE, MeetingKind.NETWORK)


class MeetingStatus(models.TextChoices):
    SCHEDULING = "scheduling", _("Finding a time")
    CONFIRMED = "confirmed", _("Confirmed")
    HELD = "held", _("Held (minutes recorded)")
    CANCELLED = "cancelled", _("Cancelled")


class PlaceKind(models.TextChoices):
    UNIT_ADDRESS = "unit_address", _("A unit's visiting address")
    PHONE = "phone", _("Phone conference")
    VIDEO = "video", _("Video meeting")


class Meeting(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The iCalendar UID: one per meeting, kept through every update and the cancellation.
    ical_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    organiser_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    organiser_label = models.CharField(max_length=300)
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus.choices, default="scheduling"
    )
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    place_kind = models.CharField(_("place"), max_length=15, choices=PlaceKind.choices)
    place_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The place as invitations show it: the address, the conference number or the link.
    place_text = models.CharField(_("place"), max_length=500)
    video_platform = models.CharField(_("video platform"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("time"), null=True, blank=True)
    # RFC 5545 SEQUENCE of the last invitation sent; None until the first one.
    sequence = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    cancelled_reason = models.CharField(_("reason"), max_length=500, blank=True)
    # The minutes (pöytäkirja / muistio).
    client_attended = models.BooleanField(_("the client attended"), null=True, blank=True)
    agreed = models.TextField(_("what was agreed"), blank=True)
    minutes_at = models.DateTimeField(null=True, blank=True)
    minutes_by_label = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["case", "-created_at"], name="meeting_case")]

    def __str__(self) -> str:
        return str(self.public_id)

    @property
    def with_client(self) -> bool:
        return self.kind in KINDS_WITH_CLIENT

    @property
    def is_open(self) -> bool:
        return self.status in (MeetingStatus.SCHEDULING, MeetingStatus.CONFIRMED)


class ProposedTime(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="times")
    starts_at = models.DateTimeField(_("time"))

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "starts_at"], name="meeting_time_unique")
        ]

    def __str__(self) -> str:
        return self.starts_at.isoformat()


class Participant(models.Model):
    """A worker of a party unit, or a named person outside Silta (by e-mail)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=models.Q(user__isnull=False),
                name="meeting_participant_user_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_external(self) -> bool:
        return self.user_id is None


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    MAYBE = "maybe", _("Maybe")


class TimeAnswer(models.Model):
    time = models.ForeignKey(ProposedTime, on_delete=models.CASCADE, related_name="answers")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(_("answer"), max_length=5, choices=Answer.choices)
    answered_by_label = models.CharField(max_length=300)
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["time", "participant"], name="meeting_answer_unique")
        ]

    def __str__(self) -> str:
        return self.answer


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    text = models.CharField(_("agenda item"), max_length=500)
    added_by_label = models.CharField(max_length=300)
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.text


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class MeetingAction(models.Model):
    """An agreed action: an owner (a party unit, or a participant), a due date, a status."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(_("action"), max_length=500)
    owner_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_date = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default="open"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    updated_by_label = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("agreed action")
        verbose_name_plural = _("agreed actions")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner_unit__isnull=False)
                | models.Q(owner_participant__isnull=False),
                name="meeting_action_has_owner",
            )
        ]
        indexes = [models.Index(fields=["owner_unit", "status", "due_date"], name="action_unit")]

    def __str__(self) -> str:
        return self.text

    @property
    def owner_label(self) -> str:
        if self.owner_participant is not None:
            return self.owner_participant.name
        return self.owner_unit.name if self.owner_unit is not None else ""
