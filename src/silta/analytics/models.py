"""Daily aggregates of the handoff figures (issue 12), kept by the worker.

The handoff statements otherwise read every referral event of the period. These tables
hold the same counts per Europe/Helsinki day, written only by :mod:`silta.analytics.daily`
from the same SQL the live figures use; the dashboard reads them for the days built and
counts the others (today, a missed day, a day made stale) live, so the answers are the
live queries' answers (``tests/test_daily.py`` compares them).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HandoffDay(models.Model):
    """Handoffs of one day by kind, acting unit, other unit, the referral's two parties
    (the scope filter), the return reason and the referral's expense kind."""

    day = models.DateField()
    kind = models.CharField(max_length=20)
    unit_id = models.BigIntegerField(null=True)  # the unit that handed it off
    other_id = models.BigIntegerField(null=True)
    sender_id = models.BigIntegerField()
    receiver_id = models.BigIntegerField()
    reason = models.CharField(max_length=40, blank=True)
    expense_kind = models.CharField(max_length=40, blank=True)
    handoffs = models.IntegerField()

    class Meta:
        verbose_name = _("handoffs of a day")
        verbose_name_plural = _("handoffs of a day")
        indexes = [
            models.Index(fields=["day"], name="handoffday_day"),
            models.Index(fields=["sender_id", "day"], name="handoffday_sender"),
            models.Index(fields=["receiver_id", "day"], name="handoffday_receiver"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.handoffs}"


class HandoffClientDay(models.Model):
    """Handoffs of one day per client and the referral's two parties (clients by their
    number of handoffs are summed over the period from these)."""

    day = models.DateField()
    client_id = models.BigIntegerField()
    sender_id = models.BigIntegerField()
    receiver_id = models.BigIntegerField()
    handoffs = models.IntegerField()

    class Meta:
        verbose_name = _("client's handoffs of a day")
        verbose_name_plural = _("clients' handoffs of a day")
        indexes = [
            models.Index(fields=["day"], name="handoffclientday_day"),
            models.Index(fields=["sender_id", "day"], name="handoffclientday_sender"),
            models.Index(fields=["receiver_id", "day"], name="handoffclientday_receiver"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.handoffs}"


class BuiltDay(models.Model):
    """A day whose aggregates are written, and when (its expense kinds are as of then)."""

    day = models.DateField(primary_key=True)
    built_at = models.DateTimeField()

    class Meta:
        verbose_name = _("aggregated day")
        verbose_name_plural = _("aggregated days")

    def __str__(self) -> str:
        return str(self.day)


class Refresh(models.Model):
    """One run of the worker's refresh: the days it wrote. Every run rewrites the days
    whose expense kinds a return since the previous run may have renamed, so after a run
    all built days hold the kinds as of its start."""

    started_at = models.DateTimeField()
    days = models.IntegerField()

    class Meta:
        verbose_name = _("aggregate refresh")
        verbose_name_plural = _("aggregate refreshes")
        get_latest_by = "started_at"

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.days}"


class ResponseDay(models.Model):
    """Response-time sums of the referrals that arrived on one day, per receiving and
    sending unit, over the referrals settled (completed, rejected or cancelled: no
    transition leaves these) before the day's ``BuiltDay.built_at``. A settled referral
    never changes again, so these sums stay true; every other referral of the day (open,
    returned, or settled after the build) is counted live (:mod:`silta.analytics.response_sql`)."""

    day = models.DateField()  # the arrival day (Referral.arrived_on)
    receiver_id = models.BigIntegerField()
    sender_id = models.BigIntegerField()
    received = models.IntegerField()
    acknowledged = models.IntegerField()
    days_to_acknowledge = models.IntegerField()
    acknowledged_in_time = models.IntegerField()
    completed = models.IntegerField()
    days_to_outcome = models.IntegerField()
    completed_in_time = models.IntegerField()

    class Meta:
        verbose_name = _("response times of a day")
        verbose_name_plural = _("response times of a day")
        indexes = [
            models.Index(fields=["day"], name="responseday_day"),
            models.Index(fields=["sender_id", "day"], name="responseday_sender"),
            models.Index(fields=["receiver_id", "day"], name="responseday_receiver"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.received}"
