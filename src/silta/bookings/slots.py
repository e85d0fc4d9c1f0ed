"""Publishing appointment slots: one, or a series over working days (Helsinki time;
weekends and Finnish public holidays skipped, ``silta.workdays.calendar``).

Two slots of the same resource (who serves) may not overlap: checked under a lock on the
serving unit's row, and on PostgreSQL also by an exclusion constraint (migration 0002).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.bookings.inputs import PublishInput
from silta.bookings.models import Slot, SlotChannel
from silta.bookings.permissions import can_publish
from silta.core.errors import Conflict, Invalid
from silta.directory.models import Topic
from silta.meetings import validation
from silta.meetings.inputs import PlaceInput
from silta.organisations.models import Unit
from silta.workdays.calendar import HELSINKI, is_working_day

# One publication at most (a year of a full day's 30-minute slots is about 3,000).
MAX_SLOTS = 4000
MAX_DAYS = 366


def publishable_units(actor: Actor) -> list[Unit]:
    """The active units whose slots the actor may publish."""
    allowed = actor.units_with(Perm.MEETING_ORGANISE)
    rows = Unit.objects.select_related("organisation").filter(pk__in=allowed, is_active=True)
    return list(rows.order_by("name_fi", "pk"))


def serving_unit(actor: Actor, unit_id: uuid.UUID | None) -> Unit:
    """The actor's unit that publishes: the one named, or the only one they may publish in."""
    allowed = actor.units_with(Perm.MEETING_ORGANISE)
    units = Unit.objects.select_related("organisation").filter(pk__in=allowed, is_active=True)
    if unit_id is not None:
        found = units.filter(public_id=unit_id).first()
        if found is None:
            raise deny(actor, hide=True, detail={"slots_publish": str(unit_id)})
        return found
    rows = list(units[:2])
    if not rows:
        raise deny(actor, detail={"slots_publish": ""})
    if len(rows) > 1:
        raise Invalid(_("Choose the serving unit."), code="unit_required", field="unit_id")
    return rows[0]


def _place(unit: Unit, data: PublishInput) -> dict[str, Any]:
    details = (data.place_details or "").strip()
    if data.channel == SlotChannel.IN_PERSON:
        address = validation.visiting_address(unit)
        if not address:
            raise Invalid(
                _("The unit has no visiting address in the directory: add it there first."),
                code="visiting_address_missing",
                field="channel",
            )
        text = f"{address} ({details})" if details else address
        return {"place_text": text[:500], "video_platform": ""}
    if data.channel == SlotChannel.PHONE:
        text = details or str(_("The unit calls the client at the time booked."))
        return {"place_text": text[:500], "video_platform": ""}
    if data.channel == SlotChannel.VIDEO:
        video = validation.place(
            PlaceInput(
                place_kind="video", video_url=data.video_url, video_platform=data.video_platform
            )
        )
        return {"place_text": video["place_text"], "video_platform": video["video_platform"]}
    raise Invalid(
        _("Choose how the appointment is held: in person, by phone or by video."),
        code="channel_required",
        field="channel",
    )


def _series(data: PublishInput, length: dt.timedelta) -> list[dt.datetime]:
    first, last, start, end = data.first_day, data.last_day, data.day_start, data.day_end
    if first is None or last is None or start is None or end is None:
        raise Invalid(
            _("Give either one time, or the days and the hours of a series."),
            code="times_required",
            field="starts_at",
        )
    if last < first or (last - first).days >= MAX_DAYS:
        raise Invalid(
            _("The last day must be on or after the first, within a year."),
            code="days_invalid",
            field="last_day",
        )
    if not 5 <= data.every_minutes <= 480:
        raise Invalid(
            _("Start a slot every 5 to 480 minutes."), code="every_invalid", field="every_minutes"
        )
    if data.every_minutes * 60 < length.total_seconds():
        raise Invalid(
            _("The slots of the series would overlap: start one at most as often as it lasts."),
            code="slot_overlap",
            field="every_minutes",
        )
    if end <= start:
        raise Invalid(_("The day ends before it starts."), code="hours_invalid", field="day_end")
    step = dt.timedelta(minutes=data.every_minutes)
    times = []
    for offset in range((last - first).days + 1):
        day = first + dt.timedelta(days=offset)
        if not is_working_day(day):
            continue
        moment, close = dt.datetime.combine(day, start), dt.datetime.combine(day, end)
        while moment + length <= close:
            times.append(moment.replace(tzinfo=HELSINKI))
            moment += step
    return times


