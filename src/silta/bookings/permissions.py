"""Who may publish, search, book and see bookings: predicates and queryset filters.

Publishing a unit's slots and booking one for a client are the meeting work of a unit
(``MEETING_ORGANISE``); searching free slots shows no client data and is open to the same
workers. A booking is client data: the booking unit and the serving unit see it
(``CASE_VIEW``); the booking unit cancels or rebooks, the serving unit records a no-show
(and may cancel, e.g. when its worker falls ill).
"""

from __future__ import annotations

from django.db.models import Q

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.bookings.models import Booking


def can_publish(actor: Actor, unit_id: int) -> bool:
    return unit_id in actor.units_with(Perm.MEETING_ORGANISE)


def can_search(actor: Actor) -> bool:
    return actor.can(Perm.MEETING_ORGANISE)


def booking_filter(actor: Actor) -> Q:
    units = actor.units_with(Perm.CASE_VIEW)
    return Q(booking_unit_id__in=units) | Q(serving_unit_id__in=units)


def acting_unit(actor: Actor, booking: Booking, perm: Perm = Perm.CASE_VIEW) -> int | None:
    """The actor's unit on the booking allowing ``perm`` (the booking unit first)."""
    units = actor.units_with(perm)
    for unit_id in (booking.booking_unit_id, booking.serving_unit_id):
        if unit_id in units:
            return unit_id
    return None


def can_change(actor: Actor, booking: Booking) -> bool:
    """Cancel or rebook: the booking unit (the serving unit may cancel too)."""
    return acting_unit(actor, booking, Perm.MEETING_ORGANISE) is not None


def can_rebook(actor: Actor, booking: Booking) -> bool:
    return booking.booking_unit_id in actor.units_with(Perm.MEETING_ORGANISE)


def can_mark_no_show(actor: Actor, booking: Booking) -> bool:
    return booking.serving_unit_id in actor.units_with(Perm.MEETING_ORGANISE)
