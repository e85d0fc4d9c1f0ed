"""Reading slots and bookings: the slot search (no client data), one access selector per
booking (404 for "missing" and "not yours", audited), a unit's bookings and slots.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.bookings.inputs import SearchInput
from silta.bookings.models import Booking, BookingStatus, Slot, SlotChannel
from silta.bookings.permissions import acting_unit, booking_filter, can_search
from silta.core.errors import Invalid
from silta.core.ids import parse_uuid
from silta.directory.models import ServiceArea, Topic
from silta.exchange.models import Case
from silta.exchange.permissions import visible_cases
from silta.reference.models import KelaServiceArea
from silta.referrals.models import Referral
from silta.referrals.types import ReferralType
from silta.workdays.calendar import HELSINKI

LIST_LIMIT = 200
MAX_SEARCH_DAYS = 92
# What a search result shows: the slot and its unit's names (not the unit's long texts),
# read as rows: building 200 Slot and Unit instances cost twice the query (issue 11).
ROW_FIELDS = (
    "pk", "public_id", "unit__public_id", "unit__name_fi", "unit__name_sv", "topic",
    "starts_at", "ends_at", "channel", "place_text", "video_platform", "resource",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class SlotRow:
    """A free slot as the search page and the API show it (no model instance)."""

    pk: int
    public_id: uuid.UUID
    unit_public_id: uuid.UUID
    unit_name_fi: str
    unit_name_sv: str
    topic: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    channel: str
    place_text: str
    video_platform: str
    resource: str

    @classmethod
    def of(cls, slot: Slot) -> SlotRow:
        """The row of a slot already loaded (a publication's, a booking's)."""
        unit = slot.unit
        return cls(
            slot.pk, slot.public_id, unit.public_id, unit.name_fi, unit.name_sv, slot.topic,
            slot.starts_at, slot.ends_at, slot.channel, slot.place_text, slot.video_platform,
            slot.resource,
        )  # fmt: skip

    @property
    def unit_name(self) -> str:
        """The unit's name in the page's language (as ``Unit.name``)."""
        swedish = get_language() == "sv" and self.unit_name_sv
        return self.unit_name_sv if swedish else self.unit_name_fi

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def channel_label(self) -> str:
        return str(SlotChannel(self.channel).label)


def active_booking() -> Exists:
    return Exists(
        Booking.objects.filter(slot=OuterRef("pk")).exclude(status=BookingStatus.CANCELLED)
    )


def service_areas() -> list[KelaServiceArea]:
    return list(KelaServiceArea.objects.all())


def slot_get(*, actor: Actor, slot_id: Any) -> Slot:
    """A published slot (not client data): any worker who may book sees it."""
    key = parse_uuid(slot_id)
    slot = (
        Slot.objects.select_related("unit__organisation").filter(public_id=key).first()
        if key and can_search(actor)
        else None
    )
    if slot is None:
        raise deny(actor, hide=True, detail={"slot": str(slot_id)})
    return slot


def _range(data: SearchInput) -> tuple[dt.datetime, dt.datetime]:
    first = data.date_from or timezone.localdate()
    last = data.date_to or first + dt.timedelta(days=30)
    if last < first or (last - first).days > MAX_SEARCH_DAYS:
        raise Invalid(
            _("The last day must be on or after the first, within three months."),
            code="dates_invalid",
            field="date_to",
        )
    start = dt.datetime.combine(first, dt.time(), tzinfo=HELSINKI)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=HELSINKI)
    return start, end


def _area_units(data: SearchInput) -> QuerySet[ServiceArea]:
    # Whether the unit is active is checked on the slots' side, which joins the unit anyway.
    rows = ServiceArea.objects.filter(topic=data.topic)
    codes = [c.strip() for c in data.municipalities if c.strip()]
    if codes:
        return rows.filter(municipality_id__in=codes)
    if data.service_area:
        return rows.filter(municipality__kela_service_area_id=data.service_area)
    raise Invalid(
        _("Choose a service area or a municipality."), code="area_required", field="service_area"
    )


def slots_search(
    *, actor: Actor, data: SearchInput, now: dt.datetime | None = None
) -> list[SlotRow]:
    """Free future slots of the units serving the area for the topic, earliest first."""
    if not can_search(actor):
        raise deny(actor, detail={"slots_search": data.topic})
    if data.topic not in Topic.values:
        raise Invalid(_("Choose the topic."), code="topic_required", field="topic")
    start, end = _range(data)
    # The area's units first (a few dozen ids): the slots' index is then read per unit
    # for the month only.
    units = sorted(set(_area_units(data).values_list("unit_id", flat=True)))
    rows = (
        Slot.objects.filter(
            unit_id__in=units,
            unit__is_active=True,
            topic=data.topic,
            starts_at__gte=max(start, now or timezone.now()),
            starts_at__lt=end,
        )
        .exclude(active_booking())
        .order_by("starts_at", "pk")
        .values_list(*ROW_FIELDS)
    )
    return [SlotRow(*row) for row in rows[:LIST_LIMIT]]


def unit_slots(*, unit_ids: frozenset[int], now: dt.datetime | None = None) -> list[Slot]:
    """The units' own upcoming slots, each marked ``booked``."""
    rows = (
        Slot.objects.filter(unit_id__in=unit_ids, ends_at__gt=now or timezone.now())
        .annotate(booked=active_booking())
        .select_related("unit")
        .order_by("starts_at", "pk")
    )
    return list(rows[:LIST_LIMIT])


