"""The working-day calendar as a table, so that SQL counts working days (issue 12).

One row per calendar day, written only from :mod:`silta.workdays.calendar` by
:func:`silta.workdays.table.calendar_fill`. ``n`` is the day's working-day ordinal: the
working days from :data:`~silta.workdays.table.EPOCH` up to and including the day
(negative before it). Working days after ``a`` up to and including ``b`` are
``n(b) - n(a)``: the arrival day is never counted, whatever day it is (DOMAIN.md §3),
exactly as ``calendar.working_days_between``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkingDay(models.Model):
    day = models.DateField(_("day"), primary_key=True)
    working = models.BooleanField(_("working day"))
    # Working days from the epoch up to and including this day.
    n = models.IntegerField()
    # The first day of the day's month (figures by month group on it).
    month = models.DateField()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.day} {self.n}"
