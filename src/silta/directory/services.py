"""Keeping the directory fresh: verify, edit a unit and its channels. Every change bumps
the unit's version (a stale edit is refused) and is kept in the unit's history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.accounts.models import User
from silta.audit.denial import deny
from silta.core.errors import Conflict, Invalid
from silta.core.text import fold
from silta.directory.hours import TimeRange
from silta.directory.models import (
    Channel,
    ChannelKind,
    HoursException,
    ServiceArea,
    Topic,
    UnitChange,
    WeeklyHours,
)
from silta.directory.permissions import editable_by
from silta.directory.phones import normalise_phone
from silta.organisations.models import Unit, UnitKind


def unit_search_text(unit: Unit) -> str:
    """Names of the unit and its organisation, the unit kind in fi/sv/en and the names of
    the municipalities it serves, folded for search."""
    from django.utils import translation

    parts = [unit.name_fi, unit.name_sv, unit.organisation.name_fi, unit.organisation.name_sv]
    for language in ("fi", "sv", "en"):
        with translation.override(language):
            parts.append(str(UnitKind(unit.kind).label))
    areas = ServiceArea.objects.filter(unit=unit).select_related("municipality")
    names = {name for a in areas for name in (a.municipality.name_fi, a.municipality.name_sv)}
    return fold(" ".join([*parts, *sorted(names)]))


def unit_refresh_search_text(unit: Unit) -> None:
    Unit.objects.filter(pk=unit.pk).update(search_text=unit_search_text(unit))


def require_owner(unit: Unit, user: User | None) -> None:
    """Owners only (the unit's managers and named editors); a refusal is audited."""
    if not editable_by(unit, user):
        raise deny(
            None,
            message=_("Only the unit's manager and named editors can change its entry."),
            user=user,
            detail={"directory_edit": str(unit.public_id)},
        )


def _check_version(unit: Unit, seen_version: int | None) -> Unit:
    locked = Unit.objects.select_for_update().get(pk=unit.pk)
    if seen_version is not None and locked.version != seen_version:
        raise Conflict(
            _("Someone changed this unit's entry meanwhile. Reload the page and try again."),
            code="unit_stale",
        )
    return locked


def _log(unit: Unit, user: User | None, summary: str, changes: dict[str, Any]) -> None:
    now = timezone.now()
    Unit.objects.filter(pk=unit.pk).update(version=unit.version + 1)
    unit.version += 1
    UnitChange.objects.create(
        unit=unit,
        user=user,
        actor_label=user.display_name if user else "system",
        at=now,
        summary=summary,
        changes=changes,
    )


def unit_verify(*, user: User, unit: Unit, seen_version: int | None = None) -> Unit:
    """ "I have checked this entry": one click after review resets the 90-day clock."""
    require_owner(unit, user)
    with transaction.atomic():
        locked = _check_version(unit, seen_version)
        now = timezone.now()
        Unit.objects.filter(pk=unit.pk).update(verified_at=now, verified_by=user)
        locked.verified_at, locked.verified_by = now, user
        _log(locked, user, "verified", {})
    return locked


def unit_update(
    *, user: User, unit: Unit, description_fi: str, description_sv: str, seen_version: int
) -> Unit:
    require_owner(unit, user)
    with transaction.atomic():
        locked = _check_version(unit, seen_version)
        changes = {
            field: [getattr(locked, field), value]
            for field, value in (
                ("description_fi", description_fi.strip()),
                ("description_sv", description_sv.strip()),
            )
            if getattr(locked, field) != value
        }
        if changes:
            Unit.objects.filter(pk=unit.pk).update(**{k: v[1] for k, v in changes.items()})
            _log(locked, user, "description", changes)
    return locked


@dataclass(frozen=True)
class ChannelInput:
    kind: str
    label_fi: str = ""
    label_sv: str = ""
    phone: str = ""
    email: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    always_open: bool = False
    closed_on_holidays: bool = True
    weekly: dict[int, tuple[TimeRange, ...]] | None = None
    exceptions: dict[dt.date, tuple[TimeRange, ...]] | None = None


def channel_values(data: ChannelInput) -> dict[str, Any]:
    if data.kind not in ChannelKind.values:
        raise Invalid(_("Choose the kind of channel."), code="channel_kind", field="kind")
    values: dict[str, Any] = {
        "kind": data.kind,
        "label_fi": data.label_fi.strip(),
        "label_sv": data.label_sv.strip(),
        "phone": "",
        "email": "",
        "street": "",
        "postal_code": "",
        "city": "",
        "always_open": data.always_open,
        "closed_on_holidays": data.closed_on_holidays,
    }
    if data.kind in (ChannelKind.PHONE, ChannelKind.CALLBACK):
        values["phone"] = normalise_phone(data.phone)
    elif data.kind == ChannelKind.SECURE_EMAIL:
        email = data.email.strip()
        if "@" not in email or " " in email:
            raise Invalid(_("Enter an e-mail address."), code="email_invalid", field="email")
        values["email"] = email
    else:
        postal = data.postal_code.strip()
        if (
            not data.street.strip()
            or not data.city.strip()
            or not (len(postal) == 5 and postal.isdigit())
        ):
            raise Invalid(
                _("Enter the street address, a five-digit postal code and the city."),
                code="address_invalid",
                field="street",
            )
        values.update(street=data.street.strip(), postal_code=postal, city=data.city.strip())
    return values


def channel_write_hours(channel: Channel, data: ChannelInput) -> None:
    if data.weekly is not None:
        WeeklyHours.objects.filter(channel=channel).delete()
        WeeklyHours.objects.bulk_create(
            WeeklyHours(channel=channel, weekday=day, opens=_time(r.opens), closes=_time(r.closes))
            for day, ranges in sorted(data.weekly.items())
            for r in ranges
        )
    if data.exceptions is not None:
        HoursException.objects.filter(channel=channel).delete()
        rows = []
        for day, ranges in sorted(data.exceptions.items()):
            if not ranges:
                rows.append(HoursException(channel=channel, date=day))
            rows += [
                HoursException(
                    channel=channel, date=day, opens=_time(r.opens), closes=_time(r.closes)
                )
                for r in ranges
            ]
        HoursException.objects.bulk_create(rows)


def _time(minutes: int) -> dt.time:
    return dt.time(0, 0) if minutes >= 24 * 60 else dt.time(minutes // 60, minutes % 60)


def channel_save(
    *,
    user: User | None,
    unit: Unit,
    data: ChannelInput,
    channel: Channel | None = None,
    seen_version: int | None = None,
    check_owner: bool = True,
) -> Channel:
    """Create or replace a channel with its hours, in one transaction."""
    if check_owner:
        require_owner(unit, user)
    values = channel_values(data)
    with transaction.atomic():
        locked = _check_version(unit, seen_version)
        if channel is None:
            channel = Channel.objects.create(unit=unit, **values)
            before: dict[str, Any] = {}
        else:
            before = {k: getattr(channel, k) for k in values}
            Channel.objects.filter(pk=channel.pk, unit=unit).update(**values)
        channel_write_hours(channel, data)
        changes = {k: [before.get(k), v] for k, v in values.items() if before.get(k) != v}
        if data.weekly is not None:
            changes["weekly_hours"] = [
                None,
                {str(d): [r.label() for r in rs] for d, rs in data.weekly.items()},
            ]
        changes["channel"] = [str(channel.public_id), values["label_fi"] or values["kind"]]
        _log(locked, user, "channel_saved", changes)
    return channel


def channel_delete(*, user: User, unit: Unit, channel: Channel, seen_version: int) -> None:
    require_owner(unit, user)
    with transaction.atomic():
        locked = _check_version(unit, seen_version)
        label = str(channel)
        Channel.objects.filter(pk=channel.pk, unit=unit).delete()
        _log(locked, user, "channel_removed", {"channel": [str(channel.public_id), label]})


def service_areas_set(*, unit: Unit, topic: str, municipality_codes: list[str]) -> int:
    """Replace the municipalities a unit serves for a topic (loaders, imports, admin)."""
    if topic not in Topic.values:
        raise Invalid(_("Unknown topic."), code="topic_unknown")
    with transaction.atomic():
        ServiceArea.objects.filter(unit=unit, topic=topic).delete()
        ServiceArea.objects.bulk_create(
            ServiceArea(unit=unit, municipality_id=code, topic=topic)
            for code in sorted(set(municipality_codes))
        )
        unit_refresh_search_text(unit)
    return len(set(municipality_codes))
