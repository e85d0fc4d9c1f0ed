"""Shared cases, threads, messages, attachments, receipts and the case timeline.

A ``Case`` is one client's shared relationship between one Kela unit and one social
services unit: "one timeline per client and counterpart". Inside it, either side starts
``Thread``s (a topic: rent deposit, activation plan...). Each party unit has an
``InboxEntry`` per thread: its unread count, assignee and waiting time, so a unit's inbox
is one indexed query. ``CaseEvent`` rows form the timeline (messages sent, receipts,
claims, assignments...).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from silta.audit.models import LegalBasis
from silta.clients.models import Client
from silta.exchange.subjects import SubjectField
from silta.organisations.models import Unit
from silta.reference.expense_kinds import CODE_LENGTH, expense_kind_label


class Case(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="cases")
    kela_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    social_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    opened_at = models.DateTimeField(_("opened"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    opened_by_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    last_activity_at = models.DateTimeField()
    # Routing: the unit Silta suggested for the client's municipality and topic, and the
    # opener's reason when they chose another.
    topic = models.CharField(_("topic"), max_length=30, blank=True)
    suggested_unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    override_reason = models.CharField(_("reason for another unit"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("shared case")
        verbose_name_plural = _("shared cases")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "kela_unit", "social_unit"], name="case_unique_parties"
            )
        ]
        indexes = [
            models.Index(fields=["kela_unit", "-last_activity_at"], name="case_kela_activity"),
            models.Index(fields=["social_unit", "-last_activity_at"], name="case_social_activity"),
        ]

    def __str__(self) -> str:
        return str(self.public_id)

    @property
    def party_unit_ids(self) -> tuple[int, int]:
        return (self.kela_unit_id, self.social_unit_id)

    def counterpart_of(self, unit_id: int) -> int:
        return self.social_unit_id if unit_id == self.kela_unit_id else self.kela_unit_id

    def sides_from(self, unit_id: int) -> tuple[Unit, Unit]:
        """(the unit ``unit_id`` of this case, the other party's unit), as loaded."""
        if unit_id == self.kela_unit_id:
            return self.kela_unit, self.social_unit
        return self.social_unit, self.kela_unit


class ThreadStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Thread(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="threads")
    # What people typed, or a key of a subject Silta writes (shown translated, ``subjects``).
    subject = SubjectField(_("subject"), max_length=200)
    started_by_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    last_message_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=ThreadStatus.choices, default="open")
    # What the thread is about in the guide's terms (``reference.expense_kinds``), or "".
    expense_kind = models.CharField(_("expense kind"), max_length=CODE_LENGTH, blank=True)
    # Grows with every message: a form posted from an older page is refused as stale.
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [models.Index(fields=["case", "-last_message_at"], name="thread_case_recent")]

    def __str__(self) -> str:
        return self.subject

    @property
    def expense_kind_label(self) -> str:
        return expense_kind_label(self.expense_kind) if self.expense_kind else ""