def planned_times(data: PublishInput, now: dt.datetime) -> list[dt.datetime]:
    """The start times asked for, in UTC, future only, sorted."""
    if not 5 <= data.duration_minutes <= 480:
        raise Invalid(
            _("An appointment lasts from 5 minutes to 8 hours."),
            code="duration_invalid",
            field="duration_minutes",
        )
    length = dt.timedelta(minutes=data.duration_minutes)
    if data.starts_at is not None:
        if data.first_day is not None or data.last_day is not None:
            raise Invalid(
                _("Give either one time or a series, not both."),
                code="times_ambiguous",
                field="starts_at",
            )
        times = [validation.aware(data.starts_at)]
        if times[0] <= now:
            raise Invalid(_("This time has already passed."), code="time_past", field="starts_at")
    else:
        times = [t for t in _series(data, length) if t > now]
    if not times:
        raise Invalid(
            _("The series has no working day with a future time."),
            code="no_working_days",
            field="first_day",
        )
    if len(times) > MAX_SLOTS:
        raise Invalid(
            _("At most %(count)s slots at a time.") % {"count": MAX_SLOTS},
            code="too_many_slots",
            field="last_day",
        )
    return sorted(t.astimezone(dt.UTC) for t in times)


def _overlap(unit: Unit, resource: str, times: list[dt.datetime], length: dt.timedelta) -> None:
    existing = list(
        Slot.objects.filter(
            unit=unit,
            resource=resource,
            starts_at__lt=times[-1] + length,
            ends_at__gt=times[0],
        )
        .order_by("starts_at")
        .values_list("starts_at", "ends_at")
    )
    index = 0
    for start in times:
        while index < len(existing) and existing[index][1] <= start:
            index += 1
        if index < len(existing) and existing[index][0] < start + length:
            raise overlap_error(resource, existing[index][0])


def overlap_error(resource: str, at: dt.datetime) -> Conflict:
    when = formats.date_format(timezone.localtime(at), "SHORT_DATETIME_FORMAT")
    return Conflict(
        _("%(resource)s already has a slot at %(when)s: slots of the same person may not overlap.")
        % {"resource": resource, "when": when},
        code="slot_overlap",
    )


def _validate(data: PublishInput, unit: Unit, now: dt.datetime) -> dict[str, Any]:
    if data.topic not in Topic.values:
        raise Invalid(_("Choose the topic."), code="topic_required", field="topic")
    resource = " ".join((data.resource or "").split())[:200]
    if not resource:
        raise Invalid(
            _("Say who serves (a name or a title such as “service advisor”)."),
            code="resource_required",
            field="resource",
        )
    return {
        "topic": data.topic,
        "channel": data.channel,
        "resource": resource,
        **_place(unit, data),
        "times": planned_times(data, now),
    }


def slots_publish(*, actor: Actor, data: PublishInput) -> list[Slot]:
    """Publish the serving unit's slots; an overlap with the resource's own is refused."""
    unit = serving_unit(actor, data.unit_id)
    if not can_publish(actor, unit.pk):
        raise deny(actor, detail={"slots_publish": str(unit.public_id)})
    now = timezone.now()
    values = _validate(data, unit, now)
    times = values.pop("times")
    length = dt.timedelta(minutes=data.duration_minutes)
    series = uuid.uuid4() if len(times) > 1 else None
    try:
        with transaction.atomic():
            Unit.objects.select_for_update().filter(pk=unit.pk).first()  # the checked lock
            _overlap(unit, values["resource"], times, length)
            slots = Slot.objects.bulk_create(
                [
                    Slot(
                        unit=unit,
                        starts_at=t,
                        ends_at=t + length,
                        series=series,
                        published_at=now,
                        published_by_label=actor.label,
                        **values,
                    )
                    for t in times
                ]
            )
            record(
                actor=actor,
                action=AuditAction.CREATE,
                unit_id=unit.pk,
                detail={"slots": len(slots), "series": str(series or ""), "topic": data.topic},
            )
    except IntegrityError:  # the exclusion constraint: a concurrent publication won
        raise overlap_error(values["resource"], times[0]) from None
    return slots
