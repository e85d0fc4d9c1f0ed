"""The THL monitoring file (Totul 27 c §) counts what THL collects from an organiser:
applications that arrived in April (and October) at any of its units, urgent ones apart,
decided within the deadline or not, and the deadline exceeded (decided late, or undecided
past it on the day of the export) as a share of the arrived. Kela's file is refused."""

from __future__ import annotations

import datetime as dt

import pytest

from silta.analytics.tests.scene import _event, _referral, at
from silta.analytics.thl import thl_monitoring
from silta.core.errors import Invalid
from silta.referrals.models import Referral
from silta.workdays.calendar import add_working_days

pytestmark = pytest.mark.django_db

D = dt.date


def _application(world, arrived, completed, *, rule="totul_14a_decision", urgent=False,
                 receiver=None):  # fmt: skip
    case = world.open_case(world.clients[0])
    due = arrived + dt.timedelta(days=1) if urgent else add_working_days(arrived, 7)
    referral = _referral(
        case, case.kela_unit, receiver or case.social_unit, arrived, None, completed, due, ""
    )
    Referral.objects.filter(pk=referral.pk).update(
        deadline_rule=rule, urgent=urgent, type="forwarded_application"
    )
    return referral


@pytest.fixture
def april(world):
    # Thu 2.4.2026: the 7th working day after it is Wed 15.4 (Good Friday 3.4 and Easter
    # Monday 6.4 are not working days).
    _application(world, D(2026, 4, 2), at(D(2026, 4, 15), 15))  # in time
    _application(world, D(2026, 4, 2), at(D(2026, 4, 16), 9))  # late
    _application(world, D(2026, 4, 8), None)  # undecided past 17.4
    # Thu 30.4: due Tue 12.5 (1 May is a holiday); undecided.
    _application(world, D(2026, 4, 30), None)
    _application(world, D(2026, 4, 9), at(D(2026, 4, 10), 11), urgent=True)  # next day
    # Another organiser's unit and March: not in this file.
    _application(world, D(2026, 4, 9), None, receiver=world.other_social_unit)
    _application(world, D(2026, 3, 31), None)


def _row(monitoring, month: str, category: str) -> list:
    return next(r for r in monitoring.table.rows if r[0] == month and category in r[1])


def test_applications_of_april_counted_as_thl_asks(world, april):
    admin = world.actor("social_admin")
    may = thl_monitoring(actor=admin, organisation=world.county, year=2026, today=D(2026, 5, 31))
    # Month, category, arrived, decided, in time, late, undecided past, exceeded %, in time %
    assert _row(may, "2026-04", "14 a")[2:9] == [4, 2, 1, 1, 2, 75.0, 50.0]
    assert _row(may, "2026-04", "14 b")[2:9] == [1, 1, 1, 0, 0, 0.0, 100.0]
    assert _row(may, "2026-10", "14 a")[2] == 0
    # Made on 5 May: the application of 30 April is not yet past its deadline.
    early = thl_monitoring(actor=admin, organisation=world.county, year=2026, today=D(2026, 5, 5))
    assert _row(early, "2026-04", "14 a")[2:9] == [4, 2, 1, 1, 1, 50.0, 50.0]


def test_kela_gets_no_organiser_file(world):
    kela = world.kela_unit.organisation
    with pytest.raises(Invalid) as refused:
        thl_monitoring(actor=world.actor("kela_admin"), organisation=kela, year=2026)
    assert refused.value.code == "thl_organiser_only"


def test_requests_for_additional_information_counted_from_the_original_arrival(world):
    """A request (the hold transition) is due by the 7th working day after the original
    arrival; the clock's restart moves ``arrived_on`` but not the application's month."""
    # Thu 2.4.2026: asked on Wed 15.4 (the 7th working day, in time), the information
    # came on Mon 4.5 (the clock restarts: due Wed 13.5), decided on Tue 12.5.
    restarted = _application(world, D(2026, 4, 2), at(D(2026, 5, 12)))
    Referral.objects.filter(pk=restarted.pk).update(
        arrived_on=D(2026, 5, 4), due_date=D(2026, 5, 13)
    )
    _event(restarted, "hold", restarted.receiver_unit, at(D(2026, 4, 15), 15))
    # Asked twice: on Thu 9.4 (in time) and on Thu 16.4 (the 8th working day, late);
    # decided late on 20.4.
    twice = _application(world, D(2026, 4, 2), at(D(2026, 4, 20)))
    _event(twice, "hold", twice.receiver_unit, at(D(2026, 4, 9)))
    _event(twice, "hold", twice.receiver_unit, at(D(2026, 4, 16)))
    _application(world, D(2026, 4, 8), at(D(2026, 4, 9)))  # no request, in time
    # Another organiser's request is not in this file.
    other = _application(world, D(2026, 4, 2), None, receiver=world.other_social_unit)
    _event(other, "hold", other.receiver_unit, at(D(2026, 4, 20)))
    may = thl_monitoring(
        actor=world.actor("social_admin"), organisation=world.county, year=2026,
        today=D(2026, 5, 31),
    )  # fmt: skip
    row = _row(may, "2026-04", "14 a")
    # Arrived, decided, in time, late, undecided past, exceeded %, in time %
    assert row[2:9] == [3, 3, 2, 1, 0, 33.3, 66.7]
    # Applications asked, requests, requests late, asked % of arrived, late % of requests
    assert row[10:] == [2, 3, 1, 66.7, 33.3]
    assert _row(may, "2026-04", "14 b")[10:] == [0, 0, 0, None, None]