def free_slots_like(slot: Slot, now: dt.datetime | None = None) -> list[Slot]:
    """Free future slots of the same unit and topic (for rebooking)."""
    rows = (
        Slot.objects.filter(
            unit_id=slot.unit_id, topic=slot.topic, starts_at__gt=now or timezone.now()
        )
        .exclude(active_booking())
        .order_by("starts_at", "pk")
    )
    return list(rows[:LIST_LIMIT])


def _base() -> QuerySet[Booking]:
    return Booking.objects.select_related(
        "slot",
        "serving_unit__organisation",
        "booking_unit__organisation",
        "case",
        "client",
        "booked_by",
        "referral",
    )


def booking_get(*, actor: Actor, booking_id: Any) -> Booking:
    key = parse_uuid(booking_id)
    booking = _base().filter(booking_filter(actor), public_id=key).first() if key else None
    if booking is None:
        raise deny(actor, hide=True, detail={"booking": str(booking_id)})
    record(
        actor=actor,
        action=AuditAction.VIEW,
        obj=booking,
        client=booking.client,
        unit_id=acting_unit(actor, booking),
        legal_basis=booking.case.legal_basis,
    )
    return booking


def unit_bookings(*, actor: Actor, now: dt.datetime | None = None) -> list[Booking]:
    """Bookings made by or at the actor's units: upcoming first, then the last month's."""
    since = (now or timezone.now()) - dt.timedelta(days=31)
    rows = (
        _base()
        .filter(booking_filter(actor), slot__starts_at__gte=since)
        .order_by("slot__starts_at", "pk")[:LIST_LIMIT]
    )
    bookings = list(rows)
    _audit_list(actor, [b.client.public_id for b in bookings], "bookings")
    return bookings


def _audit_list(actor: Actor, clients: list[Any], name: str) -> None:
    shown = sorted({str(c) for c in clients})
    if shown:
        record(actor=actor, action=AuditAction.VIEW, detail={"list": name, "clients": shown})


def bookable_cases(*, actor: Actor) -> list[Case]:
    """The actor's units' shared cases a booking can be made on (most recent first)."""
    rows = (
        visible_cases(actor, Perm.MEETING_ORGANISE)
        .select_related("client")
        .order_by("-last_activity_at", "pk")[:LIST_LIMIT]
    )
    cases = list(rows)
    _audit_list(actor, [c.client.public_id for c in cases], "bookable_cases")
    return cases


def open_assessment_referrals(*, actor: Actor, cases: list[Case]) -> list[Referral]:
    """10 a § referrals the actor's units received on ``cases``, waiting for feedback."""
    return list(
        Referral.objects.filter(
            Q(receiver_unit_id__in=actor.units_with(Perm.MEETING_ORGANISE)),
            case__in=cases,
            type=ReferralType.ASSESSMENT_BEFORE_REDUCTION,
            status__in=["requested", "received", "accepted", "in_progress"],
        )
        .select_related("case__client")
        .order_by("-sent_at")[:LIST_LIMIT]
    )
