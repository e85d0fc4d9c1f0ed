"""The monthly deadline report against a small data set counted by hand.

November 2026 (Mon 2.11 ... Mon 30.11; no holidays; 31.10 and 1.11 are a weekend),
referrals received by the social unit. "wd" = working days after the arrival day (the
arrival day is never counted, whatever day it is: DOMAIN.md §3).

| ref | type       | sent (Helsinki) | received      | completed   | due   | ack | wd | in time |
|-----|------------|-----------------|---------------|-------------|-------|-----|----|---------|
| R0  | contact    | Sun 1.11 00:30  | Mon 2.11 (1)  | Mon 2.11    | 10.11 | yes | 1  | yes     |
| R1  | contact    | Mon 2.11 10:00  | Mon 2.11 (0)  | Wed 4.11    | 11.11 | yes | 2  | yes     |
| R2  | contact    | Tue 3.11 10:00  | Wed 4.11 (1)  | Fri 13.11   | 12.11 | yes | 8  | no      |
| R3  | contact    | Thu 5.11 10:00  | Mon 9.11 (2)  | -, returned | 16.11 | no  |    |         |
| R4  | assessment | Sat 7.11 10:00  | Tue 10.11 (2) | Wed 18.11   | 17.11 | no  | 8  | no      |
| R5  | assessment | Mon 16.11 10:00 | Mon 16.11 (0) | Tue 17.11   | 25.11 | yes | 1  | yes     |
| R6  | forwarded  | Tue 17.11 10:00 | never         | -           | 26.11 | no  |    |         |
| R7  | forwarded  | Wed 18.11 10:00 | Thu 19.11 (1) | Mon 30.11   | 27.11 | yes | 8  | no      |
| R8  | meeting    | Mon 30.11 23:30 | Mon 30.11 (0) | -, returned | 9.12  | yes |    |         |

R0 arrived on a Sunday and R4 on a Saturday: Monday is their working day 1, so R4 was due
on Tuesday 17.11 (as if it had arrived on Friday 6.11) and its outcome on Wednesday 18.11
was late; the old rule (move the arrival to Monday, then count) called it in time.
Not in the report: X1 sent Sat 31.10 23:30 (October), X2 sent Tue 1.12 00:30 (December),
X3 sent by the social unit to Kela, X4 sent to another social unit.
Returns in November: R3 wrong unit (9.11), R7 wrong unit (19.11, then re-sent),
R8 basic decision missing (30.11 23:45); X1 was returned on 31.10.
Totals: received 9, acknowledged 6/9 = 66.7 %, completed 6, in time 3/6 = 50.0 %,
median of (1, 1, 2, 8, 8, 8) = 5.0.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from silta.audit.models import AuditEvent
from silta.core.errors import Forbidden
from silta.referrals.models import Referral, ReferralEvent
from silta.referrals.reports import monthly_report, report_csv, report_xlsx
from silta.referrals.tests.helpers import act, at, send
from tests.factories import browser_client

pytestmark = pytest.mark.django_db
D = dt.date


def _set(referral: Referral, sent, received=None, completed=None, due=None, status=None) -> None:
    local = sent.date()
    Referral.objects.filter(pk=referral.pk).update(
        sent_at=sent,
        arrived_on=local,
        received_at=received,
        completed_at=completed,
        due_date=due,
        status=status or ("completed" if completed else "received" if received else "requested"),
    )


def _returned(world, referral: Referral, reason: str, when: dt.datetime) -> None:
    act(world, "social_worker", referral, "receive")
    act(world, "social_worker", referral, "return", reason=reason)
    ReferralEvent.objects.filter(referral=referral, action="return").update(at=when)


@pytest.fixture
def november(world) -> None:
    case = world.open_case()
    r = {name: send(world, "contact", case=case) for name in ("R0", "R1", "R2", "R3")}
    r.update({name: send(world, "assessment_before_reduction", case=case) for name in ("R4", "R5")})
    r.update({name: send(world, "forwarded_application", case=case) for name in ("R6", "R7")})
    r["R8"] = send(world, "meeting_request", case=case)
    _returned(world, r["R3"], "wrong_unit", at(2026, 11, 9, 11))
    _returned(world, r["R7"], "wrong_unit", at(2026, 11, 19, 9))
    act(world, "kela_processor", r["R7"], "resend")
    _returned(world, r["R8"], "no_basic_decision", at(2026, 11, 30, 23, 45))
    _set(r["R0"], at(2026, 11, 1, 0, 30), at(2026, 11, 2, 9), at(2026, 11, 2, 15), D(2026, 11, 10))
    _set(r["R1"], at(2026, 11, 2), at(2026, 11, 2, 11), at(2026, 11, 4), D(2026, 11, 11))
    _set(r["R2"], at(2026, 11, 3), at(2026, 11, 4), at(2026, 11, 13, 16), D(2026, 11, 12))
    _set(r["R3"], at(2026, 11, 5), at(2026, 11, 9), None, D(2026, 11, 16), "returned")
    _set(r["R4"], at(2026, 11, 7), at(2026, 11, 10), at(2026, 11, 18, 23, 30), D(2026, 11, 17))
    _set(r["R5"], at(2026, 11, 16), at(2026, 11, 16, 12), at(2026, 11, 17), D(2026, 11, 25))
    _set(r["R6"], at(2026, 11, 17), None, None, D(2026, 11, 26))
    _set(r["R7"], at(2026, 11, 18), at(2026, 11, 19), at(2026, 11, 30), D(2026, 11, 27))
    _set(r["R8"], at(2026, 11, 30, 23, 30), at(2026, 11, 30, 23, 40), None, D(2026, 12, 9))
    # Outside the report.
    x1 = send(world, "contact", case=case)
    _returned(world, x1, "wrong_unit", at(2026, 10, 31, 23, 50))
    _set(x1, at(2026, 10, 31, 23, 30), at(2026, 10, 31, 23, 40), None, D(2026, 11, 10), "returned")
    x2 = send(world, "contact", case=case)
    _set(x2, at(2026, 12, 1, 0, 30), at(2026, 12, 1, 9), at(2026, 12, 1, 10), D(2026, 12, 10))
    x3 = send(world, "document_delivery", case=case)
    _set(x3, at(2026, 11, 10), at(2026, 11, 10), at(2026, 11, 11), D(2026, 11, 19))
    x4 = send(world, "contact", case=world.open_case(social_unit=world.social_unit2))
    _set(x4, at(2026, 11, 10), at(2026, 11, 10), at(2026, 11, 11), D(2026, 11, 19))


HEADER: list[object] = [
    "Type",
    "Received",
    "Acknowledged within 1 working day (%)",
    "Completed",
    "Completed within deadline (%)",
    "Median working days to outcome",
]
EXPECTED_ROWS: list[list[object]] = [
    ["Contact to social services", 4, 75.0, 3, 66.7, 2.0],
    ["Forwarded application", 2, 50.0, 1, 0.0, 8.0],
    ["Service-need assessment before a reduction", 2, 50.0, 2, 50.0, 4.5],
    ["Request for a statement", 0, None, 0, None, None],
    ["Document delivery", 0, None, 0, None, None],
    ["Request for urgent handling", 0, None, 0, None, None],
    ["Joint meeting request", 1, 100.0, 0, None, None],
    ["All", 9, 66.7, 6, 50.0, 5.0],
]
EXPECTED_RETURNS = {"Kela's basic decision is missing": 1, "Wrong unit within the organisation": 2}
EXPECTED_TABLE: list[list[object]] = [
    HEADER,
    *EXPECTED_ROWS,
    [],
    ["Returns by reason", "Count"],
    ["Kela's basic decision is missing", 1],
    ["Wrong unit within the organisation", 2],
]


def _report(world):
    return monthly_report(
        actor=world.actor("social_manager"), unit=world.social_unit, year=2026, month=11
    )


def test_figures_match_the_hand_count(world, november) -> None:
    with translation.override("en"):
        report = _report(world)
        rows = [
            [
                f.label,
                f.received,
                f.acknowledged_pct,
                f.completed,
                f.in_time_pct,
                f.median_working_days,
            ]
            for f in [*report.rows, report.total]
        ]
        assert rows == EXPECTED_ROWS
        assert report.returns == EXPECTED_RETURNS
    assert (report.total.acknowledged_in_time, report.total.completed_in_time) == (6, 3)
    assert sorted(report.total.working_days_to_outcome) == [1, 1, 2, 8, 8, 8]


def test_csv_has_the_same_figures(world, november) -> None:
    with translation.override("en"):
        text = report_csv(_report(world))
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    expected = [["" if v is None else str(v) for v in row] for row in EXPECTED_TABLE]
    assert rows == expected


def test_xlsx_has_the_same_rows(world, november) -> None:
    with translation.override("en"):
        data = report_xlsx(_report(world))
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None and sheet.title == "2026-11"
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:2] == ["Aikuissosiaalityö Kuopio", "11/2026"]
    width = len(HEADER)
    expected = [row + [None] * (width - len(row)) for row in EXPECTED_TABLE]
    assert [row[:width] for row in rows[1:]] == expected


def test_an_empty_month_has_no_figures(world, november) -> None:
    with translation.override("en"):
        report = monthly_report(
            actor=world.actor("social_manager"), unit=world.social_unit, year=2026, month=9
        )
    assert report.total.received == 0 and report.total.acknowledged_pct is None
    assert report.total.median_working_days is None and report.returns == {}


@pytest.mark.parametrize(
    "key",
    ["social_worker", "social_processor", "social_admin", "kela_manager", "kela_processor"],
)
def test_only_the_units_manager_sees_it(world, key) -> None:
    with pytest.raises(Forbidden):
        monthly_report(actor=world.actor(key), unit=world.social_unit, year=2026, month=11)
    denied = AuditEvent.objects.get(action="denied")
    assert denied.user == world.users[key] and denied.detail == {"report": world.social_unit.pk}
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_managers_view_is_audited(world) -> None:
    _report(world)
    export = AuditEvent.objects.get(action="export")
    assert export.user == world.users["social_manager"]
    assert export.unit_id == world.social_unit.pk
    assert export.detail == {"report": "referrals_month", "year": 2026, "month": 11}


def test_report_downloads_through_the_page(world, november, settings) -> None:
    settings.SILTA_DEMO_SKIP_TOTP = True
    path = f"/units/{world.social_unit.public_id}/referrals/report/"
    manager = browser_client("en")
    manager.force_login(world.users["social_manager"])
    params: dict[str, str | int] = {"year": 2026, "month": 11}
    page = manager.get(path, params)
    assert page.status_code == 200
    assert 'data-testid="report-received">9<' in page.content.decode()
    download = manager.get(path, {**params, "format": "csv"})
    assert download["Content-Type"].startswith("text/csv")
    assert "silta-referrals-2026-11.csv" in download["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(download.content.decode()), delimiter=";"))
    assert rows[len(EXPECTED_ROWS)] == ["All", "9", "66.7", "6", "50.0", "5.0"]
    xlsx = manager.get(path, {**params, "format": "xlsx"})
    assert load_workbook(io.BytesIO(xlsx.content)).active is not None
    worker = browser_client("en")
    worker.force_login(world.users["social_worker"])
    refused = worker.get(path, {**params, "format": "csv"})
    assert refused.status_code in (403, 404) and b"66.7" not in refused.content