class InboxEntry(models.Model):
    """A thread as it stands in one party unit's inbox."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="inbox_entries")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unread_count = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField()
    # Set when the counterpart writes and this unit has not answered yet.
    awaiting_reply_since = models.DateTimeField(null=True, blank=True)
    is_open = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "unit"], name="inbox_unique_thread_unit")
        ]
        indexes = [
            models.Index(fields=["unit", "-last_activity_at"], name="inbox_unit_recent"),
            models.Index(
                fields=["unit", "assignee", "-last_activity_at"], name="inbox_unit_assignee"
            ),
            models.Index(
                fields=["unit", "-last_activity_at"],
                condition=models.Q(unread_count__gt=0),
                name="inbox_unit_unread",
            ),
            models.Index(
                fields=["unit", "awaiting_reply_since"],
                condition=models.Q(awaiting_reply_since__isnull=False, is_open=True),
                name="inbox_unit_awaiting",
            ),
            models.Index(fields=["unit", "client"], name="inbox_unit_client"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.thread_id}"


class MessageKind(models.TextChoices):
    """Free-form now; structured kinds (referrals, document deliveries) come later and
    carry their fields in ``Message.payload``."""

    FREE_TEXT = "free_text", _("Message")


class Message(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Indexed by message_thread_time (thread, sent_at): no separate FK index.
    thread = models.ForeignKey(
        Thread, on_delete=models.PROTECT, related_name="messages", db_index=False
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40, choices=MessageKind.choices, default="free_text")
    body = models.TextField(_("message"))
    payload = models.JSONField(default=dict, blank=True)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    sender_label = models.CharField(max_length=300)
    sender_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    recipient_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    # The sending form's one-time token: a form posted twice sends one message.
    client_token = models.UUIDField(null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(
                fields=["sender_unit", "client_token"],
                condition=models.Q(client_token__isnull=False),
                name="message_unique_client_token",
            )
        ]
        indexes = [models.Index(fields=["thread", "sent_at"], name="message_thread_time")]

    def __str__(self) -> str:
        return str(self.public_id)


class Attachment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="attachments")
    storage_name = models.CharField(max_length=200, unique=True)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    # A PDF with JavaScript or self-running actions, kept under SILTA_PDF_ACTIVE_CONTENT=flag.
    active_content = models.BooleanField(_("active content"), default=False)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class ReceiptKind(models.TextChoices):
    DELIVERED = "delivered", _("Delivered")
    READ = "read", _("Read")


class Receipt(models.Model):
    """Automatic acknowledgement: delivered to the receiving unit, read by a person."""

    # Indexed by the unique (message, unit, kind) constraint.
    message = models.ForeignKey(
        Message, on_delete=models.PROTECT, related_name="receipts", db_index=False
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=ReceiptKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_label = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "unit", "kind"], name="receipt_unique_message_unit_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


class CaseEventKind(models.TextChoices):
    CASE_OPENED = "case_opened", _("Case opened")
    THREAD_STARTED = "thread_started", _("Thread started")
    MESSAGE_SENT = "message_sent", _("Message sent")
    MESSAGE_READ = "message_read", _("Message read")
    THREAD_CLAIMED = "thread_claimed", _("Thread claimed")
    THREAD_ASSIGNED = "thread_assigned", _("Thread assigned")
    THREAD_CLOSED = "thread_closed", _("Thread closed")
    THREAD_REOPENED = "thread_reopened", _("Thread reopened")
    REFERRAL_SEND = "referral_send", _("Referral sent")
    REFERRAL_RECEIVE = "referral_receive", _("Referral received")
    REFERRAL_ACCEPT = "referral_accept", _("Referral accepted")
    REFERRAL_REJECT = "referral_reject", _("Referral rejected")
    REFERRAL_RETURN = "referral_return", _("Referral returned")
    REFERRAL_START = "referral_start", _("Referral in progress")
    REFERRAL_HOLD = "referral_hold", _("More information asked")
    REFERRAL_RESUME = "referral_resume", _("Information supplied")
    REFERRAL_COMPLETE = "referral_complete", _("Referral completed with outcome")
    REFERRAL_CANCEL = "referral_cancel", _("Referral cancelled")
    REFERRAL_RESEND = "referral_resend", _("Referral sent again")
    # Not a transition: the consent the referral was sent on was revoked (or replaced).
    REFERRAL_CONSENT_REVOKED = "referral_consent_revoked", _("Consent revoked")


class CaseEvent(models.Model):
    """One line of the shared timeline: who did what and when."""

    # Indexed by caseevent_case_time (case, -at, -id).
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events", db_index=False)
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, null=True, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.PROTECT, null=True, related_name="+")
    kind = models.CharField(max_length=30, choices=CaseEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_label = models.CharField(max_length=300)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["case", "-at", "-id"], name="caseevent_case_time")]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"
